"""Secrets for the embedded default (a fresh laptop running ``make run``).

When a secret is not given in the environment, one is generated once and kept in ``var/`` so that the
portal keeps reading its own encrypted data across restarts. A deployment must give every secret in the
environment: the ``portal.E001`` deploy check fails while any of them comes from this file.
"""

import base64
import json
import os
import secrets
from pathlib import Path

GENERATORS = {
    "DJANGO_SECRET_KEY": lambda: secrets.token_urlsafe(50),
    "FIELD_ENCRYPTION_KEYS": lambda: base64.urlsafe_b64encode(os.urandom(32)).decode(),
    "BLIND_INDEX_KEY": lambda: secrets.token_urlsafe(32),
    "SCREENING_HASH_KEY": lambda: secrets.token_urlsafe(32),
    # Shaped like Stripe's, so the local acquirer tells live from test mode by the prefix.
    "STRIPE_API_KEY": lambda: "sk_live_local" + secrets.token_hex(16),
    "STRIPE_TEST_API_KEY": lambda: "sk_test_local" + secrets.token_hex(16),
    "STRIPE_WEBHOOK_SECRET": lambda: "whsec_" + secrets.token_hex(24),
    "STRIPE_TEST_WEBHOOK_SECRET": lambda: "whsec_" + secrets.token_hex(24),
}

used_local: set[str] = set()


def secret(name: str, var_dir: Path) -> str:
    """The secret from the environment, else from ``var/local-secrets.json`` (created on first use)."""
    value = os.environ.get(name)
    if value:
        return value
    path = var_dir / "local-secrets.json"
    stored = json.loads(path.read_text()) if path.exists() else {}
    if name not in stored:
        stored[name] = GENERATORS[name]()
        var_dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(stored, indent=2))
        os.chmod(tmp, 0o600)
        tmp.replace(path)
    used_local.add(name)
    return stored[name]
