"""The first step, "what you sell and where": the business's name, type, category and state, and the wallets
wanted. Eligibility before effort: as soon as category, state and wallets are chosen, the page says for
each wallet and channel whether it can be offered and why not, from the same versioned table the KYC check
uses, and it updates as the choice changes (htmx). When none can be offered, the merchant is told so,
kindly and with the reason, before being asked for anything else. The reasons read in the page's language
(the table's own words, English, are what the check stores for the officers)."""

from django import forms
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from onboarding.kyc import eligibility, mcc
from onboarding.models import Acquirer, EntityType, WalletRequest
from onboarding.models.base import US_STATES
from onboarding.sections import BUSINESS
from onboarding.services.drafts import application_create_draft
from onboarding.web.base import StepView
from onboarding.web.fields import MccField, declared, mcc_code_of

# Every wallet and channel a merchant may ask for; Stripe readers take WeChat Pay, not Alipay, in store.
OFFERS = (
    ("wechat_pay", "in_store", _("WeChat Pay in your store (customers scan a QR code on the terminal)")),
    ("alipay", "online", _("Alipay online (on your website)")),
    ("wechat_pay", "online", _("WeChat Pay online (on your website)")),
    ("alipay", "in_store", _("Alipay in your store")),
)
CHOOSE = ("", _("Choose…"))
OFFER_CHOICES = [(f"{wallet}:{channel}", label) for wallet, channel, label in OFFERS]


class StartForm(forms.Form):
    legal_name = declared(BUSINESS, "legal_name", widget=forms.TextInput(attrs={"autocomplete": "organization"}))
    dba = declared(BUSINESS, "dba")
    entity_type = declared(BUSINESS, "entity_type", forms.ChoiceField, choices=[CHOOSE, *EntityType.choices])
    mcc = declared(
        BUSINESS,
        "mcc",
        MccField,
        help_text=_("Start typing what you sell (restaurant, tea, gifts…) and pick the closest from the list."),
        widget=forms.TextInput(attrs={"list": "mcc-list", "autocomplete": "off"}),
    )
    address_state = declared(
        BUSINESS, "address_state", forms.ChoiceField, label=_("State where the business is"),
        choices=[CHOOSE, *US_STATES],
    )  # fmt: skip
    wallets = forms.MultipleChoiceField(
        label=_("How customers will pay you"), required=False, choices=OFFER_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip


def offers_eligibility(*, mcc_code: str, state: str, chosen: list[str], acquirer: str = Acquirer.STRIPE) -> list[dict]:
    """For each wallet and channel chosen: can it be offered here, and why not (the KYC check's table), the
    reasons in the active language."""
    if not (mcc_code and mcc.is_known(mcc_code) and state):
        return []
    rows = []
    for wallet, channel, label in OFFERS:
        key = f"{wallet}:{channel}"
        if key not in chosen:
            continue
        result = eligibility.wallet_eligibility(mcc=mcc_code, state=state, wallet=wallet, channel=channel,
                                                acquirer=acquirer)  # fmt: skip
        rows.append({"key": key, "label": label, "outcome": result.outcome, "reasons": result.reasons_in()})
    return rows


def _panel_context(mcc_code: str, state: str, chosen: list[str]) -> dict:
    rows = offers_eligibility(mcc_code=mcc_code, state=state, chosen=chosen)
    return {
        "eligibility": rows,
        "none_possible": bool(rows) and all(row["outcome"] == WalletRequest.Eligibility.INELIGIBLE for row in rows),
        "asked": bool(mcc_code and state and chosen),
    }


class StartStep(StepView):
    slug = "start"
    template_name = "onboarding/steps/start.html"

    def build_forms(self, application, data=None, files=None):
        initial = {}
        if application is not None:
            initial = {name: getattr(application, name) for name in ("legal_name", "dba", "entity_type", "mcc",
                                                                      "address_state")}  # fmt: skip
            initial["wallets"] = [f"{w.wallet}:{w.channel}" for w in application.wallet_requests.all()]
        return {"business": StartForm(data=data, initial=initial)}

    def sections(self, forms):
        data = forms["business"].cleaned_data
        business = {name: data[name] for name in ("legal_name", "dba", "entity_type", "mcc", "address_state")}
        wallets = [dict(zip(("wallet", "channel"), key.split(":"), strict=True)) for key in data["wallets"]]
        return {"business": business, "wallets": wallets}

    def save(self, application, sections):
        if application is None:
            return application_create_draft(actor=self.actor, **sections)
        return super().save(application, sections)

    def after_save(self, application):
        context = _panel_context(application.mcc, application.address_state,
                                 [f"{w.wallet}:{w.channel}" for w in application.wallet_requests.all()])  # fmt: skip
        if context["none_possible"]:
            # Saved, but no use going on: the step shows why none of the wallets can be offered.
            return reverse("application-step", args=[application.public_id, self.slug]) + "?blocked=1"
        return None

    def extra_context(self, application, forms):
        form = forms["business"]
        source = form.data if form.is_bound else None
        if source is not None:
            mcc_code = mcc_code_of(source.get("mcc", ""))
            state, chosen = source.get("address_state", ""), source.getlist("wallets")
        elif application is not None:
            mcc_code, state = application.mcc, application.address_state
            chosen = [f"{w.wallet}:{w.channel}" for w in application.wallet_requests.all()]
        else:
            mcc_code, state, chosen = "", "", []
        return {"mcc_options": mcc.mcc_choices_for(get_language()), **_panel_context(mcc_code, state, chosen),
                "blocked": self.request.GET.get("blocked") == "1"}  # fmt: skip


@require_GET
def eligibility_panel(request):
    """The eligibility panel alone, for htmx to swap in as the choice changes (no application needed)."""
    mcc_code = mcc_code_of(request.GET.get("mcc", ""))
    context = _panel_context(mcc_code, request.GET.get("address_state", ""), request.GET.getlist("wallets"))
    return render(request, "onboarding/steps/_eligibility.html", context)
