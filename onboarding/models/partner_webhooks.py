"""Webhooks to partners: the endpoints a partner registered, the events we tell partners of, and each
event's delivery to each endpoint with its attempts.

An event is written in the transaction of the change it tells of, with one delivery row per endpoint that
subscribed to it; each delivery is owed work (``onboarding.work``), so a crash or a broker outage loses
none. The event's ``data`` is a snapshot made for partners: public ids, states, the business's names,
masked values; never personal data (identifiers, dates of birth, bank numbers, names of individuals).
"""

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone

from onboarding.fields import EncryptedCharField
from onboarding.ids import PublicIdField


class WebhookEndpoint(models.Model):
    """Where a partner wants events: a URL, the event types it chose, its signing secret (encrypted at
    rest and shown once, when it is created or rolled) and whether it is on. Test-mode endpoints receive
    only test-mode events, live ones only live events.

    After a roll the previous secret keeps signing too until ``previous_secret_expires_at``, so a partner
    can change its receiver's secret without refusing a delivery meanwhile."""

    public_id = PublicIdField(prefix="we")
    partner = models.ForeignKey("onboarding.Partner", on_delete=models.PROTECT, related_name="webhook_endpoints")
    url = models.URLField(max_length=2000)
    description = models.CharField(max_length=200, blank=True)
    #: event type names, or ``["*"]`` for every type
    event_types = models.JSONField(default=list)
    enabled = models.BooleanField(default=True)
    livemode = models.BooleanField()
    secret = EncryptedCharField(help_text="Signing secret (encrypted; shown once when created or rolled)")
    previous_secret = EncryptedCharField(help_text="The secret before the last roll (encrypted)")
    #: the previous secret signs beside the current one until then
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    #: a deleted endpoint keeps its rows (the delivery log names it) and receives nothing more
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["partner", "id"]
        indexes = [models.Index(fields=["partner", "livemode"], name="webhook_endpoint_partner")]
        constraints = [
            models.CheckConstraint(
                condition=Q(previous_secret__isnull=True, previous_secret_expires_at__isnull=True)
                | Q(previous_secret__isnull=False, previous_secret_expires_at__isnull=False),
                name="previous_secret_has_expiry",
            )
        ]

    def __str__(self) -> str:
        return f"{self.url} ({self.public_id})"

    def receives(self, event_type: str) -> bool:
        return "*" in self.event_types or event_type in self.event_types

    def signing_secrets(self, now: datetime | None = None) -> list[str]:
        """The secrets a delivery is signed with now: the current one first, then the previous one while it
        is still valid."""
        now = now or timezone.now()
        secrets = [self.secret]
        if self.previous_secret and self.previous_secret_expires_at and self.previous_secret_expires_at > now:
            secrets.append(self.previous_secret)
        return secrets


class WebhookEvent(models.Model):
    """One thing that happened that a partner hears of: the body of every delivery of it, and what
    ``GET /api/v1/events`` lists for catching up."""

    public_id = PublicIdField(prefix="evt")
    partner = models.ForeignKey("onboarding.Partner", on_delete=models.PROTECT, related_name="partner_events")
    type = models.CharField(max_length=60)
    livemode = models.BooleanField()
    created_at = models.DateTimeField(auto_now_add=True)
    #: the application the event is about (its own, or its terminal's or merchant's)
    application = models.ForeignKey(
        "onboarding.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="partner_events"
    )
    #: the public id of ``data.object``
    object_id = models.CharField(max_length=40)
    #: ``{"object": {...}}``, a snapshot without personal data
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["partner", "livemode", "created_at", "id"], name="webhook_event_catch_up"),
            models.Index(fields=["application", "type", "id"], name="webhook_event_application"),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.object_id} ({self.public_id})"


class WebhookDelivery(models.Model):
    """One event owed to one endpoint: pending until an attempt gets a 2xx answer; failed once the retry
    window has passed (it stays listed, and can be sent again)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"
        #: the endpoint was deleted or switched off before the event reached it
        CANCELLED = "cancelled", "Cancelled"

    public_id = PublicIdField(prefix="whd")
    event = models.ForeignKey(WebhookEvent, on_delete=models.PROTECT, related_name="deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.PROTECT, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    #: retries run for WEBHOOK_RETRY_DAYS from here (the creation, or the latest re-send)
    retry_from = models.DateTimeField()
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    #: an attempt under way holds the delivery until then, so two workers never send it at once
    lease_until = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempt_count = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "webhook deliveries"
        constraints = [models.UniqueConstraint(fields=["event", "endpoint"], name="one_delivery_per_event_endpoint")]
        indexes = [models.Index(fields=["endpoint", "status"], name="webhook_delivery_endpoint")]

    def __str__(self) -> str:
        return f"{self.event.type} to {self.endpoint.url} ({self.status})"


class WebhookAttempt(models.Model):
    """One HTTP request of a delivery: written before the request, completed with its answer. One left
    ``in_flight`` is an attempt whose worker stopped before it could record the answer."""

    class Outcome(models.TextChoices):
        IN_FLIGHT = "in_flight", "No answer recorded"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.IN_FLIGHT)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    #: what went wrong, without the response's body (a receiver may echo what we sent)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(fields=["delivery", "number"], name="one_attempt_number_per_delivery"),
            models.CheckConstraint(
                condition=Q(outcome="in_flight") | Q(finished_at__isnull=False), name="finished_attempt_has_time"
            ),
        ]

    def __str__(self) -> str:
        return f"attempt {self.number}: {self.response_status or self.error or self.outcome}"
