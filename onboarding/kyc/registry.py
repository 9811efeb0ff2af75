"""Checks are registered under stable names, with the sections of the application they read.

A check's result is recorded with a keyed fingerprint of its inputs (see pipeline.py): unchanged inputs
are not run again, and a change re-runs only the checks that read the changed section. A later check
replaces one of the same name with ``register(..., replace=True)`` (sanctions screening does).
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

from django.db.models import Q

from onboarding.models import Application, Outcome


@dataclass(frozen=True)
class CheckOutcome:
    outcome: str
    details: dict = field(default_factory=dict)

    @classmethod
    def passed(cls, **details) -> "CheckOutcome":
        return cls(Outcome.PASS, details)

    @classmethod
    def review(cls, **details) -> "CheckOutcome":
        return cls(Outcome.REVIEW, details)

    @classmethod
    def failed(cls, **details) -> "CheckOutcome":
        return cls(Outcome.FAIL, details)

    @classmethod
    def not_run(cls, **details) -> "CheckOutcome":
        return cls(Outcome.NOT_RUN, details)


class Check(ABC):
    """A check reads some sections of the application snapshot and returns a CheckOutcome."""

    name: str = ""
    version: str = "1"
    reads: tuple[str, ...] = ()
    description: str = ""

    def extra_inputs(self, application: Application) -> dict:
        """Inputs beyond the application's own data (a list version, a rule table version)."""
        return {}

    @abstractmethod
    def run(self, application: Application) -> CheckOutcome:
        """Decide the outcome from the application's current data."""

    def stale_results(self) -> Q | None:
        """A filter on this check's results for those recorded against reference data that is out of date
        now (sanctions: a stale list, or one that is no longer the active version); None when the check
        reads no such data. The review queue filters on it."""
        return None

    def evidence_problems(self, application: Application, result) -> list[str]:
        """What, beyond a current and not failed result, stands in the way of an approval (sanctions: an
        open or confirmed hit, a list version that is no longer the active one)."""
        return []


_CHECKS: dict[str, Check] = {}


def register(check_class: type[Check], *, replace: bool = False) -> type[Check]:
    check = check_class()
    if not check.name or not check.reads:
        raise ValueError(f"{check_class.__name__} must declare a name and the sections it reads")
    if check.name in _CHECKS and not replace:
        raise ValueError(f"a check named {check.name!r} is already registered")
    _CHECKS[check.name] = check
    return check_class


def registered_checks() -> list[Check]:
    return [_CHECKS[name] for name in sorted(_CHECKS)]


def get_check(name: str) -> Check:
    return _CHECKS[name]
