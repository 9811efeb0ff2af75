"""The settlement account: where payouts go. The routing number is checked as it is typed (the ABA
checksum, in the browser; the service checks it with python-stdnum anyway), the account number is typed
twice, and a saved one is never shown again, only its last four digits."""

from django import forms
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from onboarding.accounts import recent_login_required
from onboarding.models import BankAccount
from onboarding.sections import BANK_ACCOUNT
from onboarding.selectors import applications_for_user
from onboarding.web.base import StepView
from onboarding.web.fields import SensitiveField, declared, masked


class BankForm(forms.Form):
    holder_name = declared(BANK_ACCOUNT, "holder_name", help_text=_("The name the bank has on the account."))
    routing_number = declared(
        BANK_ACCOUNT, "routing_number",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "data-aba": "check",
                                      "maxlength": "11"}),
    )  # fmt: skip
    account_number = declared(BANK_ACCOUNT, "account_number", SensitiveField)
    account_number_again = SensitiveField(label=_("Account number again"))
    account_type = declared(BANK_ACCOUNT, "account_type", forms.ChoiceField, choices=BankAccount.AccountType.choices)

    def clean(self):
        data = super().clean()
        first, second = data.get("account_number", ""), data.get("account_number_again", "")
        if (first or second) and first.replace(" ", "") != second.replace(" ", ""):
            self.add_error("account_number_again", _("The two account numbers are not the same; type them again."))
        return data


class BankStep(StepView):
    slug = "bank"
    template_name = "onboarding/steps/bank.html"

    def build_forms(self, application, data=None, files=None):
        account = getattr(application, "bank_account", None)
        initial = {"holder_name": application.legal_name, "account_type": BankAccount.AccountType.CHECKING}
        if account is not None:
            initial = {name: getattr(account, name) for name in ("holder_name", "routing_number", "account_type")}
        form = BankForm(data=data, initial=initial)
        if account is not None and account.account_last4:
            form.fields["account_number"].set_saved(masked(account.account_last4))
        return {"bank_account": form}

    def sections(self, forms):
        data = dict(forms["bank_account"].cleaned_data)
        data.pop("account_number_again")
        if not data["account_number"]:
            data.pop("account_number")  # left empty: the saved one stays
        return {"bank_account": data}


_bank_step = BankStep.as_view()
_bank_step_after_submission = recent_login_required(_bank_step, allow_get=True)


def bank_step(request, public_id: str):
    """Once an application is submitted, changing where payouts go needs a recent sign-in (a stolen
    session must not redirect the money); before that, the step is like any other."""
    if not request.user.is_authenticated:
        return _bank_step(request, public_id=public_id)
    application = get_object_or_404(applications_for_user(user=request.user), public_id=public_id)
    view = _bank_step_after_submission if application.submitted_at else _bank_step
    return view(request, public_id=public_id)
