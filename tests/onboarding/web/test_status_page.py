"""The status page: where the application stands in neutral words, what is still needed with links to fix
it, answering an officer's request, terminals by store, withdrawing, and the part that refreshes itself."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onboarding.models import Application, CheckResult
from onboarding.services.actors import Actor
from onboarding.services.applications import application_request_info
from onboarding.services.events import event_record
from onboarding.web import panels
from tests.factories import officer, pdf_bytes
from tests.onboarding.web.merchant_pages import (  # noqa: F401 (merchant_fixture gives the fixture merchant)
    error_of,
    main_of,
    merchant_fixture,
    own_application,
    step_url,
)

pytestmark = pytest.mark.django_db
PDF = pdf_bytes()


def detail_url(application):
    return reverse("application-detail", args=[application.public_id])


def fragment_url(application):
    return reverse("application-status-fragment", args=[application.public_id])


def asked_for_information(user, message="Please send a recent bank statement showing the business name."):
    application = own_application(user, state="in_review")
    application_request_info(application=application, actor=Actor.for_user(officer()), message=message)
    application.refresh_from_db()
    return application


def with_a_sanctions_signal(application):
    """What screening leaves behind: an internal event and a check result naming a list entry."""
    event_record(
        actor=Actor.system("screening"),
        subject=application,
        action="sanctions_hit",
        reason_code="sanctions_new_hit",
        details={"entry": "SDN 12345 ZHAO, Wen", "list": "OFAC SDN"},
    )
    CheckResult.objects.create(
        application=application,
        check_name="sanctions",
        check_version="1",
        outcome="review",
        details={"hits": ["SDN 12345"]},
        fingerprint="f",
    )


def test_a_draft_shows_what_is_still_needed_with_links_to_the_steps_and_how_to_continue(client, merchant):
    application = own_application(merchant, documents=False)
    body = main_of(client.get(detail_url(application)).content.decode())
    assert "What is still needed" in body and "Draft" in body
    assert f'<a href="{step_url(application, "documents")}">Voided cheque or bank letter</a>' in body
    assert "Continue your application" in body and f'href="{step_url(application, "review")}"' in body
    assert "WeChat Pay (in store)" in body and "Can be offered" in body
    assert "hx-get" not in body  # the merchant's own turn: nothing to refresh


def test_a_rejected_document_is_shown_with_the_reason_and_the_fix(client, merchant):
    from onboarding.services.documents import document_decide

    application = own_application(merchant)
    letter = application.documents.get(kind="bank_letter")
    document_decide(
        document=letter,
        actor=Actor.for_user(officer()),
        status="revision_requested",
        reason="The letter must be dated within the last 3 months.",
    )
    body = main_of(client.get(detail_url(application)).content.decode())
    assert "The letter must be dated within the last 3 months." in body
    assert "Upload a new copy of this document." in body and step_url(application, "documents") in body


def test_the_status_page_never_shows_anything_sanctions_related(client, merchant):
    application = own_application(merchant, state="in_review")
    with_a_sanctions_signal(application)
    for url in (detail_url(application), fragment_url(application)):
        body = (
            main_of(client.get(url).content.decode())
            if url == detail_url(application)
            else (client.get(url).content.decode())
        )
        assert not re.search(r"sanction|SDN|OFAC|screening|hit", body, re.I), body
        assert "In review" in body


def test_a_screening_and_a_second_approval_both_read_in_review(client, merchant):
    for state in ("screening", "awaiting_second_approval"):
        application = own_application(merchant, state=state)
        body = main_of(client.get(detail_url(application)).content.decode())
        assert "In review" in body and state not in body


def test_the_history_is_in_neutral_words(client, merchant):
    application = own_application(merchant)
    client.post(reverse("application-submit", args=[application.public_id]))
    body = main_of(client.get(detail_url(application)).content.decode())
    assert "You started the application." in body and "We have received your application." in body


def test_an_information_request_is_answered_with_text_and_a_file(client, merchant):
    application = asked_for_information(merchant)
    page = main_of(client.get(detail_url(application)).content.decode())
    assert "We need more information" in page and "recent bank statement" in page
    assert 'enctype="multipart/form-data"' in page and 'name="files"' in page
    response = client.post(
        reverse("application-answer", args=[application.public_id]),
        {
            "answer": "Attached is the statement for March.",
            "files": [SimpleUploadedFile("march.pdf", PDF), SimpleUploadedFile("april.pdf", PDF)],
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    request = application.info_requests.get()
    assert request.answer == "Attached is the statement for March." and request.answered_at
    assert application.state in ("in_review", "screening")
    assert sorted(application.documents.filter(kind="other").values_list("original_name", flat=True)) == [
        "april.pdf",
        "march.pdf",
    ]
    assert "Files received: march.pdf, april.pdf." in client.get(detail_url(application)).content.decode()


def test_an_answer_with_a_refused_file_keeps_the_text_and_says_which_file(client, merchant):
    application = asked_for_information(merchant)
    response = client.post(
        reverse("application-answer", args=[application.public_id]),
        {
            "answer": "Here it is.",
            "files": [SimpleUploadedFile("statement.gif", b"GIF89a....")],
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert error_of(body, "id_files") == "statement.gif: Upload a PDF, JPEG or PNG file."
    assert "Here it is.</textarea>" in body
    assert Application.objects.get(pk=application.pk).state == "info_requested"


def test_an_empty_answer_is_shown_next_to_the_answer_field(client, merchant):
    application = asked_for_information(merchant)
    response = client.post(reverse("application-answer", args=[application.public_id]), {"answer": " "})
    assert response.status_code == 400
    assert error_of(response.content.decode(), "id_answer") == "This field is required."
    assert Application.objects.get(pk=application.pk).state == "info_requested"


def test_answering_twice_is_answered_calmly(client, merchant):
    application = asked_for_information(merchant)
    url = reverse("application-answer", args=[application.public_id])
    client.post(url, {"answer": "First."})
    response = client.post(url, {"answer": "Second."}, follow=True)
    assert response.status_code == 200 and "We already have your answer" in response.content.decode()
    assert application.info_requests.get().answer == "First."


def test_terminals_are_shown_by_store_and_read_requested_while_nothing_is_behind_them(client, merchant):
    application = own_application(merchant, state="submitted")
    body = main_of(client.get(detail_url(application)).content.decode())
    panel = body.split('class="card panel-terminals"', 1)[1].split("</section>", 1)[0]
    assert "Mott Street" in panel and "Stripe Reader S700" in panel and "Requested" in panel


def test_another_app_adds_a_panel_through_the_registry(client, merchant):
    application = own_application(merchant, state="approved")
    panels.register_panel(
        "test_payouts",
        "payments/panels/_terminals.html",
        lambda app: {"stores": []} if app.pk == application.pk else None,
        order=10,
    )
    try:
        body = client.get(detail_url(application)).content.decode()
        assert body.count('class="card panel-terminals"') == 2
        assert [p.name for p in panels.registered_panels()][:2] == ["test_payouts", "terminals"]
    finally:
        panels._PANELS.pop("test_payouts")


def test_withdrawing_asks_for_confirmation_first(client, merchant):
    application = own_application(merchant, state="in_review")
    url = reverse("application-withdraw", args=[application.public_id])
    assert url in client.get(detail_url(application)).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and "Withdraw the application?" in page.content.decode()
    assert Application.objects.get(pk=application.pk).state == "in_review"
    response = client.post(url, {"reason": "We are moving to another city."})
    assert response.status_code == 302 and response["Location"] == detail_url(application)
    application.refresh_from_db()
    assert application.state == "withdrawn"
    assert application.events.filter(action="withdrawal_reason").exists()
    body = main_of(client.get(detail_url(application)).content.decode())
    assert "Withdrawn" in body and url not in body and "hx-get" not in body


def test_a_decided_application_cannot_be_withdrawn(client, merchant):
    application = own_application(merchant, state="declined")
    response = client.post(reverse("application-withdraw", args=[application.public_id]), follow=True)
    assert "can no longer be withdrawn" in response.content.decode()
    assert Application.objects.get(pk=application.pk).state == "declined"


def test_the_page_refreshes_itself_while_with_us_and_stops_when_final(client, merchant):
    application = own_application(merchant, state="in_review")
    body = client.get(detail_url(application)).content.decode()
    assert f'hx-get="{fragment_url(application)}?shown=in_review"' in body and 'hx-trigger="every 15s"' in body
    assert "/static/vendor/htmx-2.0.11.min" in body and "unpkg" not in body and "cdn" not in body.lower()
    Application.objects.filter(pk=application.pk).update(state="declined")
    fragment = client.get(fragment_url(application), HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200 and "hx-get" not in fragment.content.decode()
    assert "Not approved" in fragment.content.decode()


def test_the_fragment_is_the_changing_part_alone(client, merchant):
    application = own_application(merchant, state="boarding")
    response = client.get(fragment_url(application) + "?shown=boarding", HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith('<div id="status-live"')
    assert "<html" not in body and "What is still needed" in body and "Setting up your account" in body


def test_a_change_that_needs_another_layout_reloads_the_page(client, merchant):
    application = asked_for_information(merchant)
    response = client.get(fragment_url(application) + "?shown=in_review", HTTP_HX_REQUEST="true")
    assert response["HX-Refresh"] == "true"


def test_another_merchants_status_page_and_its_parts_are_not_found(client, merchant):
    other = asked_for_information(None)
    assert client.get(detail_url(other)).status_code == 404
    assert client.get(fragment_url(other)).status_code == 404
    assert client.post(reverse("application-answer", args=[other.public_id]), {"answer": "x"}).status_code == 404
    assert client.get(reverse("application-withdraw", args=[other.public_id])).status_code == 404
    assert client.post(reverse("application-withdraw", args=[other.public_id])).status_code == 404
    assert Application.objects.get(pk=other.pk).state == "info_requested"


def test_anonymous_users_are_sent_to_log_in(client):
    application = own_application(None)
    for url in (
        detail_url(application),
        fragment_url(application),
        reverse("application-withdraw", args=[application.public_id]),
        step_url(application, "stores"),
        step_url(application, "documents"),
        step_url(application, "review"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    for url in (
        reverse("application-submit", args=[application.public_id]),
        reverse("application-answer", args=[application.public_id]),
    ):
        response = client.post(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
    polled = client.get(fragment_url(application), HTTP_HX_REQUEST="true")
    assert "/accounts/login/" in polled["HX-Redirect"]  # htmx follows it to the sign-in page
    assert Application.objects.get(pk=application.pk).state == "draft"


def test_the_home_page_names_the_state_as_the_status_page_does(client, merchant):
    screening = own_application(merchant, state="screening")
    home = main_of(client.get(reverse("merchant-home")).content.decode())
    assert screening.display_name in home and "In review" in home and "Screening" not in home
