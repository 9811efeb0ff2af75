"""Uploads through the API get the web's checks (type from the content, size, the file opening)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from onboarding.models import Application, Document
from tests.factories import pdf_bytes, valid_draft
from tests.onboarding.api.conftest import errors_by_attr

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(api):
    return api.post("/applications", valid_draft()).json()


def test_upload_and_list(api, application):
    party = application["parties"][0]["id"]
    file = SimpleUploadedFile("passport.pdf", pdf_bytes(), content_type="application/pdf")
    response = api.upload(
        f"/applications/{application['id']}/documents", {"kind": "passport", "party": party, "file": file}
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["kind"] == "passport" and body["party"] == party and body["content_type"] == "application/pdf"
    listed = api.get(f"/applications/{application['id']}/documents").json()["results"]
    assert [d["id"] for d in listed] == [body["id"]]


def test_the_content_decides_the_type(api, application):
    fake = SimpleUploadedFile("statement.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    response = api.upload(f"/applications/{application['id']}/documents", {"kind": "bank_statement", "file": fake})
    assert response.status_code == 400 and "file" in errors_by_attr(response)
    assert not Document.objects.exists()


def test_an_identity_document_names_a_party_of_the_application(api, application):
    file = SimpleUploadedFile("id.pdf", pdf_bytes())
    path = f"/applications/{application['id']}/documents"
    missing = api.upload(path, {"kind": "passport", "file": file})
    assert missing.status_code == 400 and "party" in errors_by_attr(missing)
    file.seek(0)
    stranger = api.upload(path, {"kind": "passport", "party": "pty_someone_else", "file": file})
    assert stranger.status_code == 400 and "party" in errors_by_attr(stranger)


def test_an_oversized_file_is_refused_by_its_size(api, application, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", pdf_bytes() + b"0" * 2048)
    response = api.upload(f"/applications/{application['id']}/documents", {"kind": "other", "file": big})
    assert response.status_code == 400 and "file" in errors_by_attr(response)


def test_no_uploads_once_submitted(api, application):
    Application.objects.filter(public_id=application["id"]).update(state="in_review")
    file = SimpleUploadedFile("letter.pdf", pdf_bytes())
    response = api.upload(f"/applications/{application['id']}/documents", {"kind": "bank_letter", "file": file})
    assert response.status_code == 409


def test_an_upload_is_idempotent(api, application):
    path = f"/applications/{application['id']}/documents"
    first = api.upload(path, {"kind": "bank_letter", "file": SimpleUploadedFile("l.pdf", pdf_bytes())}, key="up-1")
    again = api.upload(path, {"kind": "bank_letter", "file": SimpleUploadedFile("l.pdf", pdf_bytes())}, key="up-1")
    assert first.status_code == again.status_code == 201 and again.json() == first.json()
    assert Document.objects.count() == 1
    other = api.upload(path, {"kind": "bank_letter", "file": SimpleUploadedFile("l.pdf", pdf_bytes(2))}, key="up-1")
    assert other.json()["errors"][0]["code"] == "idempotency_key_reused"


def test_json_is_refused_for_an_upload(api, application):
    response = api.post(f"/applications/{application['id']}/documents", {"kind": "other"})
    assert response.status_code == 415
