"""The acquirer gateway on the stripe SDK's ``StripeClient``: Stripe itself in production, the local
acquirer (same wire protocol, ``ACQUIRER_API_BASE``) everywhere else.

The SDK would send a random Idempotency-Key on every POST when given none, so every creating call passes
ours. Network retries are left to our own owed work (``max_network_retries=0``): a retry then waits with
back-off in the database instead of in a worker. Every call first takes its slot from the shared limiter.
"""

from __future__ import annotations

import logging

import stripe
from django.conf import settings

from payments.gateway import (
    AccountStatus,
    AcquirerRefused,
    AcquirerUnavailable,
    ReaderStatus,
    Requirements,
    WalletStatus,
)
from payments.ratelimit import acquirer_limiter

logger = logging.getLogger(__name__)
WALLETS = ("alipay", "wechat_pay")
# Fees and losses with the platform, requirement collection by us, no Stripe dashboard for the merchant.
CONTROLLER = {
    "fees": {"payer": "application"},
    "losses": {"payments": "application"},
    "requirement_collection": "application",
    "stripe_dashboard": {"type": "none"},
}
SIMULATED_READER_CODES = frozenset({"simulated-wpe", "simulated-s700"})


def configuration_name(merchant_id: str) -> str:
    """A payment method configuration has no metadata; its name carries our merchant id."""
    return f"WalletBoard {merchant_id}"


def _retry_after(exc: stripe.StripeError) -> float | None:
    value = (exc.headers or {}).get("Retry-After") or (exc.headers or {}).get("retry-after")
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _translate(exc: stripe.StripeError) -> Exception:
    status = exc.http_status
    message = getattr(exc, "user_message", None) or str(exc.user_message or "") or str(exc)
    error = (exc.json_body or {}).get("error", {}) if isinstance(exc.json_body, dict) else {}
    message = error.get("message") or message
    code = error.get("code") or exc.code or ""
    if isinstance(exc, stripe.APIConnectionError):
        return AcquirerUnavailable("The acquirer could not be reached or did not answer in time.", code="network")
    if isinstance(exc, stripe.RateLimitError) or status == 429:
        return AcquirerUnavailable(message, code=code or "rate_limit", status=429, retry_after=_retry_after(exc))
    if status == 409 or (status or 0) >= 500 or isinstance(exc, stripe.APIError):
        return AcquirerUnavailable(message, code=code or "api_error", status=status, retry_after=_retry_after(exc))
    return AcquirerRefused(message, code=code or type(exc).__name__, status=status)


