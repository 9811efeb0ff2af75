"""Merchant accounts on top of django-allauth: what the application pages may rely on.

- Email is the login. ``User.username`` always holds the primary email address, lower-cased: the account
  adapter fills it at sign-up and ``username_follows_primary_email`` moves it when a merchant changes
  their address (allauth lets them do so only by verifying the new one). The admin, the selectors and
  the demo data keep working on ``username``.
- ``email_verified(user)`` is true when the user's primary address is verified. Signing in and filling in
  an application need no verification; submitting does: the submit view calls
  ``require_verified_email(user)``, which raises ``onboarding.errors.PermissionDenied`` otherwise.
- ``recent_login_required`` guards a view with allauth's reauthentication: a merchant who signed in or
  confirmed their password (or an authenticator code) within ``ACCOUNT_REAUTHENTICATION_TIMEOUT``
  seconds passes; anyone else is sent to confirm it and then comes back (a POST is replayed).
- TOTP secrets and recovery-code seeds are stored encrypted with ``FIELD_ENCRYPTION_KEYS``.
- The language: chosen with the header's switcher (``set_language``), kept in the language cookie and,
  once signed in, on the user (``UserPreference``); at every sign-in the saved language is applied and
  the cookie set to it; a first sign-in keeps the language the visitor had chosen before.

The signal receivers here are connected by ``OnboardingConfig.ready``.
"""

import logging
import time
from dataclasses import dataclass
from functools import wraps

from allauth.account import app_settings as account_settings
from allauth.account import signals as account_signals
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.account.decorators import reauthentication_required
from allauth.account.models import EmailAddress
from allauth.account.utils import user_email, user_username
from allauth.core import context as allauth_context
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.sites.shortcuts import get_current_site
from django.dispatch import receiver
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from onboarding import crypto
from onboarding.errors import PermissionDenied
from onboarding.models import UserPreference

logger = logging.getLogger(__name__)

SITE_NAME = "WalletBoard"
# What allauth records for a sign-in or a reauthentication that a person did just now.
RECENT_LOGIN_METHODS = frozenset({"password", "mfa"})


def email_verified(user) -> bool:
    """Whether the user's primary email address is verified (the address we write to about payouts)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return EmailAddress.objects.filter(user=user, primary=True, verified=True).exists()


def require_verified_email(user) -> None:
    """Refuse an action (submitting an application) until the user's primary email address is verified."""
    if not email_verified(user):
        raise PermissionDenied(
            gettext(
                "Please confirm your email address before you submit the application. Open the link in the "
                "email we sent you, or ask for a new one on your account page."
            ),
            code="email_not_verified",
        )


def signed_in_recently(request) -> bool:
    """Whether this session signed in, or confirmed its password or an authenticator code, within
    ``ACCOUNT_REAUTHENTICATION_TIMEOUT`` seconds."""
    if not request.user.is_authenticated:
        return False
    window = account_settings.REAUTHENTICATION_TIMEOUT
    now = time.time()
    return any(
        record.get("method") in RECENT_LOGIN_METHODS and now - float(record.get("at", 0)) < window
        for record in get_authentication_records(request, request.user)
    )


def recent_login_required(view_func=None, *, allow_get: bool = False):
    """A view only for a merchant who signed in recently (see the module's docstring).

    Anonymous visitors go to the sign-in page. ``allow_get=True`` lets GET through (showing a form) and
    guards only the other methods (changing something)."""

    def decorator(func):
        guarded = reauthentication_required(
            func, allow_get=allow_get, enabled=lambda request: not signed_in_recently(request)
        )
        return login_required(wraps(func)(guarded))

    return decorator(view_func) if view_func is not None else decorator


# Languages


def offered_language(code: str | None) -> str | None:
    """``code`` when it is one of the site's languages, else None."""
    if code and code in dict(settings.LANGUAGES):
        return code
    return None


def user_language(user) -> str | None:
    saved = UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
    return offered_language(saved)


def user_language_save(*, user, language: str) -> None:
    """Remember ``language`` (a code of settings.LANGUAGES) for the user's next sign-ins."""
    if offered_language(language) is None:
        raise ValueError(f"{language!r} is not one of the site's languages")
    UserPreference.objects.update_or_create(user=user, defaults={"language": language})


