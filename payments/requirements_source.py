"""What the acquirer still verifies or needs, for the requirements selector (onboarding's one answer to
"what is still needed", for the merchant, the officers and the partner API).

While boarding waits for the acquirer's own checks, ``acquirer_verification`` is pending. When the
acquirer asked for something only a person can give (the application is back in review), its latest
requirements (the internal ``acquirer_requirements`` event) are translated into our field paths and shown
as pending: the officer raises them with the merchant as an information request, whose items then become
``currently_due`` the usual way.
"""

from __future__ import annotations

from onboarding.models import Application, Event
from onboarding.states import AppState
from payments.models import AcquirerObject

# The acquirer's requirement names (Stripe's) → our field paths.
PREFIXES = (
    ("company.tax_id", "business.tax_id"),
    ("company.name", "business.legal_name"),
    ("company.address", "business.address"),
    ("company.phone", "business.phone"),
    ("company", "business"),
    ("business_profile.url", "business.website"),
    ("business_profile.mcc", "business.mcc"),
    ("business_profile", "business"),
    ("external_account", "bank_account"),
    ("tos_acceptance", "agreement"),
    ("individual", "parties[0]"),
)
PERSON_FIELDS = (("dob", "date_of_birth"), ("ssn_last_4", "id_number"), ("id_number", "id_number"),
                 ("address", "address"), ("verification.document", "identity_document"))  # fmt: skip


def person_paths(application: Application) -> dict[str, str]:
    """The acquirer's person id → our ``parties[i]`` path, through the keys we created them with."""
    from payments.boarding import owner_identity

    merchant = application.merchant
    index = {owner_identity(p): i for i, p in enumerate(application.parties.all())}
    objects = AcquirerObject.objects.filter(
        merchant=merchant, kind=AcquirerObject.Kind.PERSON, acquirer_id__isnull=False
    )
    return {
        o.acquirer_id: f"parties[{index[o.key.rsplit(':', 1)[1]]}]" for o in objects if o.key.rsplit(":", 1)[1] in index
    }


def our_path(requirement: str, persons: dict[str, str]) -> str:
    head, _, rest = requirement.partition(".")
    if head in persons:
        for theirs, ours in PERSON_FIELDS:
            if rest.startswith(theirs):
                return f"{persons[head]}.{ours}"
        return persons[head]
    for theirs, ours in PREFIXES:
        if requirement == theirs or requirement.startswith(theirs + "."):
            return ours
    return "acquirer"


def acquirer_requirements(application: Application, reqs) -> None:
    if application.state == AppState.BOARDING:
        reqs.pending("acquirer_verification")
        return
    if application.state != AppState.IN_REVIEW or not application.merchant_id:
        return
    decisions = ("acquirer_requirements", "submitted", "approved")
    latest = Event.objects.filter(application=application, action__in=decisions).order_by("-id").first()
    if latest is None or latest.action != "acquirer_requirements":
        return  # back in review for another reason, or the acquirer's word predates a new decision
    wanted = latest.details.get("requirements") or {}
    persons = person_paths(application)
    names = [*wanted.get("past_due", []), *wanted.get("currently_due", [])]
    names += [error.get("requirement", "") for error in wanted.get("errors", [])]
    for name in names:
        if name:
            reqs.pending(our_path(name, persons))
