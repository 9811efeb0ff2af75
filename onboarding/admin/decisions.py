"""The decisions the review page offers on an application and its documents: each a small form with a
required reason, each calling the existing service (which still checks who may act and when).

Who is offered what: an officer (``review_application``) approves, declines, requests information and
re-runs the checks while the application is in review, and decides documents; the second approval is
offered only to a senior officer (``second_approve_application``) who did not give the first.
"""

from __future__ import annotations

from django import forms

from onboarding.admin.review import Decision, decision_register
from onboarding.errors import InvalidTransition
from onboarding.info_requests import READY_MADE
from onboarding.models import Application, Document, DocumentKind
from onboarding.reason_codes import DECLINE_REASONS
from onboarding.services.actors import REVIEW_PERM, SECOND_APPROVAL_PERM
from onboarding.services.applications import (
    application_approve,
    application_decline,
    application_request_document_revision,
    application_request_info,
    application_rerun_checks,
    application_return_to_review,
)
from onboarding.services.documents import document_decide
from onboarding.states import AppState

ITEM_ROWS = 4
DECIDED_IN = frozenset({AppState.IN_REVIEW, AppState.AWAITING_SECOND_APPROVAL})
DOCUMENTS_ASKED_IN = frozenset({AppState.IN_REVIEW, AppState.INFO_REQUESTED})


class DecisionForm(forms.Form):
    page_version = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(label="Reason", widget=forms.Textarea(attrs={"rows": 2, "cols": 60}), max_length=10_000)


class DeclineForm(DecisionForm):
    reason_code = forms.ChoiceField(label="Decline reason", choices=sorted(DECLINE_REASONS.items()))
    reason = forms.CharField(
        label="Internal note (never shown to the merchant)",
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        max_length=10_000,
    )


def _document_choices():
    return [("", "—")] + list(DocumentKind.choices)


