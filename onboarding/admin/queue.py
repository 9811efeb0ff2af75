"""The review queue: the applications' changelist as an officer works it.

Columns an officer sorts by, filters (onboarding/admin/queue_filters.py), search and the figures at the top
(onboarding/review_queue.py). The default order puts the oldest high-risk work first. A page costs a fixed
number of queries whatever its length: the row's own columns, two joined tables and one prefetch. Only
masked or non-personal values appear. Bulk actions are the safe ones (assign to me, unassign, re-run the
checks), each through its service; approvals and declines are made one at a time on the review page.
"""

from django.contrib import admin, messages
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.timesince import timesince

from onboarding.admin.queue_filters import QUEUE_FILTERS
from onboarding.errors import DomainError
from onboarding.models import WalletRequest
from onboarding.review_queue import QUEUE_ORDER, application_search, queue_figures
from onboarding.services.actors import REVIEW_PERM, Actor
from onboarding.services.applications import application_rerun_checks
from onboarding.services.assignment import application_assign_to_me, application_unassign, officer_label

ELIGIBILITY_MARK = {
    WalletRequest.Eligibility.ELIGIBLE: "✓",
    WalletRequest.Eligibility.INELIGIBLE: "✗",
}


def _span(delta) -> str:
    if delta is None:
        return "—"
    now = timezone.now()
    return timesince(now - delta, now)


def figures_for_display(figures: dict) -> dict:
    rate = figures["approval_rate"]
    return {
        "sizes": figures["sizes"],
        "total": figures["total"],
        "oldest_waiting": _span(figures["oldest_waiting"]),
        "median_to_decision": _span(figures["median_to_decision"]),
        "approval_rate": f"{rate:.0%}" if rate is not None else "—",
        "decided": figures["decided"],
        "window_days": figures["window_days"],
    }


class ReviewQueueMixin:
    """Mixed into ApplicationAdmin (before its admin base class)."""

    list_display = (
        "public_id",
        "business",
        "state",
        "risk",
        "open_hits",
        "wallets",
        "source",
        "submitted_at",
        "time_waiting",
        "assignee",
        "requires_second_approval",
    )
    list_display_links = ("public_id", "business")
    list_filter = QUEUE_FILTERS
    search_fields = ("legal_name", "dba", "public_id", "tax_id_last4", "owner names", "applicant email")
    search_help_text = (
        "Business name or DBA, public id, the EIN's last four digits, an owner's name or the applicant's email."
    )
    ordering = QUEUE_ORDER
    show_full_result_count = False
    list_per_page = 50
    actions = ["assign_to_me", "unassign", "rerun_checks"]
    change_list_template = "admin/onboarding/application/change_list.html"

    # -- the rows ---------------------------------------------------------------------------------

    def get_queryset(self, request):
        wallets = Prefetch("wallet_requests", queryset=WalletRequest.objects.order_by("wallet", "channel"))
        # The encrypted tax id is never shown in the queue (its last four are): not decrypted per row.
        queryset = super().get_queryset(request).defer("tax_id")
        return queryset.select_related("partner", "assigned_to").prefetch_related(wallets)

    def get_search_results(self, request, queryset, search_term):
        # The owners and the applicant are matched in subqueries, so the rows are never duplicated.
        return application_search(queryset, search_term), False

    @admin.display(description="Business (DBA)", ordering="legal_name")
    def business(self, obj):
        # Test data shows only when the mode filter asks for it, and then says so on every row.
        mark = format_html(' <span class="test-mode">{}</span>', "Test") if not obj.livemode else ""
        if obj.dba and obj.dba != obj.legal_name:
            return format_html("{}{}<br><small>DBA {}</small>", obj.legal_name or "—", mark, obj.dba)
        return format_html("{}{}", obj.legal_name or obj.dba or "Untitled application", mark)

    @admin.display(description="Risk", ordering="risk_score")
    def risk(self, obj):
        if obj.risk_score is None:
            return "—"
        return format_html('{} <span class="risk-{}">{}</span>', obj.risk_score, obj.risk_band,
                           obj.get_risk_band_display())  # fmt: skip

    @admin.display(description="Open hits", ordering="open_hit_count")
    def open_hits(self, obj):
        return format_html("<strong>{}</strong>", obj.open_hit_count) if obj.open_hit_count else "0"

    @admin.display(description="Wallets (eligibility)")
    def wallets(self, obj):
        return format_html_join(
            mark_safe("<br>"),
            "{} {}: {}",
            (
                (ELIGIBILITY_MARK.get(w.eligibility, "…"), w.get_wallet_display(), w.get_eligibility_display())
                for w in obj.wallet_requests.all()
            ),
        )

    @admin.display(description="Partner or web", ordering="partner__name")
    def source(self, obj):
        return obj.partner.name if obj.partner_id else obj.get_channel_display()

    @admin.display(description="Waiting", ordering="waiting_since")
    def time_waiting(self, obj):
        return timesince(obj.waiting_since) if obj.waiting_since else "—"

    @admin.display(description="Assigned to", ordering="assigned_to__username")
    def assignee(self, obj):
        return officer_label(obj.assigned_to) if obj.assigned_to_id else "—"

    # -- the figures --------------------------------------------------------------------------------

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "queue_figures": figures_for_display(queue_figures())}
        return super().changelist_view(request, extra_context=extra_context)

    # -- bulk actions (the safe ones) --------------------------------------------------------------

    def has_review_permission(self, request):
        return request.user.has_perm(REVIEW_PERM)

    def _each(self, request, queryset, act, done: str):
        actor = Actor.for_user(request.user)
        acted = []
        for application in queryset.order_by("pk"):
            try:
                if act(application=application, actor=actor) is not False:
                    acted.append(application.public_id)
            except DomainError as error:
                self.message_user(request, error.message, level=messages.ERROR)
        if acted:
            self.message_user(request, f"{done}: {', '.join(acted)}.", level=messages.SUCCESS)

    @admin.action(description="Assign to me", permissions=["review"])
    def assign_to_me(self, request, queryset):
        self._each(request, queryset, application_assign_to_me, "Assigned to you")

    @admin.action(description="Unassign", permissions=["review"])
    def unassign(self, request, queryset):
        self._each(request, queryset, application_unassign, "Unassigned")

    @admin.action(description="Re-run the checks", permissions=["review"])
    def rerun_checks(self, request, queryset):
        self._each(request, queryset, application_rerun_checks, "Checks queued again")
