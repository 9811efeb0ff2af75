"""Deploy checks of our own, run by ``manage.py check --deploy``: each a refusal (an Error), never a hint.

- portal.E001: a secret is not in the environment (the portal generated one for a laptop under var/).
- portal.E002: an entry of FIELD_ENCRYPTION_KEYS is not a Fernet key (32 url-safe base64-encoded bytes).
- portal.E003: an HMAC key (BLIND_INDEX_KEY, SCREENING_HASH_KEY) is shorter than 32 bytes.
- portal.E004: one value serves as two secrets (the secret key, each encryption key, each HMAC key), so
  that learning one, or rotating one, gives away or changes another.
- portal.E005: ALLOWED_HOSTS accepts any host ('*').
- portal.E006: DEBUG is on.
- portal.E007: the test hooks' folder is set (a worker could be held at a test point).
- portal.E008: the default cache lives in each process's memory (or nowhere): allauth's rate limits and
  the used TOTP codes would be counted per process, so each of gunicorn's workers would allow its own
  share of password guesses and a TOTP code could be replayed against another worker.
- portal.E009: the database holds a demo account of ``make run`` (its password is in the README) or an
  authenticator with the demo TOTP secret (printed by ``make run``). A database that cannot be read (none
  yet, or not migrated) holds neither.
- portal.E010: ACQUIRER_API_BASE points at this machine (the local acquirer of ``make run``), so approved
  merchants would be boarded with a stand-in instead of the acquirer.

Messages name settings and positions, never a secret's value.
"""

import binascii
import os
from itertools import combinations
from urllib.parse import urlsplit

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.checks import Error, Tags, register

from portal.local_secrets import used_local

HMAC_KEYS = ("BLIND_INDEX_KEY", "SCREENING_HASH_KEY")
HMAC_MIN_BYTES = 32


@register(Tags.security, deploy=True)
def secrets_from_environment(app_configs, **kwargs):
    """A deployment must not run on the secrets a laptop generated for itself under var/."""
    return [
        Error(
            f"{name} is not set in the environment; the portal is using a locally generated value.",
            hint=f"Set {name} (see README, 'Configuration').",
            id="portal.E001",
        )
        for name in sorted(used_local)
    ]


def _encryption_keys() -> list[tuple[str, str]]:
    keys = settings.FIELD_ENCRYPTION_KEYS
    return [(f"FIELD_ENCRYPTION_KEYS[{position}]", key) for position, key in enumerate(keys)]


@register(Tags.security, deploy=True)
def encryption_keys_are_fernet_keys(app_configs, **kwargs):
    errors = []
    for label, key in _encryption_keys():
        try:
            Fernet(key.encode() if isinstance(key, str) else key)
        except (ValueError, TypeError, binascii.Error):
            errors.append(
                Error(
                    f"{label} is not a Fernet key (32 url-safe base64-encoded bytes).",
                    hint="Generate one with: python -c 'from cryptography.fernet import Fernet; "
                    "print(Fernet.generate_key().decode())'",
                    id="portal.E002",
                )
            )
    return errors


@register(Tags.security, deploy=True)
def hmac_keys_are_long_enough(app_configs, **kwargs):
    return [
        Error(
            f"{name} is shorter than {HMAC_MIN_BYTES} bytes.",
            hint="Generate one with: python -c 'import secrets; print(secrets.token_urlsafe(32))'",
            id="portal.E003",
        )
        for name in HMAC_KEYS
        if len(str(getattr(settings, name, "")).encode()) < HMAC_MIN_BYTES
    ]


@register(Tags.security, deploy=True)
def secrets_are_not_shared(app_configs, **kwargs):
    secrets = [("DJANGO_SECRET_KEY", settings.SECRET_KEY), *_encryption_keys()]
    secrets += [(name, getattr(settings, name, "")) for name in HMAC_KEYS]
    return [
        Error(
            f"{first} and {second} have the same value.",
            hint="Give every secret its own value (see README, 'Configuration').",
            id="portal.E004",
        )
        for (first, one), (second, other) in combinations(secrets, 2)
        if one and one == other
    ]


@register(Tags.security, deploy=True)
def hosts_are_named(app_configs, **kwargs):
    if any("*" in host for host in settings.ALLOWED_HOSTS):
        return [
            Error(
                "ALLOWED_HOSTS accepts any host ('*'): forged Host headers reach password-reset links and redirects.",
                hint="Set DJANGO_ALLOWED_HOSTS to the portal's own host names, e.g. portal.example.com.",
                id="portal.E005",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def debug_is_off(app_configs, **kwargs):
    if settings.DEBUG:
        return [
            Error(
                "DEBUG is on: error pages would show settings, personal data and source code.",
                hint="Unset DJANGO_DEBUG in production.",
                id="portal.E006",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def test_hooks_are_off(app_configs, **kwargs):
    from onboarding.testhooks import ENVIRONMENT_VARIABLE

    if os.environ.get(ENVIRONMENT_VARIABLE):
        return [
            Error(
                f"{ENVIRONMENT_VARIABLE} is set: the integration tests' hooks could hold a worker at a fixed point.",
                hint=f"Unset {ENVIRONMENT_VARIABLE} outside the test suite.",
                id="portal.E007",
            )
        ]
    return []


PROCESS_LOCAL_CACHES = (
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
)


@register(Tags.security, Tags.caches, deploy=True)
def cache_is_shared(app_configs, **kwargs):
    backend = settings.CACHES.get("default", {}).get("BACKEND", "")
    if backend in PROCESS_LOCAL_CACHES:
        return [
            Error(
                f"The default cache ({backend.rsplit('.', 1)[-1]}) is not shared between processes: rate limits on "
                "logins, sign-ups and password resets would be counted per process.",
                hint="Set CACHE_URL to a Redis URL (redis://host:6379/1), or leave it unset for the database cache "
                "(run manage.py createcachetable).",
                id="portal.E008",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def no_demo_accounts(app_configs, **kwargs):
    from django.db import DatabaseError

    from onboarding.demo import demo_leftovers

    try:
        found = demo_leftovers()
    except DatabaseError:
        return []
    return [
        Error(
            f"The database holds {what}: anyone who read the README could sign in.",
            hint="Delete the demo accounts and their authenticators (demo data is for `make run` only).",
            id="portal.E009",
        )
        for what in found
    ]


@register(Tags.security, deploy=True)
def acquirer_is_not_local(app_configs, **kwargs):
    host = (urlsplit(settings.ACQUIRER_API_BASE).hostname or "").lower()
    if host in ("localhost", "::1") or host.startswith("127."):
        return [
            Error(
                "ACQUIRER_API_BASE points at the local acquirer on this machine.",
                hint="Set ACQUIRER_API_BASE=https://api.stripe.com (see README, 'Configuration').",
                id="portal.E010",
            )
        ]
    return []