class RequestInfoForm(DecisionForm):
    """The question (the reason), the items it names and the due date; or a ready-made request."""

    ready_made = forms.ChoiceField(
        label="Ready-made request",
        required=False,
        choices=[("", "— write your own —")] + [(k, v["label"]) for k, v in READY_MADE.items()],
    )
    reason = forms.CharField(
        label="Question for the merchant",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        max_length=10_000,
    )
    due_date = forms.DateField(label="Answer by", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for i in range(ITEM_ROWS):
            self.fields[f"item_{i}_field"] = forms.CharField(
                label=f"Item {i + 1}: field", required=False, help_text="e.g. business.tax_id or parties[0].last_name"
            )
            self.fields[f"item_{i}_document"] = forms.ChoiceField(
                label=f"Item {i + 1}: or document", required=False, choices=_document_choices()
            )
            self.fields[f"item_{i}_fix"] = forms.CharField(label=f"Item {i + 1}: what to do", required=False)

    def clean(self):
        cleaned = super().clean()
        items = []
        for i in range(ITEM_ROWS):
            field, kind, fix = (cleaned.get(f"item_{i}_{part}") or "" for part in ("field", "document", "fix"))
            if field or kind or fix:
                items.append({"field": field, "document": kind, "fix": fix})
        ready = READY_MADE.get(cleaned.get("ready_made") or "")
        if ready and not cleaned.get("reason"):
            cleaned["reason"] = ready["message"]
        if ready and not items:
            items = [dict(item) for item in ready["items"]]
        if not cleaned.get("reason"):
            self.add_error("reason", "Write the question, or pick a ready-made request.")
        cleaned["items"] = items
        return cleaned


class DocumentDecisionForm(DecisionForm):
    reason = forms.CharField(
        label="Reason (shown to the merchant)", widget=forms.Textarea(attrs={"rows": 2, "cols": 50}), max_length=300
    )


def _reviewer(user, application: Application, states=frozenset({AppState.IN_REVIEW})) -> bool:
    return user.has_perm(REVIEW_PERM) and application.state in states


def _first_approval_offered(user, application, target=None) -> bool:
    return _reviewer(user, application)


def _second_approval_offered(user, application, target=None) -> bool:
    return (
        application.state == AppState.AWAITING_SECOND_APPROVAL
        and user.has_perm(SECOND_APPROVAL_PERM)
        and application.first_approver_id != user.pk
    )


def _approve(actor, application, data, target) -> str:
    reached = application_approve(application=application, actor=actor, note=data["reason"])
    if reached == AppState.AWAITING_SECOND_APPROVAL:
        return "Approved: the application now waits for the second approval of a different senior officer."
    return "Approved."


decision_register(Decision("approve", "Approve", DecisionForm, _first_approval_offered, _approve))
decision_register(
    Decision("second_approve", "Give the second approval", DecisionForm, _second_approval_offered, _approve)
)


def _return_offered(user, application, target=None) -> bool:
    return _second_approval_offered(user, application)


def _return(actor, application, data, target) -> str:
    application_return_to_review(application=application, actor=actor, note=data["reason"])
    return "Returned to review: the first approval no longer stands."


decision_register(Decision("return_to_review", "Return to review (no second approval)", DecisionForm,
                           _return_offered, _return))  # fmt: skip


def _decline_offered(user, application, target=None) -> bool:
    return _reviewer(user, application, DECIDED_IN)


def _decline(actor, application, data, target) -> str:
    application_decline(application=application, actor=actor, reason_code=data["reason_code"], note=data["reason"])
    return "Declined. The merchant reads the neutral text; the reason stays internal."


decision_register(Decision("decline", "Decline", DeclineForm, _decline_offered, _decline))


def _reviewer_offered(user, application, target=None) -> bool:
    return _reviewer(user, application)


def _request_info(actor, application, data, target) -> str:
    request = application_request_info(
        application=application, actor=actor, message=data["reason"], items=data["items"], due_date=data["due_date"]
    )
    return f"Information requested ({len(request.items)} item(s)); the merchant is emailed."


decision_register(Decision("request_info", "Request information", RequestInfoForm, _reviewer_offered, _request_info))


def _rerun(actor, application, data, target) -> str:
    application_rerun_checks(application=application, actor=actor, note=data["reason"])
    return "The checks run again; the application comes back here when they have run."


decision_register(Decision("rerun_checks", "Re-run the checks", DecisionForm, _reviewer_offered, _rerun))


# --------------------------------------------------------------------------- documents


def _document(application: Application, public_id: str) -> Document:
    document = next((d for d in application.documents.all() if d.public_id == public_id), None)
    if document is None:
        raise InvalidTransition("This document is no longer on the application.")
    return document


def _accept_offered(user, application, document) -> bool:
    return user.has_perm(REVIEW_PERM) and document.status != Document.Status.ACCEPTED


def _accept(actor, application, data, target) -> str:
    document_decide(document=_document(application, target), actor=actor, status="accepted", reason=data["reason"])
    return "Document accepted."


def _ask_offered(user, application, document) -> bool:
    return user.has_perm(REVIEW_PERM) and application.state in DOCUMENTS_ASKED_IN


def _ask(status: str):
    def run(actor, application, data, target) -> str:
        document = _document(application, target)
        if application.state == AppState.IN_REVIEW:
            # The merchant can upload only while information is requested: ask inside a request.
            application_request_document_revision(
                application=application, actor=actor, document=document, status=status, reason=data["reason"]
            )
            return "Done; an information request asks the merchant for a new copy."
        document_decide(document=document, actor=actor, status=status, reason=data["reason"])
        return "Done; the merchant is asked for a new copy within the open request."

    return run


decision_register(Decision("document_accept", "Accept", DocumentDecisionForm, _accept_offered, _accept, "document"))
decision_register(Decision("document_reject", "Reject", DocumentDecisionForm, _ask_offered, _ask("rejected"),
                           "document"))  # fmt: skip
decision_register(Decision("document_revision", "Ask for a revision", DocumentDecisionForm, _ask_offered,
                           _ask("revision_requested"), "document"))  # fmt: skip
