"""An invited merchant follows a partner's onboarding link in headless Chromium: the link's URL is left at
once for one without the token, they create an account with the invited address, confirm it from the email,
and land on the review step of the application the partner prepared, now in their own account."""

import re

import pytest
from django.conf import settings as django_settings
from django.core import mail

from onboarding.models import Application
from onboarding.services.actors import Actor
from onboarding.services.drafts import application_create_draft
from onboarding.services.onboarding_links import onboarding_link_create
from onboarding.services.partners import partner_create
from tests.factories import valid_draft
from tests.live import wait_for
from tests.onboarding.e2e.test_layout import PHONE, assert_fits
from tests.onboarding.e2e.test_merchant_journey import PASSWORD, in_db_thread

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
INVITED = "Mei.Lin@Example.com"


@pytest.fixture
def invitation(transactional_db, live_server, settings):
    """A partner's application and a link for its applicant, as the API will hand them out."""
    settings.PORTAL_BASE_URL = live_server.url
    partner = partner_create(actor=Actor.system("tests"), name="Harbor Payments ISO", kind="iso")
    actor = Actor.for_partner(partner)
    application = application_create_draft(actor=actor, channel="api", **valid_draft())
    _link, url = onboarding_link_create(application=application, email=INVITED, actor=actor)
    return application, url


def test_an_invited_merchant_signs_up_confirms_and_lands_on_their_application(
    invitation, live_server, served_static, browser
):
    application, url = invitation
    token = url.rstrip("/").rsplit("/", 1)[1]
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    seen = []
    page.on("request", lambda request: seen.append((request.url, request.headers.get("referer", ""))))

    page.goto(url)
    assert page.url == live_server.url + "/onboard/continue/"
    assert "Harbor Payments ISO" in page.inner_text("main")
    assert token not in page.content()

    with page.expect_navigation():
        page.click("main a:has-text('Create an account')")
    page.fill("#id_email", INVITED)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    # Signed up, back on the link's page: the address must be confirmed first.
    assert page.url == live_server.url + "/onboard/continue/"
    assert "Confirm your email address" in page.inner_text("main h1")
    assert in_db_thread(lambda: Application.objects.get(pk=application.pk).applicant_id) is None

    message = wait_for(
        lambda: next((m for m in mail.outbox if INVITED.lower() in [t.lower() for t in m.to]), None),
        what="the verification email",
    )
    confirm = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)
    page.goto(confirm)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    page.wait_for_url(f"**/applications/{application.public_id}/review/")
    assert application.legal_name in page.inner_text("main")
    assert "Welcome. Here is the application prepared for you" in page.inner_text("main")

    applicant = in_db_thread(lambda: Application.objects.select_related("applicant").get(pk=application.pk).applicant)
    assert applicant is not None and applicant.email.lower() == INVITED.lower()
    # The token was in the first request only, and never sent on as a referrer.
    assert [u for u, _referer in seen if token in u] == [url]
    assert not [u for u, referer in seen if token in referer]


def phone_in(browser, live_server, language: str):
    """A new browser on a 360 px phone (its own cookies: another device) reading in ``language``."""
    context = browser.new_context(viewport=PHONE)
    context.add_cookies([{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    return context.new_page()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_link_pages_fit_a_360_px_phone(invitation, live_server, served_static, browser, language):
    _application, url = invitation
    for shown, what in (("/onboard/continue/", "the link's sign-in page"), ("/onboard/expired/", "a used link's page")):
        page = phone_in(browser, live_server, language)
        page.goto(url)
        assert page.url == live_server.url + shown
        assert_fits(page, language, what)
