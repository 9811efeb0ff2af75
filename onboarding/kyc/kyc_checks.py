"""The KYC/KYB checks of issue 11: addresses, documents present, velocity, name consistency and wallet
eligibility. Thin: each reads its inputs, asks the module that holds the rule, and words the outcome.
Details never carry an SSN, a date of birth or an account number in clear."""

from datetime import timedelta

from django.conf import settings

from onboarding.kyc import addresses, eligibility, names
from onboarding.kyc.checks import same_mode_data
from onboarding.kyc.registry import Check, CheckOutcome, register
from onboarding.models import IDENTITY_DOCUMENT_KINDS, Application, DocumentKind, Party
from onboarding.services import kyc_rules
from onboarding.validation import BENEFICIAL_OWNER_PERCENT


@register
class AddressesCheck(Check):
    name = "addresses"
    version = "1"
    reads = ("business", "parties", "stores")
    description = "US addresses parse, with a valid state and ZIP in that state; no PO box for business or stores."

    def extra_inputs(self, application: Application) -> dict:
        return {"zip_data": addresses.ZIP_DATA}

    def run(self, application: Application) -> CheckOutcome:
        found = []

        def add(where: str, problems) -> None:
            found.extend(
                {"where": where, "kind": p.kind, "problem": p.message, "field": p.field, "code": p.code}
                for p in problems
            )

        add("business", addresses.address_problems(application, allow_po_box=False, must_be_us=True))
        for store in application.stores.all():
            add(f"store {store.public_id}", addresses.address_problems(store, allow_po_box=False, must_be_us=True))
        for party in application.parties.all():
            if party.kind == Party.Kind.INDIVIDUAL and party.address_line1:
                # A home address may be a PO box only where the person lives abroad; in the US it is read too.
                add(f"party {party.public_id}", addresses.address_problems(party, allow_po_box=True, must_be_us=False))
        if any(item["kind"] == "invalid" for item in found):
            return CheckOutcome.failed(problems=found)
        if found:
            return CheckOutcome.review(problems=found)
        return CheckOutcome.passed()


def required_documents(application: Application) -> list[dict]:
    """What must be uploaded: each requirement with the kinds that satisfy it, and whether one is there."""
    docs = list(application.documents.all())
    kinds = {d.kind for d in docs}
    needs = []
    if application.entity_type and application.entity_type != "sole_proprietorship":
        company_docs = {DocumentKind.ARTICLES_OF_INCORPORATION, DocumentKind.ARTICLES_OF_ORGANIZATION}
        if application.entity_type == "partnership":
            company_docs.add(DocumentKind.PARTNERSHIP_AGREEMENT)
        needs.append({"need": "articles of organisation or incorporation", "kinds": sorted(company_docs),
                      "present": bool(kinds & company_docs)})  # fmt: skip
    bank_docs = {DocumentKind.VOIDED_CHECK, DocumentKind.BANK_LETTER}
    bank_present = bool(kinds & bank_docs)
    needs.append({"need": "voided cheque or bank letter", "kinds": sorted(bank_docs), "present": bank_present})
    for party in application.parties.all():
        if party.kind != Party.Kind.INDIVIDUAL:
            continue
        if party.is_control_person or party.ownership_percent >= BENEFICIAL_OWNER_PERCENT:
            has_id = any(d.kind in IDENTITY_DOCUMENT_KINDS and d.party_id == party.pk for d in docs)
            needs.append({"need": f"identity document for {party.public_id}", "kinds": sorted(IDENTITY_DOCUMENT_KINDS),
                          "present": has_id, "party": party.public_id})  # fmt: skip
    return needs


@register
class DocumentsCheck(Check):
    name = "documents"
    version = "1"
    reads = ("business", "parties", "documents")
    description = "The documents the entity type needs are uploaded (an officer accepts them)."

    def run(self, application: Application) -> CheckOutcome:
        needs = required_documents(application)
        missing = [n["need"] for n in needs if not n["present"]]
        rejected = [d.public_id for d in application.documents.all() if d.status == "rejected"]
        if missing or rejected:
            return CheckOutcome.review(missing=missing, rejected=rejected)
        return CheckOutcome.passed(present=[n["need"] for n in needs])


