"""The append-only event log: every change, about any subject, with its actor and visibility."""

import pgtrigger
from django.conf import settings
from django.db import models

from onboarding.ids import PublicIdField

# Only the retention purge sets this transaction-local setting (SET LOCAL), the one way past the trigger.
PURGE_SETTING = "portal.event_purge"


class Event(models.Model):
    class Visibility(models.TextChoices):
        INTERNAL = "internal", "Internal"
        # Also shown to the merchant and the partner, through the neutral reason-code text.
        SHARED = "shared", "Shown to merchant and partner"

    class ActorType(models.TextChoices):
        USER = "user", "User"
        PARTNER = "partner", "Partner"
        SYSTEM = "system", "System"

    public_id = PublicIdField(prefix="evt")
    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor_type = models.CharField(max_length=8, choices=ActorType.choices)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_partner = models.ForeignKey(
        "onboarding.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=100, blank=True, help_text="The system process, for system actors")
    subject_type = models.CharField(max_length=40)
    subject_id = models.CharField(max_length=40, help_text="The subject's public id")
    # The case the event belongs to; subjects with events cannot be deleted.
    application = models.ForeignKey(
        "onboarding.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    merchant = models.ForeignKey(
        "onboarding.Merchant", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    partner = models.ForeignKey(
        "onboarding.Partner", null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(max_length=60)
    from_state = models.CharField(max_length=30, blank=True)
    to_state = models.CharField(max_length=30, blank=True)
    reason_code = models.CharField(max_length=60, blank=True)
    details = models.JSONField(default=dict, blank=True)
    visibility = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.INTERNAL)

    class Meta:
        ordering = ["occurred_at", "id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"])]
        triggers = [
            pgtrigger.Protect(
                name="append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Condition(f"current_setting('{PURGE_SETTING}', true) IS DISTINCT FROM 'on'"),
            )
        ]

    def __str__(self) -> str:
        arrow = f" {self.from_state}→{self.to_state}" if self.to_state else ""
        return f"{self.subject_id} {self.action}{arrow}"

    @property
    def actor_display(self) -> str:
        if self.actor_type == self.ActorType.USER and self.actor_user_id:
            return self.actor_user.get_username()
        if self.actor_type == self.ActorType.PARTNER and self.actor_partner_id:
            return self.actor_partner.name
        return self.actor_label or self.actor_type

    @property
    def public_text(self) -> str:
        from onboarding.reason_codes import public_text

        return public_text(self.reason_code, self.to_state)
