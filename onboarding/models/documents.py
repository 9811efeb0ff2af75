"""Documents an application carries (articles, bank letters, identity documents)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onboarding.history import track
from onboarding.ids import PublicIdField
from onboarding.models.application import Application
from onboarding.models.parties import Party


class DocumentKind(models.TextChoices):
    ARTICLES_OF_INCORPORATION = "articles_of_incorporation", _("Articles of incorporation")
    ARTICLES_OF_ORGANIZATION = "articles_of_organization", _("Articles of organization")
    PARTNERSHIP_AGREEMENT = "partnership_agreement", _("Partnership agreement")
    EIN_LETTER = "ein_letter", _("IRS EIN confirmation letter (CP 575 or 147C)")
    BUSINESS_LICENSE = "business_license", _("Business licence")
    VOIDED_CHECK = "voided_check", _("Voided cheque")
    BANK_LETTER = "bank_letter", _("Bank letter")
    BANK_STATEMENT = "bank_statement", _("Bank statement")
    PASSPORT = "passport", _("Passport")
    DRIVERS_LICENSE = "drivers_license", _("Driver's licence")
    STATE_ID = "state_id", _("State ID card")
    PROOF_OF_ADDRESS = "proof_of_address", _("Proof of address")
    OTHER = "other", _("Other")


IDENTITY_DOCUMENT_KINDS = frozenset({DocumentKind.PASSPORT, DocumentKind.DRIVERS_LICENSE, DocumentKind.STATE_ID})
ALLOWED_CONTENT_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})


def document_path(instance: "Document", filename: str) -> str:
    # The stored name says nothing about the person or the original file name.
    return f"{instance.application.public_id}/{instance.public_id}"


@track()
class Document(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending review")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")
        REVISION_REQUESTED = "revision_requested", _("Revision requested")

    public_id = PublicIdField(prefix="doc")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=40, choices=DocumentKind.choices)
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    file = models.FileField(upload_to=document_path, max_length=200)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    decision_reason = models.CharField(max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=sorted(IDENTITY_DOCUMENT_KINDS)) | Q(party__isnull=False),
                name="identity_document_names_its_person",
            ),
            models.CheckConstraint(
                condition=Q(content_type__in=sorted(ALLOWED_CONTENT_TYPES)), name="document_type_allowed"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.public_id})"
