"""Four-eyes: the queue of applications awaiting a second approval, oldest first approval first.

The second approval itself is given on the application's review page, offered only to a senior officer
(``second_approve_application``) other than the first approver; ``application_approve`` enforces both."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from onboarding.admin.base import ReadOnlyAdmin
from onboarding.admin.queue_filters import ModeFilter
from onboarding.models import Application, SecondApprovalQueue
from onboarding.services.actors import REVIEW_PERM, SECOND_APPROVAL_PERM
from onboarding.states import AppState


@admin.register(SecondApprovalQueue)
class SecondApprovalQueueAdmin(ReadOnlyAdmin):
    list_display = ("review", "legal_name", "dba", "first_approver", "first_approved_at", "waiting", "yours")
    list_display_links = None
    list_filter = (ModeFilter,)
    search_fields = ("public_id", "legal_name", "dba")
    show_full_result_count = False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm(REVIEW_PERM)

    def has_module_permission(self, request):
        return request.user.has_perm(REVIEW_PERM)

    def get_queryset(self, request):
        # Who may give it, for the signed-in officer, as columns: no query per row, nothing kept on the admin.
        mine = ExpressionWrapper(Q(first_approver_id=request.user.pk), output_field=BooleanField())
        return (
            Application.objects.filter(state=AppState.AWAITING_SECOND_APPROVAL)
            .annotate(mine=mine, senior=Value(request.user.has_perm(SECOND_APPROVAL_PERM)))
            .select_related("first_approver")
            .defer("tax_id")
            .order_by("first_approved_at", "id")
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return HttpResponseRedirect(reverse("admin:onboarding_application_change", args=[object_id]))

    @admin.display(description="Application")
    def review(self, obj):
        url = reverse("admin:onboarding_application_change", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.public_id)

    @admin.display(description="Waiting")
    def waiting(self, obj):
        if obj.first_approved_at is None:
            return ""
        hours = int((timezone.now() - obj.first_approved_at).total_seconds() // 3600)
        return f"{hours // 24} d {hours % 24} h"

    @admin.display(description="Who may give it")
    def yours(self, obj):
        if obj.mine:
            return "your first approval: another senior officer gives the second"
        return "you" if obj.senior else "a senior officer"
