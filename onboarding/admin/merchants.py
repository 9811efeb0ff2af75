"""Merchants (what an approved application became): live ones unless the mode filter asks for test data,
and a partner's through the partner API's own scoping."""

from django.contrib import admin

from onboarding.admin.base import ReadOnlyAdmin
from onboarding.admin.queue_filters import MerchantPartnerFilter, ModeFilter
from onboarding.models import Merchant


@admin.register(Merchant)
class MerchantAdmin(ReadOnlyAdmin):
    list_display = ("public_id", "legal_name", "state", "acquirer_account_id")
    list_filter = (ModeFilter, MerchantPartnerFilter, "state")
    exclude = ("tax_id", "tax_id_index")
