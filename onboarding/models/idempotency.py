"""A partner's Idempotency-Key and the first answer given to it, so that a retried POST never acts twice."""

from django.db import models

from onboarding.models.partner import Partner


class IdempotencyKey(models.Model):
    """One POST a partner made under a key: the hash of what was asked, and once done, what was answered.

    The unique constraint is what makes two racing requests with one key meet: exactly one inserts the row
    and runs; the other finds it in flight (409) or done (the stored answer is replayed)."""

    class State(models.TextChoices):
        IN_FLIGHT = "in_flight", "In flight"
        DONE = "done", "Done"

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="idempotency_keys")
    livemode = models.BooleanField()
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64, help_text="SHA-256 of the method, path and body")
    state = models.CharField(max_length=10, choices=State.choices, default=State.IN_FLIGHT)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    response_headers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    #: when the request holding the key started (or last took over a key whose request died)
    locked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partner", "livemode", "key"], name="one_idempotency_key_per_partner_mode")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.state})"
