"""Screening an application's names and places against a list version: pure computation, no writes.

The matcher's index for the active version is built once per process and kept, keyed by the version's
content hash (a newly activated version builds a new one; the previous stays for a delta). Building it
from the stored entries takes a few seconds on the full list; a search then takes about a millisecond.

What is screened: the legal name and DBA (as businesses), every party (individuals as persons with their
date of birth and countries, companies as businesses), and the bank account holder (as both, since it may
be the business or a person). Geography: business, party and store addresses, places of birth,
nationalities and citizenships in a jurisdiction under a comprehensive embargo.

The screened-values hash is a keyed HMAC (``SCREENING_HASH_KEY``, separate from the encryption keys, so a
key rotation leaves it unchanged) over the normalised name, date of birth and countries: a clearance lasts
while it, and the list entry, stay the same.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings

from onboarding.models import Application, Party
from sanctions import jurisdictions
from sanctions.loading import list_set_for
from sanctions.matching import ALGORITHM_VERSION, ScreeningIndex, Thresholds, normalize_name
from sanctions.models import EmbargoedJurisdiction, SanctionsHit, SanctionsListVersion, SanctionsProgram

Role = SanctionsHit.Role

_INDEXES: OrderedDict[str, ScreeningIndex] = OrderedDict()
_INDEXES_KEPT = 2
_lock = threading.Lock()


def thresholds() -> Thresholds:
    return Thresholds(
        near_miss=settings.SANCTIONS_NEAR_MISS_THRESHOLD,
        review=settings.SANCTIONS_REVIEW_THRESHOLD,
        block=settings.SANCTIONS_BLOCK_THRESHOLD,
    )


def index_for(version: SanctionsListVersion) -> ScreeningIndex:
    """The full index of a version, built at most once per process."""
    key = version.content_hash
    with _lock:
        index = _INDEXES.get(key)
        if index is None:
            index = ScreeningIndex.from_list_set(list_set_for(version))
            _INDEXES[key] = index
            while len(_INDEXES) > _INDEXES_KEPT:
                _INDEXES.popitem(last=False)
        _INDEXES.move_to_end(key)
        return index


def index_is_built(version: SanctionsListVersion) -> bool:
    """Whether this process holds the version's full index already (see sanctions/warming.py)."""
    with _lock:
        return version.content_hash in _INDEXES


def delta_index(version: SanctionsListVersion, uids: Iterable[int]) -> ScreeningIndex:
    """A small index over some entries of a version, with the full list's token weights."""
    return ScreeningIndex.from_list_set(list_set_for(version), only_uids=uids, weights_from=index_for(version))


def screened_hash(*parts: object) -> str:
    message = json.dumps([str(p) if p is not None else "" for p in parts], separators=(",", ":"))
    return hmac.new(settings.SCREENING_HASH_KEY.encode(), message.encode(), hashlib.sha256).hexdigest()


# --------------------------------------------------------------------------- what is screened


@dataclass(frozen=True)
class Subject:
    """One name to screen."""

    role: str
    subject_key: str
    name: str
    kinds: tuple[str, ...]  # "person", "business"
    party: Party | None = None
    dob: date | None = None
    countries: tuple[str, ...] = ()

    @property
    def party_index(self) -> str:
        return (self.party.id_number_index or "") if self.party else ""

    def values_hash(self, kind: str) -> str:
        return screened_hash("name", kind, normalize_name(self.name, kind).text, self.dob, *sorted(self.countries))


@dataclass(frozen=True)
class Place:
    """One place to check for embargoed jurisdictions (an address, a place of birth, a nationality)."""

    role: str
    subject_key: str
    label: str
    party: Party | None = None
    country_code: str | None = None
    text: str | None = None


@dataclass
class Candidate:
    """A hit as screening found it, before it is stored."""

    subject_key: str
    target_key: str
    role: str
    party: Party | None
    party_index: str
    kind: str
    screened_name: str
    screened_kind: str
    screened_hash: str
    score: float
    matched_name: str
    reasons: list[str] = field(default_factory=list)
    uid: int | None = None
    entry_hash: str = ""
    jurisdiction: str = ""
    name_score: float | None = None
    primary_name: str = ""
    sdn_type: str = ""
    programs: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)
    blocking: bool = False
    contradicted: bool = False
    near_miss: bool = False
    dob_matches: bool = False


