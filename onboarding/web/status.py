"""The application's status page: where it stands, in neutral words, and what is still needed.

- The history is the shared events' neutral texts (``shared_timeline``); nothing internal is shown, and the
  page's words for a state never tell a screening from a review or a second approval from a first.
- What is still needed comes from ``application_requirements`` (overall and per wallet), which never
  carries a sanctions or fraud signal; each item links to the step that fixes it.
- When an officer asks for information, the question and a form to answer it: files through
  ``document_upload`` as kind ``other``, the text through ``application_answer_info``.
- Panels that other apps add (``onboarding.web.panels``): payments adds the terminals by store.
- Withdrawing asks for a confirmation first (a POST), through ``application_withdraw``.
- While the application is with us (received, in review, being set up) the changing parts refresh
  themselves every 15 seconds (htmx polling a fragment); polling stops when the state is final, and a
  change that needs another page layout (a question to answer) reloads the page.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, HttpResponseClientRefresh

from onboarding.errors import DomainError, InvalidTransition, ValidationFailed
from onboarding.info_requests import info_request_item_rows
from onboarding.models import Application, DocumentKind, WalletRequest
from onboarding.requirements import application_requirements
from onboarding.selectors import applications_for_user, shared_timeline
from onboarding.services.actors import Actor
from onboarding.services.applications import WITHDRAWABLE, application_answer_info, application_withdraw
from onboarding.services.documents import document_upload
from onboarding.states import AppState
from onboarding.web import panels, progress
from onboarding.web.errors import form_errors
from onboarding.web.review import due_items, path_label, summary_context

POLL_SECONDS = 15
# With us and moving: the page refreshes itself. Final states and the merchant's own turn do not poll.
POLLING_STATES = frozenset(
    {
        AppState.SUBMITTED,
        AppState.SCREENING,
        AppState.IN_REVIEW,
        AppState.AWAITING_SECOND_APPROVAL,
        AppState.APPROVED,
        AppState.BOARDING,
        AppState.BOARDING_FAILED,
    }
)
# What the merchant is shown of a state: a screening, a review and a second approval all read "in review".
SHOWN_STATE = {
    AppState.SCREENING: AppState.IN_REVIEW,
    AppState.AWAITING_SECOND_APPROVAL: AppState.IN_REVIEW,
    AppState.BOARDING_FAILED: AppState.BOARDING,
}
STATE_WORDS = {
    AppState.DRAFT: _("Draft"),
    AppState.SUBMITTED: _("Received"),
    AppState.IN_REVIEW: _("In review"),
    AppState.INFO_REQUESTED: _("Information needed"),
    AppState.APPROVED: _("Approved"),
    AppState.BOARDING: _("Setting up your account"),
    AppState.BOARDED: _("Ready to accept payments"),
    AppState.DECLINED: _("Not approved"),
    AppState.WITHDRAWN: _("Withdrawn"),
    AppState.EXPIRED: _("Expired"),
}
STATE_SENTENCES = {
    AppState.DRAFT: _("Your application is a draft: finish the steps below and submit it when you are ready."),
    AppState.SUBMITTED: _("We have received your application and will start the review shortly."),
    AppState.IN_REVIEW: _("We are reviewing your application. We will contact you here if we need anything."),
    AppState.INFO_REQUESTED: _("We need more information to continue: please answer the request below."),
    AppState.APPROVED: _("Your application is approved. We are preparing your account."),
    AppState.BOARDING: _("We are setting up your account with our payment processor."),
    AppState.BOARDED: _("Your account is ready to accept payments."),
    AppState.DECLINED: _("We are unable to approve your application at this time."),
    AppState.WITHDRAWN: _("This application was withdrawn."),
    AppState.EXPIRED: _("This application expired because the information we asked for did not reach us in time."),
}
WALLET_STATUS_WORDS = {
    WalletRequest.Eligibility.ELIGIBLE: _("Can be offered"),
    WalletRequest.Eligibility.REVIEW: _("Possible, after a review"),
    WalletRequest.Eligibility.INELIGIBLE: _("Cannot be offered"),
    WalletRequest.Eligibility.PENDING: _("Being assessed"),
}
WALLET_NAMES = {"alipay": _("Alipay"), "wechat_pay": _("WeChat Pay")}
CHANNEL_NAMES = {"in_store": _("in store"), "online": _("online")}


def _own_application(request, public_id: str) -> Application:
    return get_object_or_404(applications_for_user(user=request.user), public_id=public_id)


def shown_state(application: Application) -> str:
    return SHOWN_STATE.get(application.state, application.state)


# --------------------------------------------------------------------------- what is still needed


def _requirement_errors(application: Application, errors, parties, stores) -> list[dict]:
    rows = []
    for error in errors:
        if error.code == "information_requested":
            continue  # the question itself is shown with its answer form
        item = due_items(application, [error.field])[0]
        rows.append(
            {
                "label": path_label(application, error.field, parties=parties, stores=stores),
                "reason": error.reason,
                "fix": error.suggested_fix,
                "url": item.url,
                "step": item.step,
            }
        )
    return rows


def requirements_context(application: Application) -> dict:
    reqs = application_requirements(application)
    parties, stores = list(application.parties.all()), list(application.stores.all())
    overall = reqs.overall
    error_fields = {error.field for error in overall.errors}
    due = [item for item in due_items(application, overall.currently_due) if item.path not in error_fields]
    wallets = []
    for wallet in reqs.wallets:
        wallets.append(
            {
                "name": _t("%(wallet)s (%(channel)s)")
                % {
                    "wallet": WALLET_NAMES.get(wallet.wallet, wallet.wallet),
                    "channel": CHANNEL_NAMES.get(wallet.channel, ""),
                },
                "status": wallet.status,
                "status_words": WALLET_STATUS_WORDS.get(wallet.status, wallet.status),
                "errors": _requirement_errors(application, wallet.errors, parties, stores),
                "due": due_items(application, wallet.currently_due),
            }
        )
    return {
        "due": due,
        "past_due": set(overall.past_due),
        "requirement_errors": _requirement_errors(application, overall.errors, parties, stores),
        "pending": [
            path_label(application, path, parties=parties, stores=stores) for path in overall.pending_verification
        ],
        "wallet_requirements": wallets,
        "nothing_needed": not (due or overall.errors or overall.past_due),
    }


def live_context(application: Application) -> dict:
    """The parts of the page that change while the application is with us."""
    state = shown_state(application)
    return {
        "application": application,
        "shown_state": state,
        "state_words": STATE_WORDS.get(state, state),
        "state_sentence": STATE_SENTENCES.get(state, ""),
        "polling": application.state in POLLING_STATES,
        "poll_seconds": POLL_SECONDS,
        "timeline": shared_timeline(application=application),
        "panels": panels.panels_for(application),
        **requirements_context(application),
    }


# --------------------------------------------------------------------------- answering a request


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input. It only collects them: ``document_upload`` judges each one."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [item for item in data if item]
        return [data] if data else []


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    files = MultipleFileField(
        label=_("Files (optional)"),
        required=False,
        help_text=_("PDF, JPEG or PNG files. You can choose several at once."),
    )


def page_context(application: Application, *, answer_form: AnswerForm | None = None) -> dict:
    editable = application.state in AppState.EDITABLE
    open_request = None
    if application.state == AppState.INFO_REQUESTED:
        open_request = application.info_requests.filter(answered_at__isnull=True).first()
    return {
        **live_context(application),
        "open_request": open_request,
        "request_items": info_request_item_rows(open_request),
        "answer_form": answer_form or (AnswerForm() if open_request else None),
        "editable": editable,
        "steps": progress.progress(application, "") if editable else [],
        "can_withdraw": application.state in WITHDRAWABLE,
        **summary_context(application),
        "fragment_url": reverse("application-status-fragment", args=[application.public_id]),
    }


@login_required
@require_GET
def application_detail(request, public_id: str):
    application = _own_application(request, public_id)
    return render(request, "onboarding/application_detail.html", page_context(application))


@require_GET
def application_status_fragment(request, public_id: str):
    """The changing parts alone, for htmx to swap in. A change of layout (the shown state is not the one the
    page was drawn for) asks htmx to reload the whole page instead."""
    if not request.user.is_authenticated:
        if request.htmx:
            return HttpResponseClientRedirect(
                resolve_url(settings.LOGIN_URL) + "?next=" + reverse("application-detail", args=[public_id])
            )
        return redirect_to_login(request.get_full_path())
    application = _own_application(request, public_id)
    drawn_for = request.GET.get("shown")
    if drawn_for and drawn_for != shown_state(application):
        return HttpResponseClientRefresh()
    return render(request, "onboarding/_status_live.html", live_context(application))


def _upload_error(exc: ValidationFailed, name: str) -> ValidationFailed:
    """The upload's field errors, each naming its file (several files share one field)."""
    fields = {key: [f"{name}: {message}" for message in messages_] for key, messages_ in exc.fields.items()}
    return ValidationFailed(exc.message, fields=fields)


