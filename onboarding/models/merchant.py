"""The merchant: a verified business and its life with us."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from onboarding.fields import EncryptedCharField
from onboarding.history import track
from onboarding.ids import PublicIdField
from onboarding.models.base import Acquirer, Timestamped, Wallet
from onboarding.models.livemode import merchant_livemode_trigger
from onboarding.states import MerchantState


@track(exclude=["tax_id"])
class Merchant(Timestamped):
    public_id = PublicIdField(prefix="mer")
    legal_name = models.CharField(max_length=200)
    dba = models.CharField("DBA", max_length=200, blank=True)
    tax_id_type = models.CharField(max_length=4)
    tax_id = EncryptedCharField()
    tax_id_last4 = models.CharField(max_length=4, blank=True)
    tax_id_index = models.CharField(max_length=64, db_index=True)
    state = models.CharField(max_length=12, choices=MerchantState.CHOICES, default=MerchantState.ONBOARDING)
    state_changed_at = models.DateTimeField(auto_now_add=True)
    acquirer = models.CharField(max_length=20, choices=Acquirer.choices, default=Acquirer.STRIPE)
    #: from its first application; decides which of the acquirer's modes (keys) it is boarded in
    livemode = models.BooleanField(default=True)
    acquirer_account_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    # Its current parties are those of this application (re-screening uses them).
    current_application = models.ForeignKey(
        "onboarding.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    partner = models.ForeignKey("onboarding.Partner", null=True, blank=True, on_delete=models.PROTECT)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="merchants")

    class Meta:
        constraints = [
            # Live mode only: test merchants share the documented test tax ids (docs/test_mode.md), and a
            # test merchant never stands in the way of a live one.
            models.UniqueConstraint(
                fields=["tax_id_index"],
                condition=Q(state__in=sorted(MerchantState.LIVE), livemode=True),
                name="one_live_merchant_per_tax_id",
            ),
        ]
        triggers = [merchant_livemode_trigger()]

    def __str__(self) -> str:
        return f"{self.dba or self.legal_name} ({self.public_id})"


class MerchantWallet(models.Model):
    """The acquirer's capability for one wallet on this merchant's account."""

    class Status(models.TextChoices):
        REQUESTED = "requested", "Requested"
        PENDING = "pending", "Pending"
        ACTIVE = "active", "Active"
        REFUSED = "refused", "Refused"
        #: switched off on the acquirer while the merchant is suspended or closed
        OFF = "off", "Switched off"

    merchant = models.ForeignKey(Merchant, on_delete=models.PROTECT, related_name="wallets")
    wallet = models.CharField(max_length=12, choices=Wallet.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REQUESTED)
    refused_reason = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["merchant", "wallet"], name="one_capability_per_wallet")]

    def __str__(self) -> str:
        return f"{self.get_wallet_display()}: {self.get_status_display()}"
