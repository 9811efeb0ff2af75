"""The list filters of the partner API, checked like any other input (a bad one is a 400 naming it)."""

from django.utils.translation import gettext as _
from rest_framework import serializers

from onboarding.api.base import ID_MAX_LENGTH
from onboarding.models import WebhookDelivery
from onboarding.states import AppState
from onboarding.webhooks_out.event_types import is_partner_event_type


class ApplicationFilterSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=AppState.CHOICES, required=False, help_text="Only in this state.")
    external_id = serializers.CharField(required=False, max_length=100, help_text="Only with this external_id.")
    created_gte = serializers.DateTimeField(required=False, help_text="Created at or after (ISO 8601).")
    created_lt = serializers.DateTimeField(required=False, help_text="Created before (ISO 8601).")
    updated_gte = serializers.DateTimeField(required=False, help_text="Updated at or after (ISO 8601).")
    updated_lt = serializers.DateTimeField(required=False, help_text="Updated before (ISO 8601).")

    LOOKUPS = {
        "state": "state",
        "external_id": "external_id",
        "created_gte": "created_at__gte",
        "created_lt": "created_at__lt",
        "updated_gte": "updated_at__gte",
        "updated_lt": "updated_at__lt",
    }

    def filter(self, queryset):
        return queryset.filter(**{self.LOOKUPS[name]: value for name, value in self.validated_data.items()})


class WebhookDeliveryFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=WebhookDelivery.Status.choices, required=False, help_text="Only deliveries in this state."
    )


class WebhookEventFilterSerializer(serializers.Serializer):
    """The catch-up's filters (``partner_events_since``): after an event you read, from a time, of some types."""

    starting_after = serializers.CharField(
        required=False,
        max_length=ID_MAX_LENGTH,
        help_text=(
            "The id of the last event you read: the page starts after it. An id no longer in the window "
            "(or unknown) reads from the window's start."
        ),
    )
    created_gte = serializers.DateTimeField(required=False, help_text="Created at or after (ISO 8601).")
    type = serializers.ListField(
        child=serializers.CharField(max_length=60),
        required=False,
        help_text="Only of these types (repeat the parameter for several: `type=a&type=b`).",
    )
    limit = serializers.IntegerField(
        required=False, default=20, min_value=1, max_value=100, help_text="Events per page, 1 to 100."
    )

    def validate_starting_after(self, value: str) -> str:
        if not value.isprintable():
            raise serializers.ValidationError(_("Give the id of an event you read."))
        return value

    def validate_type(self, value: list[str]) -> list[str]:
        if any(not is_partner_event_type(name) for name in value):
            raise serializers.ValidationError(_("Unknown event type."))
        return value
