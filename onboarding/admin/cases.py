"""Review cases on live merchants: the queue (oldest open work first) and one page per case with the
evidence its reason calls for, the timeline, and the decisions (close, suspend, reactivate), each a small
form with a required reason that calls the service; the service decides, the page only shows what it said.

Other apps offer the review page's decisions on what a case is about (sanctions: clear or confirm each
open hit of a sanctions case) with ``case_targets_register``: the same forms, posted to the case's own
endpoint (``<id>/decide/<name>/``), refused with a message when the case page is stale.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Q, When
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from onboarding import casework
from onboarding.admin.base import AssigneeFilter, ReadOnlyAdmin
from onboarding.admin.queue_filters import MerchantModeFilter
from onboarding.admin.review import decide_path, decision_named, decision_submit, offered_forms
from onboarding.errors import DomainError, InvalidTransition
from onboarding.models import Event, ReviewCase
from onboarding.services.actors import REVIEW_PERM, Actor
from onboarding.services.cases import review_case_assign, review_case_close
from onboarding.services.merchants import merchant_reactivate, merchant_suspend
from onboarding.states import MerchantState

KINDS = {
    "sanctions_new_hit": "Sanctions hit after a list update",
    "eligibility_changed": "Wallet eligibility changed",
}
TIMELINE_LIMIT = 200
STALE = (
    "Nothing was recorded: this case changed since you opened the page (someone else may have decided "
    "first). Look at the page again before you decide."
)


@dataclass(frozen=True)
class CaseTargets:
    """On cases of ``reason_code``, the review page's decisions of ``scope`` (``decision_register``) are
    offered for each object ``objects(case)`` returns, open for a decision: each has a ``public_id`` and
    the ``application`` it belongs to, for which the decision runs."""

    reason_code: str
    scope: str
    objects: Callable[[ReviewCase], list]


_TARGETS: dict[str, CaseTargets] = {}


def case_targets_register(targets: CaseTargets) -> CaseTargets:
    _TARGETS[targets.reason_code] = targets
    return targets


def _timeline(case: ReviewCase, hit_ids: list[str]):
    return Event.objects.filter(Q(merchant=case.merchant) | Q(subject_id=case.public_id) | Q(subject_id__in=hit_ids))


def case_page_version(case: ReviewCase, hit_ids: list[str]) -> str:
    """Changes with every event on the case's timeline (each decision writes one), and with its status."""
    last = _timeline(case, hit_ids).order_by("-id").values_list("id", flat=True).first()
    return f"{case.status}.{last or 0}"


class CaseDecisionForm(forms.Form):
    DECISIONS = (("close", "Close the case"), ("suspend", "Suspend the merchant"), ("reactivate", "Reactivate"))
    decision = forms.ChoiceField(choices=DECISIONS, widget=forms.HiddenInput)
    reason = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 60}), max_length=2000, strip=True)


class HasOpenHitsFilter(admin.SimpleListFilter):
    title = _("open hits")
    parameter_name = "open_hits"

    def lookups(self, request, model_admin):
        return (("yes", _("Has open hits")), ("no", _("No open hits")))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(open_hits__gt=0)
        if self.value() == "no":
            return queryset.filter(open_hits=0)
        return queryset


