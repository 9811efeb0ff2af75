"""Hosted onboarding links: a partner's way to hand an application it started to the merchant.

A partner fills in what it knows through the API, then asks for a link for the applicant's email address
and gives the URL to the merchant. The merchant opens it, signs in or signs up, and finds the application
in their own account: they review it, add documents and sign the agreement themselves, with their own IP
address and user agent. A partner never signs for a merchant.

What this module guarantees:

- A link is single-use and short-lived (``ONBOARDING_LINK_MINUTES``, default 15). Only the SHA-256 of its
  token is stored; the token itself exists once, in the URL returned by ``onboarding_link_create``.
- Opening a link (``onboarding_link_exchange``) uses it up, with one conditional update: of two requests
  with the same token exactly one exchanges it, the other is told it was used.
- A used link gives nothing by itself. The application is attached to a user
  (``onboarding_link_claim``) only when that user has verified an email address equal, case-insensitively,
  to the one the link was created for, so a forwarded link gives a stranger nothing; and never when
  another user is already the application's applicant.
- Every creation, exchange, refusal and claim is an event with its actor.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding.errors import InvalidTransition, PermissionDenied
from onboarding.input import FieldErrors, clean_text, text_limit
from onboarding.models import Application, OnboardingLink
from onboarding.services.access import ensure_can_act_for
from onboarding.services.actors import Actor
from onboarding.services.events import event_record
from onboarding.states import AppState

TOKEN_BYTES = 32  # 256 random bits: a plain SHA-256 is enough, as for the partners' API keys
MAX_MINUTES = 24 * 60


class Outcome:
    """What opening a link came to."""

    EXCHANGED = "exchanged"
    USED = "used"
    EXPIRED = "expired"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Exchange:
    outcome: str
    link: OnboardingLink | None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_minutes() -> int:
    return settings.ONBOARDING_LINK_MINUTES


def _clean_email(value, errors: FieldErrors) -> str:
    # No longer than an account's address may be, or nobody could ever sign up with it.
    longest = min(text_limit(OnboardingLink, "email"), settings.ACCOUNT_EMAIL_MAX_LENGTH)
    email = errors.clean("email", clean_text, value, max_length=longest, required=True)
    if "email" in errors:
        return ""
    try:
        EmailValidator(message=_("Enter a valid email address."))(email)
    except ValidationError as exc:
        errors.refuse("email", exc.messages[0])
        return ""
    return email


def _clean_minutes(value, errors: FieldErrors) -> int:
    if value is None:
        return link_minutes()
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MINUTES:
        errors.refuse(
            "expires_in_minutes", _("Give a whole number of minutes from 1 to %(maximum)d.") % {"maximum": MAX_MINUTES}
        )
        return 0
    return value


def onboarding_link_create(
    *, application: Application, email: str, actor: Actor, expires_in_minutes: int | None = None
) -> tuple[OnboardingLink, str]:
    """A new link to ``application`` for the applicant at ``email``, and its URL (never shown again).

    The application must still be open to changes by the merchant (draft, or information requested).
    Earlier links stay as they are: each expires on its own, and each is for one use."""
    ensure_can_act_for(application, actor)
    errors = FieldErrors()
    email = _clean_email(email, errors)
    minutes = _clean_minutes(expires_in_minutes, errors)
    errors.raise_if_any()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        locked = Application.objects.select_for_update(no_key=True).get(pk=application.pk)
        if locked.state not in AppState.EDITABLE:
            raise InvalidTransition(_("An onboarding link can only be made while the application can be changed."))
        now = timezone.now()
        link = OnboardingLink.objects.create(
            application=locked,
            email=email,
            token_hash=token_hash(token),
            expires_at=now + timedelta(minutes=minutes),
        )
        event_record(
            actor=actor,
            subject=locked,
            action="onboarding_link_created",
            details={"link": link.public_id, "expires_at": link.expires_at.isoformat()},
        )
    return link, settings.PORTAL_BASE_URL + reverse("onboarding-link-open", args=[token])


def onboarding_link_exchange(*, token: str, actor: Actor) -> Exchange:
    """Use up the link with this token, if it is unused and unexpired; say what happened otherwise.

    ``actor`` is whoever opened it: the signed-in user, or the system's name for an anonymous visitor."""
    digest = token_hash(token) if isinstance(token, str) else ""
    now = timezone.now()
    with transaction.atomic():
        exchanged = OnboardingLink.objects.filter(token_hash=digest, used_at__isnull=True, expires_at__gt=now).update(
            used_at=now
        )
        link = OnboardingLink.objects.select_related("application").filter(token_hash=digest).first()
        if link is None:
            return Exchange(Outcome.UNKNOWN, None)
        outcome = Outcome.EXCHANGED if exchanged else Outcome.EXPIRED if link.used_at is None else Outcome.USED
        event_record(
            actor=actor,
            subject=link.application,
            action="onboarding_link_opened" if exchanged else "onboarding_link_refused",
            details={"link": link.public_id} if exchanged else {"link": link.public_id, "reason": outcome},
        )
    return Exchange(outcome, link)


class ClaimRefused(PermissionDenied):
    """Why a user may not take an application through a link; ``code`` is one of the class's codes."""

    EMAIL_MISMATCH = "email_mismatch"
    EMAIL_NOT_VERIFIED = "email_not_verified"
    CLAIMED_BY_ANOTHER = "claimed_by_another"
    NOT_OPENED = "not_opened"


def has_address(user, email: str, *, verified: bool) -> bool:
    addresses = EmailAddress.objects.filter(user=user, email__iexact=email)
    return addresses.filter(verified=True).exists() if verified else addresses.exists()


def onboarding_link_claim(*, link: OnboardingLink, user) -> Application:
    """Attach the link's application to ``user`` (as its applicant) and return it.

    Refused (``ClaimRefused``) unless the link was opened, the user has verified the link's address, and
    no other user is the application's applicant. Claiming again as the same user changes nothing."""
    actor = Actor.for_user(user)
    if not has_address(user, link.email, verified=True):
        if has_address(user, link.email, verified=False):
            raise ClaimRefused(
                _("Confirm your email address to open this application."), code=ClaimRefused.EMAIL_NOT_VERIFIED
            )
        raise ClaimRefused(_("This invitation was sent to another email address."), code=ClaimRefused.EMAIL_MISMATCH)
    with transaction.atomic():
        locked = OnboardingLink.objects.select_for_update().get(pk=link.pk)
        application = Application.objects.select_for_update(no_key=True).get(pk=locked.application_id)
        if locked.used_at is None:
            raise ClaimRefused(_("This link has not been opened."), code=ClaimRefused.NOT_OPENED)
        taken = application.applicant_id is not None and application.applicant_id != user.pk
        if taken or (locked.claimed_by_id is not None and locked.claimed_by_id != user.pk):
            raise ClaimRefused(
                _("This application already belongs to another account."), code=ClaimRefused.CLAIMED_BY_ANOTHER
            )
        if locked.claimed_by_id == user.pk and application.applicant_id == user.pk:
            return application
        if application.applicant_id is None:
            application.applicant = user
            application.save(update_fields=["applicant", "updated_at"])
        locked.claimed_by, locked.claimed_at = user, timezone.now()
        locked.save(update_fields=["claimed_by", "claimed_at"])
        event_record(
            actor=actor, subject=application, action="onboarding_link_claimed", details={"link": locked.public_id}
        )
    return application
