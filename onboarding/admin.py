"""Registration in the Django admin with personal data masked. The officers' review screens (queue,
decisions, four-eyes) come with the compliance review issue and call the same services."""

from django.contrib import admin

from onboarding.crypto import MASK
from onboarding.models import (
    Application,
    CheckResult,
    Event,
    Merchant,
    Partner,
    PartnerApiKey,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "legal_name", "state", "channel", "submitted_at", "has_been_in_review")
    list_filter = ("state", "channel", "requires_second_approval")
    search_fields = ("public_id", "legal_name", "dba")
    exclude = ("tax_id", "tax_id_index")
    readonly_fields = ("masked_tax_id",)

    @admin.display(description="Tax id")
    def masked_tax_id(self, obj):
        return f"{obj.get_tax_id_type_display()} {MASK} {obj.tax_id_last4}" if obj.tax_id_last4 else ""


@admin.register(Merchant)
class MerchantAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "legal_name", "state", "acquirer_account_id")
    list_filter = ("state",)
    exclude = ("tax_id", "tax_id_index")


@admin.register(CheckResult)
class CheckResultAdmin(ReadOnlyAdmin):
    list_display = ("application", "check_name", "outcome", "is_current", "created_at")
    list_filter = ("check_name", "outcome", "is_current")


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ("occurred_at", "subject_id", "action", "from_state", "to_state", "visibility", "actor_display")
    list_filter = ("visibility", "subject_type", "action")
    search_fields = ("subject_id",)


@admin.register(Partner)
class PartnerAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "name", "kind", "is_active")


@admin.register(PartnerApiKey)
class PartnerApiKeyAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "partner", "mode", "created_at", "last_used_at", "revoked_at")
    exclude = ("secret_hash",)


from onboarding import admin_rules  # noqa: E402,F401  (versioned KYC rules)
