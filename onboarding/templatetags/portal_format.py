"""Template filters for masked personal data, money in cents, phone numbers and categories."""

from django import template

from onboarding.crypto import MASK
from onboarding.kyc.mcc import mcc_name
from onboarding.validation import phone_display

register = template.Library()


@register.filter
def masked_last4(last4: str) -> str:
    return f"{MASK} {last4}" if last4 else ""


@register.filter
def cents(value) -> str:
    if value is None:
        return ""
    return f"${value / 100:,.2f}"


@register.filter
def phone(value: str) -> str:
    """A stored E.164 number as people read it ((415) 555-0142; +86 10 1234 5678 abroad)."""
    return phone_display(value) if value else ""


@register.filter
def category(code: str) -> str:
    """A merchant category code with its plain name ("5812 Eating places and restaurants")."""
    return f"{code} {mcc_name(code)}" if code else ""
