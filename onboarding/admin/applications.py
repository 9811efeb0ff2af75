"""Applications (their review page: onboarding.admin.review) and their check results, personal data masked."""

from django.contrib import admin

from onboarding.admin import assignment_decisions, decisions  # noqa: F401 (register the page's decisions)
from onboarding.admin.base import ReadOnlyAdmin
from onboarding.admin.export import export_for_examiner
from onboarding.admin.queue import ReviewQueueMixin
from onboarding.admin.review import ReviewPageMixin
from onboarding.crypto import MASK
from onboarding.models import Application, CheckResult
from onboarding.services.actors import REVIEW_PERM


@admin.register(Application)
class ApplicationAdmin(ReviewQueueMixin, ReviewPageMixin, ReadOnlyAdmin):
    exclude = ("tax_id", "tax_id_index")
    readonly_fields = ("masked_tax_id",)
    actions = [*ReviewQueueMixin.actions, export_for_examiner]

    def get_exclude(self, request, obj=None):
        # The internal decline reason (a sanctions match among them) is for officers, never for support.
        hidden = () if request.user.has_perm(REVIEW_PERM) else ("decline_reason_code",)
        return (*self.exclude, *hidden)

    @admin.display(description="Tax id")
    def masked_tax_id(self, obj):
        return f"{obj.get_tax_id_type_display()} {MASK} {obj.tax_id_last4}" if obj.tax_id_last4 else ""


@admin.register(CheckResult)
class CheckResultAdmin(ReadOnlyAdmin):
    list_display = ("application", "check_name", "outcome", "is_current", "created_at")
    list_filter = ("check_name", "outcome", "is_current")
