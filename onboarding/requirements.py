"""What an application still needs, shaped like Stripe's account requirements: one selector for the
merchant's pages, the admin and the partner API.

- ``currently_due``: what the merchant must give now for the application to move on (field paths in the
  services' format: ``business.tax_id``, ``parties[1].date_of_birth``, ``stores[0].terminals``,
  ``documents.bank_account_proof``, ``parties[0].identity_document``, ``agreement``, ``information_request``);
- ``eventually_due``: everything still missing, currently due or not;
- ``past_due``: what is currently due past its deadline (an information request's due date);
- ``pending_verification``: what was given and is being looked at (never naming a check);
- ``errors``: what was given and is wrong, each with a stable code, its field path, a plain reason and a
  suggested fix;
- per wallet and channel: whether it can be offered, and what it still needs.

It is built from the missing fields, the document decisions, open information requests, the sources other
apps register (``register_requirements_source``: boarding adds what the acquirer still verifies) and
**only** the checks in ``REQUIREMENT_CHECKS``. Sanctions screening, duplicates, velocity, name consistency and risk are
fraud and sanctions signals: they never produce a requirement, so nothing here can tip anyone off
(``EXCLUDED_CHECKS``; a test holds both lists against the check registry, so a new check stays out until
someone decides).

Reasons and suggested fixes are plain ``str`` in the active language (the merchant's on their pages, the
partner's in the API); a wallet's eligibility reason too, where it is the table's current word for it
(what the check stored on the request stays English, for the officers).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import asdict, dataclass, field

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from onboarding.info_requests import DOCUMENT_PATHS, document_path
from onboarding.kyc.eligibility import request_eligibility, rule_set_current
from onboarding.kyc.kyc_checks import required_documents
from onboarding.models import Application, CheckResult, Document, Outcome, WalletRequest
from onboarding.states import AppState
from onboarding.submission import completeness_errors

REQUIREMENT_CHECKS = frozenset(
    {"required_fields", "tax_id", "owner_identifiers", "routing_number", "ownership", "addresses", "documents",
     "wallet_eligibility"}
)  # fmt: skip
EXCLUDED_CHECKS = frozenset({"sanctions", "duplicates", "velocity", "name_consistency"})

EDITABLE = frozenset({AppState.DRAFT, AppState.INFO_REQUESTED})
Source = Callable[[Application, "Requirements"], None]
_SOURCES: list[Source] = []
UNDER_REVIEW = frozenset(
    {AppState.SUBMITTED, AppState.SCREENING, AppState.IN_REVIEW, AppState.AWAITING_SECOND_APPROVAL}
)
DISABLED = {AppState.DECLINED: "declined", AppState.WITHDRAWN: "withdrawn", AppState.EXPIRED: "expired"}


@dataclass
class RequirementError:
    code: str
    field: str
    reason: str
    suggested_fix: str


@dataclass
class Requirements:
    currently_due: list[str] = field(default_factory=list)
    eventually_due: list[str] = field(default_factory=list)
    past_due: list[str] = field(default_factory=list)
    pending_verification: list[str] = field(default_factory=list)
    errors: list[RequirementError] = field(default_factory=list)
    disabled_reason: str | None = None

    def due(self, path: str) -> None:
        if path not in self.currently_due:
            self.currently_due.append(path)

    def pending(self, path: str) -> None:
        if path not in self.pending_verification:
            self.pending_verification.append(path)

    def error(self, code: str, path: str, reason: str, fix: str) -> None:
        if not any(e.code == code and e.field == path for e in self.errors):
            self.errors.append(RequirementError(code, path, reason, fix))

    @property
    def is_empty(self) -> bool:
        return not (self.currently_due or self.past_due or self.errors or self.eventually_due)

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass
class WalletRequirements(Requirements):
    wallet: str = ""
    channel: str = ""
    #: eligible | review | ineligible | pending, as the eligibility table rates it
    status: str = "pending"


@dataclass
class ApplicationRequirements:
    overall: Requirements
    wallets: list[WalletRequirements]

    def as_dict(self) -> dict:
        return {**self.overall.as_dict(), "wallets": [w.as_dict() for w in self.wallets]}


def register_requirements_source(source: Source) -> None:
    """``source(application, requirements)`` adds what another app knows is still needed."""
    if source not in _SOURCES:
        _SOURCES.append(source)


# --------------------------------------------------------------------------- words


def _field_reason(path: str) -> tuple[str, str]:
    if path == "agreement":
        return _("The merchant agreement is not signed yet."), _("Read and sign the agreement on the last step.")
    if path == "wallets":
        return _("No wallet is chosen."), _("Choose Alipay, WeChat Pay or both.")
    if path == "stores" or path.endswith(".terminals"):
        return (
            _("Customers pay in person, so we need the store and the terminals you want there."),
            _("Add the store and choose at least one terminal for it."),
        )
    if path == "parties":
        return _("The owners or the control person are not complete."), _("Review the owners step.")
    return _("This information is missing."), _("Fill it in.")


# Lazy: defined at import, read in the language of each request (and made plain str by _address_words).
ADDRESS_WORDS = {
    "street_missing": (gettext_lazy("The street address is missing."), gettext_lazy("Enter the street and number.")),
    "state_invalid": (gettext_lazy("The state is not a US state."), gettext_lazy("Choose the state from the list.")),
    "zip_invalid": (gettext_lazy("The ZIP code is not valid."), gettext_lazy("Enter five digits, or five plus four.")),
    "zip_unknown": (gettext_lazy("This ZIP code does not exist."), gettext_lazy("Check the ZIP code.")),
    "zip_not_in_state": (
        gettext_lazy("The ZIP code is in another state."),
        gettext_lazy("Check the ZIP code and the state."),
    ),
    "city_missing": (gettext_lazy("The city is missing."), gettext_lazy("Enter the city.")),
    "po_box": (
        gettext_lazy("A PO box is not a store or business location."),
        gettext_lazy("Give the street address where you trade."),
    ),
    "street_unreadable": (
        gettext_lazy("We could not read the street address."),
        gettext_lazy("Enter the house number and street."),
    ),
    "outside_us": (
        gettext_lazy("The address must be in the United States."),
        gettext_lazy("Give the US address of the business."),
    ),
}


def _address_words(code: str) -> tuple[str, str]:
    reason, fix = ADDRESS_WORDS.get(code, ADDRESS_WORDS["street_unreadable"])
    return str(reason), str(fix)


# --------------------------------------------------------------------------- the selector


def _relations(application: Application) -> tuple:
    """The relations the parts below read, loaded once per call, not once per part: while the application
    is editable, also what completeness reads (every section and the agreement)."""
    reads = ("parties", "wallet_requests", "info_requests",
             Prefetch("documents", queryset=Document.objects.select_related("party")))  # fmt: skip
    if application.state in EDITABLE:
        return (*reads, "stores__terminals", "bank_account", "agreement")
    return (*reads, "stores")


def _loaded(application: Application) -> Application:
    """A copy of ``application`` with its relations loaded (what the caller had loaded is reused). The
    caller's own instance is left as it was: a service may change these rows after asking."""
    loaded = copy.copy(application)
    loaded._prefetched_objects_cache = dict(getattr(application, "_prefetched_objects_cache", {}))
    prefetch_related_objects([loaded], *_relations(application))
    return loaded


