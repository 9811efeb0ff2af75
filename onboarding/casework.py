"""What other apps plug into the review of live merchants, so that onboarding never imports them.

Sanctions screening opens cases about hits, and only it knows what a hit's status means; it registers:

* a **close rule** per case reason: what still stands in the way of closing such a case;
* **reactivation rules**: what stands in the way of lifting a suspension (an open or confirmed hit; the
  officer who cleared the hit that caused it);
* the **evidence** a case page shows for that reason (a template and its context);
* the **open-hit count** of a merchant, as a query expression the case queue sorts and filters on;
* an application's **hits beside their list entries**, for any page that shows them with
  ``admin/onboarding/includes/hit.html`` (the case page, the application's review page).

Rules return plain sentences an officer can act on; an empty list means nothing stands in the way.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Expression, Value

from onboarding.models import Application, Merchant, ReviewCase
from onboarding.services.actors import Actor


@dataclass(frozen=True)
class CaseEvidence:
    template: str
    context: Callable[[ReviewCase], dict]


@dataclass(frozen=True)
class Suspension:
    """Why a merchant was last suspended: the hits it named (empty when not for a sanctions hit)."""

    hits: tuple[str, ...] = ()
    case: str = ""

    @property
    def for_hits(self) -> bool:
        return bool(self.hits)


CloseRule = Callable[[ReviewCase], list[str]]
ReactivationRule = Callable[[Merchant, Actor, Suspension], list[str]]

_close_rules: dict[str, list[CloseRule]] = {}
_reactivation_rules: list[ReactivationRule] = []
_evidence: dict[str, CaseEvidence] = {}
_open_hits: list[Callable[[], Expression]] = []
_case_hits: list[Callable[[ReviewCase], list[str]]] = []
_application_hits: list[Callable[[Application], list[dict]]] = []


def register_close_rule(reason_code: str, rule: CloseRule) -> None:
    if rule not in _close_rules.setdefault(reason_code, []):
        _close_rules[reason_code].append(rule)


def register_reactivation_rule(rule: ReactivationRule) -> None:
    if rule not in _reactivation_rules:
        _reactivation_rules.append(rule)


def register_evidence(reason_code: str, evidence: CaseEvidence) -> None:
    _evidence[reason_code] = evidence


def register_open_hits(expression: Callable[[], Expression]) -> None:
    _open_hits[:] = [expression]


def register_case_hits(hits: Callable[[ReviewCase], list[str]]) -> None:
    _case_hits[:] = [hits]


def register_application_hits(hits: Callable[[Application], list[dict]]) -> None:
    _application_hits[:] = [hits]


def close_problems(case: ReviewCase) -> list[str]:
    return [problem for rule in _close_rules.get(case.reason_code, []) for problem in rule(case)]


def reactivation_problems(merchant: Merchant, actor: Actor, suspension: Suspension) -> list[str]:
    return [problem for rule in _reactivation_rules for problem in rule(merchant, actor, suspension)]


def evidence_for(case: ReviewCase) -> CaseEvidence | None:
    return _evidence.get(case.reason_code)


def open_hits_expression() -> Expression:
    """Open hits needing an officer on the case's merchant (0 when no screening is installed)."""
    return _open_hits[0]() if _open_hits else Value(0)


def case_hits(case: ReviewCase) -> list[str]:
    """The public ids of the hits a case is about (a suspension from the case names them)."""
    return _case_hits[0](case) if _case_hits else []


def application_hits(application: Application) -> list[dict]:
    """The application's current hits, each ``{"hit", "entry", "version_age_days"}`` for the hit include."""
    return _application_hits[0](application) if _application_hits else []
