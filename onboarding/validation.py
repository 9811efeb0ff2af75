"""Validators for what merchants and partners type in, and the completeness rules for submission.

Identifiers are checked with python-stdnum (EIN prefixes, SSN area/group/serial rules, ITIN ranges, the
ABA routing checksum). Each function returns a list of messages, empty when the value is fine, so that
forms and the API can show every problem at once, field by field. The messages are plain ``str`` in the
language active when the function is called: the caller's when a service raises them, English when the
KYC checks record them (the pipeline runs its checks in English, for the officers).
"""

import re
from decimal import Decimal

import phonenumbers
from django.utils.translation import gettext as _
from stdnum import exceptions as stdnum_errors
from stdnum.us import ein, itin, rtn, ssn

from onboarding.models.application import TaxIdType
from onboarding.models.base import US_STATES

US_STATE_CODES = frozenset(code for code, _label in US_STATES)
ZIP_RE = re.compile(r"^[0-9]{5}(-[0-9]{4})?$")
MCC_RE = re.compile(r"^[0-9]{4}$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
ACCOUNT_RE = re.compile(r"^[0-9]{4,17}$")
BENEFICIAL_OWNER_PERCENT = Decimal(25)

_TAX_ID_MODULES = {"ein": ein, "ssn": ssn, "itin": itin}


def tax_id_errors(kind: str, value: str) -> list[str]:
    module = _TAX_ID_MODULES.get(kind)
    if module is None:
        return [_("Choose EIN, SSN or ITIN.")]
    # The kind's label: "EIN" in English, "雇主识别号 EIN" in Chinese.
    named = {"kind": TaxIdType(kind).label}
    try:
        module.validate(re.sub(r"[\s.-]", "", value or ""))
    except stdnum_errors.InvalidLength:
        return [_("An %(kind)s has 9 digits.") % named]
    except stdnum_errors.InvalidFormat:
        return [_("Enter the %(kind)s as 9 digits (dashes are fine).") % named]
    except stdnum_errors.ValidationError:
        return [_("This is not a valid %(kind)s.") % named]
    return []


def routing_number_errors(value: str) -> list[str]:
    try:
        rtn.validate(re.sub(r"[\s-]", "", value or ""))
    except stdnum_errors.InvalidLength:
        return [_("A routing number has 9 digits.")]
    except stdnum_errors.ValidationError:
        return [_("This is not a valid ABA routing number.")]
    return []


def account_number_errors(value: str) -> list[str]:
    cleaned = re.sub(r"[\s-]", "", value or "")
    return [] if ACCOUNT_RE.match(cleaned) else [_("An account number has 4 to 17 digits.")]


def us_state_errors(value: str) -> list[str]:
    return [] if value in US_STATE_CODES else [_("Enter a US state as its two-letter code (for example CA).")]


def zip_errors(value: str) -> list[str]:
    return [] if ZIP_RE.match(value or "") else [_("Enter a ZIP code as 12345 or 12345-6789.")]


def country_errors(value: str) -> list[str]:
    return [] if COUNTRY_RE.match(value or "") else [_("Enter a country as its two-letter ISO code (for example US).")]


def mcc_errors(value: str) -> list[str]:
    return [] if MCC_RE.match(value or "") else [_("A merchant category code has 4 digits.")]


def normalise_digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def phone_number(value: str) -> tuple[str | None, list[str]]:
    """A phone number as typed (US numbers without +1 too) → its E.164 form, or the messages why not."""
    try:
        parsed = phonenumbers.parse(value, "US")
    except phonenumbers.NumberParseException:
        return None, [_("Enter a phone number, for example (415) 555-0142 or +86 10 1234 5678.")]
    if not phonenumbers.is_valid_number(parsed):
        return None, [_("This is not a valid phone number.")]
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
