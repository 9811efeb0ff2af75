"""The acquirer's side in the admin, read only: every write goes through the services (terminal moves,
owed work retries in "Owed work", boarding retries on the review page)."""

from django.contrib import admin

from onboarding.admin.base import ReadOnlyAdmin
from payments import review_panel  # noqa: F401 (the acquirer on the officers' review page)
from payments.models import AcquirerEvent, AcquirerObject, Terminal


@admin.register(Terminal)
class TerminalAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "merchant", "store_name", "device_type", "label", "state", "acquirer_reader_id",
                    "activated_at", "last_error")  # fmt: skip
    list_filter = ("state", "device_type")
    search_fields = ("public_id", "acquirer_reader_id", "merchant__public_id", "merchant__legal_name")
    list_select_related = ("merchant", "request__store")
    exclude = ("registration_code",)
    show_full_result_count = False

    @admin.display(description="store")
    def store_name(self, terminal: Terminal) -> str:
        return terminal.request.store.name


@admin.register(AcquirerObject)
class AcquirerObjectAdmin(ReadOnlyAdmin):
    list_display = ("key", "kind", "merchant", "livemode", "acquirer_id", "attempts", "last_attempt_at",
                    "completed_at", "last_error")  # fmt: skip
    list_filter = ("kind", "livemode", ("completed_at", admin.EmptyFieldListFilter))
    search_fields = ("key", "acquirer_id", "merchant__public_id")
    list_select_related = ("merchant",)
    show_full_result_count = False


@admin.register(AcquirerEvent)
class AcquirerEventAdmin(ReadOnlyAdmin):
    list_display = ("event_id", "type", "account", "livemode", "created", "processed_at", "ignored")
    list_filter = ("type", "livemode", "ignored")
    search_fields = ("event_id", "account")
    show_full_result_count = False
