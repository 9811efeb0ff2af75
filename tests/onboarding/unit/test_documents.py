"""Documents: type from content, size limit, identity documents name their person, officers decide."""

from pathlib import Path

import pytest

from onboarding.errors import InvalidTransition, PermissionDenied, ValidationFailed
from onboarding.models import Document
from onboarding.services.actors import Actor
from onboarding.services.documents import document_decide, document_upload
from onboarding.states import AppState
from tests.factories import application_in_state, draft_application, image_bytes, officer, pdf_bytes

pytestmark = pytest.mark.django_db
PDF = pdf_bytes()
PNG = image_bytes("PNG")


def upload(application, **kwargs):
    args = {"kind": "articles_of_organization", "content": PDF, "original_name": "articles.pdf"} | kwargs
    return document_upload(application=application, actor=Actor.for_user(application.applicant), **args)


def test_a_pdf_is_stored_encrypted_with_its_hash():
    application = draft_application()
    document = upload(application)
    assert document.content_type == "application/pdf" and document.size == len(PDF)
    assert len(document.sha256) == 64
    with document.file.storage.open(document.file.name) as handle:
        assert handle.read() == PDF
    raw = Path(document.file.storage.path(document.file.name)).read_bytes()
    assert b"%PDF" not in raw
    assert application.public_id in document.file.name and "articles" not in document.file.name


def test_the_type_comes_from_the_content_not_the_name():
    application = draft_application()
    with pytest.raises(ValidationFailed) as caught:
        upload(application, content=b"<svg onload=alert(1)>", original_name="scan.pdf")
    assert caught.value.fields["file"] == ["Upload a PDF, JPEG or PNG file."]


def test_size_limit(settings):
    settings.DOCUMENT_MAX_BYTES = 100
    with pytest.raises(ValidationFailed, match="could not be accepted"):
        upload(draft_application(), content=PDF + b"x" * 200)


def test_identity_documents_name_their_person():
    application = draft_application()
    with pytest.raises(ValidationFailed) as caught:
        upload(application, kind="passport", content=PNG)
    assert "party" in caught.value.fields
    wen = application.parties.get(first_name="Wen")
    assert upload(application, kind="passport", content=PNG, party=wen).party == wen


def test_uploads_only_in_draft_or_info_requested():
    with pytest.raises(InvalidTransition):
        upload(application_in_state(AppState.IN_REVIEW))


def test_officer_decisions_with_reasons():
    document = upload(draft_application())
    with pytest.raises(PermissionDenied):
        document_decide(document=document, actor=Actor.for_user(document.application.applicant), status="accepted")
    with pytest.raises(ValidationFailed):
        document_decide(document=document, actor=Actor.for_user(officer()), status="rejected")
    document_decide(
        document=document,
        actor=Actor.for_user(officer()),
        status="revision_requested",
        reason="The scan is cut off at the bottom.",
    )
    assert Document.objects.get(pk=document.pk).status == "revision_requested"
    event = document.application.events.filter(action="document_decided").get()
    assert event.visibility == "shared" and event.public_text == "Please upload a new version of a document."
