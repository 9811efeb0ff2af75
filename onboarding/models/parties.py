"""What an application says about the people and places behind the business."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from onboarding.fields import EncryptedCharField, EncryptedDateField
from onboarding.history import track
from onboarding.ids import PublicIdField
from onboarding.models.application import Application
from onboarding.models.base import PostalAddress, Wallet


@track(exclude=["date_of_birth", "id_number"])
class Party(PostalAddress):
    """An owner (individual or company) or the control person; one row may be both.

    Every owner of 25% or more must be listed; smaller owners may be, and are screened too. The control
    person may own nothing (ownership 0).
    """

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        COMPANY = "company", _("Company")

    class IdNumberType(models.TextChoices):
        SSN = "ssn", _("SSN")
        ITIN = "itin", _("ITIN")

    public_id = PublicIdField(prefix="pty")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.INDIVIDUAL)
    ownership_percent = models.DecimalField(max_digits=5, decimal_places=2, default=0)
    is_control_person = models.BooleanField(default=False)
    title = models.CharField(max_length=100, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=30, blank=True, help_text="E.164")
    # Individual
    first_name = models.CharField(max_length=100, blank=True)
    middle_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    date_of_birth = EncryptedDateField()
    place_of_birth = models.CharField(max_length=200, blank=True)
    nationalities = models.JSONField(default=list, blank=True, help_text="ISO 3166-1 alpha-2 codes")
    citizenships = models.JSONField(default=list, blank=True, help_text="ISO 3166-1 alpha-2 codes")
    id_number_type = models.CharField(max_length=4, choices=IdNumberType.choices, blank=True)
    id_number = EncryptedCharField()
    id_number_last4 = models.CharField(max_length=4, blank=True)
    id_number_index = models.CharField(max_length=64, blank=True, db_index=True)
    # Company
    company_name = models.CharField(max_length=200, blank=True)
    company_country = models.CharField(max_length=2, blank=True)
    registration_number = models.CharField(max_length=100, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "parties"
        constraints = [
            models.CheckConstraint(
                condition=Q(ownership_percent__gte=0) & Q(ownership_percent__lte=100), name="ownership_0_to_100"
            ),
            models.UniqueConstraint(
                fields=["application"], condition=Q(is_control_person=True), name="one_control_person"
            ),
            models.CheckConstraint(
                condition=Q(kind="individual") | Q(is_control_person=False), name="control_person_is_individual"
            ),
        ]

    @property
    def name(self) -> str:
        if self.kind == self.Kind.COMPANY:
            return self.company_name
        return " ".join(part for part in (self.first_name, self.middle_name, self.last_name) if part)

    def __str__(self) -> str:
        return f"{self.name or 'Unnamed party'} ({self.public_id})"


@track(exclude=["account_number"])
class BankAccount(models.Model):
    class AccountType(models.TextChoices):
        CHECKING = "checking", _("Checking")
        SAVINGS = "savings", _("Savings")

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="bank_account")
    holder_name = models.CharField(max_length=200, blank=True)
    routing_number = models.CharField(max_length=9, blank=True)
    account_number = EncryptedCharField()
    account_last4 = models.CharField(max_length=4, blank=True)
    account_index = models.CharField(max_length=64, blank=True, db_index=True)
    account_type = models.CharField(max_length=8, choices=AccountType.choices, default=AccountType.CHECKING)

    def __str__(self) -> str:
        return f"{self.holder_name} account ending {self.account_last4}"


@track()
class Store(PostalAddress):
    """A store location; the terminals wanted there are its ``TerminalRequest`` rows."""

    public_id = PublicIdField(prefix="sto")
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="stores")
    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=30, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.public_id})"


class DeviceType(models.TextChoices):
    # Stripe Terminal readers that show a WeChat Pay QR code (Alipay is not a Terminal method on Stripe).
    WISEPOS_E = "bbpos_wisepos_e", _("BBPOS WisePOS E")
    S700 = "stripe_s700", _("Stripe Reader S700")


@track()
class TerminalRequest(models.Model):
    """A terminal the merchant asks for at a store: what and where, and no state. The acquirer's terminal
    (``payments.Terminal``) is created from it when boarding starts, as the merchant's wallets are from
    its ``WalletRequest`` rows, so a draft edit never touches anything the acquirer knows."""

    public_id = PublicIdField(prefix="trq")
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="terminals")
    device_type = models.CharField(max_length=30, choices=DeviceType.choices, default=DeviceType.S700)
    label = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["store", "id"]

    def __str__(self) -> str:
        return f"{self.label or self.get_device_type_display()} ({self.public_id})"


class WalletRequest(models.Model):
    """A wallet the merchant asks for, with the eligibility outcome for its category, state and channel."""

    class Channel(models.TextChoices):
        IN_STORE = "in_store", _("In store (terminal)")
        ONLINE = "online", _("Online / QR")

    class Eligibility(models.TextChoices):
        PENDING = "pending", _("Not yet assessed")
        ELIGIBLE = "eligible", _("Eligible")
        REVIEW = "review", _("Needs review")
        INELIGIBLE = "ineligible", _("Not eligible")

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="wallet_requests")
    wallet = models.CharField(max_length=12, choices=Wallet.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices, default=Channel.IN_STORE)
    eligibility = models.CharField(max_length=10, choices=Eligibility.choices, default=Eligibility.PENDING)
    eligibility_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "wallet", "channel"], name="one_request_per_wallet")
        ]

    def __str__(self) -> str:
        return f"{self.get_wallet_display()} ({self.get_channel_display()})"


class Agreement(models.Model):
    """The signed merchant agreement: what was signed, by whom, when and from where."""

    application = models.OneToOneField(Application, on_delete=models.PROTECT, related_name="agreement")
    version = models.CharField(max_length=20)
    language = models.CharField(max_length=10, default="en")
    signer_name = models.CharField(max_length=200)
    signer_title = models.CharField(max_length=100)
    signed_at = models.DateTimeField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"Agreement {self.version} signed by {self.signer_name}"
