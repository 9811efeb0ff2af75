"""The review page: one page per application with all the evidence and the decisions an officer may take.

``ReviewPageMixin`` replaces ApplicationAdmin's change view with the page and adds one POST endpoint per
decision (``<id>/decide/<name>/``). Each decision is a small form with a required reason that calls the
existing service; the service still checks who may act. Every form carries the page's version (the
state and the last event about the application): a decision made on a page that someone else has acted
on since is refused with a message, never recorded on stale evidence, never a 500.

Other apps plug in without onboarding importing them (sanctions adds its hits panel and the hit
decisions): ``review_panel_register`` and ``decision_register``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from onboarding.admin.review_context import loaded_application, review_context
from onboarding.errors import DomainError
from onboarding.models import Application, Event
from onboarding.services.actors import Actor

TEMPLATE = "admin/onboarding/application/review.html"


@dataclass(frozen=True)
class Decision:
    """One decision on the page. ``scope`` names what it acts on: the application, or one of its
    documents or hits (``target`` is then that object's public id)."""

    name: str
    label: str
    form: type
    #: whether the page offers it to ``user`` (for the application, or for one target)
    offered: Callable
    #: calls the service; returns what was done, in words
    run: Callable
    scope: str = "application"


@dataclass(frozen=True)
class ReviewPanel:
    name: str
    template: str
    permission: str
    #: (user, application, page version) -> the panel's context
    context: Callable


_DECISIONS: dict[str, Decision] = {}
_PANELS: dict[str, ReviewPanel] = {}


def decision_register(decision: Decision) -> Decision:
    _DECISIONS[decision.name] = decision
    return decision


def review_panel_register(panel: ReviewPanel) -> ReviewPanel:
    _PANELS[panel.name] = panel
    return panel


def decide_path(model_admin, name: str):
    """The endpoint a page's decision forms post to: ``<id>/decide/<decision>/``, to its ``decide_view``."""
    view = model_admin.admin_site.admin_view(model_admin.decide_view)
    return path("<path:object_id>/decide/<str:decision>/", view, name=name)


def decision_named(name: str) -> Decision | None:
    return _DECISIONS.get(name)


def decisions(scope: str) -> list[Decision]:
    return [d for d in _DECISIONS.values() if d.scope == scope]


def page_version(application: Application) -> str:
    """Changes with every write about the application (each writes an event), and with its state."""
    last = Event.objects.filter(application=application).order_by("-id").values_list("id", flat=True).first()
    return f"{application.state}.{last or 0}"


def form_prefix(decision: Decision, target: str = "") -> str:
    return f"{decision.name}-{target}" if target else decision.name


def offered_forms(user, application: Application, version: str, scope: str, target=None) -> list[dict]:
    """The decision forms the page offers ``user`` (for ``target`` when the scope is an object)."""
    forms = []
    key = getattr(target, "public_id", "")
    for decision in decisions(scope):
        if not decision.offered(user, application, target):
            continue
        form = decision.form(prefix=form_prefix(decision, key), initial={"page_version": version})
        forms.append({"decision": decision, "form": form, "target": key})
    return forms


STALE = (
    "Nothing was recorded: this application changed since you opened the page (it is {state} now, "
    "and someone else may have acted first). Look at the page again before you decide."
)


# What to do about each kind of problem the evidence guard names (matched on its words).
REMEDIES = (
    (("has not run", "did not run", "out of date", "screened against"),
     "Re-run the checks (below): the application comes back here once they have run."),
    (("still open",), "Clear or confirm each open hit in the Sanctions section, then approve."),
    (("no sanctions list is active",), "A senior officer activates a sanctions list version; then re-run the checks."),
    (("failed", "confirmed as true matches"),
     "A failed check does not allow an approval: request information to fix it, or decline."),
)  # fmt: skip


def refusal_message(error: DomainError):
    """A service's refusal in plain words; the evidence guard's with what is stale and how to refresh it."""
    problems = error.fields.get("checks") if error.code == "evidence_incomplete" else None
    if not problems:
        details = "; ".join(" ".join(v) for v in error.fields.values())
        return f"{error.message} {details}".strip() if details and details not in error.message else error.message
    remedies = [fix for words, fix in REMEDIES if any(w in p for p in problems for w in words)]
    return format_html(
        "The approval was not recorded: the checks do not support it yet.<ul>{}</ul>{}",
        format_html_join("", "<li>{}</li>", ((p,) for p in problems)),
        " ".join(remedies),
    )


class ReviewPageMixin:
    """Add to ApplicationAdmin's bases: its change view becomes the review page."""

    def get_urls(self):
        return [decide_path(self, "onboarding_application_decide"), *super().get_urls()]

    def _application(self, request, object_id) -> Application:
        try:
            application = loaded_application(int(object_id))
        except (ValueError, Application.DoesNotExist) as exc:
            raise Http404("No such application.") from exc
        if not self.has_view_permission(request, application):
            raise PermissionDenied
        return application

    def change_view(self, request, object_id, form_url="", extra_context=None):
        application = self._application(request, object_id)
        user = request.user
        version = page_version(application)
        panels = [
            {"panel": panel, **panel.context(user, application, version)}
            for panel in _PANELS.values()
            if user.has_perm(panel.permission)
        ]
        documents = [
            {"document": d, "forms": offered_forms(user, application, version, "document", d)}
            for d in application.documents.all()
        ]
        context = {
            **self.admin_site.each_context(request),
            **review_context(user, application),
            "opts": self.model._meta,
            "title": f"Review {application.display_name}",
            "subtitle": application.public_id,
            "decision_forms": offered_forms(user, application, version, "application"),
            "document_rows": documents,
            "panels": panels,
            **(extra_context or {}),
        }
        return TemplateResponse(request, TEMPLATE, context)

    def decide_view(self, request, object_id, decision):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        application = self._application(request, object_id)
        spec = _DECISIONS.get(decision)
        if spec is None:
            raise Http404("No such decision.")
        page = reverse("admin:onboarding_application_change", args=[application.pk])
        stale = STALE.format(state=application.get_state_display().lower())

        def run(actor, data, target) -> str:
            return spec.run(actor, application, data, target)

        decision_submit(request, spec, version=page_version(application), stale=stale, run=run)
        return HttpResponseRedirect(page)


def decision_submit(request, spec: Decision, *, version: str, stale: str, run: Callable) -> None:
    """Take one posted decision form: refused with the form's errors, or with ``stale`` when the page it
    came from is not at ``version`` any more; else ``run(actor, cleaned data, target)`` calls the service.
    What happened goes to the officer as a message (a service's refusal in plain words, never a 500)."""
    target = request.POST.get("target", "")
    form = spec.form(request.POST, prefix=form_prefix(spec, target))
    if not form.is_valid():
        errors = "; ".join(f"{form[name].label if name in form.fields else 'Form'}: {' '.join(e)}"
                           for name, e in form.errors.items())  # fmt: skip
        messages.error(request, f"{spec.label}: nothing was recorded. {errors}")
        return
    if form.cleaned_data["page_version"] != version:
        messages.warning(request, stale)
        return
    try:
        done = run(Actor.for_user(request.user), form.cleaned_data, target)
    except DomainError as error:
        messages.error(request, refusal_message(error))
    else:
        messages.success(request, done)
