"""The merchant's whole journey in headless Chromium, against a live server and a live worker on PostgreSQL:
sign up, verify the email from the outbox, learn on the first step that a forbidden category cannot take
WeChat Pay and change it, fill every step (two owners, an upload, a validation error made and fixed), sign,
submit, and see the status page change once the worker has screened the application; an officer asks for
information and the merchant answers on the status page. Once in English (taking the screenshots the
README shows) and once in Chinese."""

import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection

from onboarding.models import Application, InfoRequest
from onboarding.services.actors import Actor
from onboarding.services.applications import application_request_info
from onboarding.states import AppState
from tests.factories import PDF, officer
from tests.live import wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = Path(__file__).resolve().parents[3] / "docs" / "screenshots" / "journey"
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "tea-house-2026-secret"


def in_db_thread(function, *args, **kwargs):
    """ORM calls from a test that drives Playwright run on their own thread: Playwright's sync API keeps an
    event loop in this one, where Django refuses database work."""

    def run():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def shot(page, name: str, language: str) -> None:
    """The README's screenshots, kept when ``make screenshots`` runs the journey (PORTAL_SCREENSHOTS=1)."""
    if language == "en" and os.environ.get("PORTAL_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def continue_(page) -> None:
    with page.expect_navigation():
        page.click(".actions button[name=save]")


def sign_up_and_verify(page, base: str, email: str) -> None:
    page.goto(base + "/accounts/signup/")
    page.fill("#id_email", email)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    message = wait_for(lambda: next((m for m in mail.outbox if email in m.to), None), what="the verification email")
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", message.body).group(0)
    page.goto(link)
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def first_step(page, base: str, language: str) -> str:
    page.goto(base + "/applications/new/")
    page.fill("#id_legal_name", "Golden Gate Tea House LLC")
    page.fill("#id_dba", "Golden Gate Tea House")
    page.select_option("#id_entity_type", "multi_member_llc")
    page.select_option("#id_address_state", "CA")
    page.check("input[name=wallets][value='wechat_pay:in_store']")
    page.fill("#id_mcc", "7995")  # betting: WeChat Pay forbids it
    page.locator("#id_mcc").dispatch_event("change")
    page.wait_for_selector("#eligibility .eligibility-ineligible")
    shot(page, "1-start-forbidden-category", language)
    page.fill("#id_mcc", "5812")
    page.locator("#id_mcc").dispatch_event("change")
    page.wait_for_selector("#eligibility .eligibility-eligible")
    shot(page, "1-start", language)
    continue_(page)
    return re.search(r"/applications/(app_\w+)/business/", page.url).group(1)


def business_step(page, language: str) -> None:
    page.select_option("#id_tax_id_type", "ein")
    page.fill("#id_tax_id", "94-3175283")
    page.select_option("#id_formation_state", "CA")
    page.fill("#id_formation_date", "2016-04-12")
    page.fill("#id_phone", "not a phone number")  # the mistake
    page.fill("#id_product_description", "Tea house and bakery near Union Square.")
    page.fill("#id_monthly_volume", "45,000")
    page.fill("#id_average_ticket", "28")
    page.fill("#id_address_line1", "660 Grant Avenue")
    page.fill("#id_address_city", "San Francisco")
    page.fill("#id_address_postal_code", "94108")
    continue_(page)
    assert page.locator("#id_phone_error").is_visible()  # next to its field
    assert page.input_value("#id_product_description") == "Tea house and bakery near Union Square."
    shot(page, "2-business-error", language)
    page.fill("#id_phone", "(415) 555-0142")
    continue_(page)


def owners_step(page, language: str) -> None:
    person = {"first_name": "Mei", "last_name": "Lin", "date_of_birth": "1979-08-21", "id_number": "536-90-4399",
              "ownership_percent": "60", "title": "Managing member", "nationalities": "US", "citizenships": "US",
              "email": "mei.lin@goldengateteahouse.example", "phone": "(415) 555-0163",
              "address_line1": "1450 Jackson Street", "address_city": "San Francisco", "address_state": "CA",
              "address_postal_code": "94109", "address_country": "US"}  # fmt: skip
    for name, value in person.items():
        page.fill(f"#id_parties-0-{name}", value)
    page.select_option("#id_parties-0-id_number_type", "ssn")
    page.check("#id_parties-0-is_control_person")
    with page.expect_navigation():
        page.click("button[name=add_person]")
    assert page.input_value("#id_parties-0-first_name") == "Mei"  # nothing typed is lost
    second = dict(person, first_name="Daniel", last_name="Ortega", date_of_birth="1983-02-02",
                  id_number="541-22-7816", ownership_percent="40", title="", address_line1="88 Howard Street",
                  email="daniel.ortega@goldengateteahouse.example", phone="",
                  address_postal_code="94105")  # fmt: skip
    for name, value in second.items():
        page.fill(f"#id_parties-1-{name}", value)
    page.select_option("#id_parties-1-id_number_type", "ssn")
    page.check("#id_parties-1-kind_0")
    shot(page, "3-owners", language)
    continue_(page)


def bank_step(page, language: str) -> None:
    page.fill("#id_holder_name", "Golden Gate Tea House LLC")
    page.fill("#id_routing_number", "121000358")
    page.wait_for_selector("#aba-status.aba-ok")
    page.fill("#id_account_number", "000123456789")
    page.fill("#id_account_number_again", "000123456789")
    shot(page, "4-bank", language)
    continue_(page)


def stores_step(page, language: str) -> None:
    page.fill("#id_stores-0-name", "Grant Avenue")
    page.fill("#id_stores-0-address_line1", "660 Grant Avenue")
    page.fill("#id_stores-0-address_city", "San Francisco")
    page.select_option("#id_stores-0-address_state", "CA")
    page.fill("#id_stores-0-address_postal_code", "94108")
    page.fill("#id_stores-0-count_stripe_s700", "1")
    shot(page, "5-stores", language)
    continue_(page)


def documents_step(page, tmp_path: Path, language: str) -> None:
    scan = tmp_path / "document.pdf"
    scan.write_bytes(PDF)
    for slot in page.locator("input[type=file]").all():
        if "other" not in (slot.get_attribute("name") or ""):
            slot.set_input_files(str(scan))
    with page.expect_navigation():
        page.click("button.secondary[name=upload]")
    shot(page, "6-documents", language)
    continue_(page)


def review_and_submit(page, language: str) -> None:
    page.fill("#id_signer_name", "Mei Lin")
    page.fill("#id_signer_title", "Managing member")
    shot(page, "7-review", language)
    with page.expect_navigation():
        page.click("button[name=sign]")
    with page.expect_navigation():
        page.click("#submit button[type=submit]")


def state_of(public_id: str) -> str:
    return in_db_thread(lambda: Application.objects.get(public_id=public_id).state)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_a_new_merchant_signs_up_applies_submits_and_answers_a_question(
    live_worker, live_server, served_static, tmp_path, browser, language
):
    context = browser.new_context(viewport=DESKTOP)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    email = f"owner-{language}@teahouse.example"
    sign_up_and_verify(page, live_server.url, email)
    public_id = first_step(page, live_server.url, language)
    business_step(page, language)
    owners_step(page, language)
    bank_step(page, language)
    stores_step(page, language)
    documents_step(page, tmp_path, language)
    review_and_submit(page, language)
    assert page.url.endswith(f"/applications/{public_id}/")
    assert page.locator("html").get_attribute("lang") == language
    shot(page, "8-status-submitted", language)

    # The worker screens it; the status page shows the change (it polls; a reload shows it at once).
    wait_for(lambda: state_of(public_id) not in (AppState.SUBMITTED, AppState.SCREENING), timeout=120,
             what="the worker's screening")  # fmt: skip
    assert state_of(public_id) == AppState.IN_REVIEW  # the bundled list is not loaded here: an officer decides

    def ask():
        application = Application.objects.get(public_id=public_id)
        application_request_info(application=application, actor=Actor.for_user(officer()),
                                 message="Please send a photo of your storefront.")  # fmt: skip

    in_db_thread(ask)
    page.reload()
    page.wait_for_selector("#information-request")
    assert "Please send a photo of your storefront." in page.inner_text("#information-request")
    shot(page, "9-status-information-requested", language)
    page.fill("#information-request textarea", "The photo is attached.")
    page.locator("#information-request input[type=file]").set_input_files(str(tmp_path / "document.pdf"))
    with page.expect_navigation():
        page.click("#information-request button[type=submit]")
    answered = in_db_thread(lambda: InfoRequest.objects.get(application__public_id=public_id).answered_at)
    assert answered is not None
    assert state_of(public_id) in (AppState.IN_REVIEW, AppState.SCREENING)
    context.close()