def _paths(application: Application) -> tuple[dict[str, int], dict[str, int]]:
    parties = {p.public_id: i for i, p in enumerate(application.parties.all())}
    stores = {s.public_id: i for i, s in enumerate(application.stores.all())}
    return parties, stores


def _missing(application: Application, reqs: Requirements) -> None:
    for path in sorted(completeness_errors(application)):
        reqs.due(path)
    parties, _stores = _paths(application)
    for need in required_documents(application):
        if need["present"]:
            continue
        if need.get("party"):
            reqs.due(f"parties[{parties[need['party']]}].identity_document")
        else:
            reqs.due(DOCUMENT_PATHS[need["kinds"][0]])


def _document_path(document: Document, parties: dict[str, int]) -> str:
    if document.party_id:
        return f"parties[{parties.get(document.party.public_id, 0)}].identity_document"
    return document_path(document.kind)


def _documents(application: Application, reqs: Requirements) -> None:
    parties, _stores = _paths(application)
    for document in application.documents.all():
        path = _document_path(document, parties)
        if document.status in (Document.Status.REJECTED, Document.Status.REVISION_REQUESTED):
            code = "document_rejected" if document.status == Document.Status.REJECTED else "document_revision_requested"
            reason = document.decision_reason or _("The document could not be accepted.")
            reqs.error(code, path, reason, _("Upload a new copy of this document."))
            reqs.due(path)
        elif document.status == Document.Status.PENDING and application.state not in EDITABLE:
            reqs.pending(path)


def _information_request(application: Application, reqs: Requirements) -> None:
    request = next((r for r in application.info_requests.all() if r.answered_at is None), None)
    if request is None:
        return
    overdue = request.due_at <= timezone.now()
    # Each item the officer named is due itself, with the officer's suggested fix; then the answer.
    for item in request.items:
        reqs.due(item["path"])
        reqs.error("information_requested", item["path"], _("We asked about this in our request."), item["fix"])
        if overdue and item["path"] not in reqs.past_due:
            reqs.past_due.append(item["path"])
    reqs.due("information_request")
    reqs.error("information_requested", "information_request", request.message, _("Answer the request below."))
    if overdue:
        reqs.past_due.append("information_request")


