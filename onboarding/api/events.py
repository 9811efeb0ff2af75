"""``GET /api/v1/events``: the partner's events of the last ``PARTNER_EVENTS_DAYS`` days in the key's
mode, oldest first, exactly as the webhooks carry them, so a receiver that was down can catch up
(``partner_events_since`` decides what is listed: never another partner's, never the other mode's, never a
ping). Pages follow each other by the last event's id, which ``next`` carries."""

from django.conf import settings
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from onboarding.api.base import PartnerView
from onboarding.api.filters import WebhookEventFilterSerializer
from onboarding.api.webhook_serializers import WebhookEventPageSerializer
from onboarding.services.partner_events import partner_events_since
from onboarding.webhooks_out.wire import event_object

PAGE_EXAMPLE = OpenApiExample(
    "A page of events",
    response_only=True,
    value={
        "next": "https://portal.example/api/v1/events?limit=1&starting_after=evt_4bYc0aWq1TtF2hJkLmNo",
        "has_more": True,
        "results": [
            {
                "id": "evt_4bYc0aWq1TtF2hJkLmNo",
                "object": "event",
                "type": "application.approved",
                "created": "2026-12-03T14:05:09Z",
                "livemode": False,
                "data": {
                    "object": {
                        "id": "app_Vb1x2y3z4A5B6C7D8E9F",
                        "object": "application",
                        "livemode": False,
                        "state": "approved",
                        "merchant": "mer_Qw2e3r4t5y6u7i8o9p0A",
                        "business_name": "Pearl River Noodles",
                        "entity_type": "multi_member_llc",
                        "created": "2026-12-01T09:30:00Z",
                        "submitted_at": "2026-12-01T10:02:11Z",
                        "decided_at": "2026-12-03T14:05:09Z",
                    }
                },
            }
        ],
    },
)


class PartnerEventListView(PartnerView):
    serializer_class = WebhookEventPageSerializer
    # Pages are the service's (after an event id), not DRF's cursor.
    pagination_class = None
    error_codes = ("400",)

    @extend_schema(
        tags=["Events"],
        operation_id="events_list",
        summary="Catch up on events",
        description=(
            f"Your events of the last {settings.PARTNER_EVENTS_DAYS} days in the key's mode, oldest first, as "
            "the webhooks send them (pings are not listed). Follow `next` until it is null; later, pass the "
            "id of the last event you processed as `starting_after`. An event written by a slow transaction "
            "may get a place just before one you read: now and then re-read the last minutes with "
            "`created_gte` and ignore ids you have seen."
        ),
        parameters=[WebhookEventFilterSerializer],
        responses=WebhookEventPageSerializer,
        examples=[PAGE_EXAMPLE],
    )
    def get(self, request):
        filters = WebhookEventFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        wanted = filters.validated_data
        page = partner_events_since(
            partner=self.principal.partner,
            livemode=self.principal.livemode,
            since=wanted.get("created_gte"),
            cursor=wanted.get("starting_after"),
            types_in=wanted.get("type"),
            limit=wanted["limit"],
        )
        next_page = None
        if page.has_more:
            next_page = replace_query_param(request.build_absolute_uri(), "starting_after", page.events[-1].public_id)
        return Response(
            {"next": next_page, "has_more": page.has_more, "results": [event_object(event) for event in page.events]}
        )
