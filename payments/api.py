"""The partner API's terminals: a merchant's terminals with their state, added to ``/api/v1/`` by
registration (onboarding.api.routes) so that onboarding never imports payments."""

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from onboarding.api.base import PartnerView
from onboarding.models import DeviceType
from payments.models import Terminal
from payments.states import TerminalState


class TerminalSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    object = serializers.SerializerMethodField()
    merchant = serializers.CharField(source="merchant.public_id")
    store = serializers.CharField(source="request.store.public_id", help_text="The store it stands at.")
    request = serializers.CharField(source="request.public_id", help_text="The terminal request it came from.")
    device_type = serializers.ChoiceField(choices=DeviceType.choices)
    label = serializers.CharField()
    state = serializers.ChoiceField(choices=TerminalState.CHOICES)
    state_changed = serializers.DateTimeField(source="state_changed_at")
    activated_at = serializers.DateTimeField(allow_null=True)
    created = serializers.DateTimeField(source="created_at")

    def get_object(self, terminal) -> str:
        return "terminal"


class MerchantTerminalListView(PartnerView):
    serializer_class = TerminalSerializer

    def get_queryset(self):
        merchant = self.merchant_or_404(self.kwargs["public_id"])
        return Terminal.objects.filter(merchant=merchant).select_related("merchant", "request__store")

    @extend_schema(
        tags=["Merchants"],
        operation_id="merchants_terminals",
        summary="A merchant's terminals",
        description="`requested → awaiting_device → activating → active | failed`; `failed → activating`; "
        "`active → deactivated`.",
        responses=TerminalSerializer(many=True),
    )
    def get(self, request, public_id: str):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(TerminalSerializer(page, many=True).data)


def register() -> None:
    from onboarding.api.routes import register_api_routes

    register_api_routes(
        [path("merchants/<str:public_id>/terminals", MerchantTerminalListView.as_view(), name="api-merchant-terminals")]
    )
