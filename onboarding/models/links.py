"""Hosted onboarding links: a partner hands its merchant a URL that opens the merchant's own application.

Only the SHA-256 of the token is kept (the token has 256 random bits, so a hash without salt is enough,
as for the API keys). A link is single-use and short-lived; what it leads to is guarded by the
applicant's email address, which the signed-in user must have verified.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from onboarding.ids import PublicIdField


class OnboardingLink(models.Model):
    public_id = PublicIdField(prefix="obl")
    application = models.ForeignKey("onboarding.Application", on_delete=models.PROTECT, related_name="onboarding_links")
    #: the applicant's address as the partner gave it; compared case-insensitively with verified addresses
    email = models.EmailField(max_length=254)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    #: when the token was exchanged for a session value (the one use a link has)
    used_at = models.DateTimeField(null=True, blank=True)
    #: the user the application was attached to through this link
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="link_expires_later"),
            models.CheckConstraint(
                condition=Q(claimed_by__isnull=True) | Q(used_at__isnull=False), name="link_claimed_after_use"
            ),
        ]

    def __str__(self) -> str:
        return f"Onboarding link {self.public_id}"
