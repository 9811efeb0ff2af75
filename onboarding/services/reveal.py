"""Audited access to personal data: one decrypted value at a time, and a document's file.

Every page shows personal data masked. A holder of ``onboarding.reveal_personal_data`` may see one value
(an application's tax id, a party's SSN/ITIN or date of birth, a settlement account number) by giving a
reason; an officer (``onboarding.review_application``) may open a document. Each access writes an
internal event in the same transaction as the read: who (the event's actor), which field, of whom,
when (the event's time) and why. The value itself never goes into the event or a log line.
"""

from dataclasses import dataclass

from django.db import models, transaction

from onboarding.errors import DomainError
from onboarding.models import Application, BankAccount, Document, Party
from onboarding.services.actors import REVIEW_PERM, Actor
from onboarding.services.events import event_record

REVEAL_PERM = "onboarding.reveal_personal_data"
MAX_REASON = 500


@dataclass(frozen=True)
class Revealable:
    model: type[models.Model]
    field: str
    label: str

    @property
    def key(self) -> str:
        return f"{self.model._meta.model_name}.{self.field}"


REVEALABLE = {
    r.key: r
    for r in (
        Revealable(Application, "tax_id", "Tax id (EIN or SSN)"),
        Revealable(Party, "id_number", "SSN or ITIN"),
        Revealable(Party, "date_of_birth", "Date of birth"),
        Revealable(BankAccount, "account_number", "Bank account number"),
    )
}


def revealable(obj: models.Model, field: str) -> Revealable:
    found = REVEALABLE.get(f"{obj._meta.model_name}.{field}")
    if found is None:
        raise DomainError("That value cannot be revealed.", code="not_revealable")
    return found


def owner_of(obj: models.Model) -> tuple[models.Model, Application]:
    """The subject an access event is written on (one with a public id) and its application."""
    if isinstance(obj, Application):
        return obj, obj
    return (obj if isinstance(obj, Party) else obj.application), obj.application


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Give the reason for seeing this value.", code="reason_required")
    return reason[:MAX_REASON]


def personal_data_reveal(*, actor: Actor, obj: models.Model, field: str, reason: str) -> str:
    """The decrypted value of one personal-data field, for a holder of the reveal permission."""
    actor.require_perm(REVEAL_PERM, "reveal personal data")
    target = revealable(obj, field)
    reason = _require_reason(reason)
    subject, application = owner_of(obj)
    with transaction.atomic():
        fresh = type(obj).objects.get(pk=obj.pk)
        value = getattr(fresh, target.field)
        event_record(
            actor=actor,
            subject=subject,
            application=application,
            action="personal_data_revealed",
            reason_code="personal_data_access",
            details={"field": target.key, "of": subject.public_id, "reason": reason},
        )
    if value in (None, ""):
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def document_open(*, actor: Actor, document: Document) -> bytes:
    """A document's file (decrypted by the storage) for an officer; support never opens documents."""
    actor.require_perm(REVIEW_PERM, "open documents")
    with transaction.atomic():
        event_record(
            actor=actor,
            subject=document,
            application=document.application,
            action="document_opened",
            reason_code="personal_data_access",
            details={"document": document.public_id, "kind": document.kind},
        )
        with document.file.open("rb") as handle:
            return handle.read()
