"""Raw calls to the local acquirer, for what the gateway never sends."""

import requests
from django.conf import settings


def call(acquirer, method, path, data=None, *, key=None, account="", idempotency_key="", params=None):
    headers = {"Authorization": f"Bearer {settings.STRIPE_TEST_API_KEY if key is None else key}"}
    if account:
        headers["Stripe-Account"] = account
    if idempotency_key:
        headers["Idempotency-Key"] = idempotency_key
    return requests.request(method, acquirer.url + path, data=data, params=params, headers=headers, timeout=10)
