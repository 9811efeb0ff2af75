"""What workers still owe, and what needs a person because it could not be done."""

from django.contrib import admin, messages
from django.db.models import Case, When

from onboarding import work
from onboarding.admin.base import ReadOnlyAdmin
from onboarding.errors import DomainError
from onboarding.models import OwedWork
from onboarding.services.actors import Actor


@admin.register(OwedWork)
class OwedWorkAdmin(ReadOnlyAdmin):
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
