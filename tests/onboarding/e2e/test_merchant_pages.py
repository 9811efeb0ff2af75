"""Every merchant page on a 360 px phone, in English and Chinese: no sideways scrolling, and an axe-core
scan (axe-playwright-python bundles it) finds no serious or critical violation. The English run keeps a
screenshot of each page at 360 px for the README."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.utils import timezone

from onboarding.models import Application, InfoRequest
from onboarding.states import AppState
from tests.factories import UserFactory, draft_application, officer
from tests.onboarding.e2e.test_layout import PHONE, assert_fits

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots" / "journey" / "360"
STEPS = ("start", "business", "owners", "bank", "stores", "documents", "review")
BLOCKING = ("serious", "critical")


@pytest.fixture
def merchant_pages(db):
    """A merchant with a complete draft and an application with an open information request: every page."""
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    draft = draft_application(user=user)
    asked = draft_application(user=user, business={"dba": "Pearl River Tea"})
    Application.objects.filter(pk=asked.pk).update(state=AppState.INFO_REQUESTED, has_been_in_review=True,
                                                   submitted_at=timezone.now())  # fmt: skip
    InfoRequest.objects.create(application=asked, message="Please send a photo of your storefront.",
                               requested_by=officer(), due_at=timezone.now() + timedelta(days=30))  # fmt: skip
    pages = {"home": "/", "new": "/applications/new/", "account": "/accounts/"}
    pages.update({f"step-{step}": f"/applications/{draft.public_id}/{step}/" for step in STEPS})
    pages["status-draft"] = f"/applications/{draft.public_id}/"
    pages["status-information-requested"] = f"/applications/{asked.public_id}/"
    pages["withdraw"] = f"/applications/{draft.public_id}/withdraw/"
    return user, pages


def sign_in(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_login", email)
    page.fill("#id_password", "correct-horse-battery")
    with page.expect_navigation():
        page.click("main form button[type=submit]")


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_merchant_page_fits_a_phone_and_passes_an_accessibility_scan(
    merchant_pages, live_server, served_static, browser, language
):
    user, pages = merchant_pages
    context = browser.new_context(viewport=PHONE, bypass_csp=True)  # axe is injected as a script
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    sign_in(page, live_server.url, user.email)
    axe = Axe()
    problems = {}
    for name, path in pages.items():
        response = page.goto(live_server.url + path)
        assert response.status == 200, f"{name}: {response.status}"
        assert_fits(page, language, name)
        violations = axe.run(page).response["violations"]
        blocking = [f"{v['id']} ({v['impact']}): {v['help']}" for v in violations if v["impact"] in BLOCKING]
        if blocking:
            problems[name] = blocking
        if language == "en" and os.environ.get("PORTAL_SCREENSHOTS") == "1":  # make screenshots
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    context.close()
    assert problems == {}


def test_the_scan_would_find_a_serious_violation(live_server, served_static, browser):
    """The scan is real: a page with an input without a label fails it."""
    page = browser.new_page()
    page.set_content("<html lang='en'><body><main><input type='text'></main></body></html>")
    impacts = {v["impact"] for v in Axe().run(page).response["violations"]}
    assert impacts & set(BLOCKING)
