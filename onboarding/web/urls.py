"""The merchant's application pages: a new application, each step, the status page's refreshing part, the
documents, submitting, answering a request and withdrawing (the status page itself: onboarding/urls.py)."""

from django.http import Http404
from django.urls import path

from onboarding.web import bank, business, documents, links, owners, review, start, status, stores

STEP_VIEWS = {
    "start": start.StartStep.as_view(),
    "business": business.BusinessStep.as_view(),
    "owners": owners.OwnersStep.as_view(),
    "bank": bank.bank_step,
    "stores": stores.StoresStep.as_view(),
    "documents": documents.DocumentsStep.as_view(),
    "review": review.ReviewStep.as_view(),
}


def step(request, public_id: str, slug: str):
    view = STEP_VIEWS.get(slug)
    if view is None:
        raise Http404
    return view(request, public_id=public_id)


urlpatterns = [
    # Hosted onboarding links: the token's URL last, so that no token can take the others' names.
    path("onboard/continue/", links.continue_link, name="onboarding-link-continue"),
    path("onboard/expired/", links.link_expired, name="onboarding-link-expired"),
    path("onboard/switch-account/", links.switch_account, name="onboarding-link-switch-account"),
    path("onboard/<str:token>/", links.open_link, name="onboarding-link-open"),
    path("applications/new/", start.StartStep.as_view(), name="application-new"),
    path("applications/eligibility/", start.eligibility_panel, name="eligibility-panel"),
    path(
        "applications/<str:public_id>/status/",
        status.application_status_fragment,
        name="application-status-fragment",
    ),
    path("applications/<str:public_id>/submit/", review.SubmitView.as_view(), name="application-submit"),
    path("applications/<str:public_id>/answer/", status.answer_information_request, name="application-answer"),
    path("applications/<str:public_id>/withdraw/", status.application_withdraw_confirm, name="application-withdraw"),
    path(
        "applications/<str:public_id>/documents/<str:document_id>/",
        documents.document_file,
        name="application-document",
    ),
    path("applications/<str:public_id>/<slug:slug>/", step, name="application-step"),
]