@login_required
@require_POST
def answer_information_request(request, public_id: str):
    application = _own_application(request, public_id)
    if application.state != AppState.INFO_REQUESTED:
        messages.info(request, _t("We already have your answer. Thank you."))
        return redirect("application-detail", application.public_id)
    actor = Actor.for_user(request.user)
    form = AnswerForm(request.POST, request.FILES)
    form.is_valid()
    received = []
    for upload in request.FILES.getlist("files"):
        name = upload.name or _t("file")
        try:
            document_upload(
                application=application,
                actor=actor,
                kind=DocumentKind.OTHER,
                content=upload.read(settings.DOCUMENT_MAX_BYTES + 1),
                original_name=upload.name or "",
            )
        except ValidationFailed as exc:
            renames = dict.fromkeys(exc.fields, "files")
            form_errors(_upload_error(exc, name), sections={}, renames=renames, fallback=form)
            continue
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("application-detail", application.public_id)
        received.append(name)
    if received:
        messages.success(request, _t("Files received: %(names)s.") % {"names": ", ".join(received)})
    if form.errors:
        return _answer_again(request, application, form)
    try:
        application_answer_info(application=application, actor=actor, answer=form.cleaned_data.get("answer", ""))
    except ValidationFailed as exc:
        form_errors(exc, sections={}, fallback=form)
        return _answer_again(request, application, form)
    except InvalidTransition:
        messages.info(request, _t("We already have your answer. Thank you."))
        return redirect("application-detail", application.public_id)
    messages.success(request, _t("Thank you: we have your answer and have resumed the review."))
    return redirect("application-detail", application.public_id)


def _answer_again(request, application: Application, form: AnswerForm):
    context = page_context(application, answer_form=form)
    return render(request, "onboarding/application_detail.html", context, status=400)


# --------------------------------------------------------------------------- withdrawing


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("It helps us improve; you do not have to say."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def application_withdraw_confirm(request, public_id: str):
    application = _own_application(request, public_id)
    if application.state not in WITHDRAWABLE:
        messages.info(request, _t("This application can no longer be withdrawn."))
        return redirect("application-detail", application.public_id)
    form = WithdrawForm(request.POST or None)
    status = 200
    if request.method == "POST":
        form.is_valid()
        try:
            application_withdraw(
                application=application, actor=Actor.for_user(request.user), reason=form.cleaned_data.get("reason", "")
            )
        except ValidationFailed as exc:
            form_errors(exc, sections={}, fallback=form)
            status = 400
        except DomainError:
            messages.info(request, _t("This application can no longer be withdrawn."))
            return redirect("application-detail", application.public_id)
        else:
            messages.success(request, _t("The application is withdrawn."))
            return redirect("application-detail", application.public_id)
    return render(request, "onboarding/withdraw.html", {"application": application, "form": form}, status=status)
