"""The acquirer's side of a merchant: its terminals, the objects created on the acquirer (each once), and the
acquirer's webhook events as received."""

from django.db import models
from django.db.models import Q

from onboarding.history import track
from onboarding.ids import PublicIdField
from onboarding.models import DeviceType
from payments.states import TerminalState


@track(exclude=["registration_code"])
class Terminal(models.Model):
    """A terminal on the acquirer: created from the merchant's ``TerminalRequest`` when boarding starts,
    waiting for its device once its store's location exists, active once the reader is registered."""

    public_id = PublicIdField(prefix="ter")
    merchant = models.ForeignKey("onboarding.Merchant", on_delete=models.PROTECT, related_name="terminals")
    request = models.OneToOneField("onboarding.TerminalRequest", on_delete=models.PROTECT, related_name="terminal")
    device_type = models.CharField(max_length=30, choices=DeviceType.choices, default=DeviceType.S700)
    label = models.CharField(max_length=100, blank=True)
    state = models.CharField(max_length=16, choices=TerminalState.CHOICES, default=TerminalState.REQUESTED)
    state_changed_at = models.DateTimeField(auto_now_add=True)
    #: the code the device shows, typed by the merchant; kept only until the reader is registered
    registration_code = models.CharField(max_length=100, blank=True)
    acquirer_reader_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    last_error = models.CharField(max_length=500, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["merchant", "id"]

    def __str__(self) -> str:
        return f"{self.label or self.get_device_type_display()} ({self.public_id})"

    @property
    def store(self):
        return self.request.store


class AcquirerObject(models.Model):
    """One object we create on the acquirer (an account, its wallet configuration, a person, an external
    account, a location, a reader), keyed by our own ids: the key is the idempotency key of its creating
    call, and both the key and the acquirer's id are unique, so a retry can never make a second one."""

    class Kind(models.TextChoices):
        ACCOUNT = "account", "Account"
        WALLET_CONFIGURATION = "payment_method_configuration", "Wallet configuration"
        PERSON = "person", "Person"
        EXTERNAL_ACCOUNT = "external_account", "External account"
        LOCATION = "location", "Location"
        READER = "reader", "Reader"
        #: an update call (its key names what it sends); done once it has completed
        UPDATE = "update", "Update"

    key = models.CharField(max_length=120, unique=True, help_text="Our idempotency key: acct:{merchant}, …")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    merchant = models.ForeignKey("onboarding.Merchant", on_delete=models.PROTECT, related_name="acquirer_objects")
    livemode = models.BooleanField()
    acquirer_id = models.CharField(max_length=100, null=True, blank=True, unique=True)
    attempts = models.PositiveIntegerField(default=0)
    first_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["merchant", "id"]

    def __str__(self) -> str:
        return f"{self.key} → {self.acquirer_id or 'not created'}"


class AcquirerEvent(models.Model):
    """A webhook event from the acquirer, stored once by its id before it is processed."""

    event_id = models.CharField(max_length=100, unique=True)
    type = models.CharField(max_length=100)
    livemode = models.BooleanField()
    account = models.CharField(max_length=100, blank=True, db_index=True)
    created = models.DateTimeField(help_text="When the acquirer created the event")
    payload = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    #: types we do not act on are kept and marked ignored
    ignored = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at"]
        indexes = [models.Index(fields=["processed_at"], condition=Q(processed_at__isnull=True), name="unprocessed")]

    def __str__(self) -> str:
        return f"{self.type} {self.event_id}"
