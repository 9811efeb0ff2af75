"""The checks that need no list data: completeness, identifier validity and ownership structure, plus
the ``sanctions`` check that records ``not_run`` until screening replaces it (blocking auto-approval)."""

from django.db.models import Q

from onboarding import validation
from onboarding.crypto import mask
from onboarding.kyc.registry import Check, CheckOutcome, register
from onboarding.models import Application, Party
from onboarding.submission import completeness_errors, ownership_errors


@register
class RequiredFieldsCheck(Check):
    name = "required_fields"
    reads = ("business", "parties", "bank_account", "stores", "wallets", "agreement")
    description = "Every section the application needs is filled in."

    def run(self, application: Application) -> CheckOutcome:
        missing = completeness_errors(application)
        if missing:
            return CheckOutcome.failed(missing=sorted(missing))
        return CheckOutcome.passed()


@register
class TaxIdCheck(Check):
    name = "tax_id"
    reads = ("business", "parties")
    description = "The business tax id is a valid EIN, SSN or ITIN; a sole proprietor's SSN or ITIN is the owner's."

    def run(self, application: Application) -> CheckOutcome:
        shown = {"tax_id_type": application.tax_id_type, "tax_id": mask(application.tax_id)}
        messages = validation.tax_id_errors(application.tax_id_type, application.tax_id or "")
        if messages:
            return CheckOutcome.failed(**shown, problem=messages[0])
        if application.tax_id_type in ("ssn", "itin"):
            owner_indexes = {p.id_number_index for p in application.parties.all() if p.id_number_index}
            if application.tax_id_index not in owner_indexes:
                return CheckOutcome.review(**shown, problem="The business uses an SSN or ITIN that is not its owner's.")
        return CheckOutcome.passed(**shown)


@register
class OwnerIdentifiersCheck(Check):
    name = "owner_identifiers"
    reads = ("parties",)
    description = "Each individual's SSN or ITIN is a valid number."

    def run(self, application: Application) -> CheckOutcome:
        problems = []
        for party in application.parties.all():
            if party.kind != Party.Kind.INDIVIDUAL or not party.id_number:
                continue
            messages = validation.tax_id_errors(party.id_number_type, party.id_number)
            if messages:
                problems.append({"party": party.public_id, "id_number": mask(party.id_number), "problem": messages[0]})
        if problems:
            return CheckOutcome.failed(problems=problems)
        return CheckOutcome.passed()


@register
class RoutingNumberCheck(Check):
    name = "routing_number"
    reads = ("bank_account",)
    description = "The settlement account has a valid ABA routing number and account number."

    def run(self, application: Application) -> CheckOutcome:
        account = getattr(application, "bank_account", None)
        if account is None:
            return CheckOutcome.failed(problem="No bank account was given.")
        problems = validation.routing_number_errors(account.routing_number)
        problems += validation.account_number_errors(account.account_number or "")
        shown = {"routing_number": account.routing_number, "account_number": mask(account.account_number)}
        if problems:
            return CheckOutcome.failed(**shown, problems=problems)
        return CheckOutcome.passed(**shown)


@register
class OwnershipCheck(Check):
    name = "ownership"
    reads = ("business", "parties")
    description = "Every owner of 25% or more and exactly one control person are listed and identified."

    def run(self, application: Application) -> CheckOutcome:
        problems = ownership_errors(list(application.parties.all()), application.entity_type)
        if problems:
            return CheckOutcome.failed(problems=problems)
        owners = [p.public_id for p in application.parties.all() if p.ownership_percent >= 25]
        return CheckOutcome.passed(beneficial_owners=owners)


@register
class SanctionsNotRunCheck(Check):
    """Stands in the pipeline until sanctions screening replaces it: its not_run outcome keeps every
    application from automatic approval, so an officer screens each one meanwhile."""

    name = "sanctions"
    version = "not-run-1"
    reads = ("business", "parties", "bank_account")
    description = "Sanctions screening of every party."

    def run(self, application: Application) -> CheckOutcome:
        return CheckOutcome.not_run(reason="Automated sanctions screening is not enabled; screen manually.")


@register
class DuplicatesCheck(Check):
    """The same tax id, SSN/ITIN or bank account elsewhere, found through the blind indexes (nothing is
    decrypted). A second application with a live merchant's tax id is not refused: it goes to review,
    with the link. Matches within the same merchant are listed but do not need review. Live and test data
    never match each other (``same_mode_data``)."""

    name = "duplicates"
    reads = ("business", "parties", "bank_account")
    description = "Tax id, SSN/ITIN and bank account not used by another applicant or merchant."

    def extra_inputs(self, application: Application) -> dict:
        # Another applicant appearing changes the outcome without this application changing; the other's
        # state moving on does not (it is shown, not judged), so it stays out of the fingerprint.
        return {
            "matches": [sorted((k, v) for k, v in match.items() if k != "other_state")
                        for match in find_duplicates(application)]
        }  # fmt: skip

    def run(self, application: Application) -> CheckOutcome:
        matches = find_duplicates(application)
        elsewhere = [m for m in matches if not m["same_merchant"]]
        if elsewhere:
            return CheckOutcome.review(matches=matches)
        return CheckOutcome.passed(matches=matches)


def same_mode_data(application: Application, prefix: str = "") -> Q:
    """The rows (applications, or through ``prefix`` what belongs to one) that the duplicates and velocity
    checks compare ``application`` with: live data for a live application; for a test application, the
    test data of the same partner (or, without a partner, the test data without one). Test applications
    share the documented test tax ids (docs/test_mode.md), so one partner's tests never touch another's."""
    if application.livemode:
        return Q(**{f"{prefix}livemode": True})
    return Q(**{f"{prefix}livemode": False, f"{prefix}partner_id": application.partner_id})


def find_duplicates(application: Application) -> list[dict]:
    from onboarding.models import BankAccount, Merchant

    others = Application.objects.filter(same_mode_data(application)).exclude(pk=application.pk)
    others = others.select_related("merchant")
    own_merchant = application.merchant_id
    person_indexes = {p.id_number_index for p in application.parties.all() if p.id_number_index}
    identity = person_indexes | ({application.tax_id_index} if application.tax_id_index else set())
    found: dict[tuple, dict] = {}

    def add(kind: str, other: Application | None = None, merchant=None) -> None:
        target = merchant or other
        merchant_id = merchant.pk if merchant else other.merchant_id
        key = (kind, target.public_id)
        found[key] = {
            "kind": kind,
            "other": target.public_id,
            "other_state": target.state,
            "same_merchant": bool(own_merchant) and merchant_id == own_merchant,
        }

    if application.tax_id_index:
        for other in others.filter(tax_id_index=application.tax_id_index):
            add("tax_id", other)
        for merchant in Merchant.objects.filter(same_mode_data(application), tax_id_index=application.tax_id_index):
            add("tax_id", merchant=merchant)
    if identity:
        parties = Party.objects.filter(same_mode_data(application, "application__"), id_number_index__in=identity)
        for party in parties.exclude(application=application).select_related("application"):
            add("person_id_number", party.application)
        for other in others.filter(tax_id_index__in=person_indexes):
            add("person_id_number", other)
    account = getattr(application, "bank_account", None)
    if account is not None and account.account_index:
        accounts = BankAccount.objects.filter(same_mode_data(application, "application__"),
                                              account_index=account.account_index)  # fmt: skip
        for other in accounts.exclude(application=application).select_related("application"):
            add("bank_account", other.application)
    return sorted(found.values(), key=lambda m: (m["kind"], m["other"]))
