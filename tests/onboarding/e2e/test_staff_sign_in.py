"""A staff member signs in to the admin in a real browser: email and password, then a code from their
authenticator app; a first sign-in sets the authenticator up before the admin opens. The admin index, in
the portal's branding, passes an accessibility scan."""

import time

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe

from onboarding.roles import COMPLIANCE_OFFICER
from tests.factories import officer
from tests.staff import totp_code, totp_enrol

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "correct-horse-battery"
HEADER = "WalletBoard — merchant onboarding compliance"
BLOCKING = ("serious", "critical")


@pytest.fixture
def staff_member(role_groups):
    user = officer(COMPLIANCE_OFFICER)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


@pytest.fixture
def enrolled(staff_member):
    totp_enrol(staff_member, SECRET)
    return staff_member


def submit(page, selector: str = "main form button[type=submit]") -> None:
    with page.expect_navigation():
        page.click(selector)


def sign_in_with_password(page, base: str, email: str) -> None:
    page.goto(base + "/admin/")
    assert "/accounts/login/" in page.url  # the admin signs in through the portal's sign-in page
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    submit(page)


def test_a_staff_member_signs_in_with_password_and_authenticator_code_and_reaches_the_admin(
    enrolled, live_server, served_static, browser
):
    page = browser.new_context(bypass_csp=True).new_page()  # axe is injected as a script
    sign_in_with_password(page, live_server.url, enrolled.email)
    assert "/accounts/2fa/authenticate/" in page.url
    page.fill("#id_code", totp_code(SECRET, time.time()))
    submit(page)
    assert page.url == live_server.url + "/admin/"
    assert page.locator("#site-name").inner_text() == HEADER
    assert "Compliance review" in page.locator("h1").first.inner_text()
    violations = Axe().run(page).response["violations"]
    assert [f"{v['id']}: {v['help']}" for v in violations if v["impact"] in BLOCKING] == []


def test_a_first_staff_sign_in_sets_up_the_authenticator_before_the_admin_opens(
    staff_member, live_server, served_static, browser
):
    page = browser.new_page()
    sign_in_with_password(page, live_server.url, staff_member.email)
    page.goto(live_server.url + "/admin/")
    assert "/accounts/reauthenticate/" in page.url  # adding an authenticator: the password once more
    page.fill("#id_password", PASSWORD)
    submit(page)
    assert "/accounts/2fa/totp/activate/" in page.url
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("#id_code", totp_code(secret, time.time()))
    submit(page)
    assert "/accounts/2fa/recovery-codes/" in page.url

    page.goto(live_server.url + "/admin/")
    assert "/accounts/2fa/reauthenticate/" in page.url  # the new authenticator's code opens the admin
    page.fill("#id_code", totp_code(secret, time.time()))
    submit(page)
    assert page.url == live_server.url + "/admin/"
    assert page.locator("#site-name").inner_text() == HEADER