def set_language_cookie(response, language: str) -> None:
    # The same cookie, with the same attributes, as django.views.i18n.set_language sets.
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


@require_POST
def set_language(request):
    """Django's ``set_language`` (the cookie, then back to ``next``); a signed-in user's choice is also
    saved on their account."""
    response = django_set_language(request)
    language = offered_language(request.POST.get("language"))
    if language and request.user.is_authenticated and response.cookies.get(settings.LANGUAGE_COOKIE_NAME):
        user_language_save(user=request.user, language=language)
    return response


@receiver(account_signals.user_logged_in)
def apply_saved_language(sender, request, user, response=None, **kwargs):
    saved = user_language(user)
    if saved is None:
        chosen = offered_language(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        if chosen:
            user_language_save(user=user, language=chosen)
        return
    # Activated now, so that the "signed in" message of this very request is in that language too.
    translation.activate(saved)
    request.LANGUAGE_CODE = saved
    if response is not None:
        set_language_cookie(response, saved)


# Email as the login


@receiver(account_signals.email_changed)
def username_follows_primary_email(sender, request, user, to_email_address, **kwargs):
    address = to_email_address.email.lower()
    if user.username == address:
        return
    if get_user_model().objects.filter(username__iexact=address).exclude(pk=user.pk).exists():
        return  # a staff account created by hand holds that name; the login by email works regardless
    user.username = address
    user.save(update_fields=["username"])


@dataclass(frozen=True)
class PortalSite:
    """What allauth's email templates call the site: our name, and the host the request came to."""

    name: str
    domain: str


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user) -> None:
        email = (user_email(user) or "").lower()
        if email:
            user_username(user, email)
        else:
            super().populate_username(request, user)

    # A merchant who opened an onboarding link and then signed in, signed up or confirmed their address
    # (from any page) goes on with the link; ``next`` still wins where one was given.
    def get_login_redirect_url(self, request) -> str:
        from onboarding.web.links import pending_link_url

        return pending_link_url(request) or super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request) -> str:
        from onboarding.web.links import pending_link_url

        return pending_link_url(request) or super().get_signup_redirect_url(request)

    def get_email_verification_redirect_url(self, email_address) -> str:
        from onboarding.web.links import pending_link_url

        return pending_link_url(self.request) or super().get_email_verification_redirect_url(email_address)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Every account email is owed work of its user (none is lost to a failing mail server or a
        crash), sent at once; one to an address with no account behind it is just sent."""
        from onboarding.notifications import account_email_deliver, account_email_owe

        request = allauth_context.request
        domain = get_current_site(request).domain if request is not None else SITE_NAME
        context = {**context, "current_site": PortalSite(SITE_NAME, domain)}
        message = self.render_mail(template_prefix, email, context)
        user = context.get("user") or get_user_model().objects.filter(email__iexact=email).first()
        if user is None or user.pk is None:
            message.send()
            return
        work = account_email_owe(user=user, template_prefix=template_prefix, message=message)
        try:
            account_email_deliver(work=work)
        except Exception as exc:  # the mail server failed: the row stays owed, the sweeper retries it
            logger.warning("account email %s owed for later: %s", work.public_id, type(exc).__name__)


class MFAAdapter(DefaultMFAAdapter):
    """Authenticator secrets are credentials: encrypted at rest like the personal data. Staff must keep their
    TOTP authenticator (``onboarding.staff_security``): they may renew recovery codes, never remove it."""

    def can_delete_authenticator(self, authenticator) -> bool:
        if authenticator.type == authenticator.Type.TOTP and authenticator.user.is_staff:
            return False
        return super().can_delete_authenticator(authenticator)

    def encrypt(self, text: str) -> str:
        return crypto.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return crypto.decrypt(encrypted_text)


# The account page


@login_required
def account_overview(request):
    user = request.user
    primary = EmailAddress.objects.filter(user=user, primary=True).first()
    context = {
        "email": primary.email if primary else user.email,
        "email_verified": bool(primary and primary.verified),
        "mfa_enabled": is_mfa_enabled(user),
        "has_password": user.has_usable_password(),
    }
    return render(request, "account/overview.html", context)
