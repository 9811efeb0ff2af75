"""Staff sessions: multi-factor at every sign-in, enrolment on the first, and 30 idle minutes at most.

A staff account (``is_staff``) holds merchants' personal data and sanctions decisions, so a password alone
never opens a staff session:

- A staff member without a TOTP authenticator, once signed in with their password, is sent to set one up
  (allauth's page, which also gives the recovery codes) and can open nothing else until it is done.
- A staff member with one passes allauth's authenticator step at sign-in, which records an ``"mfa"``
  authentication in the session (``allauth.account.authentication.get_authentication_records``). A staff
  session without that record (just enrolled, or signed in some other way) is sent to allauth's
  authenticator-code confirmation (``mfa_reauthenticate``), which records it, before any other page.
- A staff session ends after ``STAFF_SESSION_IDLE_SECONDS`` (30 minutes) without a request: the session's
  expiry is reset at each request, so the store drops it, and the middleware also compares the time of the
  last request itself, whatever the session store. Merchants keep ``SESSION_COOKIE_AGE``.
- A staff member cannot remove their TOTP authenticator (``MFAAdapter.can_delete_authenticator``).

The pages needed to enrol or leave (allauth's authenticator pages, reauthentication, sign-out, the
language switch) stay open to a staff session that is not yet MFA-authenticated.
"""

import time

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext

LAST_SEEN_KEY = "staff_last_seen"
OPEN_URL_NAMES = frozenset(
    {
        "account_logout",
        "account_reauthenticate",
        "mfa_reauthenticate",
        "mfa_index",
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
        "set_language",
        # Opening an onboarding link only trades its token for a session value: never a redirect that
        # would carry the token on in a ``next``.
        "onboarding-link-open",
    }
)


def idle_seconds() -> int:
    return settings.STAFF_SESSION_IDLE_SECONDS


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()


def mfa_authenticated(request) -> bool:
    """Whether this session's sign-in passed a second factor (allauth's record of an authenticator code)."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def is_open_path(path: str) -> bool:
    try:
        return resolve(path).url_name in OPEN_URL_NAMES
    except Resolver404:
        return False


def sign_in_again(request, message: str):
    path = request.get_full_path()
    logout(request)
    messages.warning(request, message)
    return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: path})}")


def staff_refusal(request):
    """The answer to a staff request this session may not make, or None."""
    last_seen = request.session.get(LAST_SEEN_KEY)
    if last_seen is not None and time.time() - float(last_seen) > idle_seconds():
        return sign_in_again(
            request,
            gettext("You were signed out after %(minutes)d minutes without activity. Please sign in again.")
            % {"minutes": idle_seconds() // 60},
        )
    if is_open_path(request.path_info):
        return None
    if not has_totp(request.user):
        messages.info(
            request,
            gettext("Staff accounts sign in with an authenticator app. Set one up to continue."),
        )
        return redirect("mfa_activate_totp")
    if not mfa_authenticated(request):
        messages.info(request, gettext("Staff confirm their sign-in with a code from their authenticator app."))
        return redirect(f"{reverse('mfa_reauthenticate')}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}")
    return None


LAST_SEEN_PRECISION_SECONDS = 60


def is_staff_session(request) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


class StaffSessionMiddleware:
    """Applies the module's rules to every request of a staff session (after authentication and messages)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_staff_session(request):
            refusal = staff_refusal(request)
            if refusal is not None:
                return refusal
        response = self.get_response(request)
        if is_staff_session(request):  # also right after a staff sign-in, and never after a sign-out
            now = time.time()
            # Saving the session costs a write on every page; within a minute the idle limit loses nothing.
            if now - request.session.get(LAST_SEEN_KEY, 0) >= LAST_SEEN_PRECISION_SECONDS:
                request.session[LAST_SEEN_KEY] = now
                request.session.set_expiry(idle_seconds())
        return response
