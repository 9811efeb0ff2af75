"""Registration in the Django admin with personal data masked. The officers' review screens (queue,
decisions, four-eyes) come with the compliance review issue and call the same services."""

from django.contrib import admin, messages
from django.db.models import Case, When

from onboarding import work
from onboarding.crypto import MASK
from onboarding.errors import DomainError
from onboarding.models import (
    Application,
    CheckResult,
    Event,
    Merchant,
    OwedWork,
    Partner,
    PartnerApiKey,
)
from onboarding.services.actors import REVIEW_PERM, Actor


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

    def get_exclude(self, request, obj=None):
        # The internal decline reason (a sanctions match among them) is for officers, never for support.
        hidden = () if request.user.has_perm(REVIEW_PERM) else ("decline_reason_code",)
        return (*self.exclude, *hidden)

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


@admin.register(OwedWork)
class OwedWorkAdmin(ReadOnlyAdmin):
    """What workers still owe, and what needs a person because it could not be done."""

    list_display = ("public_id", "kind", "subject_id", "status", "attempts", "due_at", "last_error_at", "last_error")
    list_filter = ("status", "kind")
    search_fields = ("subject_id", "public_id")
    actions = ["retry"]

    def get_queryset(self, request):
        # What needs a person first, then what is still pending, then the record of what was done.
        rank = Case(
            When(status=OwedWork.Status.NEEDS_ATTENTION, then=0),
            When(status=OwedWork.Status.PENDING, then=1),
            default=2,
        )
        return super().get_queryset(request).annotate(rank=rank).order_by("rank", "due_at")

    @admin.action(description="Queue again (work that needs attention)", permissions=["retry"])
    def retry(self, request, queryset):
        for row in queryset:
            try:
                work.owed_work_retry(work=row, actor=Actor.for_user(request.user))
                self.message_user(request, f"{row.public_id} is queued again.")
            except DomainError as exc:
                self.message_user(request, f"{row.public_id}: {exc.message}", level=messages.ERROR)

    def has_retry_permission(self, request):
        return request.user.has_perm("onboarding.change_owedwork")


from onboarding import admin_rules  # noqa: E402,F401  (versioned KYC rules)
