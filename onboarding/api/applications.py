"""Applications: create (the whole nested payload, or sections later by PATCH), read, list, change while
``draft`` or ``info_requested``, submit, withdraw, and answer an information request.

Each view shapes the request and calls one service; the services decide, validate and write."""

from django.db import transaction
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from onboarding.api.base import PartnerView, object_body
from onboarding.api.filters import ApplicationFilterSerializer
from onboarding.api.section_serializers import SECTION_NAMES, items_from_api
from onboarding.api.serializers import (
    AnswerSerializer,
    ApplicationSerializer,
    WithdrawSerializer,
    application_queryset,
)
from onboarding.errors import ValidationFailed
from onboarding.input import key_text
from onboarding.models import Channel
from onboarding.services.applications import application_answer_info, application_submit, application_withdraw
from onboarding.services.drafts import application_create_draft, application_update_draft

TAG = ["Applications"]
CREATE_EXAMPLE = OpenApiExample(
    "A complete application",
    request_only=True,
    value={
        "external_id": "crm-42",
        "business": {
            "legal_name": "Golden Gate Tea House LLC",
            "entity_type": "multi_member_llc",
            "tax_id_type": "ein",
            "tax_id": "94-3175283",
            "formation_state": "CA",
            "formation_date": "2016-04-12",
            "phone": "+14155550142",
            "mcc": "5812",
            "product_description": "Tea house serving loose-leaf teas and pastries.",
            "monthly_volume_cents": 4500000,
            "average_ticket_cents": 2400,
            "address_line1": "1200 Grant Ave",
            "address_city": "San Francisco",
            "address_state": "CA",
            "address_postal_code": "94133",
        },
        "parties": [
            {
                "kind": "individual",
                "first_name": "Mei",
                "last_name": "Chen",
                "title": "Managing member",
                "email": "mei@example.com",
                "ownership_percent": 60,
                "is_control_person": True,
                "date_of_birth": "1984-03-02",
                "id_number_type": "ssn",
                "id_number": "123-45-6789",
                "address_line1": "88 Clay St",
                "address_city": "San Francisco",
                "address_state": "CA",
                "address_postal_code": "94111",
                "address_country": "US",
            }
        ],
        "bank_account": {"holder_name": "Golden Gate Tea House LLC", "routing_number": "121000248",
                         "account_number": "000123456789", "account_type": "checking"},
        "stores": [{"name": "Grant Avenue", "address_line1": "1200 Grant Ave", "address_city": "San Francisco",
                    "address_state": "CA", "address_postal_code": "94133",
                    "terminals": [{"device_type": "stripe_s700", "label": "Front counter"}]}],
        "wallets": [{"wallet": "alipay", "channel": "in_store"}, {"wallet": "wechat_pay", "channel": "in_store"}],
    },
)  # fmt: skip
TOP_LEVEL = frozenset({"external_id", *SECTION_NAMES})


def _sections(data, *, allowed: frozenset[str] = TOP_LEVEL) -> dict:
    """The request body as the draft service takes it; an unknown top-level field is a field error."""
    if not isinstance(data, dict):
        raise ValidationError({"non_field_errors": ["Send a JSON object."]})
    unknown = sorted(key_text(key) for key in data if key not in allowed)
    if unknown:
        raise ValidationFailed("Please correct the errors below.", fields=dict.fromkeys(unknown, ["Unknown field."]))
    return {name: items_from_api(name, data[name]) for name in SECTION_NAMES if name in data}


class ApplicationResponseMixin:
    uses_etag = True
    serializer_class = ApplicationSerializer

    def respond(self, public_id: str, status_code: int = status.HTTP_200_OK) -> Response:
        application = application_queryset(self.partner_applications()).get(public_id=public_id)
        data = ApplicationSerializer(application).data
        return Response(data, status=status_code, headers={"ETag": self.etag_of(data)})

    def locked_and_matching(self, public_id: str):
        """The application, its row locked for this transaction, after the If-Match check."""
        application = self.application_or_404(public_id, lock=True)
        if self.request.headers.get("If-Match") is not None:
            current = application_queryset(self.partner_applications()).get(pk=application.pk)
            self.check_if_match(ApplicationSerializer(current).data)
        return application


