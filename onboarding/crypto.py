"""Encryption at rest, blind indexes and masking for personal data.

- Encryption uses a key list (``FIELD_ENCRYPTION_KEYS``, newest first) through cryptography's MultiFernet:
  any listed key decrypts, the newest encrypts, and ``reencrypt_personal_data`` moves old rows forward.
- Blind indexes are a keyed HMAC over the identifier's type and its normalised digits, with a key of
  their own (``BLIND_INDEX_KEY``) that rotation never touches, so duplicates are found without
  decrypting. An SSN hashes alike whether it is a sole proprietor's tax id or an owner's SSN.
"""

import hashlib
import hmac
import re
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

MASK = "••••"


@lru_cache(maxsize=4)
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode() if isinstance(key, str) else key) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    return fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        # The message names no value: ciphertexts and plaintexts stay out of logs.
        raise InvalidToken("encrypted value cannot be read with any configured key") from exc


def rotate(token: str) -> str:
    """Re-encrypt a token with the newest key."""
    return fernet().rotate(token.encode()).decode()


def is_current_key(token: str | bytes) -> bool:
    """Whether the newest key alone decrypts this token (a column's text or a document file's bytes)."""
    token = token if isinstance(token, bytes) else token.encode()
    try:
        Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode()).decrypt(token)
    except InvalidToken:
        return False
    return True


def digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def blind_index(kind: str, value: str) -> str:
    """Keyed HMAC-SHA256 of ``kind:normalised-digits``; kinds: ``ein``, ``ssn``, ``itin``, ``bank``."""
    message = f"{kind}:{digits(value)}".encode()
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), message, hashlib.sha256).hexdigest()


def bank_account_index(routing_number: str, account_number: str) -> str:
    return blind_index("bank", f"{digits(routing_number)}:{digits(account_number)}")


def keyed_fingerprint(text: str) -> str:
    """Keyed hash for fingerprints of check inputs: personal data cannot be recovered by brute force."""
    return hmac.new(settings.BLIND_INDEX_KEY.encode(), text.encode(), hashlib.sha256).hexdigest()


def mask(value: str | None, visible: int = 4) -> str:
    """``•••• 6789``: only the last ``visible`` characters of the normalised value."""
    if not value:
        return ""
    cleaned = re.sub(r"[\s-]", "", str(value))
    return f"{MASK} {cleaned[-visible:]}" if len(cleaned) > visible else MASK


def last4(value: str | None) -> str:
    return digits(value or "")[-4:]
