"""What the partner API answers about webhooks: endpoints (the signing secret only in the answer that
created one), deliveries with their attempts, and events as they are sent (``onboarding.webhooks_out.wire``).

Request serializers document the bodies; the values go to the services as sent, and the services check
them field by field."""

from rest_framework import serializers

from onboarding.models import WebhookAttempt, WebhookDelivery
from onboarding.webhooks_out.event_types import PING, partner_event_types

#: imported once the apps are ready (from the URL configuration), when every app has registered its types
EVENT_TYPES = sorted(partner_event_types())
EVENT_TYPES_HELP = 'The event types to receive (see the event type list in the docs), or `["*"]` for every type.'


class WebhookEndpointSerializer(serializers.Serializer):
    """Where events are sent. A test key's endpoints receive test events only, a live key's live ones."""

    id = serializers.CharField(source="public_id", help_text="The endpoint's id (`we_…`).")
    object = serializers.SerializerMethodField(help_text="Always `webhook_endpoint`.")
    url = serializers.URLField(help_text="Where events are POSTed (`https://` for a live endpoint).")
    description = serializers.CharField(help_text="Your note about the endpoint.")
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=["*", *EVENT_TYPES]), help_text=EVENT_TYPES_HELP
    )
    enabled = serializers.BooleanField(help_text="False: nothing is sent to it, and what it was owed is cancelled.")
    livemode = serializers.BooleanField(help_text="False for a test key's endpoint.")
    created = serializers.DateTimeField(source="created_at", help_text="When it was created.")
    updated = serializers.DateTimeField(source="updated_at", help_text="When it last changed.")

    def get_object(self, endpoint) -> str:
        return "webhook_endpoint"


class WebhookEndpointCreatedSerializer(WebhookEndpointSerializer):
    """The endpoint just created, with its signing secret: this answer is the only one that shows it."""

    secret = serializers.CharField(
        help_text="The signing secret (`whsec_…`) of the `WalletBoard-Signature` header: store it now."
    )


class WebhookEndpointCreateSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=2000, help_text="Where to POST events (`https://` for a live key).")
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=["*", *EVENT_TYPES]), min_length=1, help_text=EVENT_TYPES_HELP
    )
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text="Your note about the endpoint (optional)."
    )


class WebhookEndpointUpdateSerializer(serializers.Serializer):
    """Only what is sent changes."""

    url = serializers.URLField(required=False, max_length=2000, help_text="A new URL.")
    event_types = serializers.ListField(
        child=serializers.ChoiceField(choices=["*", *EVENT_TYPES]),
        required=False,
        min_length=1,
        help_text=EVENT_TYPES_HELP,
    )
    enabled = serializers.BooleanField(required=False, help_text="Switch the endpoint off (false) or on (true).")
    description = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="A new note.")


class WebhookEndpointDeletedSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="The deleted endpoint's id.")
    object = serializers.CharField(help_text="Always `webhook_endpoint`.")
    deleted = serializers.BooleanField(help_text="Always true.")


class WebhookAttemptSerializer(serializers.Serializer):
    """One HTTP request of a delivery."""

    number = serializers.IntegerField(help_text="1 for the first attempt.")
    started_at = serializers.DateTimeField(help_text="When the request was sent.")
    finished_at = serializers.DateTimeField(allow_null=True, help_text="When its answer came (null: none recorded).")
    outcome = serializers.ChoiceField(choices=WebhookAttempt.Outcome.choices, help_text="What the attempt came to.")
    status_code = serializers.IntegerField(
        source="response_status", allow_null=True, help_text="The HTTP status your receiver answered (null: none)."
    )
    duration_ms = serializers.IntegerField(allow_null=True, help_text="How long the request took.")
    error = serializers.CharField(help_text="What went wrong (a timeout, a refused connection, a status), or empty.")


class WebhookDeliverySerializer(serializers.Serializer):
    """One event owed to one endpoint, retried until a 2xx answer or the end of the retry window."""

    id = serializers.CharField(source="public_id", help_text="The delivery's id (`whd_…`).")
    object = serializers.SerializerMethodField(help_text="Always `webhook_delivery`.")
    endpoint = serializers.CharField(source="endpoint.public_id", help_text="The endpoint it is sent to.")
    event = serializers.CharField(source="event.public_id", help_text="The event sent (`evt_…`).")
    event_type = serializers.CharField(source="event.type", help_text=f"The event's type (`{PING}` for a test ping).")
    status = serializers.ChoiceField(choices=WebhookDelivery.Status.choices, help_text="Where the delivery stands.")
    created = serializers.DateTimeField(source="created_at", help_text="When it was owed.")
    delivered_at = serializers.DateTimeField(allow_null=True, help_text="When a 2xx answer came.")
    next_attempt_at = serializers.DateTimeField(allow_null=True, help_text="When it is tried next (null: never).")
    attempt_count = serializers.IntegerField(help_text="How many attempts were made.")
    last_status_code = serializers.IntegerField(allow_null=True, help_text="The last attempt's HTTP status, if any.")
    attempts = WebhookAttemptSerializer(many=True, help_text="Every attempt, the first first.")

    def get_object(self, delivery) -> str:
        return "webhook_delivery"


class WebhookEventDataSerializer(serializers.Serializer):
    object = serializers.DictField(help_text="A snapshot of the object when the event happened; no personal data.")


class WebhookEventSerializer(serializers.Serializer):
    """An event, exactly as the webhook requests carry it."""

    id = serializers.CharField(help_text="The event's id (`evt_…`): ignore one you have seen.")
    object = serializers.CharField(help_text="Always `event`.")
    type = serializers.ChoiceField(choices=EVENT_TYPES, help_text="What happened.")
    created = serializers.DateTimeField(help_text="When it happened (UTC, to the second).")
    livemode = serializers.BooleanField(help_text="False for test data.")
    data = WebhookEventDataSerializer(help_text="`object`: the application, merchant or terminal.")


class WebhookEventPageSerializer(serializers.Serializer):
    next = serializers.URLField(
        allow_null=True, help_text="The next page (the same filters, after the last event here), or null."
    )
    has_more = serializers.BooleanField(help_text="Whether more events follow this page now.")
    results = WebhookEventSerializer(many=True, help_text="Oldest first.")
