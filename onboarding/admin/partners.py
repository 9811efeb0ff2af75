"""Partners and their API keys (the secret is only ever stored hashed)."""

from django.contrib import admin

from onboarding.admin.base import ReadOnlyAdmin
from onboarding.models import Partner, PartnerApiKey


@admin.register(Partner)
class PartnerAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "name", "kind", "is_active")


@admin.register(PartnerApiKey)
class PartnerApiKeyAdmin(ReadOnlyAdmin):
    list_display = ("prefix", "partner", "mode", "created_at", "last_used_at", "revoked_at")
    exclude = ("secret_hash",)
