"""The application: one reviewed request to board (or change) a merchant."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onboarding.fields import EncryptedCharField
from onboarding.history import track
from onboarding.ids import PublicIdField
from onboarding.models.base import Acquirer, Channel, PostalAddress, Timestamped
from onboarding.models.livemode import application_livemode_trigger
from onboarding.states import AppState


class EntityType(models.TextChoices):
    SOLE_PROPRIETORSHIP = "sole_proprietorship", _("Sole proprietorship")
    SINGLE_MEMBER_LLC = "single_member_llc", _("Single-member LLC")
    MULTI_MEMBER_LLC = "multi_member_llc", _("Multi-member LLC")
    CORPORATION = "corporation", _("Corporation")
    PARTNERSHIP = "partnership", _("Partnership")
    NONPROFIT = "nonprofit", _("Non-profit organisation")


class TaxIdType(models.TextChoices):
    EIN = "ein", _("EIN")
    SSN = "ssn", _("SSN")
    ITIN = "itin", _("ITIN")


class RiskBand(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


#: The queue sorts on this rank (high first); an application not yet scored ranks below low.
RISK_BAND_RANK = {RiskBand.HIGH: 3, RiskBand.MEDIUM: 2, RiskBand.LOW: 1, "": 0}
#: The states in which an application waits for an officer (information requested waits for the merchant).
WAITING_FOR_OFFICER = frozenset({AppState.IN_REVIEW, AppState.AWAITING_SECOND_APPROVAL})


@track(exclude=["tax_id"])
class Application(PostalAddress, Timestamped):
    public_id = PublicIdField(prefix="app")
    merchant = models.ForeignKey(
        "onboarding.Merchant", null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    partner = models.ForeignKey(
        "onboarding.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    channel = models.CharField(max_length=3, choices=Channel.choices, default=Channel.WEB)
    #: False for test data (a partner's test key): boarded only in the acquirer's test mode, never live
    livemode = models.BooleanField(default=True)
    #: the partner's own reference for the application, unique per partner and mode (blank: none given)
    external_id = models.CharField(max_length=100, blank=True)
    submitted_ip = models.GenericIPAddressField(null=True, blank=True)
    acquirer = models.CharField(max_length=20, choices=Acquirer.choices, default=Acquirer.STRIPE)

    state = models.CharField(max_length=30, choices=AppState.CHOICES, default=AppState.DRAFT)
    state_changed_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason_code = models.CharField(max_length=60, blank=True)
    # Set the first time the application enters in_review: from then on only an officer approves it.
    has_been_in_review = models.BooleanField(default=False)
    first_in_review_at = models.DateTimeField(null=True, blank=True)
    requires_second_approval = models.BooleanField(default=False)
    first_approver = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_approved_at = models.DateTimeField(null=True, blank=True)

    # What the review queue sorts and filters on, kept on the row by the services that change it: the
    # risk scoring (risk_*), the sanctions hit services (open_hit_count: open hits at or above the review
    # threshold), the assignment services (assigned_*) and every state move (waiting_since).
    risk_score = models.PositiveSmallIntegerField(null=True, blank=True)
    risk_band = models.CharField(max_length=6, choices=RiskBand.choices, blank=True)
    risk_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    open_hit_count = models.PositiveIntegerField("open sanctions hits", default=0)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="assigned_applications"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    waiting_since = models.DateTimeField(null=True, blank=True, help_text="Since when it waits for an officer")

    # The business
    legal_name = models.CharField(max_length=200, blank=True)
    dba = models.CharField("DBA", max_length=200, blank=True)
    entity_type = models.CharField(max_length=30, choices=EntityType.choices, blank=True)
    tax_id_type = models.CharField(max_length=4, choices=TaxIdType.choices, blank=True)
    tax_id = EncryptedCharField()
    tax_id_last4 = models.CharField(max_length=4, blank=True)
    tax_id_index = models.CharField(max_length=64, blank=True, db_index=True)
    formation_state = models.CharField(max_length=2, blank=True)
    formation_date = models.DateField(null=True, blank=True)
    website = models.URLField(blank=True)
    phone = models.CharField(max_length=30, blank=True)
    mcc = models.CharField("merchant category code", max_length=4, blank=True)
    product_description = models.TextField(blank=True)
    monthly_volume_cents = models.BigIntegerField(null=True, blank=True)
    average_ticket_cents = models.BigIntegerField(null=True, blank=True)
    currency = models.CharField(max_length=3, default="USD")

    class Meta:
        permissions = [
            ("review_application", "Can review applications and record decisions"),
            ("second_approve_application", "Can give the second approval on high-risk applications"),
            ("reveal_personal_data", "Can reveal masked personal data (audited)"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(tax_id_type__in=["", "ein"]) | Q(entity_type="sole_proprietorship"),
                name="only_sole_proprietors_use_ssn_or_itin",
            ),
            models.UniqueConstraint(
                fields=["partner", "livemode", "external_id"],
                condition=~Q(external_id=""),
                name="external_id_unique_per_partner",
            ),
            models.CheckConstraint(condition=Q(monthly_volume_cents__gte=0), name="volume_not_negative"),
            models.CheckConstraint(condition=Q(average_ticket_cents__gte=0), name="ticket_not_negative"),
        ]
        indexes = [
            # The queue's default order: the oldest high-risk work first (see onboarding/admin/queue.py).
            models.Index(fields=["-risk_rank", "waiting_since", "id"], name="application_queue_order"),
            models.Index(fields=["decided_at"], name="application_decided_at"),
            models.Index(fields=["state"], name="application_state"),
            models.Index(fields=["tax_id_last4"], name="application_tax_id_last4"),
            # The partner API's list: one partner's applications of one mode, newest first.
            models.Index(fields=["partner", "livemode", "-created_at"], name="application_partner_list"),
        ]
        triggers = [application_livemode_trigger()]

    def __str__(self) -> str:
        return f"{self.legal_name or 'Untitled application'} ({self.public_id})"

    @property
    def display_name(self) -> str:
        return self.dba or self.legal_name or "Untitled application"


class InfoRequest(models.Model):
    """An officer's request for information, and the merchant's answer."""

    public_id = PublicIdField(prefix="rfi")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="info_requests")
    message = models.TextField(help_text="Shown to the merchant and partner")
    #: what the merchant is asked to fix, each naming a field path or a document kind with a suggested fix:
    #: ``{"path": "business.tax_id", "kind": "field"|"document", "document_kind": "", "fix": "..."}``
    items = models.JSONField(default=list, blank=True, help_text="Shown to the merchant and partner")
    #: the officer's chosen time to answer, counted from when the email is sent
    due_days = models.PositiveSmallIntegerField(default=30)
    # None when the system asked (a test value that leaves a requirement due, docs/test_mode.md).
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    # Counted from when its email was sent (set again then), so a slow mail queue costs the merchant nothing.
    due_at = models.DateTimeField()
    email_sent_at = models.DateTimeField(null=True, blank=True)
    answer = models.TextField(blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(answered_at__isnull=True), name="one_open_info_request"
            )
        ]

    def __str__(self) -> str:
        return f"Information request {self.public_id}"


class SecondApprovalQueue(Application):
    """The applications awaiting a second approval: a queue of its own in the admin (no table of its own)."""

    class Meta:
        proxy = True
        verbose_name = "application awaiting second approval"
        verbose_name_plural = "applications awaiting second approval"
