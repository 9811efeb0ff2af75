"""Results of the KYC/KYB check pipeline, kept as history with one current row per check."""

from django.db import models
from django.db.models import Q

from onboarding.models.application import Application


class Outcome(models.TextChoices):
    PASS = "pass", "Pass"
    REVIEW = "review", "Review"
    FAIL = "fail", "Fail"
    NOT_RUN = "not_run", "Not run"


class CheckResult(models.Model):
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="check_results")
    check_name = models.CharField(max_length=50)
    check_version = models.CharField(max_length=20)
    outcome = models.CharField(max_length=8, choices=Outcome.choices)
    # What the officer reads; personal data never goes here in clear (masked at most).
    details = models.JSONField(default=dict, blank=True)
    # Keyed hash of the inputs the check read: unchanged inputs are not run again.
    fingerprint = models.CharField(max_length=64)
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["check_name", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "check_name"], condition=Q(is_current=True), name="one_current_result"
            )
        ]

    def __str__(self) -> str:
        return f"{self.check_name}: {self.outcome}"
