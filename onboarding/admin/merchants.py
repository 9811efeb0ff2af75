"""Merchants (what an approved application became)."""

from django.contrib import admin

from onboarding.admin.base import ReadOnlyAdmin
from onboarding.models import Merchant


@admin.register(Merchant)
class MerchantAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "legal_name", "state", "acquirer_account_id")
    list_filter = ("state",)
    exclude = ("tax_id", "tax_id_index")
