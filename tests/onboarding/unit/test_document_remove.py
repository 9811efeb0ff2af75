"""Removing a document: only while the application can be changed and the document is not accepted; the
row, its event and its file go together, and a removal that does not commit leaves both as they were."""

from pathlib import Path

import pytest

from onboarding.errors import InvalidTransition, PermissionDenied
from onboarding.models import Application, Document
from onboarding.services import documents
from onboarding.services.actors import Actor
from onboarding.services.documents import document_decide, document_remove, document_upload
from onboarding.states import AppState
from onboarding.storage import EncryptedFileSystemStorage
from tests.factories import UserFactory, draft_application, officer, pdf_bytes

pytestmark = pytest.mark.django_db
PDF = pdf_bytes(pages=2)


def uploaded(application=None):
    application = application or draft_application(documents=False)
    actor = Actor.for_user(application.applicant)
    return document_upload(
        application=application, actor=actor, kind="bank_letter", content=PDF, original_name="letter.pdf"
    )


def file_path(document) -> Path:
    return Path(document.file.storage.path(document.file.name))


def test_removing_a_document_deletes_its_row_and_its_file_and_records_who_did_it():
    document = uploaded()
    path = file_path(document)
    assert path.exists()
    document_remove(document=document, actor=Actor.for_user(document.application.applicant))
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not path.exists()
    event = document.application.events.get(action="document_removed")
    assert event.subject_id == document.public_id and event.visibility == "internal"
    assert event.actor_user == document.application.applicant and event.details["kind"] == "bank_letter"


@pytest.mark.parametrize("status", ["rejected", "revision_requested"])
def test_a_rejected_document_or_one_to_revise_can_be_removed(status):
    document = uploaded()
    document_decide(document=document, actor=Actor.for_user(officer()), status=status, reason="Cut off.")
    document_remove(document=document, actor=Actor.for_user(document.application.applicant))
    assert not Document.objects.filter(pk=document.pk).exists()


def test_an_accepted_document_stays():
    document = uploaded()
    document_decide(document=document, actor=Actor.for_user(officer()), status="accepted")
    with pytest.raises(InvalidTransition, match="accepted"):
        document_remove(document=document, actor=Actor.for_user(document.application.applicant))
    assert Document.objects.filter(pk=document.pk).exists() and file_path(document).exists()


@pytest.mark.parametrize("state", [AppState.SUBMITTED, AppState.IN_REVIEW, AppState.APPROVED, AppState.WITHDRAWN])
def test_documents_stay_once_the_application_can_no_longer_be_changed(state):
    document = uploaded()
    Application.objects.filter(pk=document.application_id).update(state=state)
    with pytest.raises(InvalidTransition):
        document_remove(document=document, actor=Actor.for_user(document.application.applicant))
    assert Document.objects.filter(pk=document.pk).exists() and file_path(document).exists()
    assert not document.application.events.filter(action="document_removed").exists()


def test_while_information_is_requested_a_document_can_be_removed():
    document = uploaded()
    Application.objects.filter(pk=document.application_id).update(state=AppState.INFO_REQUESTED)
    document_remove(document=document, actor=Actor.for_user(document.application.applicant))
    assert not Document.objects.filter(pk=document.pk).exists()


def test_someone_else_cannot_remove_a_document():
    document = uploaded()
    with pytest.raises(PermissionDenied):
        document_remove(document=document, actor=Actor.for_user(UserFactory()))
    assert Document.objects.filter(pk=document.pk).exists() and file_path(document).exists()


def test_removing_twice_says_it_is_already_gone():
    document = uploaded()
    actor = Actor.for_user(document.application.applicant)
    document_remove(document=document, actor=actor)
    with pytest.raises(InvalidTransition, match="already been removed"):
        document_remove(document=document, actor=actor)
    assert document.application.events.filter(action="document_removed").count() == 1


def test_a_removal_that_fails_after_the_file_went_puts_the_file_back_with_its_row(monkeypatch):
    document = uploaded()
    storage = document.file.storage
    token = storage.read_token(document.file.name)
    delete = EncryptedFileSystemStorage.delete

    def delete_then_fail(self, name):
        delete(self, name)
        raise OSError("the process stopped before the commit")

    monkeypatch.setattr(EncryptedFileSystemStorage, "delete", delete_then_fail)
    with pytest.raises(OSError):
        document_remove(document=document, actor=Actor.for_user(document.application.applicant))
    kept = Document.objects.get(pk=document.pk)
    assert storage.read_token(kept.file.name) == token
    with kept.file.open("rb") as handle:
        assert handle.read() == PDF
    assert not document.application.events.filter(action="document_removed").exists()


def test_a_removal_refused_by_the_database_leaves_the_row_and_the_file(monkeypatch):
    document = uploaded()

    def refuse(**kwargs):
        raise InvalidTransition("refused")

    monkeypatch.setattr(documents, "event_record", refuse)
    with pytest.raises(InvalidTransition):
        document_remove(document=document, actor=Actor.for_user(document.application.applicant))
    assert Document.objects.filter(pk=document.pk).exists() and file_path(document).exists()
