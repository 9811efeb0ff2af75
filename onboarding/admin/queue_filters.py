"""The review queue's filters (the mode and partner filters serve the merchants too). Each reads columns of
the application row (or one indexed subquery), so a filtered page costs what an unfiltered one does."""

from datetime import timedelta

from django.contrib import admin
from django.db.models import Q
from django.utils import timezone

from onboarding.admin.base import AssigneeFilter
from onboarding.models import Partner, RiskBand
from onboarding.review_queue import screened_against_stale_data, waiting_for_officer
from onboarding.selectors import applications_for_partner, merchants_for_partner
from onboarding.states import AppState

WAITING = "waiting"
ANY = "any"
LIVE, TEST, ALL_MODES = "live", "test", "all"
#: the livemode values each choice of the mode filter shows
MODE_LIVEMODES = {LIVE: (True,), TEST: (False,), ALL_MODES: (True, False)}


def chosen_mode(value) -> str:
    """The mode filter's choice for its parameter's ``value``: live unless test or all is asked for."""
    return value if value in MODE_LIVEMODES else LIVE


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
        return chosen_mode(self.value())

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


class PartnerFilter(admin.SimpleListFilter):
    """A partner's own rows, through the selector the partner API scopes with, in the modes the mode filter
    shows: what an officer lists as a partner's is exactly what that partner's keys reach."""

    title = "partner"
    parameter_name = "partner"
    #: ``selector(partner=…, livemode=…)``: the partner's own rows of one mode
    selector = None

    def lookups(self, request, model_admin):
        return list(Partner.objects.order_by("name", "id").values_list("public_id", "name"))

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        partner = Partner.objects.filter(public_id=self.value()).first()
        if partner is None:
            return queryset.none()
        scoped = Q()
        for livemode in MODE_LIVEMODES[chosen_mode(request.GET.get(ModeFilter.parameter_name))]:
            scoped |= Q(pk__in=self.selector(partner=partner, livemode=livemode).values("pk"))
        return queryset.filter(scoped)


class ApplicationPartnerFilter(PartnerFilter):
    selector = staticmethod(applications_for_partner)


class MerchantPartnerFilter(PartnerFilter):
    selector = staticmethod(merchants_for_partner)


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
    ApplicationPartnerFilter,
    "channel",
    AssigneeFilter,
    WaitingLongerThanFilter,
    SecondApprovalFilter,
    StaleListFilter,
)
