"""The acquirer gateway: what boarding and terminal activation ask of the acquirer, in our words.

One implementation (``payments.stripe_gateway``) runs in every mode on the stripe SDK; only the API base,
the keys and the webhook secrets change. Every creating call takes our own idempotency key, derived from
our ids, so a retried task replays the first answer instead of creating a second object. Errors say
whether a retry can help (``AcquirerUnavailable``) or a person must act first (``AcquirerRefused``).
"""

from __future__ import annotations

from dataclasses import dataclass, field


class AcquirerError(Exception):
    retryable = False

    def __init__(self, message: str, *, code: str = "", status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.message, self.code, self.status, self.retry_after = message, code, status, retry_after


class AcquirerUnavailable(AcquirerError):
    """A network error, a timeout, a 429, a 5xx or a request still in flight: the outcome is unknown or
    the acquirer asked us to wait; the same call with the same key is safe to repeat."""

    retryable = True


class AcquirerRefused(AcquirerError):
    """An invalid request, a permission or authentication error, a key reused with other parameters:
    repeating it gives the same answer until someone fixes the cause."""


@dataclass(frozen=True)
class Requirements:
    currently_due: list[str] = field(default_factory=list)
    eventually_due: list[str] = field(default_factory=list)
    past_due: list[str] = field(default_factory=list)
    pending_verification: list[str] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    disabled_reason: str = ""

    @property
    def rejected(self) -> bool:
        return self.disabled_reason.startswith("rejected")

    @property
    def needs_someone(self) -> bool:
        """Something only an officer or the merchant can give (not just the acquirer's own checks)."""
        return bool(self.currently_due or self.past_due or self.errors)

    def as_dict(self) -> dict:
        return {
            "currently_due": self.currently_due,
            "eventually_due": self.eventually_due,
            "past_due": self.past_due,
            "pending_verification": self.pending_verification,
            "errors": self.errors,
            "disabled_reason": self.disabled_reason,
        }


@dataclass(frozen=True)
class AccountStatus:
    id: str
    requirements: Requirements
    capabilities: dict[str, str]  # card_payments → active | inactive | pending | unrequested
    charges_enabled: bool


@dataclass(frozen=True)
class WalletStatus:
    """One wallet on the account's payment method configuration."""

    preference: str  # on | off | none
    available: bool


@dataclass(frozen=True)
class ReaderStatus:
    id: str
    location: str
    device_type: str
    status: str
    deleted: bool = False