def _check(result: CheckResult, reqs: Requirements, parties: dict, stores: dict) -> None:
    details = result.details or {}
    if result.check_name == "required_fields":
        for path in details.get("missing", []):
            reqs.due(path)
    elif result.check_name == "tax_id" and result.outcome == Outcome.FAIL:
        reqs.error("tax_id_invalid", "business.tax_id", _("The tax id is not valid."),
                   _("Enter the nine-digit EIN (or the sole proprietor's SSN or ITIN) again."))  # fmt: skip
    elif result.check_name == "tax_id" and result.outcome == Outcome.REVIEW:
        reqs.error("tax_id_not_owners", "business.tax_id", _("A sole proprietor's tax id must be the owner's own."),
                   _("Use the owner's SSN or ITIN, or the business's EIN."))  # fmt: skip
    elif result.check_name == "owner_identifiers":
        for problem in details.get("problems", []):
            path = f"parties[{parties.get(problem.get('party'), 0)}].id_number"
            reqs.error("id_number_invalid", path, _("This SSN or ITIN is not valid."), _("Enter it again."))
    elif result.check_name == "routing_number" and result.outcome == Outcome.FAIL:
        reqs.error("bank_account_invalid", "bank_account.routing_number",
                   _("The routing or account number is not valid."),
                   _("Copy both numbers from a cheque or your bank's letter."))  # fmt: skip
    elif result.check_name == "ownership" and result.outcome == Outcome.FAIL:
        problems = details.get("problems") or {}
        for path in sorted(problems):
            reason, fix = _field_reason(path)
            reqs.error("ownership_incomplete", path, reason, fix)
    elif result.check_name == "addresses":
        for problem in details.get("problems", []):
            where = problem.get("where", "")
            if where.startswith("store "):
                prefix = f"stores[{stores.get(where.split(' ', 1)[1], 0)}]"
            elif where.startswith("party "):
                prefix = f"parties[{parties.get(where.split(' ', 1)[1], 0)}]"
            else:
                prefix = "business"
            reason, fix = _address_words(problem.get("code", "street_unreadable"))
            reqs.error(f"address_{problem.get('code', 'street_unreadable')}",
                       f"{prefix}.{problem.get('field', 'address_line1')}", reason, fix)  # fmt: skip


def _stored_reason(application: Application, request, rule_set) -> str:
    """The reason the check stored on ``request`` (English), in the active language when the table in force
    gives that very reason; else as stored (a later table may say otherwise, and the stored one decided)."""
    reason = request.eligibility_reason
    if not (reason and application.mcc):
        return reason
    live = request_eligibility(application, request, rule_set=rule_set())
    limit = WalletRequest._meta.get_field("eligibility_reason").max_length
    return live.reason_in() if (live.outcome, live.reason[:limit]) == (request.eligibility, reason) else reason


def _wallets(application: Application, overall: Requirements) -> list[WalletRequirements]:
    wallets = []
    in_store_paths = [p for p in overall.currently_due if p == "stores" or p.startswith("stores[")]
    editable = application.state in EDITABLE
    in_force = []

    def rule_set():
        """The eligibility table in force, read once, and only if a wallet needs it."""
        if not in_force:
            in_force.append(rule_set_current())
        return in_force[0]

    for index, request in enumerate(application.wallet_requests.all()):
        if editable and application.mcc:
            # Before submission, straight from the eligibility table: the merchant learns it before the effort.
            live = request_eligibility(application, request, rule_set=rule_set())
            status, reason = live.outcome, live.reason_in()
        else:
            status, reason = request.eligibility, None
        reqs = WalletRequirements(wallet=request.wallet, channel=request.channel, status=status)
        path = f"wallets[{index}]"
        if status == request.Eligibility.INELIGIBLE:
            if reason is None:
                reason = _stored_reason(application, request, rule_set)
            reason = reason or _("This wallet cannot be offered for this business.")
            fix = _("Choose another wallet or channel, or change the business category if it is wrong.")
            reqs.error("wallet_unavailable", path, reason, fix)
        elif not editable and status != request.Eligibility.ELIGIBLE:
            reqs.pending(path)
        if request.channel == request.Channel.IN_STORE:
            for path in in_store_paths:
                reqs.due(path)
        reqs.eventually_due = list(reqs.currently_due)
        wallets.append(reqs)
    return wallets


def application_requirements(application: Application) -> ApplicationRequirements:
    """What ``application`` still needs, overall and per wallet (never a sanctions or fraud signal)."""
    reqs = Requirements(disabled_reason=DISABLED.get(application.state))
    if application.state in DISABLED:
        return ApplicationRequirements(reqs, [])
    application = _loaded(application)
    parties, stores = _paths(application)
    if application.state in EDITABLE:
        _missing(application, reqs)
    _documents(application, reqs)
    _information_request(application, reqs)
    if application.state == AppState.INFO_REQUESTED:
        # While the merchant can edit again, what the checks found wrong is theirs to fix; under review it
        # is the officer's to raise (as an information request), so it is not shown before.
        results = CheckResult.objects.filter(
            application=application, is_current=True, check_name__in=REQUIREMENT_CHECKS
        ).order_by("check_name")
        for result in results:
            _check(result, reqs, parties, stores)
    if application.state in UNDER_REVIEW:
        reqs.pending_verification.insert(0, "application")  # the review itself, never which check
    for source in _SOURCES:
        source(application, reqs)
    reqs.eventually_due = list(reqs.currently_due)
    return ApplicationRequirements(reqs, _wallets(application, reqs))
