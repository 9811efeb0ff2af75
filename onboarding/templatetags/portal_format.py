"""Template filters for masked personal data and money in cents."""

from django import template

from onboarding.crypto import MASK

register = template.Library()


@register.filter
def masked_last4(last4: str) -> str:
    return f"{MASK} {last4}" if last4 else ""


@register.filter
def cents(value) -> str:
    if value is None:
        return ""
    return f"${value / 100:,.2f}"
