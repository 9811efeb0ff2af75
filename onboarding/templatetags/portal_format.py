"""Template filters for masked personal data, money in cents, phone numbers and categories."""

from django import template
from django.utils.translation import get_language

from onboarding.crypto import MASK
from onboarding.kyc.mcc import mcc_name_for
from onboarding.validation import phone_display
from onboarding.web.status import STATE_WORDS, shown_state

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
    """A merchant category code with its plain name in the page's language ("5812 餐馆、饭店")."""
    return f"{code} {mcc_name_for(code, get_language())}" if code else ""


@register.filter
def merchant_state(application) -> str:
    """The state as the merchant reads it: screening and a second approval are both "in review" (what
    happens inside the review is the officers' business)."""
    return shown_state(application)


@register.filter
def merchant_state_words(application) -> str:
    return STATE_WORDS.get(shown_state(application), application.get_state_display())
