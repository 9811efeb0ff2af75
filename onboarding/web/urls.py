"""The merchant's application pages: a new application, each step, and the eligibility panel."""

from django.http import Http404
from django.urls import path

from onboarding.web import bank, business, owners, start

STEP_VIEWS = {
    "start": start.StartStep.as_view(),
    "business": business.BusinessStep.as_view(),
    "owners": owners.OwnersStep.as_view(),
    "bank": bank.bank_step,
}


def step(request, public_id: str, slug: str):
    view = STEP_VIEWS.get(slug)
    if view is None:
        raise Http404
    return view(request, public_id=public_id)


urlpatterns = [
    path("applications/new/", start.StartStep.as_view(), name="application-new"),
    path("applications/eligibility/", start.eligibility_panel, name="eligibility-panel"),
    path("applications/<str:public_id>/<slug:slug>/", step, name="application-step"),
]
