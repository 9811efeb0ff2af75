"""The step "review and sign", and submitting the application.

The page shows everything given, section by section, each with a link to the step that edits it, and what
is still needed (the requirements selector's ``currently_due``, in words, each linked to the step that
fixes it). The merchant agreement is read from its versioned text (``onboarding/agreements/``) in the
merchant's language, the English text governing, and signed with a typed name and title through
``application_sign_agreement``, which records the version, the language shown, the time, the IP address
and the user agent.

Submitting is a separate form and view (``SubmitView``) calling ``application_submit``. The service
refuses a second submission of the same application; the view answers that (two tabs, a double click) by
showing the status page with a calm word, never an error page.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views import View

from onboarding import agreements
from onboarding.accounts import require_verified_email
from onboarding.errors import DomainError, InvalidTransition, PermissionDenied, ValidationFailed
from onboarding.models import Application
from onboarding.requirements import application_requirements
from onboarding.sections import BANK_ACCOUNT, BUSINESS, PARTY, STORE
from onboarding.selectors import applications_for_user
from onboarding.services.actors import Actor
from onboarding.services.agreements import CURRENT_AGREEMENT_VERSION, application_sign_agreement
from onboarding.services.applications import application_submit
from onboarding.states import AppState
from onboarding.web import progress
from onboarding.web.base import FINISH_LATER, StepView
from onboarding.web.documents import kind_label, slots_for
from onboarding.web.errors import form_errors, split_key

LANGUAGE_NAMES = {"en": "English", "zh-Hans": "简体中文"}
DOCUMENT_PATH_WORDS = {
    "documents.company_registration": _("Articles of organization or incorporation"),
    "documents.bank_account_proof": _("Voided cheque or bank letter"),
}
WHOLE_PATH_WORDS = {
    "agreement": _("Your signature on the merchant agreement"),
    "wallets": _("How customers will pay you"),
    # xgettext:no-python-format (a percentage, not a placeholder: the text is never %-formatted)
    "parties": _("The owners of 25% or more and the control person"),
    "stores": _("The store where customers will pay in person"),
    "bank_account": _("The settlement account"),
    "information_request": _("Your answer to our request for information"),
    "application": _("Our review of your application"),
}
# Where a path is fixed when no step of the progress list claims it.
FALLBACK_STEPS = {
    "business": "business",
    "parties": "owners",
    "bank_account": "bank",
    "stores": "stores",
    "wallets": "start",
    "documents": "documents",
    "agreement": "review",
}


def client_ip(request) -> str | None:
    """The address the request came from. Behind a proxy, the deployment sets REMOTE_ADDR from the
    proxy's header it trusts; a header the client sends is never read here."""
    return request.META.get("REMOTE_ADDR") or None


def _field_label(section, name: str) -> str:
    try:
        return str(section.get(name).label)
    except StopIteration:
        return name.replace("_", " ")


def path_label(application: Application, path: str, *, parties=None, stores=None) -> str:
    """A requirement path (``parties[1].date_of_birth``) in plain words ("Rosa Delgado: Date of birth")."""
    parties = list(application.parties.all()) if parties is None else parties
    stores = list(application.stores.all()) if stores is None else stores
    if path in WHOLE_PATH_WORDS:
        return str(WHOLE_PATH_WORDS[path])
    if path in DOCUMENT_PATH_WORDS:
        return str(DOCUMENT_PATH_WORDS[path])
    section, index, rest = split_key(path)
    if section == "business":
        return _field_label(BUSINESS, rest)
    if section == "bank_account":
        return _field_label(BANK_ACCOUNT, rest)
    if section == "documents":
        return kind_label(rest)
    if section == "parties" and index is not None:
        party = parties[index] if index < len(parties) else None
        who = (party.name if party else "") or _t("Person %(number)s") % {"number": index + 1}
        what = _t("identity document") if rest == "identity_document" else _field_label(PARTY, rest) if rest else ""
        return f"{who}: {what}" if what else who
    if section == "stores" and index is not None:
        store = stores[index] if index < len(stores) else None
        where = (store.name if store else "") or _t("Store %(number)s") % {"number": index + 1}
        what = _t("terminals") if rest == "terminals" else _field_label(STORE, rest) if rest else ""
        return f"{where}: {what}" if what else where
    if section == "wallets" and index is not None:
        wallets = list(application.wallet_requests.all())
        if index < len(wallets):
            return f"{wallets[index].get_wallet_display()} ({wallets[index].get_channel_display()})"
    return path


@dataclass(frozen=True)
class DueItem:
    path: str
    label: str
    step: progress.Step | None
    url: str


def _step_of(path: str, rows) -> progress.Step | None:
    for row in rows:
        if path in row.due:
            return row.step
    section = split_key(path)[0]
    return progress.step_for(FALLBACK_STEPS.get(section, ""))


def due_items(application: Application, paths: list[str]) -> list[DueItem]:
    """Each path in words, with the step that fixes it and a link there (the status page for an answer)."""
    rows = progress.progress(application, "review") if application.state in AppState.EDITABLE else []
    parties, stores = list(application.parties.all()), list(application.stores.all())
    items = []
    for path in paths:
        step = _step_of(path, rows)
        if path == "information_request" or application.state not in AppState.EDITABLE:
            url = reverse("application-detail", args=[application.public_id]) + "#information-request"
            step = None if path == "information_request" else step
        elif step is not None:
            url = reverse("application-step", args=[application.public_id, step.slug])
        else:
            url = ""
        label = path_label(application, path, parties=parties, stores=stores)
        items.append(DueItem(path, label, step, url))
    return items


