"""The step "documents": a slot per document needed, uploads judged by the service, replace and remove,
and the preview that only the merchant it belongs to may open."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onboarding.models import Document, Event
from onboarding.requirements import application_requirements
from onboarding.services.actors import Actor
from onboarding.services.documents import document_decide, document_upload
from tests.factories import image_bytes, officer, pdf_bytes
from tests.onboarding.web.merchant_pages import (  # noqa: F401 (merchant_fixture gives the fixture merchant)
    described_by_error,
    error_of,
    merchant_fixture,
    own_application,
    step_url,
)

pytestmark = pytest.mark.django_db
PDF = pdf_bytes()


def pdf(name="scan.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def upload(application, kind="bank_letter", party=None, name="letter.pdf"):
    return document_upload(
        application=application,
        actor=Actor.for_user(application.applicant),
        kind=kind,
        content=PDF,
        original_name=name,
        party=party,
    )


def preview_url(document):
    return reverse("application-document", args=[document.application.public_id, document.public_id])


def test_there_is_a_slot_for_each_document_needed_with_a_kind_chooser_where_several_kinds_do(client, merchant):
    application = own_application(merchant, documents=False)
    wen, rosa = application.parties.all()
    body = client.get(step_url(application, "documents")).content.decode()
    assert "Articles of organization or incorporation" in body and "Voided cheque or bank letter" in body
    assert "Identity document: Wen Zhao" in body and "Identity document: Rosa Delgado" in body
    assert "Other document (optional)" in body
    assert 'name="company-kind"' in body and '<option value="articles_of_organization"' in body
    assert f'name="id-{wen.public_id}-kind"' in body and '<option value="drivers_license"' in body
    assert f'name="id-{rosa.public_id}-file"' in body and 'name="other-file"' in body
    assert '<label for="id_bank-file">File</label>' in body


def test_a_sole_proprietor_is_not_asked_for_articles(client, merchant):
    parties = [
        {
            "first_name": "Mei",
            "last_name": "Lin",
            "date_of_birth": "1985-02-01",
            "ownership_percent": 100,
            "is_control_person": True,
            "title": "Owner",
            "id_number_type": "ssn",
            "id_number": "212-54-3321",
        }
    ]
    application = own_application(
        merchant, documents=False, parties=parties, business={"entity_type": "sole_proprietorship"}
    )
    body = client.get(step_url(application, "documents")).content.decode()
    assert "Articles of organization" not in body and "Identity document: Mei Lin" in body


def test_uploading_stores_each_file_in_its_slot_and_shows_its_name_size_and_status(client, merchant):
    application = own_application(merchant, documents=False)
    wen = application.parties.get(first_name="Wen")
    response = client.post(
        step_url(application, "documents"),
        {
            "bank-kind": "voided_check",
            "bank-file": pdf("cheque.pdf"),
            f"id-{wen.public_id}-kind": "drivers_license",
            f"id-{wen.public_id}-file": SimpleUploadedFile("licence.png", image_bytes("PNG")),
            "upload": "",
        },
    )
    assert response.status_code == 302 and response["Location"] == step_url(application, "documents")
    cheque = application.documents.get(kind="voided_check")
    licence = application.documents.get(kind="drivers_license")
    assert licence.party == wen and licence.content_type == "image/png"
    body = client.get(response["Location"]).content.decode()
    assert "cheque.pdf" in body and "licence.png" in body and "Received" in body
    assert preview_url(cheque) in body and "Uploaded: cheque.pdf, licence.png." in body


def test_saving_goes_on_to_the_review(client, merchant):
    application = own_application(merchant, documents=False)
    response = client.post(step_url(application, "documents"), {"bank-kind": "bank_letter", "bank-file": pdf()})
    assert response["Location"] == step_url(application, "review")


def test_a_refused_file_is_shown_next_to_its_slot_and_the_choices_made_are_kept(client, merchant):
    application = own_application(merchant, documents=False)
    response = client.post(
        step_url(application, "documents"),
        {
            "bank-kind": "voided_check",
            "bank-file": pdf("page.html", b"<html><script>alert(1)</script></html>"),
            "company-kind": "articles_of_incorporation",
            "company-file": pdf("articles.pdf"),
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert error_of(body, "id_bank-file") == "Upload a PDF, JPEG or PNG file."
    assert described_by_error(body, "id_bank-file")
    assert '<option value="voided_check" selected>' in body
    assert not application.documents.filter(kind="voided_check").exists()
    assert application.documents.filter(kind="articles_of_incorporation").exists()  # the good one is kept


def test_a_file_over_the_limit_gets_the_services_message(client, merchant, settings):
    settings.DOCUMENT_MAX_BYTES = 1024 * 1024
    application = own_application(merchant, documents=False)
    response = client.post(
        step_url(application, "documents"),
        {"bank-kind": "bank_letter", "bank-file": pdf(content=PDF + b"0" * (2 * 1024 * 1024))},
    )
    assert response.status_code == 400
    assert "larger than 1 MB" in error_of(response.content.decode(), "id_bank-file")


def test_a_rejected_document_asks_for_attention_and_a_new_copy_replaces_it(client, merchant):
    application = own_application(merchant)
    letter = application.documents.get(kind="bank_letter")
    document_decide(
        document=letter,
        actor=Actor.for_user(officer()),
        status="rejected",
        reason="The account number is not readable.",
    )
    body = client.get(step_url(application, "documents")).content.decode()
    assert "Some documents need your attention" in body and 'href="#slot-bank"' in body
    assert "Rejected" in body and "The account number is not readable." in body
    assert "documents.bank_account_proof" in application_requirements(application).overall.currently_due
    path = Path(letter.file.storage.path(letter.file.name))
    client.post(
        step_url(application, "documents"), {"bank-kind": "bank_letter", "bank-file": pdf("new.pdf"), "upload": ""}
    )
    assert list(
        application.documents.filter(kind__in=["bank_letter", "voided_check"]).values_list("original_name", "status")
    ) == [("new.pdf", "pending")]
    assert not path.exists()
    assert "documents.bank_account_proof" not in application_requirements(application).overall.currently_due
    assert application.events.filter(action="document_removed", subject_id=letter.public_id).exists()


def test_a_document_is_removed_with_its_file(client, merchant):
    application = own_application(merchant, documents=False)
    letter = upload(application)
    path = Path(letter.file.storage.path(letter.file.name))
    response = client.post(step_url(application, "documents"), {"remove_document": letter.public_id})
    assert response.status_code == 302
    assert not Document.objects.filter(pk=letter.pk).exists() and not path.exists()
    assert "Removed: letter.pdf." in client.get(response["Location"]).content.decode()


def test_an_accepted_document_cannot_be_removed_or_replaced(client, merchant):
    application = own_application(merchant, documents=False)
    letter = upload(application)
    document_decide(document=letter, actor=Actor.for_user(officer()), status="accepted")
    body = client.get(step_url(application, "documents")).content.decode()
    assert f'value="{letter.public_id}"' not in body and 'name="bank-file"' not in body
    response = client.post(step_url(application, "documents"), {"remove_document": letter.public_id}, follow=True)
    assert "An accepted document stays" in response.content.decode()
    assert Document.objects.filter(pk=letter.pk).exists()


def test_another_merchants_documents_are_not_found(client, merchant):
    mine = own_application(merchant, documents=False)
    other = own_application(None)
    theirs = other.documents.first()
    assert client.get(step_url(other, "documents")).status_code == 404
    assert client.get(preview_url(theirs)).status_code == 404
    # Their document through my application's address, too.
    assert client.get(reverse("application-document", args=[mine.public_id, theirs.public_id])).status_code == 404
    assert client.post(step_url(mine, "documents"), {"remove_document": theirs.public_id}).status_code == 404
    assert Document.objects.filter(pk=theirs.pk).exists()
    assert not Event.objects.filter(action="document_viewed").exists()


def test_the_preview_serves_the_bytes_inline_never_sniffed_never_cached_and_records_the_view(client, merchant):
    application = own_application(merchant, documents=False)
    letter = upload(application, name="Bank letter 2026.pdf")
    response = client.get(preview_url(letter))
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="Bank letter 2026.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    event = application.events.get(action="document_viewed")
    assert event.visibility == "internal" and event.subject_id == letter.public_id and event.actor_user == merchant


def test_the_preview_serves_an_image_with_its_stored_type(client, merchant):
    application = own_application(merchant, documents=False)
    wen = application.parties.get(first_name="Wen")
    scan = document_upload(
        application=application,
        actor=Actor.for_user(merchant),
        kind="passport",
        content=image_bytes("JPEG"),
        original_name="",
        party=wen,
    )
    response = client.get(preview_url(scan))
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"] == f'inline; filename="{scan.public_id}.jpg"'


def test_the_preview_needs_a_login(client):
    application = own_application(None)
    response = client.get(preview_url(application.documents.first()))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
