"""The acquirer part of the officers' review page: the merchant's account on the acquirer, each wallet's
status and reason, the terminals, every object boarding created (or is still trying to), the acquirer's
latest requirements in words, and what boarding still owes with its last error; and the decision to
retry boarding after a fix. Registered into onboarding's review page (onboarding never imports payments).
"""

from __future__ import annotations

from django import forms

from onboarding.admin.review import Decision, ReviewPanel, decision_register, review_panel_register
from onboarding.models import Event, OwedWork
from onboarding.services.actors import REVIEW_PERM
from onboarding.states import AppState
from payments.boarding import BOARDING_WORK, boarding_retry
from payments.models import AcquirerObject, Terminal
from payments.requirements_source import our_path, person_paths

REQUIREMENT_LISTS = (
    ("currently_due", "Currently due"),
    ("past_due", "Past due"),
    ("eventually_due", "Eventually due"),
    ("pending_verification", "Pending verification"),
)


def _requirements(application) -> dict | None:
    event = Event.objects.filter(application=application, action="acquirer_requirements").order_by("-id").first()
    if event is None:
        return None
    wanted = event.details.get("requirements") or {}
    persons = person_paths(application)
    lists = [
        (label, [(name, our_path(name, persons)) for name in wanted.get(key) or []]) for key, label in REQUIREMENT_LISTS
    ]
    return {
        "at": event.created_at,
        "account": event.details.get("account", ""),
        "lists": [(label, names) for label, names in lists if names],
        "errors": wanted.get("errors") or [],
        "disabled_reason": wanted.get("disabled_reason") or "",
    }


def panel_context(user, application, version: str) -> dict:
    merchant = application.merchant
    if merchant is None:
        return {"title": "Acquirer", "merchant": None}
    return {
        "title": "Acquirer",
        "merchant": merchant,
        "wallets": list(merchant.wallets.all()),
        "terminals": list(
            Terminal.objects.filter(request__store__application=application).select_related("request__store")
        ),
        "objects": list(AcquirerObject.objects.filter(merchant=merchant).exclude(kind=AcquirerObject.Kind.UPDATE)),
        "failed_calls": list(
            AcquirerObject.objects.filter(merchant=merchant, completed_at__isnull=True).exclude(last_error="")
        ),
        "requirements": _requirements(application),
        "work": OwedWork.objects.filter(subject_id=application.public_id, kind=BOARDING_WORK).order_by("-id").first(),
    }


review_panel_register(
    ReviewPanel("acquirer", "payments/review_acquirer.html", "payments.view_acquirerobject", panel_context)
)


class RetryBoardingForm(forms.Form):
    page_version = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="What was fixed", widget=forms.Textarea(attrs={"rows": 2, "cols": 60}), max_length=10_000
    )


def _retry_offered(user, application, target=None) -> bool:
    return application.state == AppState.BOARDING_FAILED and user.has_perm(REVIEW_PERM)


def _retry(actor, application, data, target) -> str:
    boarding_retry(application=application, actor=actor, reason=data["reason"])
    return "Boarding is retried: the calls that failed are made again."


decision_register(Decision("boarding_retry", "Retry boarding", RetryBoardingForm, _retry_offered, _retry))
