"""Terminals: the payment devices a merchant wants at each store, and their activation."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from onboarding.history import track
from onboarding.ids import PublicIdField
from payments.states import TerminalState


class DeviceType(models.TextChoices):
    # Stripe Terminal readers that show a WeChat Pay QR code (Alipay is not a Terminal method on Stripe).
    WISEPOS_E = "bbpos_wisepos_e", _("BBPOS WisePOS E")
    S700 = "stripe_s700", _("Stripe Reader S700")


@track()
class Terminal(models.Model):
    public_id = PublicIdField(prefix="ter")
    store = models.ForeignKey("onboarding.Store", on_delete=models.CASCADE, related_name="terminals")
    device_type = models.CharField(max_length=30, choices=DeviceType.choices, default=DeviceType.S700)
    label = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=16, choices=TerminalState.CHOICES, default=TerminalState.REQUESTED)
    state_changed_at = models.DateTimeField(auto_now_add=True)
    acquirer_reader_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["store", "id"]

    def __str__(self) -> str:
        return f"{self.label or self.get_device_type_display()} ({self.public_id})"
