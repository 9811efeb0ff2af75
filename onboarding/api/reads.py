"""What a partner follows: an application's requirements and events, and its merchants with their wallets."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from onboarding.api.base import PartnerView
from onboarding.api.serializers import EventSerializer, MerchantSerializer, RequirementsSerializer
from onboarding.requirements import application_requirements
from onboarding.selectors import shared_events


class RequirementsView(PartnerView):
    serializer_class = RequirementsSerializer

    @extend_schema(
        tags=["Applications"],
        operation_id="applications_requirements",
        summary="What the application still needs",
        description=(
            "`currently_due`, `eventually_due`, `past_due`, `pending_verification` and `errors` (code, field "
            "path, reason, suggested fix), overall and per wallet: the same list the merchant's pages show."
        ),
    )
    def get(self, request, public_id: str):
        application = self.application_or_404(public_id)
        return Response(application_requirements(application).as_dict())


class EventListView(PartnerView):
    serializer_class = EventSerializer

    def get_queryset(self):
        return shared_events(application=self.application_or_404(self.kwargs["public_id"]))

    def paginate_queryset(self, queryset):
        self.paginator.ordering = "-occurred_at"
        return super().paginate_queryset(queryset)

    @extend_schema(
        tags=["Applications"],
        operation_id="applications_events",
        summary="An application's history",
        description="The steps the merchant sees too, in their neutral words; newest first.",
        responses=EventSerializer(many=True),
    )
    def get(self, request, public_id: str):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(EventSerializer(page, many=True).data)


class MerchantListView(PartnerView):
    serializer_class = MerchantSerializer

    def get_queryset(self):
        return self.partner_merchants().prefetch_related("wallets")

    @extend_schema(
        tags=["Merchants"],
        operation_id="merchants_list",
        summary="List merchants",
        responses=MerchantSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(MerchantSerializer(page, many=True).data)


class MerchantDetailView(PartnerView):
    serializer_class = MerchantSerializer

    @extend_schema(tags=["Merchants"], operation_id="merchants_retrieve", summary="Retrieve a merchant")
    def get(self, request, public_id: str):
        return Response(MerchantSerializer(self.merchant_or_404(public_id)).data)
