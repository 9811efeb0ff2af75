"""Documents: uploading them and an officer's decision.

- The type comes from the content, never from the name or the browser's claim, and the file must open as
  that type: a PDF that pypdf reads down to its pages (and no password), a JPEG or PNG that Pillow verifies
  and decodes, within Pillow's own decompression-bomb limit (``Image.MAX_IMAGE_PIXELS``). Nothing else.
- Every input is checked before anything is written; wrong types and shapes are ``ValidationFailed`` with
  field errors, never a crash halfway.
- An upload writes its row, its event and its encrypted file together or none of them: it is its own
  transaction (it refuses to run inside a caller's, whose later rollback nothing could follow), and on any
  failure until that transaction has committed (a database error, a refused state, a full disk, a worker
  stopped on its timeout) the file is removed again.
- What the merchant reads (field errors, refusals) is in the caller's active language; an officer's
  decision speaks English.
"""

import hashlib
import io
import logging
import unicodedata

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from PIL import Image
from pypdf import PdfReader

from onboarding.errors import InvalidTransition, ValidationFailed
from onboarding.models import (
    IDENTITY_DOCUMENT_KINDS,
    Application,
    Document,
    DocumentKind,
    Party,
)
from onboarding.notifications import merchant_email_owe
from onboarding.services.access import ensure_can_act_for
from onboarding.services.actors import REVIEW_PERM, Actor
from onboarding.services.events import event_record
from onboarding.services.partner_events import application_requirements_changed
from onboarding.states import AppState

logger = logging.getLogger(__name__)

# Magic numbers pick the one parser the content is then held to.
SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))
# Pillow's names for what it found; many phone cameras save JPEGs that carry a second picture (MPO).
IMAGE_FORMATS = {"image/jpeg": ("JPEG", "MPO"), "image/png": ("PNG",)}
NAME_MAX_LENGTH = Document._meta.get_field("original_name").max_length
# Right-to-left overrides and isolates turn "invoice\u202efdp.exe" into "invoiceexe.pdf" on screen.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
UPLOAD_STATES = frozenset({AppState.DRAFT, AppState.INFO_REQUESTED})
DECISION_REASON_CODE = {
    Document.Status.ACCEPTED: "document_accepted",
    Document.Status.REJECTED: "document_rejected",
    Document.Status.REVISION_REQUESTED: "document_revision_requested",
}
# Why content is refused, in English: translated where an upload's errors are answered (upload_errors).
NOT_A_TYPE = gettext_noop("Upload a PDF, JPEG or PNG file.")
NOT_A_PDF = gettext_noop("The file is not a PDF that can be opened.")
ENCRYPTED_PDF = gettext_noop("Upload the PDF without its password: officers must be able to open it.")
NOT_AN_IMAGE = gettext_noop("The file is not a JPEG or PNG image that can be opened.")
TOO_MANY_PIXELS = gettext_noop("The image has too many pixels; upload a smaller scan.")


