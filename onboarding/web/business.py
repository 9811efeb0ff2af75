"""The second step, business details: the tax id (an EIN, or a sole proprietor's SSN or ITIN), formation,
website and phone, what is sold, expected volume and average sale (in dollars; the service keeps cents),
and the business address. A saved tax id is never shown again, only its last four digits."""

from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.models import TaxIdType
from onboarding.models.base import US_STATES
from onboarding.sections import BUSINESS
from onboarding.validation import phone_display
from onboarding.web.base import StepView
from onboarding.web.fields import DollarsField, SensitiveField, cents_as_dollars, declared, masked

CHOOSE = ("", _("Choose…"))
ADDRESS = ("address_line1", "address_line2", "address_city", "address_postal_code")


class BusinessForm(forms.Form):
    tax_id_type = declared(BUSINESS, "tax_id_type", forms.ChoiceField, choices=[CHOOSE, *TaxIdType.choices])
    tax_id = declared(BUSINESS, "tax_id", SensitiveField)
    formation_state = declared(BUSINESS, "formation_state", forms.ChoiceField, choices=[CHOOSE, *US_STATES])
    formation_date = declared(BUSINESS, "formation_date", widget=forms.DateInput(attrs={"type": "date"}))
    website = declared(BUSINESS, "website", widget=forms.URLInput(attrs={"autocomplete": "url", "inputmode": "url"}))
    phone = declared(BUSINESS, "phone", widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    product_description = declared(BUSINESS, "product_description", widget=forms.Textarea(attrs={"rows": 4}))
    monthly_volume = declared(BUSINESS, "monthly_volume_cents", DollarsField,
                              help_text=_("In US dollars, for example 45,000."))  # fmt: skip
    average_ticket = declared(BUSINESS, "average_ticket_cents", DollarsField,
                              help_text=_("In US dollars, for example 28."))  # fmt: skip
    address_line1 = declared(BUSINESS, "address_line1", widget=forms.TextInput(attrs={"autocomplete": "address-line1"}))
    address_line2 = declared(BUSINESS, "address_line2", widget=forms.TextInput(attrs={"autocomplete": "address-line2"}))
    address_city = declared(BUSINESS, "address_city", widget=forms.TextInput(attrs={"autocomplete": "address-level2"}))
    address_postal_code = declared(
        BUSINESS, "address_postal_code",
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )  # fmt: skip


class BusinessStep(StepView):
    slug = "business"
    template_name = "onboarding/steps/business.html"
    renames = {"monthly_volume_cents": "monthly_volume", "average_ticket_cents": "average_ticket"}

    def build_forms(self, application, data=None, files=None):
        initial = {name: getattr(application, name) for name in ("tax_id_type", "formation_state", "website",
                                                                  "product_description", *ADDRESS)}  # fmt: skip
        initial["formation_date"] = application.formation_date.isoformat() if application.formation_date else ""
        initial["phone"] = phone_display(application.phone) if application.phone else ""
        initial["monthly_volume"] = cents_as_dollars(application.monthly_volume_cents)
        initial["average_ticket"] = cents_as_dollars(application.average_ticket_cents)
        form = BusinessForm(data=data, initial=initial)
        form.fields["tax_id"].set_saved(masked(application.tax_id_last4))
        return {"business": form}

    def sections(self, forms):
        data = dict(forms["business"].cleaned_data)
        if not data["tax_id"]:
            data.pop("tax_id")  # left empty: the saved one stays
        data["monthly_volume_cents"] = data.pop("monthly_volume")
        data["average_ticket_cents"] = data.pop("average_ticket")
        return {"business": data}

    def extra_context(self, application, forms):
        return {"business_state": dict(US_STATES).get(application.address_state, application.address_state)}
