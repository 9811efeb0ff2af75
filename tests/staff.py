"""How tests sign a staff member in to the admin: as the real sign-in does, with a second factor.

The user gets a TOTP authenticator (and recovery codes) if they have none, and the session holds what
allauth records for a sign-in with a password and then an authenticator code, so the staff MFA rule
(``onboarding.staff_security``) lets it through exactly as it lets a real staff sign-in through.
"""

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.test import RequestFactory


def totp_enrol(user, secret: str | None = None) -> Authenticator:
    """The user's TOTP authenticator, made (with recovery codes) if they have none."""
    found = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if found is not None:
        return found
    authenticator = TOTP.activate(user, secret or generate_totp_secret()).instance
    RecoveryCodes.activate(user)
    return authenticator


def totp_code(secret: str, at: float) -> str:
    """The code an authenticator app shows at time ``at`` for ``secret``."""
    return format_hotp_value(hotp_value(secret, int(at) // mfa_settings.TOTP_PERIOD))


def staff_login(client, user) -> None:
    authenticator = totp_enrol(user)
    client.force_login(user)
    session = client.session
    request = RequestFactory().get("/")
    request.session, request.user = session, user
    record_authentication(request, user, "password", email=user.email)
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    session.save()
