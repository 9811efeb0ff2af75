"""Partners (ISOs, ISVs, referral partners) and their API keys."""

from django.db import models

from onboarding.history import track
from onboarding.ids import PublicIdField
from onboarding.models.base import Timestamped


@track()
class Partner(Timestamped):
    class Kind(models.TextChoices):
        ISO = "iso", "Independent sales organisation"
        ISV = "isv", "Software vendor"
        REFERRAL = "referral", "Referral partner"

    public_id = PublicIdField(prefix="ptn")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    is_active = models.BooleanField(default=True)
    contact_email = models.EmailField(blank=True)
    # Per-partner velocity threshold for API submissions (an ISO boarding many merchants is normal).
    max_submissions_per_hour = models.PositiveIntegerField(default=100)

    def __str__(self) -> str:
        return f"{self.name} ({self.public_id})"


class PartnerApiKey(models.Model):
    """A key is shown once at creation; only its SHA-256 is kept (the secret has 190+ random bits)."""

    class Mode(models.TextChoices):
        TEST = "test", "Test"
        LIVE = "live", "Live"

    public_id = PublicIdField(prefix="key")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="api_keys")
    mode = models.CharField(max_length=4, choices=Mode.choices)
    label = models.CharField(max_length=100, blank=True)
    prefix = models.CharField(max_length=20, help_text="The first characters, to recognise a key in lists")
    secret_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.partner.name})"
