"""Documents: uploading them (type sniffed from the content, size-limited) and an officer's decision."""

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from onboarding.errors import InvalidTransition, ValidationFailed
from onboarding.models import (
    IDENTITY_DOCUMENT_KINDS,
    Application,
    Document,
    DocumentKind,
    Party,
)
from onboarding.services.access import ensure_can_act_for
from onboarding.services.actors import REVIEW_PERM, Actor
from onboarding.services.events import event_record
from onboarding.states import AppState

# Magic numbers: the type comes from the content, never from the name or the browser's claim.
SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))
UPLOAD_STATES = frozenset({AppState.DRAFT, AppState.INFO_REQUESTED})
DECISION_REASON_CODE = {
    Document.Status.ACCEPTED: "document_accepted",
    Document.Status.REJECTED: "document_rejected",
    Document.Status.REVISION_REQUESTED: "document_revision_requested",
}


def sniff_content_type(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES if head.startswith(magic)), None)


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
    errors: dict[str, list[str]] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = ["Choose a document kind from the list."]
    if kind in IDENTITY_DOCUMENT_KINDS and party is None:
        errors["party"] = ["Say whose identity document this is."]
    if party is not None and party.application_id != application.pk:
        errors["party"] = ["This person is not on the application."]
    if len(content) > settings.DOCUMENT_MAX_BYTES:
        errors["file"] = [f"The file is larger than {settings.DOCUMENT_MAX_BYTES // (1024 * 1024)} MB."]
    content_type = sniff_content_type(content[:16])
    if not content:
        errors["file"] = ["The file is empty."]
    elif content_type is None:
        errors["file"] = ["Upload a PDF, JPEG or PNG file."]
    if errors:
        raise ValidationFailed("The document could not be accepted.", fields=errors)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.state not in UPLOAD_STATES:
            raise InvalidTransition("Documents can be added while the application is a draft or when requested.")
        document = Document(
            application=locked,
            kind=kind,
            party=party,
            original_name=original_name[:255],
            content_type=content_type,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
        document.file.save("upload", ContentFile(content), save=False)
        document.save()
        event_record(
            actor=actor,
            subject=document,
            application=locked,
            action="document_uploaded",
            details={"kind": kind, "size": len(content)},
        )
    return document


def document_decide(*, document: Document, actor: Actor, status: str, reason: str = "") -> Document:
    """Accept, reject or ask for a revision of a document (an officer's decision, with a reason)."""
    actor.require_perm(REVIEW_PERM, "decide on documents")
    if status not in DECISION_REASON_CODE:
        raise ValidationFailed("Choose accept, reject or request a revision.", fields={"status": ["Unknown."]})
    if status != Document.Status.ACCEPTED and not reason.strip():
        raise ValidationFailed("Give the reason.", fields={"reason": ["This field is required."]})
    with transaction.atomic():
        locked = Document.objects.select_for_update().get(pk=document.pk)
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