def summary_context(application: Application) -> dict:
    """What the merchant gave, for the summary (personal data only masked)."""
    return {
        "parties": application.parties.all(),
        "bank_account": getattr(application, "bank_account", None),
        "stores": application.stores.prefetch_related("terminals"),
        "wallets": application.wallet_requests.all(),
        "document_slots": slots_for(application),
    }


class SignForm(forms.Form):
    signer_name = forms.CharField(
        label=_("Your full name"), required=False, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    signer_title = forms.CharField(
        label=_("Your title"),
        required=False,
        help_text=_("For example Owner, CEO or Managing member."),
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )
    version = forms.CharField(required=False, widget=forms.HiddenInput)
    language = forms.CharField(required=False, widget=forms.HiddenInput)


def shown_language(request) -> str:
    """The agreement language to show: the one asked for, else the page's, if the text exists in it."""
    wanted = request.GET.get("language") or request.POST.get("language") or ""
    language = wanted if wanted in agreements.agreement_languages(CURRENT_AGREEMENT_VERSION) else None
    language = language or agreements.agreement_language_for(get_language())
    if not agreements.agreement_exists(CURRENT_AGREEMENT_VERSION, language):
        language = agreements.GOVERNING_LANGUAGE
    return language


class ReviewStep(StepView):
    slug = "review"
    template_name = "onboarding/steps/review.html"

    def build_forms(self, application, data=None, files=None):
        initial = {"version": CURRENT_AGREEMENT_VERSION, "language": shown_language(self.request)}
        signed = getattr(application, "agreement", None)
        if signed is not None:
            initial.update(signer_name=signed.signer_name, signer_title=signed.signer_title)
        return {"agreement": SignForm(data=data, initial=initial)}

    def sections(self, forms):
        return {}

    def post(self, request, public_id=None):
        application = self.application
        if FINISH_LATER in request.POST:
            return redirect("application-detail", application.public_id)
        forms = self.build_forms(application, request.POST)
        form = forms["agreement"]
        form.is_valid()
        data = form.cleaned_data
        try:
            application_sign_agreement(
                application=application,
                actor=self.actor,
                signer_name=data.get("signer_name", ""),
                signer_title=data.get("signer_title", ""),
                language=data.get("language") or agreements.GOVERNING_LANGUAGE,
                version=data.get("version") or "",
                ip_address=client_ip(request),
                user_agent=request.META.get("HTTP_USER_AGENT", ""),
            )
        except ValidationFailed as exc:
            # The version and language are the page's, not typed: their messages go above the fields.
            stray = form_errors(exc, sections={}, renames={"version": None, "language": None}, fallback=form)
            return self.render_step(forms, stray=stray, status=400)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("application-detail", application.public_id)
        messages.success(request, _t("Thank you: the agreement is signed. You can now submit the application."))
        return redirect(reverse("application-step", args=[application.public_id, self.slug]) + "#submit")

    def extra_context(self, application, forms):
        language = forms["agreement"]["language"].value() or shown_language(self.request)
        if not agreements.agreement_exists(CURRENT_AGREEMENT_VERSION, language):
            language = agreements.GOVERNING_LANGUAGE
        text = agreements.agreement_text(CURRENT_AGREEMENT_VERSION, language)
        signed = getattr(application, "agreement", None)
        due = application_requirements(application).overall.currently_due
        others = [
            (code, LANGUAGE_NAMES.get(code, code))
            for code in agreements.agreement_languages(CURRENT_AGREEMENT_VERSION)
            if code != language
        ]
        return {
            "agreement_html": agreements.render_agreement(text),
            "agreement_version": CURRENT_AGREEMENT_VERSION,
            "agreement_language": language,
            "agreement_language_name": LANGUAGE_NAMES.get(language, language),
            "governing": language == agreements.GOVERNING_LANGUAGE,
            "other_languages": others,
            "signed": signed,
            "signed_current": signed is not None and signed.version == CURRENT_AGREEMENT_VERSION,
            "signed_language_name": LANGUAGE_NAMES.get(signed.language, signed.language) if signed else "",
            "can_sign": application.state == AppState.DRAFT,
            "missing": [item for item in due_items(application, due) if item.path != "agreement"],
            "agreement_missing": "agreement" in due,
            **summary_context(application),
        }


class SubmitView(LoginRequiredMixin, View):
    """Submit the application (POST only). A second submission is answered with the status page."""

    http_method_names = ["post"]

    def before_submit(self, request, application: Application) -> None:
        """Refuse the submission by raising ``onboarding.errors.PermissionDenied`` (its message is shown):
        an application is never submitted by an account whose email address nobody has confirmed."""
        require_verified_email(request.user)

    def post(self, request, public_id: str):
        application = get_object_or_404(applications_for_user(user=request.user), public_id=public_id)
        if application.state != AppState.DRAFT:
            return self._already(request, application)
        try:
            self.before_submit(request, application)
        except PermissionDenied as exc:
            messages.error(request, exc.message)
            return redirect("application-step", application.public_id, "review")
        try:
            application_submit(
                application=application, actor=Actor.for_user(request.user), ip_address=client_ip(request)
            )
        except InvalidTransition:
            # The other tab or the first click won: the application is submitted, once.
            return self._already(request, application)
        except ValidationFailed:
            messages.error(request, _t("The application is not complete yet: see what is still needed below."))
            return redirect(reverse("application-step", args=[application.public_id, "review"]) + "#missing")
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("application-detail", application.public_id)
        messages.success(
            request, _t("Thank you: we have received your application. We will tell you here how it goes.")
        )
        return redirect("application-detail", application.public_id)

    def _already(self, request, application: Application):
        application.refresh_from_db()
        if application.submitted_at is None:
            messages.info(request, _t("This application can no longer be submitted."))
        else:
            messages.info(request, _t("Your application has already been submitted. Here is where it stands."))
        return redirect("application-detail", application.public_id)
