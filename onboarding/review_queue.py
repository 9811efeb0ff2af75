"""The review queue's reads: its order, search, the filters that need a query of their own, and the figures
shown above it. The admin's queue (onboarding/admin/queue.py) and the benchmark use these.

Everything the queue sorts and filters on is a column of the application row (kept there by the services),
so a page of the queue is one query whatever its size. On PostgreSQL the search uses the trigram indexes of
migration 0011 (substring, and word similarity on business names, which forgives a typo); on SQLite it is
a plain substring match.

On PostgreSQL a search finds the matching ids once, in one query (an INTERSECT of one UNION of indexed
lookups per word), and the page and its count then read only those rows by primary key: an unselective
word (one owner in twenty is a Khan) is matched once per request, not once for the count and again for
the page. Only when nothing matches as written does a second query try word similarity.
"""

import statistics
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import (
    Aggregate,
    BooleanField,
    Count,
    DurationField,
    F,
    Field,
    Func,
    Min,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.text import smart_split, unescape_string_literal

from onboarding.kyc.registry import registered_checks
from onboarding.models import WAITING_FOR_OFFICER, Application, CheckResult, Party
from onboarding.states import AppState

#: The oldest high-risk work first (the index ``application_queue_order`` serves it).
QUEUE_ORDER = ("-risk_rank", "waiting_since", "pk")
#: The states an application is counted in "queue size" (decided and final ones are not work).
QUEUE_STATES = (
    AppState.SUBMITTED,
    AppState.SCREENING,
    AppState.IN_REVIEW,
    AppState.INFO_REQUESTED,
    AppState.AWAITING_SECOND_APPROVAL,
)
DECISION_WINDOW_DAYS = 30
#: Below this length a word-similarity match says little; shorter terms match as substrings only.
FUZZY_MIN_LENGTH = 4
#: Up to this many matching ids are read once and the page looked up by them; a search matching more
#: (a letter or two) is left to the database as a subquery, so no request holds an unbounded id list.
SEARCH_IDS_LIMIT = 50_000


def waiting_for_officer() -> Q:
    return Q(state__in=WAITING_FOR_OFFICER)


# -- search ---------------------------------------------------------------------------------------


class WordSimilar(Func):
    """``'TERM' <% UPPER(column)``: pg_trgm's word similarity, answered by the GIN index on UPPER(column)."""

    arg_joiner = " <%% "
    template = "(%(expressions)s)"
    output_field = BooleanField()


def _containing(model, field: str, term: str, *, fuzzy: bool = False, key: str = "pk") -> QuerySet:
    """The ``key`` of the rows of ``model`` whose ``field`` holds ``term`` (answered by its trigram index)."""
    match = Q(**{f"{field}__icontains": term})
    if fuzzy:
        match |= Q(WordSimilar(Value(term.upper()), Upper(field)))
    return model.objects.filter(match).order_by().values(key)


class EqualsAny(Func):
    """``column = ANY(array)`` (PostgreSQL), for an array of ids or ``ARRAY(subquery)``: the array is made
    once and the rows looked up by it. As ``IN (subquery)``, a subquery that matches thousands of rows is
    joined to the whole table; a long array is hashed, and the queue's order index walked."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = BooleanField()


def _id_array(ids: list[int]) -> Func:
    return Func(Value(ids), template="%(expressions)s::bigint[]", output_field=Field())


def _subquery_array(ids: QuerySet) -> Func:
    return Func(Subquery(ids), template="ARRAY%(expressions)s", output_field=Field())


def _applications_of(applicants: QuerySet) -> QuerySet:
    if connection.vendor != "postgresql":
        return Application.objects.filter(applicant_id__in=applicants).order_by().values("pk")
    # A common name is in thousands of emails: looked up by the applicant index, not joined to every row.
    matching = EqualsAny(F("applicant_id"), _subquery_array(applicants))
    return Application.objects.filter(matching).order_by().values("pk")


def _term_ids(term: str, *, fuzzy: bool) -> QuerySet:
    """The ids of the applications matching one word: one UNION of indexed lookups, one per field, so
    PostgreSQL finds the few matching ids first and never checks the word against every application row."""
    fuzzy = fuzzy and len(term) >= FUZZY_MIN_LENGTH  # a typo in a business name is forgiven
    applicants = _containing(get_user_model(), "email", term)
    parts = [
        Application.objects.filter(public_id=term).order_by().values("pk"),
        _containing(Application, "legal_name", term, fuzzy=fuzzy),
        _containing(Application, "dba", term, fuzzy=fuzzy),
        _containing(Party, "first_name", term, key="application_id"),
        _containing(Party, "last_name", term, key="application_id"),
        _applications_of(applicants),
    ]
    if len(term) == 4 and term.isdigit():
        # An EIN's last four: the only part of a tax id anyone may search.
        parts.append(Application.objects.filter(tax_id_last4=term).order_by().values("pk"))
    first, *rest = parts
    return first.union(*rest)


def _matching_ids(words: list[str], *, fuzzy: bool) -> QuerySet:
    """The ids of the applications matching every word (an INTERSECT of each word's ids)."""
    first, *rest = (_term_ids(word, fuzzy=fuzzy) for word in words)
    return first.intersection(*rest) if rest else first


def _words(search: str) -> list[str]:
    words = []
    for word in smart_split(search):
        if word.startswith(('"', "'")) and word[0] == word[-1]:
            word = unescape_string_literal(word)
        if word.strip():
            words.append(word.strip())
    return words


def application_search(queryset: QuerySet[Application], search: str) -> QuerySet[Application]:
    """Applications matching every word of ``search`` in the business name, DBA, public id, the tax id's
    last four digits, an owner's name or the applicant's email. Quoted words stay together. On PostgreSQL,
    when nothing matches as written, business names are matched by word similarity (a typo is forgiven):
    only then, since similarity is costly to check on every row that shares a trigram."""
    words = _words(search)
    if not words:
        return queryset
    if connection.vendor != "postgresql":
        return queryset.filter(pk__in=_matching_ids(words, fuzzy=False))
    for fuzzy in (False, True):
        matching = _matching_ids(words, fuzzy=fuzzy)
        ids = list(matching.values_list("pk", flat=True)[: SEARCH_IDS_LIMIT + 1])
        if len(ids) > SEARCH_IDS_LIMIT:
            return queryset.filter(pk__in=matching)
        if ids:
            # The page and its count read these rows, not the search again.
            return queryset.filter(EqualsAny(F("pk"), _id_array(ids)))
    return queryset.none()


# -- filters that need a query of their own --------------------------------------------------------


def screened_against_stale_data() -> Q:
    """Applications with a current check result recorded against out-of-date reference data (a stale or
    superseded sanctions list): what each check says is stale (``Check.stale_results``)."""
    matches = Q(pk__in=[])
    for check in registered_checks():
        stale = check.stale_results()
        if stale is None:
            continue
        # An IN (subquery), not a correlated EXISTS: the stale results are found once, and the queue's rows
        # probed against them (a lookup per row costs seconds at 100,000 applications).
        results = CheckResult.objects.filter(check_name=check.name, is_current=True).filter(stale)
        matches |= Q(pk__in=results.values("application_id"))
    return matches


# -- figures ----------------------------------------------------------------------------------------


class Median(Aggregate):
    """PostgreSQL's ``percentile_cont(0.5)``; SQLite has none (see ``_median_python``)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def _median_python(decided: QuerySet[Application]) -> timedelta | None:
    spans = [end - start for start, end in decided.values_list("submitted_at", "decided_at")]
    return statistics.median(spans) if spans else None


def queue_figures(*, now=None) -> dict:
    """What the top of the queue shows: the queue's size by state, the oldest wait, and over the last 30
    days the median time from submission to decision and the share approved (automatic decisions
    included). Live data only, whatever the queue's mode filter shows: test applications (forced by test
    values, docs/test_mode.md) would make the figures say nothing about the real work. Two queries."""
    now = now or timezone.now()
    live = Application.objects.filter(livemode=True)
    by_state = {
        row["state"]: row
        for row in live.filter(state__in=QUEUE_STATES)
        .order_by()
        .values("state")
        .annotate(n=Count("pk"), oldest=Min("waiting_since"))
    }
    sizes = [(label, by_state[state]["n"]) for state, label in AppState.CHOICES if state in by_state]
    waits = [row["oldest"] for row in by_state.values() if row["oldest"] is not None]
    oldest = min(waits) if waits else None

    decided = live.filter(
        decided_at__gte=now - timedelta(days=DECISION_WINDOW_DAYS), submitted_at__isnull=False
    ).order_by()
    totals = {
        "decided": Count("pk"),
        "approved": Count("pk", filter=~Q(state=AppState.DECLINED)),
    }
    if connection.vendor == "postgresql":
        totals["median"] = Median(F("decided_at") - F("submitted_at"), output_field=DurationField())
    figures = decided.aggregate(**totals)
    median = figures["median"] if "median" in figures else _median_python(decided)
    return {
        "sizes": sizes,
        "total": sum(n for _, n in sizes),
        "oldest_waiting_since": oldest,
        "oldest_waiting": (now - oldest) if oldest else None,
        "median_to_decision": median,
        "decided": figures["decided"],
        "approval_rate": (figures["approved"] / figures["decided"]) if figures["decided"] else None,
        "window_days": DECISION_WINDOW_DAYS,
    }
