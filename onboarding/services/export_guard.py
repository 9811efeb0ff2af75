"""The examiner's export's last guard against personal data: every text it writes is searched for the SSNs,
ITINs, dates of birth, tax ids and account numbers of the applications and merchants its rows name, in
every form they could be written in, and each one found is replaced by a mask.

The values are gathered before the first row is written, in a fixed number of queries whatever the
number of rows (the applications with their parties read in chunks); a row that names an application
or merchant created since is still guarded, by loading that one's values when it first turns up. The
search looks up each position of a text among the values of each length, so its cost grows with the
text, not with how many values there are.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db import models
from django.db.models import Q

from onboarding import crypto
from onboarding.models import Application, Merchant

CHUNK = 2000
#: Shorter values would mask ordinary numbers.
SHORTEST = 4


def _forms(value: str | None) -> set[str]:
    digits = crypto.digits(value or "")
    if not digits:
        return set()
    forms = {digits, value}
    if len(digits) == 9:
        forms |= {f"{digits[:2]}-{digits[2:]}", f"{digits[:3]}-{digits[3:5]}-{digits[5:]}"}
    return forms


def _application_values(application: Application) -> set[str]:
    values = _forms(application.tax_id)
    for party in application.parties.all():
        values |= _forms(party.id_number)
        if party.date_of_birth:
            dob = party.date_of_birth
            values |= {dob.isoformat(), dob.strftime("%m/%d/%Y"), dob.strftime("%Y%m%d")}
    bank = getattr(application, "bank_account", None)
    if bank is not None:
        values |= _forms(bank.account_number)
    return values


def _within(ids: Iterable[int] | None, named: Iterable[models.QuerySet]) -> Q:
    """Rows whose pk is in ``ids`` or in any of the ``named`` id queries (nothing when there are none)."""
    condition = Q(pk__in=list(ids)) if ids else Q(pk__in=[])
    for query in named:
        condition |= Q(pk__in=query)
    return condition


class PersonalDataGuard:
    def __init__(self) -> None:
        self.values: set[str] = set()
        self.lengths: list[int] = []
        self.starts: re.Pattern | None = None
        self.applications: set[str] = set()
        self.merchants: set[str] = set()

    @classmethod
    def gathered(
        cls,
        *,
        application_ids: Iterable[int] | None,
        applications: Iterable[models.QuerySet],
        merchants: Iterable[models.QuerySet],
    ) -> PersonalDataGuard:
        """The values of the applications in ``application_ids`` or named by the ``applications`` id
        queries, and of the merchants the ``merchants`` id queries name."""
        guard = cls()
        guard._add_applications(_within(application_ids, applications))
        guard._add_merchants(_within(None, merchants))
        return guard

    def _add_applications(self, condition: Q) -> None:
        found = (
            Application.objects.filter(condition)
            .select_related("bank_account")
            .prefetch_related("parties")
            .order_by("pk")
        )
        values = set()
        for application in found.iterator(chunk_size=CHUNK):
            self.applications.add(application.public_id)
            values |= _application_values(application)
        self._add(values)

    def _add_merchants(self, condition: Q) -> None:
        values = set()
        for merchant in Merchant.objects.filter(condition).order_by("pk").iterator(chunk_size=CHUNK):
            self.merchants.add(merchant.public_id)
            values |= _forms(merchant.tax_id)
        self._add(values)

    def _add(self, values: set[str]) -> None:
        new = {value for value in values if len(value) >= SHORTEST} - self.values
        if not new:
            return
        self.values |= new
        self.lengths = sorted({len(value) for value in self.values}, reverse=True)
        firsts = sorted({value[0] for value in self.values})
        self.starts = re.compile("[" + "".join(re.escape(c) for c in firsts) + "]")

    def _cover(self, row: dict) -> None:
        """Guard the values of an application or merchant a row names that was not known at the start."""
        application, merchant = row.get("application"), row.get("merchant")
        if isinstance(application, str) and application and application not in self.applications:
            self.applications.add(application)
            self._add_applications(Q(public_id=application))
        if isinstance(merchant, str) and merchant and merchant not in self.merchants:
            self.merchants.add(merchant)
            self._add_merchants(Q(public_id=merchant))

    def row(self, row: dict) -> dict:
        self._cover(row)
        return self.scrub(row)

    def scrub(self, value):
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {key: self.scrub(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return [self.scrub(item) for item in value]
        return value

    def text(self, value: str) -> str:
        """``value`` with every stretch that any known value covers (overlaps included) masked."""
        if self.starts is None:
            return value
        spans: list[list[int]] = []
        for match in self.starts.finditer(value):
            at = match.start()
            for length in self.lengths:  # longest first: the widest stretch found here
                if value[at : at + length] in self.values:
                    end = at + length
                    if spans and at <= spans[-1][1]:
                        spans[-1][1] = max(spans[-1][1], end)
                    else:
                        spans.append([at, end])
                    break
        if not spans:
            return value
        parts, position = [], 0
        for start, end in spans:
            parts += [value[position:start], crypto.MASK]
            position = end
        parts.append(value[position:])
        return "".join(parts)
