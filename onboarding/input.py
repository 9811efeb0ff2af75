"""The rules every value typed by a merchant or sent by a partner passes before it reaches a model.

Guarantees, for every service that uses these cleaners (drafts, agreements, submission):

- A value of the wrong type (a number where text is expected, a list where a section is expected, a
  string where a list of items is expected) is a field error, never an AttributeError or a TypeError.
- Text is trimmed of surrounding whitespace. It never holds a NUL, a lone surrogate or any other control
  character; only multi-line fields (a product description) keep line breaks (``\\r\\n`` and ``\\r``
  become ``\\n``) and tabs. Such values are refused with a message that names the character.
- Text is never longer than its column: the limit is the model field's ``max_length`` (text columns
  without one are capped at ``TEXT_MAX_LENGTH``), so a long value is a field error, never a DataError.
- Numbers are of the kind the column holds and within its range; dates are ``YYYY-MM-DD``.
- Messages are in the language active when they are raised (the request's: English or Simplified
  Chinese), always as plain ``str`` (never a lazy translation, so they can go into JSON), and never repeat
  the value (it may be personal data).

Each cleaner takes one value and returns it cleaned, or raises ``FieldError`` (a ``ValidationFailed``,
so even a bare call gives the caller a domain error, not a crash). ``FieldErrors`` collects them under
the keys forms and the API show (``business.mcc``, ``parties[1].date_of_birth``)::

    errors = FieldErrors()
    ip = errors.clean("ip_address", clean_ip_address, ip_address)
    name = errors.clean("signer_name", clean_text, signer_name, max_length=200, required=True)
    errors.raise_if_any()          # ValidationFailed with every message, field by field

Helpers for other services: ``clean_text(value, *, max_length, multiline=False, required=False)``,
``clean_optional_text(...)`` (the same, but None stays None), ``clean_ip_address(value)`` (one IPv4 or
IPv6 address as a string, or None), ``clean_recorded_text(value, *, max_length)`` (text recorded from a
request header, such as a user agent, that the person cannot correct), and ``text_limit(model, name)``.
"""

import ipaddress
import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, pgettext

from onboarding import validation
from onboarding.errors import ValidationFailed

TEXT_MAX_LENGTH = 5000  # text columns without a max_length (a product description)
IDENTIFIER_MAX_LENGTH = 64  # an SSN, EIN, routing or account number as typed, with spaces or dashes
NUMBER_TEXT_MAX_LENGTH = 20
COUNTRY_CODES_MAX = 10
KEY_SHOWN_MAX = 60
REQUIRED = gettext_noop("This field is required.")  # translated where raised
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
MULTILINE_ALLOWED = frozenset("\n\t")
ISO_DATE_RE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
DECIMAL_RE = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")

# The kinds of field a section declares (see onboarding/services/drafts.py).
TEXT = "text"
MULTILINE_TEXT = "multiline_text"
IDENTIFIER = "identifier"
CENTS = "cents"
BOOLEAN = "boolean"
PERCENT = "percent"
DATE = "date"
COUNTRY_CODES = "country_codes"
ITEMS = "items"  # a nested collection (a store's terminals), cleaned by the collection's service
PUBLIC_ID = "public_id"  # an item's id, cleaned by the collection's service to find the item


class FieldError(ValidationFailed):
    """One value failed an input rule; ``message`` says why, for people, in the active language."""

    def __init__(self, message: str, *, field: str = ""):
        message = str(message)  # a lazy translation is resolved now: messages end up in JSON bodies
        super().__init__(message, fields={field: [message]} if field else None)


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()  # what FieldErrors.clean returns for a refused value


class FieldErrors(dict):
    """Messages by field key. A key refused by an input rule keeps that message alone: later checks
    of the same field (model validation of the value it still holds) would only confuse."""

    def __init__(self):
        super().__init__()
        self.refused: set[str] = set()

    def add(self, key: str, messages: list[str] | str) -> None:
        messages = [str(messages)] if isinstance(messages, (str, Promise)) else [str(m) for m in messages]
        if messages and key not in self.refused:
            self.setdefault(key, []).extend(messages)

    def refuse(self, key: str, message: str) -> None:
        self.add(key, message)
        self.refused.add(key)

    def clean(self, key: str, cleaner: Callable[..., Any], value: Any, **options) -> Any:
        """The cleaned value, or INVALID after recording the cleaner's message under ``key``."""
        try:
            return cleaner(value, **options)
        except FieldError as exc:
            self.refuse(key, exc.message)
            return INVALID

    def raise_if_any(self) -> None:
        if self:
            raise ValidationFailed(_("Please correct the errors below."), fields=dict(self))


def described(value: Any) -> str:
    """What a value is, in the words of a message ("not a number"), in the active language."""
    if value is None:
        return pgettext("a kind of value", "an empty value")
    if isinstance(value, bool):
        return pgettext("a kind of value", "true or false")
    if isinstance(value, (int, float, Decimal)):
        return pgettext("a kind of value", "a number")
    if isinstance(value, str):
        return pgettext("a kind of value", "text")
    if isinstance(value, (list, tuple)):
        return pgettext("a kind of value", "a list")
    if isinstance(value, dict):
        return pgettext("a kind of value", "an object")
    return pgettext("a kind of value", "a value of another kind")