class ApplicationListView(ApplicationResponseMixin, PartnerView):
    def get_queryset(self):
        filters = ApplicationFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return filters.filter(application_queryset(self.partner_applications()))

    @extend_schema(
        tags=TAG,
        operation_id="applications_list",
        summary="List applications",
        parameters=[ApplicationFilterSerializer],
        responses=ApplicationSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ApplicationSerializer(page, many=True).data)

    @extend_schema(
        tags=TAG,
        operation_id="applications_create",
        summary="Create an application",
        description=(
            "Send every section at once, or only some and the rest later with PATCH. Nothing is required "
            "to create a draft; `submit` says what is missing. Personal data (tax id, SSN or ITIN, date of "
            "birth, account number) is write-only: answers carry its last four digits."
        ),
        request=ApplicationSerializer,
        responses={201: ApplicationSerializer},
        examples=[CREATE_EXAMPLE],
    )
    def post(self, request):
        def perform():
            data = request.data
            sections = _sections(data)
            external_id = data.get("external_id", "")
            application = application_create_draft(
                actor=self.actor,
                channel=Channel.API,
                livemode=self.principal.livemode,
                external_id=external_id,
                **sections,
            )
            response = self.respond(application.public_id, status.HTTP_201_CREATED)
            response["Location"] = f"{request.path.rstrip('/')}/{application.public_id}"
            return response

        return self.idempotent(perform)


class ApplicationDetailView(ApplicationResponseMixin, PartnerView):
    @extend_schema(tags=TAG, operation_id="applications_retrieve", summary="Retrieve an application")
    def get(self, request, public_id: str):
        self.application_or_404(public_id)
        return self.respond(public_id)

    @extend_schema(
        tags=TAG,
        operation_id="applications_update",
        summary="Change an application's sections",
        description=(
            "Only while `draft` or `info_requested`. Sections left out are not touched; a collection sent "
            "(parties, stores, wallets) replaces the whole collection: send each item's `id` to keep it."
        ),
        request=ApplicationSerializer(partial=True),
    )
    def patch(self, request, public_id: str):
        with transaction.atomic():
            application = self.locked_and_matching(public_id)
            sections = _sections(request.data, allowed=frozenset(SECTION_NAMES))
            application_update_draft(application=application, actor=self.actor, **sections)
        return self.respond(public_id)


class ApplicationSubmitView(ApplicationResponseMixin, PartnerView):
    @extend_schema(
        tags=TAG,
        operation_id="applications_submit",
        summary="Submit an application for review",
        description="A complete draft goes to screening. If anything is missing, each field is named in `attr`.",
        request=None,
    )
    def post(self, request, public_id: str):
        def perform():
            application = self.locked_and_matching(public_id)
            application_submit(application=application, actor=self.actor)
            return self.respond(public_id)

        return self.idempotent(perform)


class ApplicationWithdrawView(ApplicationResponseMixin, PartnerView):
    @extend_schema(
        tags=TAG, operation_id="applications_withdraw", summary="Withdraw an application", request=WithdrawSerializer
    )
    def post(self, request, public_id: str):
        def perform():
            application = self.locked_and_matching(public_id)
            body = object_body(request.data, WithdrawSerializer)
            application_withdraw(application=application, actor=self.actor, reason=body.get("reason", ""))
            return self.respond(public_id)

        return self.idempotent(perform)


class ApplicationAnswerView(ApplicationResponseMixin, PartnerView):
    @extend_schema(
        tags=TAG,
        operation_id="applications_answer_information_request",
        summary="Answer the open information request",
        description="Change the fields it names (PATCH) and upload its documents first, then answer.",
        request=AnswerSerializer,
    )
    def post(self, request, public_id: str):
        def perform():
            application = self.locked_and_matching(public_id)
            body = object_body(request.data, AnswerSerializer)
            application_answer_info(application=application, actor=self.actor, answer=body.get("answer"))
            return self.respond(public_id)

        return self.idempotent(perform)