class StripeGateway:
    def __init__(self, *, livemode: bool):
        self.livemode = livemode
        api_key = settings.STRIPE_API_KEY if livemode else settings.STRIPE_TEST_API_KEY
        if not api_key:
            raise AcquirerRefused(f"No acquirer key is configured for {'live' if livemode else 'test'} mode.")
        base = settings.ACQUIRER_API_BASE
        self.client = stripe.StripeClient(
            api_key,
            base_addresses={"api": base} if base else None,
            max_network_retries=0,
            http_client=stripe.RequestsClient(timeout=settings.ACQUIRER_TIMEOUT_SECONDS),
        )
        self.v1 = self.client.v1

    def _call(self, method, *args, **kwargs):
        limiter = acquirer_limiter()
        limiter.wait()
        try:
            return method(*args, **kwargs)
        except stripe.StripeError as exc:
            error = _translate(exc)
            if error.status == 429 and error.retry_after:
                limiter.hold(error.retry_after)
            raise error from None

    @staticmethod
    def _options(*, key: str | None = None, account: str | None = None) -> dict:
        options = {}
        if key:
            options["idempotency_key"] = key
        if account:
            options["stripe_account"] = account
        return options

    def _find(self, lister, *args, metadata: tuple[str, str], account: str | None = None, name: str = ""):
        """An object we created, by our id in its metadata (or its name): after an unknown outcome older
        than the acquirer keeps idempotency keys."""
        page = self._call(lister, *args, params={"limit": 100}, options=self._options(account=account))
        while True:
            for item in page.data:
                item = item.to_dict()
                found = (
                    item.get("name") == name if name else (item.get("metadata") or {}).get(metadata[0]) == metadata[1]
                )
                if found:
                    return item["id"]
            if not page.has_more or not page.data:
                return None
            page = self._call(
                lister,
                *args,
                params={"limit": 100, "starting_after": page.data[-1].id},
                options=self._options(account=account),
            )

    # ------------------------------------------------------------------ the account

    def account_create(self, *, key: str, merchant_id: str, business_type: str) -> str:
        params = {
            "country": "US",
            "business_type": business_type,
            "controller": CONTROLLER,
            "capabilities": {"card_payments": {"requested": True}, "transfers": {"requested": True}},
            "metadata": {"merchant": merchant_id},
        }
        return self._call(self.v1.accounts.create, params=params, options=self._options(key=key)).id

    def account_find(self, *, merchant_id: str) -> str | None:
        return self._find(self.v1.accounts.list, metadata=("merchant", merchant_id))

    def account_update(self, *, key: str, account: str, params: dict) -> None:
        self._call(self.v1.accounts.update, account, params=params, options=self._options(key=key))

    def account_retrieve(self, *, account: str) -> AccountStatus:
        found = self._call(self.v1.accounts.retrieve, account).to_dict()
        requirements = found.get("requirements") or {}
        return AccountStatus(
            id=found["id"],
            requirements=Requirements(
                currently_due=list(requirements.get("currently_due") or []),
                eventually_due=list(requirements.get("eventually_due") or []),
                past_due=list(requirements.get("past_due") or []),
                pending_verification=list(requirements.get("pending_verification") or []),
                errors=[
                    {"code": e.get("code", ""), "reason": e.get("reason", ""), "requirement": e.get("requirement", "")}
                    for e in requirements.get("errors") or []
                ],
                disabled_reason=requirements.get("disabled_reason") or "",
            ),
            capabilities={name: str(value) for name, value in (found.get("capabilities") or {}).items()},
            charges_enabled=bool(found.get("charges_enabled")),
        )

    def account_reject(self, *, key: str, account: str, reason: str = "other") -> None:
        self._call(self.v1.accounts.reject, account, params={"reason": reason}, options=self._options(key=key))

    # ------------------------------------------------------------------ persons and the settlement account

    def person_create(self, *, key: str, account: str, party_id: str) -> str:
        params = {"metadata": {"party": party_id}}
        return self._call(self.v1.accounts.persons.create, account, params=params, options=self._options(key=key)).id

    def person_find(self, *, account: str, party_id: str) -> str | None:
        return self._find(self.v1.accounts.persons.list, account, metadata=("party", party_id))

    def person_update(self, *, key: str, account: str, person: str, params: dict) -> None:
        self._call(self.v1.accounts.persons.update, account, person, params=params, options=self._options(key=key))

    def external_account_create(self, *, key: str, account: str, bank_account: dict, application_id: str) -> str:
        params = {
            "external_account": {"object": "bank_account", "country": "US", "currency": "usd", **bank_account},
            "default_for_currency": True,
            "metadata": {"application": application_id},
        }
        created = self._call(
            self.v1.accounts.external_accounts.create, account, params=params, options=self._options(key=key)
        )
        return created.id

    def external_account_find(self, *, account: str, application_id: str) -> str | None:
        return self._find(self.v1.accounts.external_accounts.list, account, metadata=("application", application_id))

    # ------------------------------------------------------------------ wallets

    def wallets_create(self, *, key: str, account: str, merchant_id: str, preferences: dict[str, str]) -> str:
        params = {
            "name": configuration_name(merchant_id),
            **{wallet: {"display_preference": {"preference": preferences.get(wallet, "off")}} for wallet in WALLETS},
        }
        created = self._call(
            self.v1.payment_method_configurations.create, params=params, options=self._options(key=key, account=account)
        )
        return created.id

    def wallets_find(self, *, account: str, merchant_id: str) -> str | None:
        return self._find(
            self.v1.payment_method_configurations.list,
            metadata=("", ""),
            account=account,
            name=configuration_name(merchant_id),
        )

    def wallets_update(self, *, key: str, account: str, configuration: str, preferences: dict[str, str]) -> None:
        params = {wallet: {"display_preference": {"preference": value}} for wallet, value in preferences.items()}
        self._call(
            self.v1.payment_method_configurations.update,
            configuration,
            params=params,
            options=self._options(key=key, account=account),
        )

    def wallets_retrieve(self, *, account: str, configuration: str) -> dict[str, WalletStatus]:
        found = self._call(
            self.v1.payment_method_configurations.retrieve, configuration, options=self._options(account=account)
        ).to_dict()
        statuses = {}
        for wallet in WALLETS:
            method = found.get(wallet) or {}
            preference = (method.get("display_preference") or {}).get("preference") or "none"
            statuses[wallet] = WalletStatus(preference=preference, available=bool(method.get("available")))
        return statuses

    # ------------------------------------------------------------------ terminals

    def location_create(self, *, key: str, account: str, store_id: str, display_name: str, address: dict) -> str:
        params = {"display_name": display_name, "address": address, "metadata": {"store": store_id}}
        created = self._call(
            self.client.v1.terminal.locations.create, params=params, options=self._options(key=key, account=account)
        )
        return created.id

    def location_find(self, *, account: str, store_id: str) -> str | None:
        return self._find(self.v1.terminal.locations.list, metadata=("store", store_id), account=account)

    def reader_register(
        self, *, key: str, account: str, location: str, registration_code: str, label: str, terminal_id: str
    ) -> str:
        if self.livemode and registration_code in SIMULATED_READER_CODES:
            raise AcquirerRefused("A simulated reader's code works only in test mode.", code="simulated_in_live")
        params = {
            "registration_code": registration_code,
            "location": location,
            "label": label,
            "metadata": {"terminal": terminal_id},
        }
        created = self._call(
            self.v1.terminal.readers.create, params=params, options=self._options(key=key, account=account)
        )
        return created.id

    def reader_find(self, *, account: str, terminal_id: str) -> str | None:
        return self._find(self.v1.terminal.readers.list, metadata=("terminal", terminal_id), account=account)

    def reader_retrieve(self, *, account: str, reader: str) -> ReaderStatus:
        found = self._call(self.v1.terminal.readers.retrieve, reader, options=self._options(account=account)).to_dict()
        return ReaderStatus(
            id=found["id"],
            location=found.get("location") or "",
            device_type=found.get("device_type") or "",
            status=found.get("status") or "",
            deleted=bool(found.get("deleted")),
        )

    def readers_list(self, *, account: str) -> list[str]:
        """Every reader on the account, ours or not: closing a merchant removes them all."""
        ids, params = [], {"limit": 100}
        while True:
            page = self._call(self.v1.terminal.readers.list, params=params, options=self._options(account=account))
            ids += [item.id for item in page.data]
            if not page.has_more or not page.data:
                return ids
            params = {"limit": 100, "starting_after": page.data[-1].id}

    def reader_deactivate(self, *, account: str, reader: str) -> None:
        try:
            self._call(self.v1.terminal.readers.delete, reader, options=self._options(account=account))
        except AcquirerRefused as exc:
            if exc.status != 404:  # already gone: what we wanted
                raise


def gateway_for(*, livemode: bool) -> StripeGateway:
    return StripeGateway(livemode=livemode)
