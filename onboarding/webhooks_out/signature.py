"""The ``WalletBoard-Signature`` header: ``t=<unix time>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>``.

The same scheme as Stripe's: the timestamp is inside what is signed, so a receiver that refuses old
timestamps (we suggest five minutes) cannot be fed a recorded request again; while a secret is rolled a
header may carry several ``v1`` values. The verification a partner writes is in docs/partner_webhooks.md.
"""

import hashlib
import hmac
import secrets
import time
from collections.abc import Sequence

HEADER = "WalletBoard-Signature"
SECRET_PREFIX = "whsec_"  # noqa: S105 (the prefix of generated secrets, not a secret)
SCHEME = "v1"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    signed = str(timestamp).encode() + b"." + body
    return hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()


def signature_header(secret: str, body: bytes, *, timestamp: int | None = None, older: Sequence[str] = ()) -> str:
    """One ``v1`` for ``secret`` and, after it, one for each of the ``older`` secrets still valid (a roll)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    signatures = "".join(f",{SCHEME}={signature(key, timestamp, body)}" for key in (secret, *older))
    return f"t={timestamp}{signatures}"
