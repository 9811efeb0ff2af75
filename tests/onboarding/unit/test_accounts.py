"""Merchant accounts through django-allauth: sign-up and email verification, sign-in by email, sign-out,
password reset, the verified-email rule for submitting, rate limits in the shared cache, TOTP and
recovery codes, the recent-login guard and staff on the merchant site."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import include, path, reverse
from django.utils import translation

from onboarding.accounts import email_verified, recent_login_required, require_verified_email
from onboarding.errors import PermissionDenied
from tests.factories import UserFactory
from tests.onboarding.unit.test_deploy_checks import check_deploy, production, refusals  # noqa: F401 (a fixture)
from tests.staff import totp_enrol

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


@recent_login_required
def settlement_account_stand_in(request):
    return HttpResponse(f"changed by {request.user.email}")


# The test's own URL for the recent-login guard (this module is also that URLconf).
urlpatterns = [
    path("guarded/", settlement_account_stand_in, name="guarded"),
    path("", include("portal.urls")),
]


@pytest.fixture(autouse=True)
def empty_cache():
    # The rate limits count in the cache; each test starts with none used.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def language_reset():
    # A sign-in may activate a saved language in the thread: the tests after these ones start in English.
    yield
    translation.activate(settings.LANGUAGE_CODE)


def sign_in(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def verified_user(**kwargs):
    user = UserFactory(**kwargs)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def link_in(message) -> str:
    return re.search(r"https?://testserver(/\S+)", message.body).group(1)


def test_sign_up_sends_a_verification_email_whose_link_verifies_the_address(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "Owner@TeaHouse.example", "password1": "jasmine-pearl-2026", "password2": "jasmine-pearl-2026"},
    )
    assert response.status_code == 302
    user = get_user_model().objects.get(email__iexact="owner@teahouse.example")
    # Email is the login: the user name is the address, lower-cased, so the admin and the selectors keep working.
    assert user.username == "owner@teahouse.example"
    assert not email_verified(user)
    # Signed in straight away: the merchant may fill in the application before verifying.
    assert client.get(reverse("merchant-home")).status_code == 200

    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["owner@teahouse.example"]
    assert "WalletBoard" in mail.outbox[0].subject + mail.outbox[0].body
    confirm = link_in(mail.outbox[0])
    assert client.get(confirm).status_code == 200  # a page with a button: a mail scanner's GET verifies nothing
    assert not email_verified(user)
    client.post(confirm)
    assert email_verified(user)


def test_an_unverified_merchant_cannot_submit_and_a_verified_one_can():
    unverified = UserFactory()
    EmailAddress.objects.create(user=unverified, email=unverified.email, primary=True, verified=False)
    with pytest.raises(PermissionDenied) as refused:
        require_verified_email(unverified)
    assert refused.value.code == "email_not_verified"
    assert "confirm your email address before you submit" in refused.value.message

    with pytest.raises(PermissionDenied):
        require_verified_email(UserFactory())  # no address recorded at all
    require_verified_email(verified_user())


def test_a_merchant_signs_in_with_the_email_address_in_any_case(client):
    user = verified_user()
    response = sign_in(client, user.email.upper())
    assert response.status_code == 302 and response["Location"] == reverse("merchant-home")
    assert client.get(reverse("merchant-home")).wsgi_request.user == user


def test_a_wrong_password_is_refused_without_saying_whether_the_account_exists(client):
    user = verified_user()
    wrong = sign_in(client, user.email, "not-the-password")
    unknown = sign_in(client, "nobody@example.com", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    assert wrong.context["form"].errors == unknown.context["form"].errors


def test_sign_out_by_get_asks_for_confirmation_and_by_post_signs_out(client):
    user = verified_user()
    sign_in(client, user.email)
    page = client.get(reverse("account_logout"))
    assert page.status_code == 200 and "Are you sure you want to sign out?" in page.content.decode()
    assert client.get(reverse("merchant-home")).status_code == 200  # still signed in
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert client.get(reverse("merchant-home")).status_code == 302


def test_the_old_url_names_lead_to_the_allauth_pages(client):
    assert reverse("login") == reverse("account_login") == "/accounts/login/"
    assert reverse("logout") == reverse("account_logout") == "/accounts/logout/"
    assert client.get(reverse("merchant-home"))["Location"].startswith("/accounts/login/")


def test_a_password_reset_email_sets_a_new_password(client):
    user = verified_user()
    assert client.post(reverse("account_reset_password"), {"email": user.email}).status_code == 302
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    reset = client.get(link_in(mail.outbox[0]), follow=True)  # the key moves into the session
    form_url = reset.redirect_chain[-1][0]
    client.post(form_url, {"password1": "oolong-harvest-2027", "password2": "oolong-harvest-2027"})
    user.refresh_from_db()
    assert user.check_password("oolong-harvest-2027")


def test_a_signed_in_merchant_changes_the_password(client):
    user = verified_user()
    sign_in(client, user.email)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "longjing-spring-2027", "password2": "longjing-spring-2027"},
    )
    user.refresh_from_db()
    assert user.check_password("longjing-spring-2027")


def test_the_rate_limits_count_in_a_cache_every_process_shares(client):
    backend = settings.CACHES["default"]["BACKEND"]
    assert backend in ("django.core.cache.backends.db.DatabaseCache", "django.core.cache.backends.redis.RedisCache")
    assert "locmem" not in backend.lower()

    user = verified_user()
    for _ in range(5):
        assert "too many" not in sign_in(client, user.email, "guess").content.decode().lower()
    # The sixth try is refused before the password is looked at, even the right one.
    refused = sign_in(client, user.email)
    assert refused.status_code == 200 and "too many failed login attempts" in refused.content.decode().lower()
    assert not refused.wsgi_request.user.is_authenticated
    # The count lives in the cache, not in this process's memory: emptying the cache lets the owner in.
    cache.clear()
    assert sign_in(client, user.email).status_code == 302


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def activate_totp(client, user) -> str:
    """Activate an authenticator app as the merchant would: confirm the password, scan, type a code."""
    page = client.get(reverse("mfa_activate_totp"), follow=True)
    if page.redirect_chain:  # adding an authenticator asks for the password again
        assert page.redirect_chain[-1][0].startswith(reverse("account_reauthenticate"))
        page = client.post(page.redirect_chain[-1][0], {"password": PASSWORD}, follow=True)
    secret = page.context["form"].secret
    assert secret in page.content.decode()  # shown beside the QR code, for typing in by hand
    done = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)}, follow=True)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert done.status_code == 200
    return secret


def test_a_merchant_turns_on_totp_and_the_next_sign_in_asks_for_a_code(client):
    user = verified_user()
    sign_in(client, user.email)
    overview = client.get(reverse("account-overview")).content.decode()
    assert reverse("mfa_index") in overview and "Turn on two-factor authentication" in overview
    secret = activate_totp(client, user)
    # Recovery codes come with it; the secret is stored encrypted, never as typed into the app.
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    stored = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP).data
    assert secret not in str(stored)
    assert "Manage two-factor authentication" in client.get(reverse("account-overview")).content.decode()

    client.post(reverse("account_logout"))
    response = sign_in(client, user.email)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("merchant-home")).status_code == 302  # not signed in without the code
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000" if totp_code(secret) != "000000" else "111111"})
    assert wrong.status_code == 200 and not wrong.wsgi_request.user.is_authenticated
    done = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert done.status_code == 302
    assert client.get(reverse("merchant-home")).status_code == 200


def test_a_recovery_code_signs_in_instead_of_the_app(client):
    user = verified_user()
    sign_in(client, user.email)
    activate_totp(client, user)
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).wrap().get_unused_codes()
    client.post(reverse("account_logout"))
    sign_in(client, user.email)
    assert client.post(reverse("mfa_authenticate"), {"code": codes[0]}).status_code == 302
    assert client.get(reverse("merchant-home")).status_code == 200


@pytest.mark.urls(__name__)
def test_the_recent_login_guard_asks_for_the_password_after_the_window(client, settings, monkeypatch):
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
    user = verified_user()
    assert client.get("/guarded/")["Location"].startswith(reverse("account_login"))  # anonymous: sign in first

    sign_in(client, user.email)
    assert client.get("/guarded/").status_code == 200  # just signed in: recent enough

    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 301)
    stale = client.get("/guarded/")
    assert stale.status_code == 302 and stale["Location"].startswith(reverse("account_reauthenticate"))
    assert "next=%2Fguarded%2F" in stale["Location"]
    wrong = client.post(stale["Location"], {"password": "not-the-password"})
    assert wrong.status_code == 200
    back = client.post(stale["Location"], {"password": PASSWORD})
    assert back.status_code == 302 and back["Location"] == "/guarded/"
    assert client.get("/guarded/").content.decode() == f"changed by {user.email}"


@pytest.mark.urls(__name__)
def test_a_change_posted_after_the_window_is_replayed_once_the_password_is_confirmed(client, monkeypatch):
    user = verified_user()
    sign_in(client, user.email)
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 3600)
    stale = client.post("/guarded/", {"routing_number": "121000358"})
    assert stale.status_code == 302 and stale["Location"].startswith(reverse("account_reauthenticate"))
    resumed = client.post(stale["Location"], {"password": PASSWORD})
    assert resumed.status_code == 200 and resumed.content.decode() == f"changed by {user.email}"


SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_staff_signing_in_on_the_merchant_site_see_the_admin_link_and_no_empty_card(client):
    officer = verified_user(is_staff=True)
    totp_enrol(officer, SECRET)
    sign_in(client, officer.email)
    client.post(reverse("mfa_authenticate"), {"code": totp_code(SECRET)})
    home = client.get(reverse("merchant-home")).content.decode()
    assert reverse("admin:index") in home and "Open the admin" in home
    assert "You have no application yet." not in home

    merchant = verified_user()
    client.post(reverse("account_logout"))
    sign_in(client, merchant.email)
    home = client.get(reverse("merchant-home")).content.decode()
    assert reverse("admin:index") not in home and "You have no application yet." in home


def test_a_changed_email_address_becomes_the_user_name_once_verified(client):
    user = verified_user()
    sign_in(client, user.email)
    client.get(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("account_email"), {"action_add": "", "email": "New.Owner@example.com"})
    assert mail.outbox and mail.outbox[-1].to == ["new.owner@example.com"]
    client.post(link_in(mail.outbox[-1]))
    user.refresh_from_db()
    assert user.email == user.username == "new.owner@example.com"
    client.post(reverse("account_logout"))
    assert sign_in(client, "new.owner@example.com").status_code == 302


def test_the_demo_users_addresses_are_verified_once(client):
    from onboarding.demo import DEMO_PASSWORD, USERS, load_demo_data

    load_demo_data()
    load_demo_data()
    for email, _, _ in USERS:
        assert EmailAddress.objects.filter(email=email, verified=True, primary=True).count() == 1
    response = client.post(reverse("account_login"), {"login": "merchant@example.com", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    assert email_verified(response.wsgi_request.user)


def test_cache_url_chooses_redis_and_its_absence_the_database_table():
    from django.core.exceptions import ImproperlyConfigured

    from portal.settings import cache_from_url

    assert cache_from_url("")["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    redis = cache_from_url("redis://127.0.0.1:6379/1")
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://127.0.0.1:6379/1"
    with pytest.raises(ImproperlyConfigured):
        cache_from_url("locmem://")


def test_failed_logins_are_counted_in_redis_when_cache_url_names_it(client, settings):
    import redis as redis_client

    from portal.settings import cache_from_url
    from tests.conftest import need

    url = "redis://127.0.0.1:6379/14"  # a database of its own: the test empties it
    try:
        reachable = redis_client.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis_client.exceptions.ConnectionError:
        reachable = False
    need(reachable, "Redis on 127.0.0.1:6379")
    settings.CACHES = {"default": cache_from_url(url)}
    try:
        cache.clear()
        user = verified_user()
        for _ in range(5):
            sign_in(client, user.email, "guess")
        assert redis_client.Redis.from_url(url).dbsize() > 0  # the counts are there, not in this process
        assert "too many failed login attempts" in sign_in(client, user.email).content.decode().lower()
    finally:
        cache.clear()


def test_check_deploy_refuses_a_cache_that_lives_in_each_process(production):  # noqa: F811 (the fixture)
    assert "no issues" in check_deploy()  # the database cache, the default, passes
    for backend in ("django.core.cache.backends.locmem.LocMemCache", "django.core.cache.backends.dummy.DummyCache"):
        production.CACHES = {"default": {"BACKEND": backend}}
        ids, report = refusals()
        assert ids == {"portal.E008"}
        assert "not shared between processes" in report
