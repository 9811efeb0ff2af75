"""What the review page shows of one application, read in a fixed number of queries whatever the
number of parties, stores, documents, results or events (a test holds it).

The sections are read off ``onboarding.sections`` (the one declaration of the application's fields),
grouped as the merchant entered them. Personal data is never loaded for the page: the encrypted columns
are deferred and shown masked from their last four digits (a date of birth as the mask alone).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.urls import reverse

from onboarding.admin.check_details import check_label, check_lines, plain
from onboarding.crypto import MASK
from onboarding.info_requests import info_request_item_rows
from onboarding.input import BOOLEAN, CENTS, COUNTRY_CODES, PERCENT
from onboarding.models import Application, CheckResult, Document, Event, InfoRequest, Merchant, Party, RiskScore
from onboarding.requirements import application_requirements
from onboarding.sections import BANK_ACCOUNT, BUSINESS, PARTY, STORE, TERMINAL, Field, Section

# The encrypted columns: never decrypted for the page.
DEFERRED = {
    "application": ("tax_id",),
    "party": ("id_number", "date_of_birth"),
    "bank_account": ("account_number",),
}
LAST4 = {"tax_id": "tax_id_last4", "id_number": "id_number_last4", "account_number": "account_last4"}


@dataclass
class Row:
    label: str
    value: str
    masked: bool = False
    holder: object = None  # for a masked value: whose it is and which field, for the reveal control
    field: str = ""


@dataclass
class Group:
    title: str
    rows: list[Row]
    subgroups: list[Group] = field(default_factory=list)
    anchor: str = ""


def _display(obj, f: Field) -> Row:
    label = str(f.label or f.name.replace("_", " ").capitalize())
    if f.sensitive:
        last4 = getattr(obj, LAST4[f.name], "") if f.name in LAST4 else ""
        return Row(label, f"{MASK} {last4}" if last4 else MASK, masked=True, holder=obj, field=f.name)
    value = getattr(obj, f.name)
    model_field = obj._meta.get_field(f.name)
    if model_field.choices and value not in (None, ""):
        value = getattr(obj, f"get_{f.name}_display")()
    elif f.kind == CENTS and value is not None:
        value = f"${value / 100:,.2f}"
    elif f.kind == BOOLEAN:
        value = "Yes" if value else "No"
    elif f.kind == PERCENT and value is not None:
        value = f"{value.normalize():f}%"
    elif f.kind == COUNTRY_CODES:
        value = ", ".join(value or [])
    elif hasattr(value, "isoformat"):
        value = value.isoformat()
    return Row(label, "" if value in (None, "") else str(value))


def section_rows(section: Section, obj) -> list[Row]:
    return [_display(obj, f) for f in section.fields]


def loaded_application(pk) -> Application:
    """The application with everything the page shows, prefetched (personal data deferred)."""
    parties = Party.objects.defer(*DEFERRED["party"])
    return (
        Application.objects.defer(*DEFERRED["application"])
        .select_related("merchant", "partner", "applicant", "first_approver", "agreement", "bank_account")
        .defer(*(f"bank_account__{name}" for name in DEFERRED["bank_account"]))
        .prefetch_related(
            Prefetch("parties", queryset=parties),
            "stores__terminals",
            "wallet_requests",
            Prefetch("documents", queryset=Document.objects.select_related("party", "decided_by")),
            Prefetch("info_requests", queryset=InfoRequest.objects.select_related("requested_by")),
        )
        .get(pk=pk)
    )


def _party_title(party: Party, index: int) -> str:
    roles = []
    if party.ownership_percent:
        roles.append(f"owner {party.ownership_percent.normalize():f}%")
    if party.is_control_person:
        roles.append("control person")
    return f"{index + 1}. {party.name or 'Unnamed'} ({', '.join(roles) or 'listed'})"


def submitted_groups(application: Application, wallet_sources: dict) -> list[Group]:
    """The application as the merchant entered it, section by section."""
    groups = [Group("Business", section_rows(BUSINESS, application), anchor="business")]
    parties = list(application.parties.all())
    groups.append(
        Group(
            "Owners and control person",
            [],
            [Group(_party_title(p, i), section_rows(PARTY, p), anchor=p.public_id) for i, p in enumerate(parties)],
            anchor="parties",
        )
    )
    account = getattr(application, "bank_account", None)
    groups.append(Group("Settlement account", section_rows(BANK_ACCOUNT, account) if account else [], anchor="bank"))
    stores = []
    for store in application.stores.all():
        terminals = [Group(f"Terminal {t.public_id}", section_rows(TERMINAL, t)) for t in store.terminals.all()]
        stores.append(Group(store.name, section_rows(STORE, store), terminals, anchor=store.public_id))
    groups.append(Group("Stores and terminals", [], stores, anchor="stores"))
    wallets = []
    for request in application.wallet_requests.all():
        verdict = request.get_eligibility_display()
        if request.eligibility_reason:
            verdict += f": {request.eligibility_reason}"
        source = wallet_sources.get((request.wallet, request.channel))
        rows = [Row("Eligibility", verdict), Row("Source", source or "not assessed yet")]
        wallets.append(Group(f"{request.get_wallet_display()}, {request.get_channel_display()}", rows))
    groups.append(Group("Wallets", [], wallets, anchor="wallets"))
    return groups


def _wallet_sources(current: dict[str, CheckResult]) -> dict:
    result = current.get("wallet_eligibility")
    wallets = (result.details or {}).get("wallets", []) if result else []
    rules = f"eligibility rules version {(result.details or {}).get('rule_version')}" if result else ""
    return {
        (w["wallet"], w["channel"]): f"{rules}: {', '.join(w['sources'])}" if w.get("sources") else rules
        for w in wallets
    }


def _duplicates(current: dict[str, CheckResult]) -> list[dict]:
    """The duplicates check's matches with a link to the other application or merchant."""
    result = current.get("duplicates")
    matches = (result.details or {}).get("matches", []) if result else []
    ids = [m["other"] for m in matches]
    applications = dict(Application.objects.filter(public_id__in=ids).values_list("public_id", "pk")) if ids else {}
    merchants = dict(Merchant.objects.filter(public_id__in=ids).values_list("public_id", "pk")) if ids else {}
    rows = []
    for match in matches:
        if match["other"] in applications:
            url = reverse("admin:onboarding_application_change", args=[applications[match["other"]]])
        elif match["other"] in merchants:
            url = reverse("admin:onboarding_merchant_change", args=[merchants[match["other"]]])
        else:
            url = ""
        rows.append({**match, "url": url, "kind_label": match["kind"].replace("_", " ")})
    return rows


