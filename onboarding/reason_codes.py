"""Reason codes and the plain, neutral words a merchant or partner reads for them.

What we tell a merchant never tips anyone off: a sanctions decline reads like any other decline.
Internal details (sanctions hits, risk factors, officers' notes) stay in internal events.

The public texts are translated (lazily: each is read in the language active where it is shown);
``public_text`` returns the sentence in the active language, as a plain string.
"""

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# code: text shown to the merchant and partner
PUBLIC_TEXT: dict[str, Promise] = {
    "created": _("You started the application."),
    "agreement_signed": _("You signed the merchant agreement."),
    "submitted": _("We have received your application."),
    "under_review": _("Your application is being reviewed. We will contact you if we need anything."),
    "info_requested": _("We need more information to continue. Please see the request below."),
    "info_answered": _("Thank you: we have received your answer and resumed the review."),
    "approved": _("Your application has been approved."),
    "declined": _("We are unable to approve your application at this time."),
    "withdrawn": _("The application was withdrawn."),
    "expired": _("The application expired because the requested information was not received in time."),
    "boarding": _("We are setting up your account with our payment processor."),
    "boarded": _("Your account is ready to accept payments."),
    "boarding_failed": _("Setting up your account needs more work on our side. We will be in touch."),
    "document_accepted": _("A document was accepted."),
    "document_rejected": _("A document could not be accepted. Please upload a new one."),
    "document_revision_requested": _("Please upload a new version of a document."),
    "merchant_active": _("Your merchant account is active."),
    "merchant_suspended": _("Your merchant account is temporarily on hold. We will contact you."),
    "merchant_closed": _("Your merchant account is closed."),
    "terminal_active": _("A terminal is live and ready to accept payments."),
}

# Default public text for each state, when an event carries no code of its own.
STATE_TEXT: dict[str, Promise] = {
    "submitted": PUBLIC_TEXT["submitted"],
    "screening": PUBLIC_TEXT["under_review"],
    "in_review": PUBLIC_TEXT["under_review"],
    "awaiting_second_approval": PUBLIC_TEXT["under_review"],
    "info_requested": PUBLIC_TEXT["info_requested"],
    "approved": PUBLIC_TEXT["approved"],
    "declined": PUBLIC_TEXT["declined"],
    "withdrawn": PUBLIC_TEXT["withdrawn"],
    "expired": PUBLIC_TEXT["expired"],
    "boarding": PUBLIC_TEXT["boarding"],
    "boarded": PUBLIC_TEXT["boarded"],
    "boarding_failed": PUBLIC_TEXT["boarding_failed"],
}

# Internal decline reasons an officer chooses from; all read as the neutral "declined" to the merchant.
DECLINE_REASONS: dict[str, str] = {
    "sanctions_match": "Confirmed sanctions match",
    "prohibited_business": "Prohibited or unsupported business",
    "identity_not_verified": "Identity could not be verified",
    "fraud_suspected": "Fraud suspected",
    "risk_too_high": "Risk above appetite",
    "incomplete": "Information not provided",
    "duplicate": "Duplicate of another application or merchant",
    "checks_failed": "Automated checks failed",
    "other": "Other (see the officer's note)",
}


def public_text(reason_code: str, state: str = "") -> str:
    """The neutral sentence for a reason code, falling back on the state's sentence."""
    text = PUBLIC_TEXT.get(reason_code) or STATE_TEXT.get(state)
    return str(text) if text else ""