def sniff_content_type(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


def content_problem(content: bytes, content_type: str) -> str | None:
    """Why the content does not open as ``content_type`` (None when it does), in English."""
    if content_type == "application/pdf":
        return _pdf_problem(content)
    return _image_problem(content, IMAGE_FORMATS[content_type])


def _pdf_problem(content: bytes) -> str | None:
    # Any failure of the parser on untrusted input means the same thing: not a PDF we can open.
    try:
        reader = PdfReader(io.BytesIO(content), strict=False)
        if reader.is_encrypted:
            return ENCRYPTED_PDF
        pages = reader.pages
        if len(pages) == 0:
            return NOT_A_PDF
        for page in pages:
            page.mediabox  # noqa: B018 (resolving each page object is the check)
    except Exception:
        return NOT_A_PDF
    return None


def _image_problem(content: bytes, formats: tuple[str, ...]) -> str | None:
    limit = Image.MAX_IMAGE_PIXELS
    try:
        # Image.open refuses twice the limit itself; between the limit and twice it only warns.
        with Image.open(io.BytesIO(content), formats=formats) as image:
            if image.format not in formats:
                return NOT_AN_IMAGE
            if limit and image.width * image.height > limit:
                return TOO_MANY_PIXELS
            image.verify()
        # verify() checks the structure without decoding; decode as well, and on a fresh handle.
        with Image.open(io.BytesIO(content), formats=formats) as image:
            image.load()
    except Image.DecompressionBombError:
        return TOO_MANY_PIXELS
    except Exception:
        return NOT_AN_IMAGE
    return None


def _name_problem(original_name) -> str | None:
    if not isinstance(original_name, str):
        return _("Give the file name as text.")
    if len(original_name) > NAME_MAX_LENGTH:
        return _("The file name is longer than %(limit)s characters.") % {"limit": NAME_MAX_LENGTH}
    if any(unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS for ch in original_name):
        return _("The file name contains control characters.")
    return None


def upload_errors(*, application: Application, kind, content, original_name, party) -> dict[str, list[str]]:
    """Every reason to refuse the upload, by field, in the active language."""
    errors: dict[str, list[str]] = {}
    if not isinstance(kind, str) or kind not in DocumentKind.values:
        errors["kind"] = [_("Choose a document kind from the list.")]
    elif kind in IDENTITY_DOCUMENT_KINDS and party is None:
        errors["party"] = [_("Say whose identity document this is.")]
    if party is not None and not isinstance(party, Party):
        errors["party"] = [_("Choose a person on the application.")]
    elif party is not None and party.application_id != application.pk:
        errors["party"] = [_("This person is not on the application.")]
    if (problem := _name_problem(original_name)) is not None:
        errors["original_name"] = [problem]
    if not isinstance(content, bytes):
        errors["file"] = [_("Upload a file.")]
    elif not content:
        errors["file"] = [_("The file is empty.")]
    elif len(content) > settings.DOCUMENT_MAX_BYTES:
        errors["file"] = [
            _("The file is larger than %(size)s MB.") % {"size": settings.DOCUMENT_MAX_BYTES // (1024 * 1024)}
        ]
    elif (content_type := sniff_content_type(content[:16])) is None:
        errors["file"] = [_(NOT_A_TYPE)]
    elif (problem := content_problem(content, content_type)) is not None:
        errors["file"] = [_(problem)]
    return errors


def document_upload(
    *,
    application: Application,
    actor: Actor,
    kind: str,
    content: bytes,
    original_name: str = "",
    party: Party | None = None,
) -> Document:
    ensure_can_act_for(application, actor)
    errors = upload_errors(
        application=application, kind=kind, content=content, original_name=original_name, party=party
    )
    if errors:
        raise ValidationFailed(_("The document could not be accepted."), fields=errors)
    document = Document(
        application=application,
        kind=kind,
        party=party,
        original_name=original_name,
        content_type=sniff_content_type(content[:16]),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    field = Document._meta.get_field("file")
    # Known before the write, so that a write that fails halfway can be cleaned up too.
    planned = field.generate_filename(document, "upload")
    committed = False

    def mark_committed() -> None:
        nonlocal committed
        committed = True

    try:
        with transaction.atomic(durable=True):
            # Registered first, so it runs first: a later commit hook that fails must not take the file.
            transaction.on_commit(mark_committed)
            locked = Application.objects.select_for_update(no_key=True).get(pk=application.pk)
            if locked.state not in UPLOAD_STATES:
                raise InvalidTransition(_("Documents can be added while the application is a draft or when requested."))
            document.application = locked
            document.file.save(planned, ContentFile(content), save=False)
            document.save()
            event_record(
                actor=actor,
                subject=document,
                application=locked,
                action="document_uploaded",
                details={"kind": kind, "size": len(content)},
            )
            application_requirements_changed(application=locked)
    except BaseException:
        if not committed:
            _remove_unsaved_file(field.storage, {planned, document.file.name} - {None, ""})
        raise
    return document


def _remove_unsaved_file(storage, names: set[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            # The upload's own error is the one to raise; this one is logged (the name holds only ids).
            logger.exception("could not remove the file %s of a failed upload", name)


def document_decide(
    *, document: Document, actor: Actor, status: str, reason: str = "", email_merchant: bool = True
) -> Document:
    """Accept, reject or ask for a revision of a document (an officer's decision, with a reason).

    A rejection or a revision asked for owes the merchant the "documents need attention" email, unless
    ``email_merchant`` is false: the caller then owes an email that already tells of it (the information
    request a rejection in review opens), so the merchant gets one email for one decision."""
    actor.require_perm(REVIEW_PERM, "decide on documents")
    if status not in DECISION_REASON_CODE:
        raise ValidationFailed("Choose accept, reject or request a revision.", fields={"status": ["Unknown."]})
    if status != Document.Status.ACCEPTED and not reason.strip():
        raise ValidationFailed("Give the reason.", fields={"reason": ["This field is required."]})
    with transaction.atomic():
        locked = Document.objects.select_for_update(no_key=True).get(pk=document.pk)
        if locked.status == status:
            raise InvalidTransition(f"The document is already {locked.get_status_display().lower()}.")
        previous = locked.status
        Document.objects.filter(pk=locked.pk).update(
            status=status, decision_reason=reason.strip(), decided_by=actor.user, decided_at=timezone.now()
        )
        event_record(
            actor=actor,
            subject=locked,
            application=locked.application,
            action="document_decided",
            from_state=previous,
            to_state=status,
            reason_code=DECISION_REASON_CODE[status],
            shared=True,
        )
        if status != Document.Status.ACCEPTED and email_merchant:
            merchant_email_owe(application=locked.application, email="documents_attention")
        application_requirements_changed(application=locked.application)
        if reason:
            event_record(
                actor=actor,
                subject=locked,
                application=locked.application,
                action="officer_note",
                details={"note": reason},
            )
    document.refresh_from_db()
    return document


REMOVABLE_STATUSES = frozenset({Document.Status.PENDING, Document.Status.REJECTED, Document.Status.REVISION_REQUESTED})


def document_remove(*, document: Document, actor: Actor) -> None:
    """Take a document off an application while the merchant may still edit it; an accepted one stays.

    The row, its event and the file go together. The file is removed last inside the transaction, after
    every statement the database could refuse has run, and its encrypted content is kept in memory until
    the commit: a refusal or a failed commit leaves the row and the file as they were (the file is put
    back), and a committed removal leaves neither. Like the upload, this is its own transaction."""
    application = document.application
    ensure_can_act_for(application, actor)
    storage = Document._meta.get_field("file").storage
    removed: dict[str, bytes] = {}
    try:
        with transaction.atomic(durable=True):
            locked_application = Application.objects.select_for_update(no_key=True).get(pk=application.pk)
            if locked_application.state not in UPLOAD_STATES:
                raise InvalidTransition(_("Documents can be removed only while the application can be changed."))
            locked = Document.objects.select_for_update(no_key=True).filter(pk=document.pk).first()
            if locked is None or locked.application_id != locked_application.pk:
                raise InvalidTransition(_("This document has already been removed."))
            if locked.status not in REMOVABLE_STATUSES:
                raise InvalidTransition(_("An accepted document stays with the application."))
            name = locked.file.name
            event_record(
                actor=actor,
                subject=locked,
                application=locked_application,
                action="document_removed",
                details={"kind": locked.kind, "status": locked.status, "sha256": locked.sha256},
            )
            Document.objects.filter(pk=locked.pk).delete()
            application_requirements_changed(application=locked_application)
            if name and storage.exists(name):
                removed[name] = storage.read_token(name)
                storage.delete(name)
    except BaseException:
        _restore_files(storage, removed)
        raise


def _restore_files(storage, removed: dict[str, bytes]) -> None:
    for name, token in removed.items():
        try:
            if not storage.exists(name):
                storage.save_token(name, token)
        except Exception:
            logger.exception("could not put back the file %s of a removal that did not commit", name)
