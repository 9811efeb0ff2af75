"""The step "stores and terminals": every store where customers will pay in person, with its address and
how many of each Stripe reader are wanted there.

Stores are added and removed on one page without JavaScript: "add a store" and "remove" are submit
buttons that re-render the page from what was posted (nothing typed is lost, nothing is saved until the
merchant saves). Store forms left entirely blank are dropped before anything else, so the forms and the
service's items keep the same positions and every field error lands on its field. Reader counts become
the service's terminal items; when a count stays, the terminals already requested keep their public ids
(and with them whatever was set up for them). The step is needed only for in-store wallets.
"""

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from onboarding.models import DeviceType, Store, WalletRequest
from onboarding.models.base import US_STATES
from onboarding.sections import STORE
from onboarding.services.drafts import MAX_ITEMS
from onboarding.web.base import StepView
from onboarding.web.fields import declared

PREFIX = "stores"
ADD = "add_store"
REMOVE = "remove_store"
CHOOSE = ("", _("Choose…"))
STORE_FIELDS = (
    "name",
    "phone",
    "address_line1",
    "address_line2",
    "address_city",
    "address_state",
    "address_postal_code",
)
DEVICE_TYPES = tuple(value for value, _label in DeviceType.choices)
READER_HELP = {
    DeviceType.S700: _("A countertop reader with a large touch screen."),
    DeviceType.WISEPOS_E: _("A handheld reader that also works on the counter."),
}


def count_field(device_type: str) -> str:
    return f"count_{device_type}"


class TelInput(forms.TextInput):
    input_type = "tel"


