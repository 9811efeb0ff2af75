"""A partner's webhook endpoints in the key's mode (docs/partner_webhooks.md): create one (its signing
secret is in that answer only), list, read, change, delete, send it a test ping, and read its delivery
log with each attempt's status code. Each view calls one service (onboarding.services.webhook_endpoints,
webhook_deliveries), which checks the input field by field."""

from django.db import transaction
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import status
from rest_framework.response import Response

from onboarding.api.base import PartnerView, object_body
from onboarding.api.filters import WebhookDeliveryFilterSerializer
from onboarding.api.webhook_serializers import (
    WebhookDeliverySerializer,
    WebhookEndpointCreatedSerializer,
    WebhookEndpointCreateSerializer,
    WebhookEndpointDeletedSerializer,
    WebhookEndpointSerializer,
    WebhookEndpointUpdateSerializer,
)
from onboarding.services.webhook_deliveries import webhook_deliveries_for_partner
from onboarding.services.webhook_endpoints import (
    webhook_endpoint_create,
    webhook_endpoint_delete,
    webhook_endpoint_ping,
    webhook_endpoint_update,
)

TAG = ["Webhook endpoints"]
ENDPOINT_EXAMPLE = {
    "id": "we_7HgT2kLm9NbV4cXz1QaS",
    "object": "webhook_endpoint",
    "url": "https://hooks.example.com/walletboard",
    "description": "Production CRM",
    "event_types": ["application.approved", "application.declined"],
    "enabled": True,
    "livemode": False,
    "created": "2026-12-01T09:30:00Z",
    "updated": "2026-12-01T09:30:00Z",
}
CREATE_EXAMPLES = [
    OpenApiExample(
        "An endpoint for decisions",
        request_only=True,
        value={k: ENDPOINT_EXAMPLE[k] for k in ("url", "event_types", "description")},
    ),
    OpenApiExample(
        "The endpoint, with its secret",
        response_only=True,
        status_codes=["201"],
        value={**ENDPOINT_EXAMPLE, "secret": "whsec_5cXv8BnM2aSd4FgH6jKl9QwErTyUiOp1"},
    ),
]
PING_EXAMPLE = OpenApiExample(
    "A ping your receiver answered",
    response_only=True,
    status_codes=["200"],
    value={
        "id": "whd_2PqW9eRt4YuI6oPa8SdF",
        "object": "webhook_delivery",
        "endpoint": ENDPOINT_EXAMPLE["id"],
        "event": "evt_8KjH3gFd5SaQ1wEr7TyU",
        "event_type": "ping",
        "status": "succeeded",
        "created": "2026-12-01T09:31:00Z",
        "delivered_at": "2026-12-01T09:31:00Z",
        "next_attempt_at": None,
        "attempt_count": 1,
        "last_status_code": 200,
        "attempts": [
            {
                "number": 1,
                "started_at": "2026-12-01T09:31:00Z",
                "finished_at": "2026-12-01T09:31:00Z",
                "outcome": "succeeded",
                "status_code": 200,
                "duration_ms": 84,
                "error": "",
            }
        ],
    },
)
UPDATABLE = tuple(WebhookEndpointUpdateSerializer().fields)


class WebhookEndpointListView(PartnerView):
    serializer_class = WebhookEndpointSerializer

    @extend_schema(
        tags=TAG,
        operation_id="webhook_endpoints_list",
        summary="List webhook endpoints",
        description="The key's mode only: a test key lists its test endpoints, a live key its live ones.",
        responses=WebhookEndpointSerializer(many=True),
    )
    def get(self, request):
        page = self.paginate_queryset(self.partner_webhook_endpoints())
        return self.get_paginated_response(WebhookEndpointSerializer(page, many=True).data)

    @extend_schema(
        tags=TAG,
        operation_id="webhook_endpoints_create",
        summary="Create a webhook endpoint",
        description=(
            "It receives the events of the key's mode that happen from now on, of the types chosen. The answer "
            "is the only one that shows the signing `secret`; a replay of the same request (same "
            "Idempotency-Key) gives the same answer."
        ),
        request=WebhookEndpointCreateSerializer,
        responses={201: WebhookEndpointCreatedSerializer},
        examples=CREATE_EXAMPLES,
    )
    def post(self, request):
        def perform():
            body = object_body(request.data, WebhookEndpointCreateSerializer)
            endpoint, secret = webhook_endpoint_create(
                partner=self.principal.partner,
                actor=self.actor,
                url=body.get("url"),
                event_types=body.get("event_types"),
                livemode=self.principal.livemode,
                description=body.get("description", ""),
            )
            data = {**WebhookEndpointSerializer(endpoint).data, "secret": secret}
            response = Response(data, status=status.HTTP_201_CREATED)
            response["Location"] = f"{request.path.rstrip('/')}/{endpoint.public_id}"
            return response

        return self.idempotent(perform, sealed=("secret",))