def _checks(application: Application) -> tuple[list[dict], dict[str, CheckResult]]:
    results = list(CheckResult.objects.filter(application=application).order_by("check_name", "-created_at", "-id"))
    current = {r.check_name: r for r in results if r.is_current}
    rows = []
    for name in sorted({r.check_name for r in results}):
        history = [r for r in results if r.check_name == name and not r.is_current]
        result = current.get(name)
        rows.append(
            {
                "name": name,
                "label": check_label(name),
                "result": result,
                "lines": check_lines(result) if result else ["No current result."],
                "history": [{"result": r, "lines": check_lines(r)} for r in history],
            }
        )
    return rows, current


def _risk(application: Application) -> dict | None:
    score = RiskScore.objects.filter(application=application, is_current=True).select_related("rule_set").first()
    if score is None:
        return None
    return {"score": score, "factors": score.factors or [], "rule_version": score.rule_set.version}


def _timeline(application: Application) -> list[Event]:
    return list(Event.objects.filter(application=application).select_related("actor_user", "actor_partner"))


def _readable(details: dict) -> str:
    return "; ".join(f"{k.replace('_', ' ')}: {plain(v)}" for k, v in details.items() if v not in (None, "", [], {}))


def review_context(user, application: Application) -> dict:
    """Everything the page shows; the sections a role may not see are left out (not hidden)."""
    sees_checks = user.has_perm("onboarding.view_checkresult")
    checks, current = _checks(application) if sees_checks else ([], {})
    requests = [{"request": r, "items": info_request_item_rows(r)} for r in application.info_requests.all()]
    context = {
        "application": application,
        "groups": submitted_groups(application, _wallet_sources(current)),
        "documents": list(application.documents.all()),
        "agreement": getattr(application, "agreement", None),
        "requirements": application_requirements(application),
        "info_requests": requests,
        "sees_checks": sees_checks,
        "checks": checks,
        "duplicates": _duplicates(current) if sees_checks else [],
        "sees_risk": user.has_perm("onboarding.view_riskscore"),
        "sees_events": user.has_perm("onboarding.view_event"),
        "sees_decline_reason": user.has_perm("onboarding.review_application"),
    }
    if context["sees_risk"]:
        context["risk"] = _risk(application)
    if context["sees_events"]:
        context["timeline"] = [{"event": e, "details": _readable(e.details or {})} for e in _timeline(application)]
    return context
