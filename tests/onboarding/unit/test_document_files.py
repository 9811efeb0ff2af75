"""Document files: a file must open as what its content says it is, every input is checked before anything
is written, and an upload that fails at any point leaves neither a row nor a file behind."""

import errno
import io
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.db import DataError, IntegrityError, transaction
from PIL import Image

from onboarding.errors import InvalidTransition, ValidationFailed
from onboarding.models import Document
from onboarding.services.actors import Actor
from onboarding.services.documents import document_upload
from onboarding.states import AppState
from tests.factories import application_in_state, draft_application, image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db
PDF, PNG, JPEG = pdf_bytes(), image_bytes("PNG"), image_bytes("JPEG")
NOT_A_TYPE = "Upload a PDF, JPEG or PNG file."


def upload(application, **kwargs):
    args = {"kind": "articles_of_organization", "content": PDF, "original_name": "articles.pdf"} | kwargs
    return document_upload(application=application, actor=Actor.for_user(application.applicant), **args)


def files_on_disk() -> list[Path]:
    root = Path(Document._meta.get_field("file").storage.location)
    return sorted(path for path in root.rglob("*") if path.is_file())


def assert_nothing_written(application):
    assert not Document.objects.filter(application=application).exists()
    assert not application.events.filter(action="document_uploaded").exists()
    assert files_on_disk() == []


def refused(application, field: str, **kwargs) -> list[str]:
    with pytest.raises(ValidationFailed) as caught:
        upload(application, **kwargs)
    assert field in caught.value.fields, caught.value.fields
    assert_nothing_written(application)
    return caught.value.fields[field]


def multi_picture_jpeg() -> bytes:
    """What many phone cameras save: a JPEG carrying a second picture (MPO)."""
    first, second = Image.new("RGB", (32, 24), "white"), Image.new("RGB", (32, 24), "black")
    buffer = io.BytesIO()
    first.save(buffer, format="MPO", save_all=True, append_images=[second])
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (PDF, "application/pdf"),
        (pdf_bytes(pages=3), "application/pdf"),
        (PNG, "image/png"),
        (image_bytes("PNG", mode="L"), "image/png"),
        (JPEG, "image/jpeg"),
        (multi_picture_jpeg(), "image/jpeg"),
    ],
)
def test_real_pdfs_and_images_are_accepted_with_the_type_of_their_content(content, content_type):
    document = upload(draft_application(documents=False), content=content, original_name="scan.bin")
    assert document.content_type == content_type
    with document.file.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(
    "content",
    [
        b"%PDF-<html><body><script>alert(document.cookie)</script></body></html>",
        b"%PDF-1.7\n" + b"\x00" * 200,
        PDF[: len(PDF) // 2],
        b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n",
    ],
    ids=["html", "zeros", "truncated", "no-pages"],
)
def test_a_file_that_only_starts_like_a_pdf_is_refused(content):
    assert refused(draft_application(documents=False), "file", content=content) == [
        "The file is not a PDF that can be opened."
    ]


def test_a_password_protected_pdf_is_refused():
    messages = refused(draft_application(documents=False), "file", content=pdf_bytes(password="secret"))
    assert messages == ["Upload the PDF without its password: officers must be able to open it."]


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        b"\x89PNG\r\n\x1a\n<html><script>alert(1)</script></html>",
        PNG[:-20],
        b"\xff\xd8\xff<svg onload=alert(1)>",
        JPEG[: len(JPEG) // 2],
    ],
    ids=["png-zeros", "png-html", "png-truncated", "jpeg-svg", "jpeg-truncated"],
)
def test_a_file_that_only_starts_like_an_image_is_refused(content):
    assert refused(draft_application(documents=False), "file", content=content) == [
        "The file is not a JPEG or PNG image that can be opened."
    ]


