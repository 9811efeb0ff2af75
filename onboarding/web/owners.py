"""The owners step: every owner of 25% or more and the one control person, added and removed on one page
(without JavaScript: "add another person" and "remove" are form buttons). A saved date of birth or SSN is
never shown again, only masked; leaving it empty keeps it."""

from django import forms
from django.utils.translation import gettext_lazy as _

from onboarding.crypto import MASK
from onboarding.models import Party
from onboarding.sections import PARTY
from onboarding.web.base import StepView
from onboarding.web.fields import SensitiveField, declared, masked

CHOOSE = ("", _("Choose…"))
ADD = "add_person"


def _countries(text: str) -> list[str]:
    return [code.strip().upper() for code in (text or "").replace(";", ",").split(",") if code.strip()]


class PersonForm(forms.Form):
    public_id = forms.CharField(required=False, widget=forms.HiddenInput)
    kind = declared(PARTY, "kind", forms.ChoiceField, choices=Party.Kind.choices, initial=Party.Kind.INDIVIDUAL,
                    widget=forms.RadioSelect)  # fmt: skip
    first_name = declared(PARTY, "first_name", widget=forms.TextInput(attrs={"autocomplete": "off"}))
    middle_name = declared(PARTY, "middle_name")
    last_name = declared(PARTY, "last_name")
    date_of_birth = declared(PARTY, "date_of_birth", SensitiveField,
                             widget=forms.DateInput(attrs={"type": "date", "autocomplete": "off"}))  # fmt: skip
    id_number_type = declared(PARTY, "id_number_type", forms.ChoiceField,
                              choices=[CHOOSE, *Party.IdNumberType.choices])  # fmt: skip
    id_number = declared(PARTY, "id_number", SensitiveField)
    ownership_percent = declared(PARTY, "ownership_percent",
                                 widget=forms.TextInput(attrs={"inputmode": "decimal"}))  # fmt: skip
    is_control_person = declared(
        PARTY, "is_control_person", forms.BooleanField,
        label=_("This person is the control person (manages the business day to day)"),
    )  # fmt: skip
    title = declared(PARTY, "title")
    email = declared(PARTY, "email", widget=forms.EmailInput(attrs={"autocomplete": "off"}))
    phone = declared(PARTY, "phone", widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    place_of_birth = declared(PARTY, "place_of_birth")
    nationalities = declared(PARTY, "nationalities", help_text=_("Two-letter country codes, for example US or US, CN."))
    citizenships = declared(PARTY, "citizenships", help_text=_("Two-letter country codes, for example US."))
    address_line1 = declared(PARTY, "address_line1", label=_("Home address"))
    address_line2 = declared(PARTY, "address_line2")
    address_city = declared(PARTY, "address_city")
    address_state = declared(PARTY, "address_state")
    address_postal_code = declared(PARTY, "address_postal_code")
    address_country = declared(PARTY, "address_country", initial="US", help_text=_("Two letters, for example US."))
    company_name = declared(PARTY, "company_name")
    company_country = declared(PARTY, "company_country", help_text=_("Two letters, for example US."))
    registration_number = declared(PARTY, "registration_number")

    SENSITIVE = ("date_of_birth", "id_number")
    LISTS = ("nationalities", "citizenships")

    def item(self) -> dict:
        """This person as the draft service's party item: a blank sensitive field keeps the saved value."""
        data = dict(self.cleaned_data)
        for name in self.SENSITIVE:
            if not data[name]:
                data.pop(name)
        for name in self.LISTS:
            data[name] = _countries(data[name])
        data.pop("DELETE", None)
        if not data["public_id"]:
            data.pop("public_id")
        return data


PeopleFormSet = forms.formset_factory(PersonForm, extra=0, can_delete=True)


def _initial(party: Party) -> dict:
    values = {name: getattr(party, name) for name in PARTY.names if name not in PersonForm.SENSITIVE}
    values["ownership_percent"] = f"{party.ownership_percent.normalize():f}" if party.ownership_percent else ""
    for name in PersonForm.LISTS:
        values[name] = ", ".join(values[name] or [])
    return {**values, "public_id": party.public_id}


class OwnersStep(StepView):
    slug = "owners"
    template_name = "onboarding/steps/owners.html"

    def build_forms(self, application, data=None, files=None):
        parties = list(application.parties.all())
        initial = [_initial(party) for party in parties] or [{"kind": Party.Kind.INDIVIDUAL, "address_country": "US"}]
        formset = PeopleFormSet(data=data, initial=initial, prefix="parties")
        by_id = {party.public_id: party for party in parties}
        for form in formset.forms:
            party = by_id.get(form["public_id"].value() or "")
            if party is not None:
                form.fields["date_of_birth"].set_saved(MASK if party.date_of_birth else "")
                form.fields["id_number"].set_saved(masked(party.id_number_last4))
        return {"parties": formset}

    def kept(self, formset) -> list:
        """The people sent to the service, in order: not those marked for removal, nor an added form left empty."""
        return [
            form
            for form in formset.forms
            if not form.cleaned_data.get("DELETE") and (form.has_changed() or form.cleaned_data.get("public_id"))
        ]

    def sections(self, forms):
        return {"parties": [form.item() for form in self.kept(forms["parties"])]}

    def error_targets(self, forms):
        return {"parties": (forms["parties"], self.kept(forms["parties"]))}

    def post(self, request, public_id=None):
        if ADD in request.POST:
            # Another person: show one more empty form, keep everything typed, save nothing yet.
            data = request.POST.copy()
            data["parties-TOTAL_FORMS"] = str(int(data.get("parties-TOTAL_FORMS", "0")) + 1)
            return self.render_step(self.build_forms(self.application, data))
        return super().post(request, public_id)