def _countries(party: Party) -> tuple[str, ...]:
    codes = [*(party.nationalities or []), *(party.citizenships or []), party.address_country]
    if party.kind == Party.Kind.COMPANY and party.company_country:
        codes.insert(0, party.company_country)
    return tuple(dict.fromkeys(c.strip().upper() for c in codes if c and c.strip()))


def subjects_of(application: Application) -> list[Subject]:
    subjects: list[Subject] = []
    business_country = (application.address_country or "",) if application.address_country else ()
    if application.legal_name:
        subjects.append(Subject(Role.LEGAL_NAME, Role.LEGAL_NAME, application.legal_name, ("business",)))
    if application.dba and application.dba.strip().lower() != (application.legal_name or "").strip().lower():
        subjects.append(Subject(Role.DBA, Role.DBA, application.dba, ("business",), countries=business_country))
    for party in application.parties.all():
        if not party.name:
            continue
        if party.kind == Party.Kind.COMPANY:
            subjects.append(
                Subject(Role.PARTY, party.public_id, party.name, ("business",), party, None, _countries(party))
            )
        else:
            subjects.append(
                Subject(
                    Role.PARTY, party.public_id, party.name, ("person",), party, party.date_of_birth, _countries(party)
                )
            )
    account = getattr(application, "bank_account", None)
    if account is not None and account.holder_name:
        subjects.append(
            Subject(Role.BANK_ACCOUNT_HOLDER, Role.BANK_ACCOUNT_HOLDER, account.holder_name, ("business", "person"))
        )
    return subjects


def _address_text(obj) -> str:
    parts = [obj.address_line1, obj.address_line2, obj.address_city, obj.address_state, obj.address_postal_code]
    return ", ".join(p for p in parts if p)


def places_of(application: Application) -> list[Place]:
    places = [
        Place(
            Role.BUSINESS_ADDRESS,
            Role.BUSINESS_ADDRESS,
            "business address",
            country_code=application.address_country or None,
            text=_address_text(application),
        )
    ]
    for party in application.parties.all():
        key = party.public_id
        places.append(Place(Role.PARTY, key, "address", party, party.address_country or None, _address_text(party)))
        if party.place_of_birth:
            places.append(Place(Role.PARTY, key, "place of birth", party, text=party.place_of_birth))
        for code in party.nationalities or []:
            places.append(Place(Role.PARTY, key, "nationality", party, country_code=code))
        for code in party.citizenships or []:
            places.append(Place(Role.PARTY, key, "citizenship", party, country_code=code))
        if party.kind == Party.Kind.COMPANY and party.company_country:
            places.append(Place(Role.PARTY, key, "company country", party, country_code=party.company_country))
    for store in application.stores.all():
        places.append(
            Place(
                Role.STORE, store.public_id, "store address", None, store.address_country or None, _address_text(store)
            )
        )
    return places


def store_places_fingerprint(application: Application) -> list:
    """The stores' addresses, as an extra input of the check (the check does not read the stores section)."""
    return sorted([s.public_id, s.address_country or "", _address_text(s)] for s in application.stores.all())


# --------------------------------------------------------------------------- screening


def active_jurisdiction_keys() -> set[str] | None:
    """Keys of embargoes in force from the data table; None when the table is empty (use the module's)."""
    rows = list(EmbargoedJurisdiction.objects.values_list("key", "ended"))
    if not rows:
        return None
    today = date.today()
    return {key for key, ended in rows if ended is None or ended > today}


def blocking_programs() -> set[str]:
    return set(SanctionsProgram.objects.filter(blocking=True).values_list("code", flat=True))


def is_blocking(lists: Iterable[str], programs: Iterable[str], blocking: set[str]) -> bool:
    """SDN entries under a blocking program block; an entry only on the Consolidated list never does."""
    return "SDN" in set(lists) and any(p in blocking for p in programs)


