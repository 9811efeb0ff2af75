"""The review queue's filters. Each reads columns of the application row (or one indexed subquery), so a
filtered page costs what an unfiltered one does."""

from datetime import timedelta

from django.contrib import admin
from django.utils import timezone

from onboarding.admin.base import AssigneeFilter
from onboarding.models import RiskBand
from onboarding.review_queue import screened_against_stale_data, waiting_for_officer
from onboarding.states import AppState

WAITING = "waiting"
ANY = "any"
LIVE, TEST, ALL_MODES = "live", "test", "all"


class QueueStateFilter(admin.SimpleListFilter):
    """The state; by default the work waiting for an officer (in review or awaiting a second approval).
    A search looks in every state unless a state is chosen, so an officer finds any application by name."""

    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [(WAITING, "Waiting for an officer"), (ANY, "Any state"), *AppState.CHOICES]

    def __init__(self, request, params, model, model_admin):
        super().__init__(request, params, model, model_admin)
        self.searching = bool(request.GET.get("q", "").strip())

    def _chosen(self) -> str:
        return self.value() or (ANY if self.searching else WAITING)

    def queryset(self, request, queryset):
        chosen = self._chosen()
        if chosen == WAITING:
            return queryset.filter(waiting_for_officer())
        if chosen == ANY:
            return queryset
        return queryset.filter(state=chosen)

    def choices(self, changelist):
        chosen = self._chosen()
        for value, label in self.lookup_choices:
            yield {
                "selected": chosen == str(value),
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


class ModeFilter(admin.SimpleListFilter):
    """Live or test data (a partner's test key). Live by default, a search included: test data is shown
    only when an officer asks for it, so it never mixes into the work or the figures."""

    title = "mode"
    parameter_name = "mode"
    #: the row's livemode (a case reads its merchant's)
    field = "livemode"

    def lookups(self, request, model_admin):
        return [(LIVE, "Live"), (TEST, "Test"), (ALL_MODES, "All")]

    def _chosen(self) -> str:
        return self.value() if self.value() in (LIVE, TEST, ALL_MODES) else LIVE

    def queryset(self, request, queryset):
        chosen = self._chosen()
        if chosen == ALL_MODES:
            return queryset
        return queryset.filter(**{self.field: chosen == LIVE})

    def choices(self, changelist):
        chosen = self._chosen()
        for value, label in self.lookup_choices:
            yield {
                "selected": chosen == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }


class MerchantModeFilter(ModeFilter):
    field = "merchant__livemode"


class RiskBandFilter(admin.SimpleListFilter):
    title = "risk band"
    parameter_name = "risk"

    def lookups(self, request, model_admin):
        return [*RiskBand.choices, ("none", "Not scored yet")]

    def queryset(self, request, queryset):
        if self.value() == "none":
            return queryset.filter(risk_band="")
        if self.value() in RiskBand.values:
            return queryset.filter(risk_band=self.value())
        return queryset


class OpenHitsFilter(admin.SimpleListFilter):
    title = "open sanctions hits"
    parameter_name = "hits"

    def lookups(self, request, model_admin):
        return [("yes", "Has open hits"), ("no", "No open hits")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(open_hit_count__gt=0)
        if self.value() == "no":
            return queryset.filter(open_hit_count=0)
        return queryset


class WaitingLongerThanFilter(admin.SimpleListFilter):
    title = "waiting for an officer"
    parameter_name = "waiting_days"
    DAYS = (1, 3, 7, 14, 30)

    def lookups(self, request, model_admin):
        return [(str(days), f"More than {days} day{'s' if days > 1 else ''}") for days in self.DAYS]

    def queryset(self, request, queryset):
        if self.value() and self.value().isdigit():
            return queryset.filter(waiting_since__lt=timezone.now() - timedelta(days=int(self.value())))
        return queryset


class SecondApprovalFilter(admin.SimpleListFilter):
    title = "four-eyes"
    parameter_name = "second_approval"

    def lookups(self, request, model_admin):
        return [("awaiting", "Awaiting second approval"), ("needed", "In review, will need a second approval")]

    def queryset(self, request, queryset):
        if self.value() == "awaiting":
            return queryset.filter(state=AppState.AWAITING_SECOND_APPROVAL)
        if self.value() == "needed":
            return queryset.filter(state=AppState.IN_REVIEW, requires_second_approval=True)
        return queryset


class StaleListFilter(admin.SimpleListFilter):
    title = "screening"
    parameter_name = "screening"

    def lookups(self, request, model_admin):
        return [("stale", "Screened against a stale list")]

    def queryset(self, request, queryset):
        if self.value() == "stale":
            return queryset.filter(screened_against_stale_data())
        return queryset


QUEUE_FILTERS = (
    QueueStateFilter,
    ModeFilter,
    RiskBandFilter,
    OpenHitsFilter,
    "partner",
    "channel",
    AssigneeFilter,
    WaitingLongerThanFilter,
    SecondApprovalFilter,
    StaleListFilter,
)