def recent_submissions(application: Application) -> dict:
    """Submissions that count against this one's velocity limit (ending at its own submission); live and
    test submissions never count against each other (``same_mode_data``)."""
    if application.submitted_at is None:
        return {"channel": application.channel, "count": 0, "limit": None}
    others = Application.objects.filter(same_mode_data(application), submitted_at__lte=application.submitted_at)
    if application.channel == "api" and application.partner_id:
        since = application.submitted_at - timedelta(hours=1)
        count = others.filter(partner_id=application.partner_id, submitted_at__gt=since).count()
        return {"channel": "api", "count": count, "limit": application.partner.max_submissions_per_hour,
                "window_minutes": 60}  # fmt: skip
    if application.submitted_ip:
        window = settings.VELOCITY_WEB_WINDOW_MINUTES
        since = application.submitted_at - timedelta(minutes=window)
        count = others.filter(submitted_ip=application.submitted_ip, submitted_at__gt=since).count()
        return {"channel": "web", "count": count, "limit": settings.VELOCITY_WEB_MAX_PER_IP, "window_minutes": window}
    return {"channel": application.channel, "count": 0, "limit": None}


@register
class VelocityCheck(Check):
    name = "velocity"
    version = "1"
    reads = ("submission",)
    description = "Not too many submissions from one IP (web) or one partner (API) in a short time."

    def extra_inputs(self, application: Application) -> dict:
        return {"velocity": recent_submissions(application)}

    def run(self, application: Application) -> CheckOutcome:
        seen = recent_submissions(application)
        if seen["limit"] is not None and seen["count"] > seen["limit"]:
            who = "this IP address" if seen["channel"] == "web" else "this partner"
            return CheckOutcome.review(
                **seen, problem=f"{seen['count']} submissions from {who} in {seen['window_minutes']} minutes"
            )
        return CheckOutcome.passed(**seen)


@register
class NameConsistencyCheck(Check):
    name = "name_consistency"
    version = "1"
    reads = ("business", "parties", "bank_account")
    description = "The bank account holder is the business (legal name or DBA), or the sole proprietor."

    def run(self, application: Application) -> CheckOutcome:
        account = getattr(application, "bank_account", None)
        if account is None or not account.holder_name:
            return CheckOutcome.review(problem="No bank account holder name.")
        candidates = {"legal_name": application.legal_name, "dba": application.dba}
        if application.entity_type == "sole_proprietorship":
            for party in application.parties.all():
                if party.ownership_percent > 0 and party.kind == Party.Kind.INDIVIDUAL:
                    candidates["owner"] = party.name
                    if application.dba:
                        candidates["owner_dba"] = f"{party.name} {application.dba}"
        matched, score = names.best_match(account.holder_name, candidates)
        shown = {"holder_name": account.holder_name, "closest": matched, "similarity": score}
        if score >= names.MATCH_THRESHOLD:
            return CheckOutcome.passed(**shown)
        return CheckOutcome.review(**shown, problem="The bank account holder does not match the business or owner.")


@register
class WalletEligibilityCheck(Check):
    name = "wallet_eligibility"
    version = "1"
    reads = ("business", "stores", "wallets")
    description = "Each requested wallet is allowed for the category, state, channel and acquirer."

    def extra_inputs(self, application: Application) -> dict:
        return eligibility.check_inputs(application)

    def run(self, application: Application) -> CheckOutcome:
        rule_set = eligibility.rule_set_current()
        requests = list(application.wallet_requests.all())
        outcomes = {r.pk: eligibility.request_eligibility(application, r, rule_set=rule_set) for r in requests}
        kyc_rules.wallet_requests_record_eligibility(application=application, outcomes=outcomes)
        wallets = [
            {"wallet": r.wallet, "channel": r.channel, "outcome": outcomes[r.pk].outcome,
             "reasons": outcomes[r.pk].reasons, "sources": outcomes[r.pk].sources}
            for r in sorted(requests, key=lambda r: (r.wallet, r.channel))
        ]  # fmt: skip
        details = {"rule_version": rule_set.version, "wallets": wallets}
        found = {w["outcome"] for w in wallets}
        if not wallets:
            return CheckOutcome.review(**details, problem="No wallet requested.")
        if found == {"ineligible"}:
            return CheckOutcome.failed(**details, problem="No requested wallet is allowed for this business.")
        if found != {"eligible"}:
            return CheckOutcome.review(**details)
        return CheckOutcome.passed(**details)