def key_text(key: Any) -> str:
    """An unknown key as it can be shown back in an error key: always valid UTF-8, never huge."""
    text = key if isinstance(key, str) else str(key)
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    # Control characters shown escaped: a NUL could not even be stored (PostgreSQL text refuses it).
    text = "".join(ch if ch.isprintable() or ch == " " else ascii(ch)[1:-1] for ch in text)
    return text if len(text) <= KEY_SHOWN_MAX else text[:KEY_SHOWN_MAX] + "…"


def text_limit(model: type[models.Model], name: str) -> int:
    """The most characters a text field of ``model`` may hold."""
    return getattr(model._meta.get_field(name), "max_length", None) or TEXT_MAX_LENGTH


def _character_problem(text: str, *, multiline: bool) -> str | None:
    for position, char in enumerate(text, start=1):
        where = {"code": f"U+{ord(char):04X}", "position": position}
        if char == "\x00":
            return _("This field contains a NUL character (%(code)s) at position %(position)s; remove it.") % where
        category = unicodedata.category(char)
        if category == "Cs":
            return (
                _(
                    "This field contains an invalid character (a lone surrogate, %(code)s) at position "
                    "%(position)s; retype the text."
                )
                % where
            )
        if multiline and char in MULTILINE_ALLOWED:
            continue
        if char in LINE_BREAKS and not multiline:
            return _("This field must be a single line; remove the line break.")
        if category == "Cc":
            return _("This field contains a control character (%(code)s) at position %(position)s; remove it.") % where
    return None


def clean_text(value: Any, *, max_length: int | None, multiline: bool = False, required: bool = False) -> str:
    """Text, trimmed; None and blank become "" (an error when ``required``). ``max_length=None``: no limit."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise FieldError(_("Enter text, not %(kind)s.") % {"kind": described(value)})
    text = str(value)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.strip()
    problem = _character_problem(text, multiline=multiline)
    if problem:
        raise FieldError(problem)
    if required and not text:
        raise FieldError(_(REQUIRED))
    if max_length is not None and len(text) > max_length:
        raise FieldError(
            _("This field must be %(limit)s characters or fewer (it has %(length)s).")
            % {"limit": max_length, "length": len(text)}
        )
    return text


def clean_optional_text(
    value: Any, *, max_length: int | None, multiline: bool = False, required: bool = False
) -> str | None:
    """As clean_text, but None (and blank) stay None: for nullable columns."""
    if value is None:
        if required:
            raise FieldError(_(REQUIRED))
        return None
    return clean_text(value, max_length=max_length, multiline=multiline, required=required) or None


def clean_recorded_text(value: Any, *, max_length: int) -> str:
    """Text recorded from a request (a user agent), not typed: characters a database cannot store, and
    control characters, become U+FFFD, and the text is cut to ``max_length``. Only a non-text is refused."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise FieldError(_("Enter text, not %(kind)s.") % {"kind": described(value)})
    cleaned = "".join(
        "\ufffd" if unicodedata.category(char) in ("Cc", "Cs") and char != "\t" else char for char in str(value)
    )
    return cleaned.strip()[:max_length]


def clean_ip_address(value: Any) -> str | None:
    """One IPv4 or IPv6 address, as a string (an IPv4-mapped IPv6 address as its IPv4 form); None or blank
    give None. A list such as an X-Forwarded-For header ("1.2.3.4, 5.6.7.8") is refused: pick the client's
    address before calling."""
    text = clean_optional_text(value, max_length=None)
    if text is None:
        return None
    if "," in text or " " in text:
        raise FieldError(_("Give a single IP address, not a list."))
    if "%" in text:
        # xgettext:no-python-format (the percent sign of an IPv6 zone, not a placeholder)
        raise FieldError(_("Give the IP address without a zone (the part after %)."))
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        raise FieldError(_("Enter a valid IPv4 or IPv6 address."))
    mapped = getattr(address, "ipv4_mapped", None)
    return str(mapped or address)


def _integer_range(field: models.Field | None) -> tuple[int | None, int | None]:
    if field is None:
        return None, None
    return connection.ops.integer_field_range(field.get_internal_type())


def clean_cents(value: Any, *, maximum: int | None = None) -> int | None:
    """A whole, non-negative number of cents, or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise FieldError(_("Enter a whole number of cents, not %(kind)s.") % {"kind": described(value)})
    if not isinstance(value, int):
        raise FieldError(_("Enter a whole number of cents, for example 2400 for $24.00, without a decimal point."))
    if value < 0:
        raise FieldError(_("Enter a whole, non-negative number of cents."))
    if maximum is not None and value > maximum:
        raise FieldError(_("This amount is too large."))
    return value


def clean_bool(value: Any) -> bool:
    """True or false; None is false."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise FieldError(_("Enter true or false, not %(kind)s.") % {"kind": described(value)})
    return value