@pytest.mark.parametrize("image_format", ["GIF", "BMP", "WEBP", "TIFF"])
def test_other_image_formats_are_refused(image_format):
    content = image_bytes(image_format)
    assert refused(draft_application(documents=False), "file", content=content) == [NOT_A_TYPE]


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_an_image_past_pillows_pixel_limit_is_refused():
    # 96 megapixels of one-bit white: a 12 kB file that would take hundreds of MB to decode in colour.
    bomb = image_bytes("PNG", size=(12_000, 8_000), mode="1")
    assert len(bomb) < 100_000
    assert refused(draft_application(documents=False), "file", content=bomb) == [
        "The image has too many pixels; upload a smaller scan."
    ]


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
@pytest.mark.parametrize("size", [(40, 30), (64, 64)], ids=["past-the-limit", "past-twice-the-limit"])
def test_the_pixel_limit_is_pillows_own(monkeypatch, size):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1_000)
    content = image_bytes("PNG", size=size)
    assert refused(draft_application(documents=False), "file", content=content) == [
        "The image has too many pixels; upload a smaller scan."
    ]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": None}, "kind"),
        ({"kind": 7}, "kind"),
        ({"kind": ["passport"]}, "kind"),
        ({"kind": "selfie"}, "kind"),
        ({"content": "%PDF-1.7 a string, not bytes"}, "file"),
        ({"content": None}, "file"),
        ({"content": [1, 2, 3]}, "file"),
        ({"content": b""}, "file"),
        ({"original_name": None}, "original_name"),
        ({"original_name": b"articles.pdf"}, "original_name"),
        ({"original_name": "articles\x00.pdf"}, "original_name"),
        ({"original_name": "articles\n.pdf"}, "original_name"),
        ({"original_name": "\x1b[31marticles.pdf"}, "original_name"),
        ({"original_name": "invoice\u202efdp.exe"}, "original_name"),
        ({"original_name": "a" * 252 + ".pdf"}, "original_name"),
        ({"party": "Wen Zhao"}, "party"),
    ],
)
def test_inputs_of_the_wrong_type_or_shape_are_refused_with_field_errors(kwargs, field):
    refused(draft_application(documents=False), field, **kwargs)


def test_a_long_name_within_the_limit_is_kept_whole():
    name = "会社の定款-" + "a" * 245 + ".pdf"
    assert len(name) == 255
    assert upload(draft_application(documents=False), original_name=name).original_name == name


def test_a_person_from_another_application_is_refused():
    application = draft_application(documents=False)
    stranger = draft_application(documents=False).parties.get(first_name="Wen")
    messages = refused(application, "party", kind="passport", content=PNG, party=stranger)
    assert messages == ["This person is not on the application."]


@pytest.mark.parametrize(
    "failure",
    [
        IntegrityError("duplicate key value violates unique constraint"),
        DataError("value too long for type character varying(60)"),
        SystemExit(1),  # a worker stopped on its timeout in the middle of the request
    ],
    ids=["integrity-error", "data-error", "worker-timeout"],
)
def test_a_failure_after_the_file_is_written_leaves_no_row_and_no_file(monkeypatch, failure):
    application = draft_application(documents=False)

    def fail(**kwargs):
        assert files_on_disk(), "the file is written before the event"
        raise failure

    monkeypatch.setattr("onboarding.services.documents.event_record", fail)
    with pytest.raises(type(failure)):
        upload(application)
    assert_nothing_written(application)


def test_a_full_disk_leaves_no_partial_file(monkeypatch):
    application = draft_application(documents=False)

    def full_disk(self, name, content):
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.read()[:10])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", full_disk)
    with pytest.raises(OSError, match="No space left"):
        upload(application)
    assert_nothing_written(application)


def test_an_application_in_a_state_that_refuses_uploads_gets_no_row_and_no_file():
    application = application_in_state(AppState.IN_REVIEW)
    documents = set(Document.objects.values_list("file", flat=True))
    files = files_on_disk()
    with pytest.raises(InvalidTransition):
        upload(application)
    assert set(Document.objects.values_list("file", flat=True)) == documents
    assert files_on_disk() == files


def test_an_upload_inside_a_callers_transaction_is_refused_before_writing():
    # The caller could still roll back after the upload returned, and nothing would then remove the file.
    application = draft_application(documents=False)
    with pytest.raises(RuntimeError), transaction.atomic():
        upload(application)
    assert_nothing_written(application)