class WebhookEndpointDetailView(PartnerView):
    serializer_class = WebhookEndpointSerializer

    @extend_schema(tags=TAG, operation_id="webhook_endpoints_retrieve", summary="Retrieve a webhook endpoint")
    def get(self, request, public_id: str):
        return Response(WebhookEndpointSerializer(self.webhook_endpoint_or_404(public_id)).data)

    @extend_schema(
        tags=TAG,
        operation_id="webhook_endpoints_update",
        summary="Change a webhook endpoint",
        description=(
            "Only the fields sent change. Switching it off (`enabled: false`) cancels what it was still owed."
        ),
        request=WebhookEndpointUpdateSerializer,
        examples=[
            OpenApiExample("Switch it off", request_only=True, value={"enabled": False}),
            OpenApiExample("Every event type", request_only=True, value={"event_types": ["*"]}),
        ],
    )
    def patch(self, request, public_id: str):
        with transaction.atomic():
            endpoint = self.webhook_endpoint_or_404(public_id, lock=True)
            body = object_body(request.data, WebhookEndpointUpdateSerializer)
            changes = {name: body[name] for name in UPDATABLE if name in body}
            endpoint = webhook_endpoint_update(endpoint=endpoint, actor=self.actor, **changes)
        return Response(WebhookEndpointSerializer(endpoint).data)

    @extend_schema(
        tags=TAG,
        operation_id="webhook_endpoints_delete",
        summary="Delete a webhook endpoint",
        description="It receives nothing more, and what it was still owed is cancelled.",
        responses={200: WebhookEndpointDeletedSerializer},
        examples=[
            OpenApiExample(
                "Deleted",
                response_only=True,
                value={"id": ENDPOINT_EXAMPLE["id"], "object": "webhook_endpoint", "deleted": True},
            )
        ],
    )
    def delete(self, request, public_id: str):
        endpoint = self.webhook_endpoint_or_404(public_id)
        webhook_endpoint_delete(endpoint=endpoint, actor=self.actor)
        return Response({"id": endpoint.public_id, "object": "webhook_endpoint", "deleted": True})


class WebhookEndpointPingView(PartnerView):
    serializer_class = WebhookDeliverySerializer

    @extend_schema(
        tags=TAG,
        operation_id="webhook_endpoints_ping",
        summary="Send a test ping",
        description=(
            "A signed event of type `ping` is POSTed to the endpoint now, once (never retried, and not "
            "listed among the events); the answer is its delivery with the attempt's status code."
        ),
        request=None,
        responses={200: WebhookDeliverySerializer},
        examples=[PING_EXAMPLE],
    )
    def post(self, request, public_id: str):
        def perform():
            endpoint = self.webhook_endpoint_or_404(public_id)
            delivery = webhook_endpoint_ping(endpoint=endpoint, actor=self.actor)
            return Response(WebhookDeliverySerializer(delivery).data)

        # The ping calls out to the receiver: never inside a transaction (the service commits its own).
        return self.idempotent(perform, atomic=False)


class WebhookDeliveryListView(PartnerView):
    serializer_class = WebhookDeliverySerializer

    def get_queryset(self):
        endpoint = self.webhook_endpoint_or_404(self.kwargs["public_id"])
        filters = WebhookDeliveryFilterSerializer(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return webhook_deliveries_for_partner(
            partner=self.principal.partner,
            livemode=self.principal.livemode,
            endpoint=endpoint,
            status=filters.validated_data.get("status"),
        )

    @extend_schema(
        tags=TAG,
        operation_id="webhook_endpoints_deliveries",
        summary="An endpoint's delivery log",
        description="Each event sent to it (pings included), newest first, with every attempt's status code.",
        parameters=[WebhookDeliveryFilterSerializer],
        responses=WebhookDeliverySerializer(many=True),
    )
    def get(self, request, public_id: str):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(WebhookDeliverySerializer(page, many=True).data)
