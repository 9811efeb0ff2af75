"""The officers' journey in headless Chromium against a live server on PostgreSQL: a compliance officer signs
in with an authenticator code, opens the first application of the queue (the oldest high-risk work), clears
a false-positive sanctions hit and asks for information; the merchant answers; the officer approves; because
clearing the hit requires it, a senior officer gives the second approval, and the application is approved.
Takes the README's screenshots of the queue and the review page when ``make screenshots`` runs."""

import os
import time

import pytest
from allauth.account.models import EmailAddress

from onboarding.models import Application, InfoRequest
from onboarding.roles import COMPLIANCE_OFFICER, SENIOR_COMPLIANCE_OFFICER
from onboarding.services.actors import Actor
from onboarding.services.applications import application_answer_info
from onboarding.states import AppState
from sanctions.models import SanctionsHit
from tests.factories import officer
from tests.onboarding.admin.helpers import MORENO, screened_in_review, with_parties
from tests.onboarding.e2e.test_merchant_journey import DESKTOP, SCREENSHOTS, in_db_thread
from tests.staff import totp_code, totp_enrol

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"
SECRETS = {"officer": "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP", "senior": "KRSXG5DSMFWGK3TUEBRWK3TUMVZGK4TX"}


def staff(role: str, secret: str):
    user = officer(role)
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    totp_enrol(user, secret)
    return user


@pytest.fixture
def people(role_groups, fresh_list):
    application = with_parties({**MORENO, "ownership_percent": 100})
    screened_in_review(application)
    return {
        "application": application,
        "officer": staff(COMPLIANCE_OFFICER, SECRETS["officer"]),
        "senior": staff(SENIOR_COMPLIANCE_OFFICER, SECRETS["senior"]),
    }


def shot(page, name: str) -> None:
    if os.environ.get("PORTAL_SCREENSHOTS") == "1":
        folder = SCREENSHOTS.parent / "admin"
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


def submit(page, selector: str) -> None:
    with page.expect_navigation():
        page.click(selector)


def sign_in(browser, base: str, email: str, secret: str):
    page = browser.new_context(viewport=DESKTOP).new_page()
    page.goto(base + "/admin/")
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    submit(page, "main form button[type=submit]")
    assert "/accounts/2fa/authenticate/" in page.url  # the authenticator's code, before any admin page
    page.fill("#id_code", totp_code(secret, time.time()))
    submit(page, "main form button[type=submit]")
    assert page.url == base + "/admin/"
    return page


def decide(page, decision: str, reason: str, target: str = "", **fields) -> str:
    """Open the decision's form on the review page, give the reason, submit; the page's message."""
    prefix = f"{decision}-{target}" if target else decision
    form = page.locator(f"details.decision-{decision}").filter(has=page.locator(f"#id_{prefix}-reason"))
    form.locator("summary").click()
    page.fill(f"#id_{prefix}-reason", reason)
    for name, value in fields.items():
        page.fill(f"#id_{prefix}-{name}", value)
    submit(page, f"details.decision-{decision}:has(#id_{prefix}-reason) input[type=submit]")
    return page.locator("ul.messagelist").inner_text()


def state_of(application: Application) -> str:
    return in_db_thread(lambda: Application.objects.get(pk=application.pk).state)


def test_an_officer_takes_an_application_from_the_queue_to_approval_with_a_second_approval(
    people, live_server, served_static, browser
):
    application = people["application"]
    hit = in_db_thread(lambda: SanctionsHit.objects.get(application=application, is_current=True, kind="name"))
    page = sign_in(browser, live_server.url, people["officer"].email, SECRETS["officer"])

    page.goto(live_server.url + "/admin/onboarding/application/")
    first = page.locator("#result_list tbody tr").first
    assert application.public_id in first.inner_text()  # the oldest high-risk work comes first
    shot(page, "queue")
    with page.expect_navigation():
        first.locator(f"a:text('{application.public_id}')").click()
    assert application.legal_name in page.inner_text("#content")
    shot(page, "review-page")

    message = decide(page, "hit_clear", "Different person: another date and place of birth.", target=hit.public_id)
    assert "cleared" in message.lower()
    message = decide(page, "request_info", "Please send a utility bill for the business address.")
    assert state_of(application) == AppState.INFO_REQUESTED, message

    def answer():
        merchant = Application.objects.get(pk=application.pk)
        application_answer_info(application=merchant, actor=Actor.for_user(merchant.applicant),
                                answer="The bill is uploaded.")  # fmt: skip

    in_db_thread(answer)
    assert in_db_thread(lambda: InfoRequest.objects.get(application=application).answered_at) is not None
    assert state_of(application) == AppState.IN_REVIEW

    page.reload()
    message = decide(page, "approve", "Evidence complete; the hit was a different person.")
    assert state_of(application) == AppState.AWAITING_SECOND_APPROVAL, message
    assert page.locator("details.decision-second_approve").count() == 0  # never offered to the first approver

    second = sign_in(browser, live_server.url, people["senior"].email, SECRETS["senior"])
    second.goto(live_server.url + "/admin/onboarding/secondapprovalqueue/")
    assert application.public_id in second.inner_text("#result_list")
    second.goto(live_server.url + f"/admin/onboarding/application/{application.pk}/change/")
    message = decide(second, "second_approve", "Checked the cleared hit and the answer: agreed.")
    assert state_of(application) == AppState.APPROVED, message
