"""Owed work: what a subject (an application, a list version's re-screen, a terminal, a webhook delivery)
still owes a worker, recorded in the same transaction as its cause so that none is lost.

While a row is ``pending`` there is at most one per subject and kind; the beat sweeper publishes the
rows that are due. A row ends ``done`` (the work's own transaction marks it) or ``needs_attention``
(attempts or deadline exhausted), where it stays listed for people.
"""

from django.db import models
from django.db.models import Q

from onboarding.ids import PublicIdField


class OwedWork(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        NEEDS_ATTENTION = "needs_attention", "Needs attention"

    public_id = PublicIdField(prefix="owe")
    #: the subject's model label (``onboarding.application``) and public id
    subject_type = models.CharField(max_length=60)
    subject_id = models.CharField(max_length=40)
    kind = models.CharField(max_length=60)
    #: keyword arguments of the task, beside the subject's public id
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    due_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0, help_text="Publications by the sweeper")
    max_attempts = models.PositiveIntegerField(null=True, blank=True)
    deadline_at = models.DateTimeField(
        null=True, blank=True, help_text="For work that waits on someone else: exhausted at this time"
    )
    last_error = models.TextField(blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        verbose_name = "owed work"
        verbose_name_plural = "owed work"
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "kind"],
                condition=Q(status="pending"),
                name="one_pending_work_per_subject_and_kind",
            ),
            models.CheckConstraint(
                condition=Q(max_attempts__isnull=False) | Q(deadline_at__isnull=False),
                name="owed_work_is_bounded",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.subject_id} ({self.status})"
