"""Validators for what merchants and partners type in, and the completeness rules for submission.

Identifiers are checked with python-stdnum (EIN prefixes, SSN area/group/serial rules, ITIN ranges, the
ABA routing checksum). Each function returns a list of messages, empty when the value is fine, so that
forms and the API can show every problem at once, field by field.
"""

import re
from decimal import Decimal

import phonenumbers
from stdnum import exceptions as stdnum_errors
from stdnum.us import ein, itin, rtn, ssn

from onboarding.models.base import US_STATES

US_STATE_CODES = frozenset(code for code, _ in US_STATES)
ZIP_RE = re.compile(r"^[0-9]{5}(-[0-9]{4})?$")
MCC_RE = re.compile(r"^[0-9]{4}$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
ACCOUNT_RE = re.compile(r"^[0-9]{4,17}$")
BENEFICIAL_OWNER_PERCENT = Decimal(25)

_TAX_ID_MODULES = {"ein": ein, "ssn": ssn, "itin": itin}
_TAX_ID_NAMES = {"ein": "EIN", "ssn": "SSN", "itin": "ITIN"}


def tax_id_errors(kind: str, value: str) -> list[str]:
    module = _TAX_ID_MODULES.get(kind)
    if module is None:
        return ["Choose EIN, SSN or ITIN."]
    try:
        module.validate(re.sub(r"[\s.-]", "", value or ""))
    except stdnum_errors.InvalidLength:
        return [f"An {_TAX_ID_NAMES[kind]} has 9 digits."]
    except stdnum_errors.InvalidFormat:
        return [f"Enter the {_TAX_ID_NAMES[kind]} as 9 digits (dashes are fine)."]
    except stdnum_errors.ValidationError:
        return [f"This is not a valid {_TAX_ID_NAMES[kind]}."]
    return []


def routing_number_errors(value: str) -> list[str]:
    try:
        rtn.validate(re.sub(r"[\s-]", "", value or ""))
    except stdnum_errors.InvalidLength:
        return ["A routing number has 9 digits."]
    except stdnum_errors.ValidationError:
        return ["This is not a valid ABA routing number."]
    return []


def account_number_errors(value: str) -> list[str]:
    cleaned = re.sub(r"[\s-]", "", value or "")
    return [] if ACCOUNT_RE.match(cleaned) else ["An account number has 4 to 17 digits."]


def us_state_errors(value: str) -> list[str]:
    return [] if value in US_STATE_CODES else ["Enter a US state as its two-letter code (for example CA)."]


def zip_errors(value: str) -> list[str]:
    return [] if ZIP_RE.match(value or "") else ["Enter a ZIP code as 12345 or 12345-6789."]


def country_errors(value: str) -> list[str]:
    return [] if COUNTRY_RE.match(value or "") else ["Enter a country as its two-letter ISO code (for example US)."]


def mcc_errors(value: str) -> list[str]:
    return [] if MCC_RE.match(value or "") else ["A merchant category code has 4 digits."]


def normalise_digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def phone_number(value: str) -> tuple[str | None, list[str]]:
    """A phone number as typed (US numbers without +1 too) → its E.164 form, or the messages why not."""
    try:
        parsed = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        return None, ["Enter a phone number, for example (415) 555-0142 or +86 10 1234 5678."]
    if not phonenumbers.is_valid_number(parsed):
        return None, ["This is not a valid phone number."]
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), []


def phone_display(value: str) -> str:
    """An E.164 number as people read it: national form for US numbers, international otherwise."""
    try:
        parsed = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        return value
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if parsed.country_code == 1
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(parsed, style)
