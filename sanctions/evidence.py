"""Each hit beside the list entry it matched, shaped for the officers' pages (the case page, the
application's review page): plain values, weak aliases marked, programs with whether they block, and
the list version with its age. One query for the entries and one for the programs, however many hits."""

from __future__ import annotations

from onboarding.models import Application
from sanctions.freshness import list_age_days
from sanctions.models import SanctionsEntry, SanctionsHit, SanctionsProgram


def _birth_date(d: dict) -> str:
    if d.get("year_to"):
        text = f"{d['year']} to {d['year_to']}"
    else:
        text = "-".join(f"{part:02d}" for part in (d.get("year"), d.get("month"), d.get("day")) if part)
    return f"circa {text}" if d.get("circa") else text


def _address(a: dict) -> str:
    return ", ".join(part for part in (a.get("address"), a.get("city_state_zip"), a.get("country")) if part)


def entry_view(entry: SanctionsEntry, blocking: dict[str, bool]) -> dict:
    data = entry.data or {}
    aliases = [
        {"name": a["name"], "type": a.get("alt_type", "aka"), "weak": weak}
        for key, weak in (("aliases", False), ("weak_aliases", True))
        for a in data.get(key, [])
    ]
    return {
        "uid": entry.uid,
        "name": entry.name,
        "sdn_type": entry.sdn_type,
        "lists": entry.lists,
        "programs": [{"code": code, "blocking": blocking.get(code, True)} for code in entry.programs],
        "aliases": aliases,
        "dates_of_birth": [_birth_date(d) for d in data.get("dobs", [])],
        "places_of_birth": list(data.get("pobs", [])),
        "nationalities": list(data.get("nationalities", [])),
        "citizenships": list(data.get("citizenships", [])),
        "addresses": [text for text in (_address(a) for a in data.get("addresses", [])) if text],
        "remarks": data.get("remarks") or "",
    }


def hits_beside_entries(hits: list[SanctionsHit]) -> list[dict]:
    """``[{"hit", "entry" (None for a jurisdiction), "version_age_days"}]`` in the hits' order."""
    listed = [h for h in hits if h.uid is not None]
    entries = {
        (e.version_id, e.uid): e
        for e in SanctionsEntry.objects.filter(
            version_id__in={h.version_id for h in listed}, uid__in={h.uid for h in listed}
        )
    }
    codes = {code for e in entries.values() for code in e.programs}
    blocking = dict(SanctionsProgram.objects.filter(code__in=codes).values_list("code", "blocking"))
    return [
        {
            "hit": hit,
            "entry": entry_view(entries[(hit.version_id, hit.uid)], blocking)
            if (hit.version_id, hit.uid) in entries
            else None,
            "version_age_days": list_age_days(hit.version),
        }
        for hit in hits
    ]


def application_hits_beside_entries(application: Application) -> list[dict]:
    """The application's current hits (the closed ones left out), each beside its entry."""
    hits = (
        SanctionsHit.objects.filter(application=application, is_current=True)
        .exclude(status=SanctionsHit.Status.CLOSED)
        .select_related("party", "version", "status_by")
        .order_by("id")
    )
    return hits_beside_entries(list(hits))