class StoreForm(forms.Form):
    public_id = forms.CharField(required=False, widget=forms.HiddenInput)
    name = declared(STORE, "name", widget=forms.TextInput(attrs={"autocomplete": "off"}))
    phone = declared(STORE, "phone", widget=TelInput(attrs={"autocomplete": "off"}))
    address_line1 = declared(STORE, "address_line1", widget=forms.TextInput(attrs={"autocomplete": "off"}))
    address_line2 = declared(STORE, "address_line2", widget=forms.TextInput(attrs={"autocomplete": "off"}))
    address_city = declared(STORE, "address_city")
    address_state = declared(STORE, "address_state", forms.ChoiceField, choices=[CHOOSE, *US_STATES])
    address_postal_code = declared(
        STORE, "address_postal_code", widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in DeviceType.choices:
            # A count is shape, not a rule: it cannot be negative; how many is the service's to judge.
            self.fields[count_field(value)] = forms.IntegerField(
                label=label,
                help_text=READER_HELP.get(value, ""),
                required=False,
                min_value=0,
                widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
            )

    def readers(self):
        return [self[count_field(value)] for value in DEVICE_TYPES]


StoreFormSet = forms.formset_factory(StoreForm, extra=0, max_num=MAX_ITEMS["stores"], absolute_max=MAX_ITEMS["stores"])
FIELD_NAMES = ("public_id", *STORE_FIELDS, *(count_field(value) for value in DEVICE_TYPES))


def _posted_stores(data) -> list[dict]:
    try:
        total = int(data.get(f"{PREFIX}-TOTAL_FORMS", 0))
    except (TypeError, ValueError):
        total = 0
    total = max(0, min(total, MAX_ITEMS["stores"]))
    return [{name: data.get(f"{PREFIX}-{index}-{name}", "") for name in FIELD_NAMES} for index in range(total)]


def _is_blank(values: dict) -> bool:
    counts = {count_field(value) for value in DEVICE_TYPES}
    return not any(
        str(value).strip() not in ("", "0") if name in counts else str(value).strip() for name, value in values.items()
    )


def rearranged(data, *, drop: int | None = None, add: bool = False) -> QueryDict:
    """The posted stores again, without blank ones (and the one dropped), plus an empty one when adding."""
    stores = [values for index, values in enumerate(_posted_stores(data)) if index != drop and not _is_blank(values)]
    if add and len(stores) < MAX_ITEMS["stores"]:
        stores.append(dict.fromkeys(FIELD_NAMES, ""))
    result = QueryDict(mutable=True)
    result[f"{PREFIX}-TOTAL_FORMS"] = str(len(stores))
    result[f"{PREFIX}-INITIAL_FORMS"] = "0"
    for index, values in enumerate(stores):
        for name, value in values.items():
            result[f"{PREFIX}-{index}-{name}"] = value
    return result


def terminal_items(store: Store | None, counts: dict[str, int]) -> list[dict]:
    """The terminals a store should have: for each reader, the ones already requested first (with their
    public ids and labels), then new ones. At most one more than the service takes, so that an absurd
    count gets the service's own message without building a huge list."""
    existing = list(store.terminals.all()) if store is not None else []
    items: list[dict] = []
    limit = MAX_ITEMS["terminals"] + 1
    for device_type in DEVICE_TYPES:
        wanted = min(counts.get(device_type) or 0, limit)
        kept = [t for t in existing if t.device_type == device_type][:wanted]
        items += [{"public_id": t.public_id, "device_type": device_type, "label": t.label} for t in kept]
        items += [{"device_type": device_type} for _ in range(wanted - len(kept))]
    return items[:limit]


def wants_in_store(application) -> bool:
    return application.wallet_requests.filter(channel=WalletRequest.Channel.IN_STORE).exists()


class StoresStep(StepView):
    slug = "stores"
    template_name = "onboarding/steps/stores.html"

    def _stores(self, application):
        return list(application.stores.prefetch_related("terminals"))

    def build_forms(self, application, data=None, files=None):
        if data is not None:
            if not self._shows_stores(application) and f"{PREFIX}-TOTAL_FORMS" not in data:
                return {}
            return {"stores": StoreFormSet(data=rearranged(data), prefix=PREFIX)}
        if not self._shows_stores(application):
            return {}
        initial = []
        for store in self._stores(application):
            values = {name: getattr(store, name) for name in ("public_id", *STORE_FIELDS)}
            for device_type in DEVICE_TYPES:
                values[count_field(device_type)] = sum(1 for t in store.terminals.all() if t.device_type == device_type)
            initial.append(values)
        if not initial:
            initial.append({})
        return {"stores": StoreFormSet(initial=initial, prefix=PREFIX)}

    def _shows_stores(self, application) -> bool:
        return wants_in_store(application) or application.stores.exists()

    def sections(self, forms):
        formset = forms.get("stores")
        if formset is None:
            return {}
        existing = {store.public_id: store for store in self._stores(self.application)}
        stores, renames = [], {}
        for index, form in enumerate(formset.forms):
            data = form.cleaned_data
            item = {name: data.get(name) or "" for name in STORE_FIELDS}
            public_id = data.get("public_id") or ""
            if public_id:
                item["public_id"] = public_id
            counts = {value: data.get(count_field(value)) or 0 for value in DEVICE_TYPES}
            item["terminals"] = terminal_items(existing.get(public_id), counts)
            for t_index, terminal in enumerate(item["terminals"]):
                for name in ("device_type", "label", "public_id"):
                    renames[f"stores[{index}].terminals[{t_index}].{name}"] = count_field(terminal["device_type"])
            stores.append(item)
        self.renames = renames
        return {"stores": stores}

    def save(self, application, sections):
        if not sections:
            return application  # nothing on this step to keep: no store is needed
        return super().save(application, sections)

    def post(self, request, public_id=None):
        if ADD in request.POST or REMOVE in request.POST:
            try:
                drop = int(request.POST.get(REMOVE, ""))
            except ValueError:
                drop = None
            data = rearranged(request.POST, drop=drop, add=ADD in request.POST)
            self.notice = _("The store is taken off the list. Save to keep this change.") if drop is not None else ""
            return self.render_step({"stores": StoreFormSet(data=data, prefix=PREFIX)})
        return super().post(request, public_id)

    def extra_context(self, application, forms):
        return {
            "in_store": wants_in_store(application),
            "notice": getattr(self, "notice", ""),
            "max_stores": MAX_ITEMS["stores"],
        }
