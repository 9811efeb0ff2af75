"""The sanctions part of the officers' review page: each current hit side by side with the list entry it
matched (names and aliases, weak aliases marked, programs and whether they block, dates and places of
birth, nationalities, addresses, remarks, the list version and its age), with the score, the reasons,
what contradicts it and the 50% rule; and the decisions on a hit (clear, confirm), through the services.

Registered into onboarding's review page, and the hit decisions into the case page of a sanctions case
for each of its open hits (onboarding never imports sanctions).
"""

from __future__ import annotations

from django import forms
from django.db.models import Q

from onboarding.admin.cases import CaseTargets, case_targets_register
from onboarding.admin.review import Decision, ReviewPanel, decision_register, offered_forms, review_panel_register
from onboarding.errors import InvalidTransition
from onboarding.models import CheckResult
from onboarding.services.actors import REVIEW_PERM
from sanctions.casework import SANCTIONS_CASE, hits_on_case
from sanctions.freshness import list_age_days
from sanctions.hits import hit_clear, hit_confirm
from sanctions.models import EmbargoedJurisdiction, SanctionsEntry, SanctionsHit, SanctionsProgram

Status = SanctionsHit.Status


def _birth_date(dob: dict) -> str:
    if dob.get("year_to"):
        text = f"{dob['year']} to {dob['year_to']}"
    else:
        text = "-".join(str(part).zfill(2) for part in (dob.get("year"), dob.get("month"), dob.get("day")) if part)
    return f"circa {text}" if dob.get("circa") else text


def entry_view(entry: SanctionsEntry | None, flags: dict[str, bool]) -> dict | None:
    """The list entry as an officer compares it: every name, weak aliases marked, and its particulars."""
    if entry is None:
        return None
    data = entry.data or {}
    aliases = [{"name": a["name"], "type": a.get("alt_type", "aka"), "weak": False} for a in data.get("aliases", [])]
    aliases += [
        {"name": a["name"], "type": a.get("alt_type", "aka"), "weak": True} for a in data.get("weak_aliases", [])
    ]
    addresses = [
        ", ".join(part for part in (a.get("address"), a.get("city_state_zip"), a.get("country")) if part)
        for a in data.get("addresses", [])
    ]
    return {
        "entry": entry,
        "aliases": aliases,
        "programs": [{"code": code, "blocking": flags.get(code, False)} for code in entry.programs],
        "dobs": [_birth_date(d) for d in data.get("dobs", [])],
        "pobs": data.get("pobs", []),
        "nationalities": data.get("nationalities", []),
        "citizenships": data.get("citizenships", []),
        "addresses": [a for a in addresses if a],
        "remarks": data.get("remarks") or "",
        "title": data.get("title") or "",
    }


def _current_hits(application) -> list[SanctionsHit]:
    return list(
        SanctionsHit.objects.filter(application=application, is_current=True)
        .exclude(status=Status.CLOSED)
        .select_related("version", "party", "status_by")
        .defer("party__date_of_birth", "party__id_number")
        .order_by("near_miss", "-score", "id")
    )


def panel_context(user, application, version: str) -> dict:
    hits = _current_hits(application)
    pairs = {(h.version_id, h.uid) for h in hits if h.uid is not None}
    query = Q()
    for version_id, uid in pairs:
        query |= Q(version_id=version_id, uid=uid)
    entries = {(e.version_id, e.uid): e for e in SanctionsEntry.objects.filter(query)} if pairs else {}
    codes = {code for h in hits for code in h.programs} | {code for e in entries.values() for code in e.programs}
    flags = dict(SanctionsProgram.objects.filter(code__in=codes).values_list("code", "blocking")) if codes else {}
    places = {h.jurisdiction for h in hits if h.jurisdiction}
    jurisdictions = {j.key: j for j in EmbargoedJurisdiction.objects.filter(key__in=places)} if places else {}
    result = CheckResult.objects.filter(application=application, check_name="sanctions", is_current=True).first()
    details = (result.details or {}) if result else {}
    rows = [
        {
            "hit": hit,
            "entry": entry_view(entries.get((hit.version_id, hit.uid)), flags),
            "jurisdiction": jurisdictions.get(hit.jurisdiction),
            "list_age_days": list_age_days(hit.version),
            "forms": offered_forms(user, application, version, "hit", hit),
        }
        for hit in hits
    ]
    return {
        "title": "Sanctions",
        "hits": rows,
        "potential_block": details.get("potential_block", False),
        "block_reasons": details.get("block_reasons", []),
    }


review_panel_register(
    ReviewPanel("sanctions", "sanctions/review_hits.html", "sanctions.view_sanctionshit", panel_context)
)


class HitDecisionForm(forms.Form):
    page_version = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2, "cols": 50}), max_length=10_000)


def _decision_offered(target_status: str):
    def offered(user, application, hit) -> bool:
        return user.has_perm(REVIEW_PERM) and hit.status != target_status

    return offered


def _decide(service, words: str):
    def run(actor, application, data, target) -> str:
        hit = SanctionsHit.objects.filter(application=application, public_id=target).first()
        if hit is None:
            raise InvalidTransition("This hit is not on this application.")
        service(hit=hit, actor=actor, reason=data["reason"])
        return f"Hit {hit.public_id} {words}."

    return run


decision_register(Decision("hit_clear", "Clear (false positive)", HitDecisionForm, _decision_offered(Status.CLEARED),
                           _decide(hit_clear, "cleared as a false positive"), "hit"))  # fmt: skip
decision_register(Decision("hit_confirm", "Confirm (true match)", HitDecisionForm, _decision_offered(Status.CONFIRMED),
                           _decide(hit_confirm, "confirmed as a true match"), "hit"))  # fmt: skip


def open_hits_on_case(case) -> list[SanctionsHit]:
    """The hits of a sanctions case still waiting for an officer's decision."""
    return [hit for hit in hits_on_case(case) if hit.status == Status.OPEN]


case_targets_register(CaseTargets(SANCTIONS_CASE, "hit", open_hits_on_case))