def clean_percent(value: Any, *, decimal_places: int = 2) -> Decimal:
    """A percentage from 0 to 100 with at most ``decimal_places`` places; None and blank are 0."""
    if value is None or value == "":
        return Decimal(0)
    number_message = _("Enter a number, for example 25 or 12.5.")
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise FieldError(_("Enter a number, for example 25 or 12.5, not %(kind)s.") % {"kind": described(value)})
    if isinstance(value, int) and not 0 <= value <= 100:
        raise FieldError(_("Give a percentage between 0 and 100."))
    if isinstance(value, float) and not math.isfinite(value):
        raise FieldError(number_message)
    if isinstance(value, str):
        text = value.strip()
        if len(text) > NUMBER_TEXT_MAX_LENGTH or not DECIMAL_RE.match(text):
            raise FieldError(number_message)
        value = text
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        raise FieldError(number_message)
    if not number.is_finite():
        raise FieldError(number_message)
    if not Decimal(0) <= number <= Decimal(100):
        raise FieldError(_("Give a percentage between 0 and 100."))
    step = Decimal(1).scaleb(-decimal_places)
    rounded = number.quantize(step)
    if rounded != number:
        raise FieldError(_("Give at most %(places)s decimal places.") % {"places": decimal_places})
    return rounded.copy_abs() if rounded == 0 else rounded


def clean_iso_date(value: Any) -> date | None:
    """A date given as YYYY-MM-DD (or a date object), or None for None and blank."""
    if value is None or value == "":
        return None
    if type(value) is date:
        return value
    if not isinstance(value, str):
        raise FieldError(_("Enter a date as YYYY-MM-DD, not %(kind)s.") % {"kind": described(value)})
    text = value.strip()
    if not ISO_DATE_RE.match(text):
        raise FieldError(_("Enter a valid date (YYYY-MM-DD)."))
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise FieldError(_("Enter a valid date (YYYY-MM-DD)."))


def clean_country_codes(value: Any) -> list[str]:
    """A list of two-letter ISO country codes; None is the empty list."""
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise FieldError(_("Give a list of two-letter ISO country codes, not %(kind)s.") % {"kind": described(value)})
    if len(value) > COUNTRY_CODES_MAX:
        raise FieldError(
            _("List at most %(limit)s countries (there are %(count)s).")
            % {"limit": COUNTRY_CODES_MAX, "count": len(value)}
        )
    codes = []
    for position, code in enumerate(value, start=1):
        if not isinstance(code, str) or validation.country_errors(code.strip()):
            raise FieldError(
                _("Entry %(position)s is not a two-letter ISO country code (for example US).") % {"position": position}
            )
        codes.append(code.strip())
    return codes


def clean_section(value: Any) -> dict:
    """A section of named fields (business, bank_account)."""
    if not isinstance(value, dict):
        raise FieldError(
            _("Give this section as an object of named fields, not %(kind)s.") % {"kind": described(value)}
        )
    return value


def clean_items(value: Any, *, max_items: int) -> list:
    """A list of items (parties, stores, terminals, wallets); None is the empty list. Each item is then
    checked with clean_item, so that each bad one is reported under its own index."""
    if value is None:
        return []
    if not isinstance(value, (list, tuple)):
        raise FieldError(_("Give a list of items, not %(kind)s.") % {"kind": described(value)})
    if len(value) > max_items:
        raise FieldError(
            _("List at most %(limit)s items (there are %(count)s).") % {"limit": max_items, "count": len(value)}
        )
    return list(value)


def clean_item(value: Any) -> dict:
    if not isinstance(value, dict):
        raise FieldError(_("Give each item as an object of named fields, not %(kind)s.") % {"kind": described(value)})
    return value


def clean_field(value: Any, *, model: type[models.Model], name: str, kind: str) -> Any:
    """Clean a value for the model field ``name`` as the declared ``kind``; limits come from the field."""
    field = model._meta.get_field(name)
    if kind == TEXT:
        return clean_text(value, max_length=text_limit(model, name))
    if kind == MULTILINE_TEXT:
        return clean_text(value, max_length=text_limit(model, name), multiline=True)
    if kind == IDENTIFIER:
        # Typed with spaces or dashes: the service checks and stores the digits.
        return clean_text(value, max_length=IDENTIFIER_MAX_LENGTH)
    if kind == CENTS:
        return clean_cents(value, maximum=_integer_range(field)[1])
    if kind == BOOLEAN:
        return clean_bool(value)
    if kind == PERCENT:
        return clean_percent(value, decimal_places=field.decimal_places)
    if kind == DATE:
        return clean_iso_date(value)
    if kind == COUNTRY_CODES:
        return clean_country_codes(value)
    raise ValueError(f"no input rule for kind {kind!r}")
