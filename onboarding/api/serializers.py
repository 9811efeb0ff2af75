"""What the partner API answers, and the bodies it documents. Output is built from the models; input goes
to the services as sent (see section_serializers), so the services' field paths reach the partner."""

from django.conf import settings
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from onboarding import sections
from onboarding.api.section_serializers import (
    BankAccountSerializer,
    BusinessSerializer,
    PartySerializer,
    StoreSerializer,
    WalletRequestSerializer,
    masked_columns,
)
from onboarding.models import Application, BankAccount, Document, DocumentKind, Merchant, MerchantWallet, Party
from onboarding.services.onboarding_links import MAX_MINUTES as MAX_LINK_MINUTES
from onboarding.states import AppState, MerchantState


class InformationRequestSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id", read_only=True)
    message = serializers.CharField(read_only=True, help_text="What the reviewer asks for.")
    items = serializers.ListField(
        child=serializers.DictField(), read_only=True, help_text="Field paths or document kinds, each with a fix."
    )
    due_at = serializers.DateTimeField(read_only=True)
    requested_at = serializers.DateTimeField(read_only=True)


class ApplicationSerializer(serializers.Serializer):
    """An application with its sections. Sections left out of a PATCH are not touched; a collection sent
    (parties, stores, wallets) replaces the one on the application."""

    id = serializers.CharField(source="public_id", read_only=True)
    object = serializers.SerializerMethodField()
    livemode = serializers.BooleanField(read_only=True, help_text="False for test data (a test key's).")
    state = serializers.ChoiceField(choices=AppState.CHOICES, read_only=True)
    external_id = serializers.CharField(
        max_length=100, required=False, allow_blank=True, help_text="Your own reference, unique per partner and mode."
    )
    merchant = serializers.CharField(
        source="merchant.public_id", read_only=True, allow_null=True, help_text="The merchant, once submitted."
    )
    created = serializers.DateTimeField(source="created_at", read_only=True)
    updated = serializers.DateTimeField(source="updated_at", read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    decided_at = serializers.DateTimeField(read_only=True, allow_null=True)
    business = BusinessSerializer(source="*", required=False)
    parties = PartySerializer(
        many=True, required=False, help_text="Owners (individuals or companies) and the control person."
    )
    bank_account = BankAccountSerializer(required=False, allow_null=True)
    stores = StoreSerializer(many=True, required=False)
    wallets = WalletRequestSerializer(source="wallet_requests", many=True, required=False)
    information_request = serializers.SerializerMethodField()

    def get_object(self, application) -> str:
        return "application"

    def get_information_request(self, application) -> InformationRequestSerializer(allow_null=True):  # type: ignore[valid-type]
        open_request = next((r for r in application.info_requests.all() if r.answered_at is None), None)
        return InformationRequestSerializer(open_request).data if open_request else None


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=10_000, help_text="Why (optional).")


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=10_000, help_text="The answer to the open information request.")


class DocumentSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id", read_only=True)
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    party = serializers.CharField(source="party.public_id", read_only=True, allow_null=True)
    original_name = serializers.CharField(read_only=True)
    content_type = serializers.CharField(read_only=True)
    size = serializers.IntegerField(read_only=True)
    sha256 = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=Document.Status.choices, read_only=True)
    created = serializers.DateTimeField(source="uploaded_at", read_only=True)


class DocumentUploadSerializer(serializers.Serializer):
    """multipart/form-data: the file (PDF, JPEG or PNG, checked by its content), its kind, and whose it is."""

    file = serializers.FileField()
    kind = serializers.ChoiceField(choices=DocumentKind.choices)
    party = serializers.CharField(required=False, help_text="The party's id, for an identity document.")


class RequirementErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    field = serializers.CharField(help_text="The field path, as in validation errors' attr.")
    reason = serializers.CharField()
    suggested_fix = serializers.CharField()


class RequirementsFields(serializers.Serializer):
    currently_due = serializers.ListField(child=serializers.CharField())
    eventually_due = serializers.ListField(child=serializers.CharField())
    past_due = serializers.ListField(child=serializers.CharField())
    pending_verification = serializers.ListField(child=serializers.CharField())
    errors = RequirementErrorSerializer(many=True)
    disabled_reason = serializers.CharField(allow_null=True)


