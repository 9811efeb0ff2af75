"""Onboarding models, by subject."""

from onboarding.models.application import (
    RISK_BAND_RANK,
    WAITING_FOR_OFFICER,
    Application,
    EntityType,
    InfoRequest,
    RiskBand,
    SecondApprovalQueue,
    TaxIdType,
)
from onboarding.models.base import Acquirer, Channel, Wallet
from onboarding.models.cases import ReviewCase
from onboarding.models.checks import CheckResult, Outcome
from onboarding.models.documents import IDENTITY_DOCUMENT_KINDS, Document, DocumentKind
from onboarding.models.events import Event
from onboarding.models.merchant import Merchant, MerchantWallet
from onboarding.models.parties import (
    Agreement,
    BankAccount,
    DeviceType,
    Party,
    Store,
    TerminalRequest,
    WalletRequest,
)
from onboarding.models.partner import Partner, PartnerApiKey

__all__ = [
    "RISK_BAND_RANK",
    "WAITING_FOR_OFFICER",
    "RiskBand",
    "Acquirer",
    "Agreement",
    "Application",
    "BankAccount",
    "Channel",
    "CheckResult",
    "Document",
    "DeviceType",
    "DocumentKind",
    "EntityType",
    "Event",
    "IDENTITY_DOCUMENT_KINDS",
    "InfoRequest",
    "Merchant",
    "MerchantWallet",
    "Outcome",
    "Partner",
    "PartnerApiKey",
    "ReviewCase",
    "SecondApprovalQueue",
    "Party",
    "Store",
    "TaxIdType",
    "TerminalRequest",
    "Wallet",
    "WalletRequest",
]
from onboarding.models.rules import (  # noqa: E402
    DecisionPolicy,
    EligibilityRule,
    EligibilityRuleSet,
    RiskRule,
    RiskRuleSet,
    RiskScore,
)

__all__ += [
    "DecisionPolicy",
    "EligibilityRule",
    "EligibilityRuleSet",
    "RiskRule",
    "RiskRuleSet",
    "RiskScore",
]
from onboarding.models.work import OwedWork  # noqa: E402

__all__ += ["OwedWork"]
from onboarding.models.preferences import UserPreference  # noqa: E402

__all__ += ["UserPreference"]
from onboarding.models.links import OnboardingLink  # noqa: E402

__all__ += ["OnboardingLink"]
from onboarding.models.partner_webhooks import (  # noqa: E402
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)

__all__ += ["WebhookEvent", "WebhookAttempt", "WebhookDelivery", "WebhookEndpoint"]
from onboarding.models.idempotency import IdempotencyKey  # noqa: E402

__all__ += ["IdempotencyKey"]
