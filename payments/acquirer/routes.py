"""The endpoints the gateway calls, each with the SDK's parameter class that is its allow-list (the same
class the SDK's service method takes for that method and path)."""

from __future__ import annotations

import re

from stripe import params as p
from stripe.params import terminal as t

from payments.acquirer import accounts, persons, scoped

_ID = r"([A-Za-z0-9_]+)"

_ACCOUNT = rf"/v1/accounts/{_ID}"
_PMC = r"/v1/payment_method_configurations"

# fmt: off
ROUTES = [
    ("POST", r"/v1/accounts", p.AccountCreateParams, accounts.account_create),
    ("GET", r"/v1/accounts", p.AccountListParams, scoped.account_list),
    ("GET", _ACCOUNT, p.AccountRetrieveParams, lambda call, a: accounts.account_load(call, a)[0]),
    ("POST", _ACCOUNT, p.AccountUpdateParams, accounts.account_update),
    ("POST", f"{_ACCOUNT}/reject", p.AccountRejectParams, accounts.account_reject),
    ("POST", f"{_ACCOUNT}/persons", p.AccountPersonCreateParams, persons.person_create),
    ("GET", f"{_ACCOUNT}/persons", p.AccountPersonListParams, scoped.persons_list),
    ("GET", f"{_ACCOUNT}/persons/{_ID}", p.AccountPersonRetrieveParams, persons.person_load),
    ("POST", f"{_ACCOUNT}/persons/{_ID}", p.AccountPersonUpdateParams, persons.person_update),
    ("POST", f"{_ACCOUNT}/external_accounts", p.AccountExternalAccountCreateParams, persons.external_account_create),
    ("GET", f"{_ACCOUNT}/external_accounts", p.AccountExternalAccountListParams, scoped.external_accounts_list),
    ("GET", f"{_ACCOUNT}/external_accounts/{_ID}", p.AccountExternalAccountRetrieveParams,
     persons.external_account_load),
    ("POST", _PMC, p.PaymentMethodConfigurationCreateParams, scoped.configuration_create),
    ("GET", _PMC, p.PaymentMethodConfigurationListParams, scoped.configuration_list),
    ("GET", f"{_PMC}/{_ID}", p.PaymentMethodConfigurationRetrieveParams, scoped.configuration_retrieve),
    ("POST", f"{_PMC}/{_ID}", p.PaymentMethodConfigurationUpdateParams, scoped.configuration_update),
    ("POST", r"/v1/terminal/locations", t.LocationCreateParams, scoped.location_create),
    ("GET", r"/v1/terminal/locations", t.LocationListParams, scoped.location_list),
    ("POST", r"/v1/terminal/readers", t.ReaderCreateParams, scoped.reader_create),
    ("GET", r"/v1/terminal/readers", t.ReaderListParams, scoped.reader_list),
    ("GET", rf"/v1/terminal/readers/{_ID}", t.ReaderRetrieveParams, scoped.reader_retrieve),
    ("POST", rf"/v1/terminal/readers/{_ID}", t.ReaderUpdateParams, scoped.reader_update),
    ("DELETE", rf"/v1/terminal/readers/{_ID}", t.ReaderDeleteParams, scoped.reader_delete),
]
# fmt: on
_COMPILED = [(method, re.compile(f"^{pattern}$"), params, handler) for method, pattern, params, handler in ROUTES]


def route(method: str, path: str):
    """(params class, handler, path arguments), or None for a URL Stripe would not recognise."""
    for verb, pattern, params_class, handler in _COMPILED:
        match = pattern.match(path)
        if match and verb == method:
            return params_class, handler, match.groups()
    return None
