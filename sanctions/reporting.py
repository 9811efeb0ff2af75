"""Reports a confirmed sanctions match owes OFAC: blocked property or a rejected transaction, each due
within ten business days (31 CFR 501.603, 501.604). Business days exclude weekends and the US federal
holidays (5 U.S.C. 6103), a holiday on a Saturday observed the Friday before, on a Sunday the Monday after.
"""

from __future__ import annotations

import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from onboarding.services.actors import Actor
from onboarding.services.events import event_record
from sanctions.models import OfacReport, SanctionsHit

REPORT_BUSINESS_DAYS = 10
MONDAY, THURSDAY = 0, 3
# OFAC counts its days in Washington.
OFAC_TIME_ZONE = ZoneInfo("America/New_York")


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date:
    """The n-th given weekday of a month; n = -1 for the last."""
    if n > 0:
        first = datetime.date(year, month, 1)
        return first + datetime.timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    following = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last = following - datetime.timedelta(days=1)
    return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: datetime.date) -> datetime.date:
    if day.weekday() == 5:
        return day - datetime.timedelta(days=1)
    if day.weekday() == 6:
        return day + datetime.timedelta(days=1)
    return day


@lru_cache(maxsize=32)
def federal_holidays(year: int) -> frozenset[datetime.date]:
    fixed = [(1, 1), (6, 19), (7, 4), (11, 11), (12, 25)]
    days = {_observed(datetime.date(year, month, day)) for month, day in fixed}
    # New Year's Day of the next year observed on this year's 31 December.
    days.add(_observed(datetime.date(year + 1, 1, 1)))
    days |= {
        _nth_weekday(year, 1, MONDAY, 3),  # Birthday of Martin Luther King, Jr.
        _nth_weekday(year, 2, MONDAY, 3),  # Washington's Birthday
        _nth_weekday(year, 5, MONDAY, -1),  # Memorial Day
        _nth_weekday(year, 9, MONDAY, 1),  # Labor Day
        _nth_weekday(year, 10, MONDAY, 2),  # Columbus Day
        _nth_weekday(year, 11, THURSDAY, 4),  # Thanksgiving Day
    }
    return frozenset(day for day in days if day.year == year)


def is_business_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in federal_holidays(day.year)


def business_days_after(start: datetime.date, count: int) -> datetime.date:
    day = start
    while count:
        day += datetime.timedelta(days=1)
        if is_business_day(day):
            count -= 1
    return day


def ofac_report_record(*, hit: SanctionsHit, actor: Actor) -> OfacReport:
    """Record the blocking decision a confirmation makes and its report's due date, with an internal
    event; called in the transaction that confirms the hit."""
    confirmed_at = hit.status_at or timezone.now()
    decision = OfacReport.Decision.BLOCKED if hit.blocking else OfacReport.Decision.REJECTED
    with transaction.atomic():
        report = OfacReport.objects.create(
            hit=hit,
            application=hit.application,
            merchant=hit.merchant,
            decision=decision,
            confirmed_at=confirmed_at,
            confirmed_by=actor.user,
            due_on=business_days_after(confirmed_at.astimezone(OFAC_TIME_ZONE).date(), REPORT_BUSINESS_DAYS),
        )
        event_record(
            actor=actor,
            subject=hit,
            action="ofac_report_due",
            application=hit.application,
            merchant=hit.merchant,
            reason_code="sanctions_hit",
            details={
                "hit": hit.public_id,
                "report": report.public_id,
                "decision": decision,
                "due_on": report.due_on.isoformat(),
                "business_days": REPORT_BUSINESS_DAYS,
            },
        )
    return report