def screen_names(
    subjects: list[Subject],
    index: ScreeningIndex,
    entry_hashes: dict[int, str],
    blocking: set[str],
    limits: Thresholds,
) -> list[Candidate]:
    found: dict[tuple[str, str], Candidate] = {}
    for subject in subjects:
        for kind in subject.kinds:
            values_hash = subject.values_hash(kind)
            best: dict[int, object] = {}
            for country in subject.countries or (None,):
                for hit in index.search(
                    subject.name, kind, dob=subject.dob, country=country, min_score=limits.near_miss
                ):
                    if hit.uid not in best or hit.score > best[hit.uid].score:
                        best[hit.uid] = hit
            for uid, hit in best.items():
                key = (subject.subject_key, f"uid:{uid}")
                if key in found and found[key].score >= hit.score:
                    continue
                dob_matches = any(r.startswith("date of birth matches") for r in hit.reasons)
                found[key] = Candidate(
                    subject_key=subject.subject_key,
                    target_key=f"uid:{uid}",
                    role=subject.role,
                    party=subject.party,
                    party_index=subject.party_index,
                    kind=SanctionsHit.Kind.NAME,
                    screened_name=subject.name,
                    screened_kind=kind,
                    screened_hash=values_hash,
                    score=hit.score,
                    name_score=hit.name_score,
                    matched_name=hit.matched_name,
                    reasons=list(hit.reasons),
                    uid=uid,
                    entry_hash=entry_hashes.get(uid, ""),
                    primary_name=hit.name,
                    sdn_type=hit.sdn_type,
                    programs=list(hit.programs),
                    lists=sorted(hit.lists),
                    blocking=is_blocking(hit.lists, hit.programs, blocking),
                    contradicted=hit.contradicted,
                    near_miss=hit.score < limits.review,
                    dob_matches=dob_matches,
                )
    return list(found.values())


def screen_places(places: list[Place]) -> list[Candidate]:
    in_force = active_jurisdiction_keys()
    found: dict[tuple[str, str], Candidate] = {}
    values: dict[tuple[str, str], list[str]] = {}
    for place in places:
        for jurisdiction, why in jurisdictions.embargo_hits(place.country_code, place.text):
            if in_force is not None and jurisdiction.key not in in_force:
                continue
            key = (place.subject_key, f"geo:{jurisdiction.key}")
            values.setdefault(key, []).append(f"{place.label}:{place.country_code or ''}:{place.text or ''}")
            reason = f"{place.label}: {why}"
            if key in found:
                found[key].reasons.append(reason)
                continue
            found[key] = Candidate(
                subject_key=place.subject_key,
                target_key=f"geo:{jurisdiction.key}",
                role=place.role,
                party=place.party,
                party_index=(place.party.id_number_index or "") if place.party else "",
                kind=SanctionsHit.Kind.GEOGRAPHY,
                screened_name=(place.party.name if place.party else place.label)[:300],
                screened_kind="",
                screened_hash="",
                score=1.0,
                matched_name=jurisdiction.name,
                reasons=[reason, f"comprehensive embargo: {jurisdiction.program} ({jurisdiction.legal_basis})"],
                jurisdiction=jurisdiction.key,
                programs=[jurisdiction.program],
            )
    for key, candidate in found.items():
        candidate.screened_hash = screened_hash("place", *sorted(values[key]))
    return list(found.values())


def screen_application(
    application: Application,
    version: SanctionsListVersion,
    *,
    only_uids: Iterable[int] | None = None,
    geography: bool = True,
) -> list[Candidate]:
    """Every hit at or above the near-miss threshold, against the whole version or some of its entries."""
    limits = thresholds()
    if only_uids is not None:
        uids = set(only_uids)
        index = delta_index(version, uids) if uids else None
    else:
        index = index_for(version)
    candidates: list[Candidate] = []
    if index is not None:
        hashes: dict[int, str] = {}
        candidates = screen_names(subjects_of(application), index, hashes, blocking_programs(), limits)
        for candidate in candidates:
            if candidate.uid not in hashes:
                hashes[candidate.uid] = index.entries[candidate.uid].content_hash()
            candidate.entry_hash = hashes[candidate.uid]
    if geography:
        candidates.extend(screen_places(places_of(application)))
    return candidates


def check_extra_inputs(application: Application, version: SanctionsListVersion | None) -> dict:
    limits = thresholds()
    return {
        "list_version": version.public_id if version else None,
        "thresholds": [limits.near_miss, limits.review, limits.block],
        "algorithm": ALGORITHM_VERSION,
        "stores": store_places_fingerprint(application),
    }
