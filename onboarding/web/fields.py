"""Form fields that shape what people type into what the services take: dollars into cents, a category
picked from a searchable list into its four-digit MCC, and sensitive values that are never echoed back.

They shape, they do not judge: a value they cannot shape goes to the service as typed, and the service's
field error is shown (validation lives in the services only).
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from onboarding.crypto import MASK
from onboarding.kyc.mcc import all_mccs, mcc_label_for


class DollarsField(forms.CharField):
    """Dollars as typed ("1,250.50", "$45,000") → whole cents. Money is entered in dollars and kept in
    cents: turning one into the other is this field's job, so an amount it cannot read is its error."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return None
        try:
            cents = Decimal(text.replace("$", "").replace(",", "").strip()) * 100
        except InvalidOperation:
            raise forms.ValidationError(_("Enter an amount in dollars, for example 45,000 or 28.50."))
        if not cents.is_finite() or cents != cents.to_integral_value():
            raise forms.ValidationError(_("Enter an amount in dollars and cents, for example 28.50."))
        return int(cents)


def cents_as_dollars(cents: int | None) -> str:
    if cents is None:
        return ""
    return f"{cents / 100:,.2f}".removesuffix(".00")


def mcc_choices() -> list[tuple[str, str]]:
    return sorted(all_mccs().items(), key=lambda item: item[1].lower())


def mcc_code_of(text: str) -> str:
    """ "5812 — Eating places" (as the list shows it) or "5812" → "5812"; anything else as typed."""
    text = (text or "").strip()
    code = text[:4]
    return code if code.isdigit() and len(code) == 4 and (len(text) == 4 or not text[4].isdigit()) else text


class MccField(forms.CharField):
    """A category searched by name in the browser's own list (``<datalist>``), stored as its MCC."""

    def to_python(self, value):
        return mcc_code_of(super().to_python(value))

    def prepare_value(self, value):
        if value and value in all_mccs():
            return f"{value} — {mcc_label_for(value, get_language())}"
        return value


class SensitiveField(forms.CharField):
    """An SSN, ITIN, date of birth or account number. A saved one is never sent back to the browser (the
    step gives it no initial value): it shows as ``•••• 1234`` in the placeholder, and leaving the field
    empty keeps it. What was typed into a step that had an error is shown again, so nothing is lost."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
        super().__init__(*args, **kwargs)
        self.saved = False

    def set_saved(self, masked_value: str) -> None:
        self.saved = bool(masked_value)
        if masked_value:
            self.widget.attrs["placeholder"] = _("Saved: %(masked)s") % {"masked": masked_value}
            self.help_text = _("Saved. Leave it empty to keep it, or type it again to change it.")


def masked(last4: str) -> str:
    """``•••• 1234`` for a saved value's last four digits (all the page ever shows of it)."""
    return f"{MASK} {last4}" if last4 else ""


def declared(section, name: str, field_class=forms.CharField, **kwargs):
    """A form field labelled and explained as the section declares it (onboarding/sections.py). Never
    required by the form: the service says what is missing, when it is missing."""
    spec = section.get(name)
    kwargs.setdefault("label", spec.label)
    if spec.help:
        kwargs.setdefault("help_text", spec.help)
    return field_class(required=False, **kwargs)