class WalletRequirementsSerializer(RequirementsFields):
    wallet = serializers.CharField()
    channel = serializers.CharField()
    status = serializers.ChoiceField(choices=["eligible", "review", "ineligible", "pending"])


class RequirementsSerializer(RequirementsFields):
    """What the application still needs, overall and per wallet (the merchant's pages read the same)."""

    wallets = WalletRequirementsSerializer(many=True)


class EventSerializer(serializers.Serializer):
    """A step in the application's history, in the words the merchant reads."""

    id = serializers.CharField(source="public_id")
    created = serializers.DateTimeField(source="occurred_at")
    code = serializers.CharField(source="reason_code", help_text="A stable code for what happened.")
    state = serializers.CharField(source="to_state", help_text="The application's state after it (or empty).")
    text = serializers.CharField(source="public_text")


class MerchantWalletSerializer(serializers.Serializer):
    wallet = serializers.CharField()
    status = serializers.ChoiceField(choices=MerchantWallet.Status.choices)
    updated = serializers.DateTimeField(source="updated_at")


class MerchantSerializer(serializers.Serializer):
    id = serializers.CharField(source="public_id")
    object = serializers.SerializerMethodField()
    livemode = serializers.BooleanField()
    state = serializers.ChoiceField(choices=MerchantState.CHOICES)
    legal_name = serializers.CharField()
    dba = serializers.CharField()
    tax_id_last4 = serializers.CharField()
    created = serializers.DateTimeField(source="created_at")
    updated = serializers.DateTimeField(source="updated_at")
    wallets = MerchantWalletSerializer(many=True)

    def get_object(self, merchant: Merchant) -> str:
        return "merchant"


APPLICATION_PREFETCH = (
    "stores__terminals",
    "wallet_requests",
    "info_requests",
)


def application_queryset(queryset):
    """Applications as the answers read them, their sections in a fixed number of queries. The numbers
    answers show only by their last four digits, and the merchant's tax id, are not loaded: answering
    never decrypts them."""
    parties = Party.objects.defer(*masked_columns(sections.PARTY, Party))
    bank = (f"bank_account__{name}" for name in masked_columns(sections.BANK_ACCOUNT, BankAccount))
    return (
        queryset.select_related("merchant", "bank_account")
        .defer(*masked_columns(sections.BUSINESS, Application), "merchant__tax_id", *bank)
        .prefetch_related(Prefetch("parties", queryset=parties), *APPLICATION_PREFETCH)
    )


class OnboardingLinkCreateSerializer(serializers.Serializer):
    """For whom the link is, and how long it lasts (the service checks both)."""

    email = serializers.EmailField(
        max_length=settings.ACCOUNT_EMAIL_MAX_LENGTH,
        help_text="The applicant's email address: only an account that has confirmed it can take the application.",
    )
    expires_in_minutes = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_LINK_MINUTES,
        help_text=f"How long the link can be opened, in minutes ({settings.ONBOARDING_LINK_MINUTES} by default).",
    )


class OnboardingLinkSerializer(serializers.Serializer):
    """A single-use link to hand to the merchant. Its URL is in this answer only: it is never shown again."""

    id = serializers.CharField(source="public_id", read_only=True, help_text="The link's id (`obl_…`).")
    object = serializers.SerializerMethodField(help_text="Always `onboarding_link`.")
    application = serializers.CharField(source="application.public_id", read_only=True, help_text="The application.")
    url = serializers.SerializerMethodField(
        help_text="Give it to the merchant: it opens once, until `expires_at`. Shown in this answer only."
    )
    email = serializers.EmailField(read_only=True, help_text="The address the link is for.")
    created = serializers.DateTimeField(source="created_at", read_only=True, help_text="When the link was made.")
    expires_at = serializers.DateTimeField(read_only=True, help_text="After this the link opens nothing.")

    def get_object(self, link) -> str:
        return "onboarding_link"

    @extend_schema_field(OpenApiTypes.URI)
    def get_url(self, link) -> str:
        # The service returns the URL beside the link: the link keeps only its token's hash.
        return self.context["url"]
