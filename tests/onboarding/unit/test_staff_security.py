"""Staff sign in with a password and an authenticator code, at every sign-in and before any admin page; a
staff member without an authenticator sets one up first; the admin's login is allauth's (with its rate
limits); a staff session ends after 30 idle minutes while merchants keep theirs."""

import time
from datetime import timedelta

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from onboarding.models import OwedWork
from onboarding.roles import ADMINISTRATOR, COMPLIANCE_OFFICER
from onboarding.staff_security import LAST_SEEN_KEY
from tests.factories import UserFactory, officer
from tests.staff import staff_login, totp_code, totp_enrol

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
ADMIN_INDEX = "/admin/"


def sign_in(client, user, password: str = PASSWORD, next_url: str = ADMIN_INDEX):
    return client.post(f"{reverse('account_login')}?next={next_url}", {"login": user.email, "password": password})


def code_now() -> str:
    return totp_code(SECRET, time.time())


def test_a_staff_sign_in_asks_for_the_authenticator_code_and_then_opens_the_admin(client):
    user = officer(COMPLIANCE_OFFICER)
    totp_enrol(user, SECRET)
    to_login = client.get(ADMIN_INDEX)
    assert to_login.status_code == 302 and to_login["Location"].startswith(reverse("admin:login"))
    to_allauth = client.get(to_login["Location"])
    assert to_allauth["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2F"

    asked = sign_in(client, user)
    assert asked.status_code == 302 and asked["Location"] == reverse("mfa_authenticate")
    assert client.get(ADMIN_INDEX).status_code == 302  # the password alone signs nobody in
    passed = client.post(reverse("mfa_authenticate"), {"code": code_now()})
    assert passed.status_code == 302 and passed["Location"] == ADMIN_INDEX
    index = client.get(ADMIN_INDEX)
    assert index.status_code == 200 and "Compliance review" in index.content.decode()


def test_a_staff_session_without_a_second_factor_is_refused_until_a_code_is_given(client):
    user = officer(ADMINISTRATOR)
    totp_enrol(user, SECRET)
    stuck = OwedWork.objects.create(kind="test", subject_type="application", subject_id="app_x", max_attempts=1,
                                    status=OwedWork.Status.NEEDS_ATTENTION, due_at=timezone.now())  # fmt: skip
    client.force_login(user)  # a session made without allauth's sign-in: no authenticator code in it

    for url in (ADMIN_INDEX, "/admin/onboarding/owedwork/", reverse("merchant-home")):
        refused = client.get(url)
        assert refused.status_code == 302
        assert refused["Location"].startswith(reverse("mfa_reauthenticate"))
    action = client.post("/admin/onboarding/owedwork/", {"action": "retry", "_selected_action": [stuck.pk]})
    assert action.status_code == 302 and action["Location"].startswith(reverse("mfa_reauthenticate"))
    stuck.refresh_from_db()
    assert stuck.status == OwedWork.Status.NEEDS_ATTENTION

    confirmed = client.post(f"{reverse('mfa_reauthenticate')}?next=/admin/", {"code": code_now()})
    assert confirmed.status_code == 302 and confirmed["Location"] == ADMIN_INDEX
    assert client.get(ADMIN_INDEX).status_code == 200


def test_a_staff_member_without_an_authenticator_sets_one_up_before_anything_else(client):
    user = officer(COMPLIANCE_OFFICER)
    assert sign_in(client, user)["Location"] == ADMIN_INDEX  # no authenticator yet: the password signs in
    for url in (ADMIN_INDEX, "/admin/onboarding/application/", reverse("merchant-home"), reverse("account-overview")):
        sent = client.get(url)
        assert sent.status_code == 302 and sent["Location"] == reverse("mfa_activate_totp"), url
    page = client.get(reverse("mfa_activate_totp"), follow=True)
    assert "Set one up to continue" in " ".join(str(m) for m in get_messages(page.wsgi_request))
    reauthenticate = page.redirect_chain[-1][0]  # adding an authenticator asks for the password again
    assert reauthenticate.startswith(reverse("account_reauthenticate"))
    page = client.post(reauthenticate, {"password": PASSWORD}, follow=True)
    assert page.status_code == 200 and page.request["PATH_INFO"] == reverse("mfa_activate_totp")
    secret = page.context["form"].secret
    activated = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret, time.time())})
    assert activated.status_code == 302 and activated["Location"] == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200

    # Enrolled: the session still has to show a code from the new authenticator before the admin opens.
    again = client.get(ADMIN_INDEX)
    assert again["Location"].startswith(reverse("mfa_reauthenticate"))
    client.post(again["Location"], {"code": totp_code(secret, time.time())})
    assert client.get(ADMIN_INDEX).status_code == 200


def test_the_admin_login_is_allauths_with_its_rate_limits(client):
    assert (
        client.get("/admin/login/?next=/admin/onboarding/")["Location"]
        == "/accounts/login/?next=%2Fadmin%2Fonboarding%2F"
    )
    assert client.get("/admin/login/?next=https://evil.example/")["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    user = officer(COMPLIANCE_OFFICER)
    totp_enrol(user, SECRET)
    for _ in range(5):
        assert sign_in(client, user, password="wrong-password-1").status_code == 200
    refused = sign_in(client, user)
    assert refused.status_code == 200 and "too many failed login attempts" in refused.content.decode().lower()


def test_a_signed_in_user_who_is_not_staff_is_refused_the_admin(client):
    client.force_login(UserFactory())
    assert client.get("/admin/login/?next=/admin/").status_code == 403
    assert client.get(ADMIN_INDEX, follow=True).status_code == 403


def test_a_staff_session_ends_after_30_idle_minutes_and_a_merchants_does_not(client):
    user = officer(COMPLIANCE_OFFICER)
    staff_login(client, user)
    assert client.get(ADMIN_INDEX).status_code == 200
    assert client.session.get_expiry_age() == settings.STAFF_SESSION_IDLE_SECONDS == 30 * 60
    stored = Session.objects.get(session_key=client.session.session_key)
    assert stored.expire_date <= timezone.now() + timedelta(minutes=30)

    session = client.session
    session[LAST_SEEN_KEY] = time.time() - 29 * 60
    session.save()
    assert client.get(ADMIN_INDEX).status_code == 200  # 29 idle minutes: still signed in, and the clock restarts

    session = client.session
    session[LAST_SEEN_KEY] = time.time() - 31 * 60
    session.save()
    expired = client.get(ADMIN_INDEX)
    assert expired.status_code == 302 and expired["Location"] == "/accounts/login/?next=%2Fadmin%2F"
    assert "signed out after 30 minutes" in " ".join(str(m) for m in get_messages(expired.wsgi_request))
    assert client.get(ADMIN_INDEX)["Location"].startswith(reverse("admin:login"))  # signed out

    merchant = UserFactory()
    client.post(reverse("account_login"), {"login": merchant.email, "password": PASSWORD})
    client.get(reverse("merchant-home"))
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_staff_cannot_remove_their_authenticator_and_merchants_can(client):
    user = officer(COMPLIANCE_OFFICER)
    staff_login(client, user)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    refused = client.post(reverse("mfa_deactivate_totp"))
    assert refused.status_code == 200 and "cannot" in refused.content.decode().lower()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()

    merchant = UserFactory()
    totp_enrol(merchant, SECRET)
    client.post(reverse("account_logout"))
    sign_in(client, merchant, next_url="/")
    client.post(reverse("mfa_authenticate"), {"code": code_now()})
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("mfa_deactivate_totp"))
    assert not Authenticator.objects.filter(user=merchant, type=Authenticator.Type.TOTP).exists()
