"""The list filters of the partner API, checked like any other input (a bad one is a 400 naming it)."""

from rest_framework import serializers

from onboarding.states import AppState


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