@admin.register(ReviewCase)
class ReviewCaseAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "kind", "merchant", "opened_at", "open_hit_count", "assigned_to", "status")
    list_filter = ("status", MerchantModeFilter, "reason_code", HasOpenHitsFilter, AssigneeFilter)
    list_select_related = ("merchant", "assigned_to")
    search_fields = ("public_id", "merchant__public_id", "merchant__legal_name", "merchant__dba")
    show_full_result_count = False
    actions = ["assign_to_me", "unassign"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(open_hits=casework.open_hits_expression())

    def get_ordering(self, request):
        # Open cases first, the oldest of them at the top: that is the work waiting longest.
        return (Case(When(status=ReviewCase.Status.OPEN, then=0), default=1).asc(), "opened_at", "id")

    @admin.display(description="Kind", ordering="reason_code")
    def kind(self, obj):
        return KINDS.get(obj.reason_code, obj.reason_code)

    @admin.display(description="Open hits", ordering="open_hits")
    def open_hit_count(self, obj):
        return obj.open_hits

    def get_urls(self):
        return [decide_path(self, "onboarding_reviewcase_decide"), *super().get_urls()]

    def has_assign_permission(self, request) -> bool:
        return request.user.has_perm(REVIEW_PERM)

    def _assign(self, request, queryset, assignee) -> None:
        for case in queryset:
            try:
                review_case_assign(case=case, actor=Actor.for_user(request.user), assignee=assignee)
            except DomainError as error:
                self.message_user(request, f"{case.public_id}: {error.message}", messages.ERROR)

    @admin.action(description="Assign to me", permissions=["assign"])
    def assign_to_me(self, request, queryset):
        self._assign(request, queryset, request.user)

    @admin.action(description="Unassign", permissions=["assign"])
    def unassign(self, request, queryset):
        self._assign(request, queryset, None)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, object_id)
        if case is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, case):
            raise PermissionDenied
        if request.method == "POST":
            return self._decide(request, case)
        return TemplateResponse(request, "admin/onboarding/reviewcase/case.html", self._page(request, case))

    def _decisions(self, request, case: ReviewCase) -> list[dict]:
        """The forms this officer may use now (the service still checks everything)."""
        if not request.user.has_perm(REVIEW_PERM):
            return []
        shown = []
        if case.status == ReviewCase.Status.OPEN:
            shown.append("close")
        if case.merchant.state == MerchantState.ACTIVE:
            shown.append("suspend")
        if case.merchant.state == MerchantState.SUSPENDED:
            shown.append("reactivate")
        labels = dict(CaseDecisionForm.DECISIONS)
        return [{"decision": d, "label": labels[d], "form": CaseDecisionForm(initial={"decision": d})} for d in shown]

    def _target_forms(self, request, case: ReviewCase, version: str) -> dict[str, list[dict]]:
        """The registered decisions this officer may take on each open target of the case, by public id."""
        targets = _TARGETS.get(case.reason_code)
        if targets is None or not request.user.has_perm(REVIEW_PERM):
            return {}
        offered = {}
        for target in targets.objects(case):
            forms = offered_forms(request.user, target.application, version, targets.scope, target)
            for entry in forms:
                entry["action"] = reverse("admin:onboarding_reviewcase_decide", args=[case.pk, entry["decision"].name])
            offered[target.public_id] = forms
        return offered

    def _page(self, request, case: ReviewCase) -> dict:
        evidence = casework.evidence_for(case)
        hit_ids = casework.case_hits(case)
        timeline = (
            _timeline(case, hit_ids).select_related("actor_user", "actor_partner").order_by("-occurred_at", "-id")
        )[:TIMELINE_LIMIT]
        return {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"{KINDS.get(case.reason_code, case.reason_code)}: {case.merchant}",
            "case": case,
            "merchant": case.merchant,
            "application": case.merchant.current_application,
            "evidence_template": evidence.template if evidence else "",
            "evidence": evidence.context(case) if evidence else {},
            "target_forms": self._target_forms(request, case, case_page_version(case, hit_ids)),
            "timeline": list(timeline),
            "decisions": self._decisions(request, case),
        }

    def decide_view(self, request, object_id, decision):
        """A registered decision on one target of the case (a hit), posted from the case page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        case = self.get_object(request, object_id)
        if case is None:
            raise Http404("No such case.")
        if not self.has_view_permission(request, case) or not request.user.has_perm(REVIEW_PERM):
            raise PermissionDenied
        targets, spec = _TARGETS.get(case.reason_code), decision_named(decision)
        if targets is None or spec is None or spec.scope != targets.scope:
            raise Http404("No such decision on this case.")

        def run(actor, data, target) -> str:
            found = next((t for t in targets.objects(case) if t.public_id == target), None)
            if found is None:
                raise InvalidTransition(f"Nothing was recorded: {target} is not open on this case any more.")
            return spec.run(actor, found.application, data, target)

        version = case_page_version(case, casework.case_hits(case))
        decision_submit(request, spec, version=version, stale=STALE, run=run)
        return HttpResponseRedirect(reverse("admin:onboarding_reviewcase_change", args=[case.pk]))

    def _decide(self, request, case: ReviewCase):
        if not request.user.has_perm(REVIEW_PERM):
            raise PermissionDenied
        form = CaseDecisionForm(request.POST)
        if not form.is_valid():
            self.message_user(request, "Give the reason for the decision.", messages.ERROR)
            return HttpResponseRedirect(request.path)
        actor, reason = Actor.for_user(request.user), form.cleaned_data["reason"]
        decision = form.cleaned_data["decision"]
        try:
            if decision == "close":
                review_case_close(case=case, actor=actor, resolution=reason)
                done = "The case is closed."
            elif decision == "suspend":
                hits = casework.case_hits(case)
                merchant_suspend(merchant=case.merchant, actor=actor, reason=reason, hits=hits, case=case.public_id)
                done = "The merchant is suspended."
            else:
                merchant_reactivate(merchant=case.merchant, actor=actor, reason=reason)
                done = "The merchant is active again."
        except DomainError as error:  # a rule refused it, or someone else acted first
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(request.path)
