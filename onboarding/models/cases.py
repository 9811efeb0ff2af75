"""Review cases: work for compliance officers about a live merchant (a new sanctions hit, a changed
eligibility rule), apart from the review of an application."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from onboarding.ids import PublicIdField


class ReviewCase(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    public_id = PublicIdField(prefix="case")
    merchant = models.ForeignKey("onboarding.Merchant", on_delete=models.PROTECT, related_name="review_cases")
    application = models.ForeignKey(
        "onboarding.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="review_cases"
    )
    reason_code = models.CharField(max_length=60, help_text="What opened the case, e.g. sanctions_new_hit")
    summary = models.CharField(max_length=300)
    details = models.JSONField(default=dict, blank=True, help_text="Internal: never shown to the merchant")
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolution = models.TextField(blank=True)
    # The officer working the case, if anyone has taken it (``review_case_assign``).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at"]
        indexes = [models.Index(fields=["status", "opened_at"], name="case_queue_order")]
        constraints = [
            models.UniqueConstraint(
                fields=["merchant", "reason_code"], condition=Q(status="open"), name="one_open_case_per_reason"
            )
        ]

    def __str__(self) -> str:
        return f"{self.summary} ({self.public_id})"
