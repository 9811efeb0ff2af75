"""The audit trail: read-only, never changed or deleted through the admin (no add, change or delete, and
no actions at all, so not even a bulk delete is offered; the database refuses UPDATE and DELETE anyway).
django-pghistory's field-history admin is read-only of its own (``BaseEventAdmin``)."""

from django.contrib import admin

from onboarding.admin.base import ReadOnlyAdmin
from onboarding.models import Event


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "subject_id", "action", "from_state", "to_state", "visibility", "actor_display")
    list_filter = ("visibility", "subject_type", "action")
    search_fields = ("subject_id",)
    actions = None
