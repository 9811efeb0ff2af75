"""What every step of the application does: find the merchant's own application (anyone else's is a 404),
show the step's forms, send what was typed to the draft service, put its field errors back on the forms
(nothing typed is lost), and go on to the next step or back to the status page ("finish later")."""

from abc import ABC, abstractmethod

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from onboarding.errors import DomainError, ValidationFailed
from onboarding.models import Application
from onboarding.selectors import applications_for_user
from onboarding.services.actors import Actor
from onboarding.services.drafts import application_update_draft
from onboarding.states import AppState
from onboarding.web import progress
from onboarding.web.errors import form_errors

FINISH_LATER = "finish_later"


class StepView(LoginRequiredMixin, View, ABC):
    slug: str = ""
    template_name: str = ""
    #: service field name → the form's, where they differ
    renames: dict[str, str] = {}

    # ------------------------------------------------------------------ what a step defines

    @abstractmethod
    def build_forms(self, application: Application | None, data=None, files=None) -> dict:
        """The step's forms and formsets, by the section they fill (``business``, ``parties``)."""

    @abstractmethod
    def sections(self, forms: dict) -> dict:
        """What the forms say, as the draft service's sections."""

    def extra_context(self, application: Application | None, forms: dict) -> dict:
        return {}

    def error_targets(self, forms: dict) -> dict:
        """Where the service's errors go, by section (a formset may say which of its forms were sent)."""
        return forms

    def save(self, application: Application | None, sections: dict) -> Application:
        application_update_draft(application=application, actor=self.actor, **sections)
        return application

    def after_save(self, application: Application) -> str | None:
        """Where to go after a successful save (None: the next step)."""
        return None

    # ------------------------------------------------------------------ the flow

    @property
    def actor(self) -> Actor:
        return Actor.for_user(self.request.user)

    def get_application(self, public_id: str | None) -> Application | None:
        if public_id is None:
            return None
        return get_object_or_404(applications_for_user(user=self.request.user), public_id=public_id)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = self.get_application(kwargs.get("public_id"))
        if self.application is not None and self.application.state not in AppState.EDITABLE:
            messages.info(request, _("This application can no longer be changed."))
            return redirect("application-detail", self.application.public_id)
        return super().dispatch(request, *args, **kwargs)

    def render_step(self, forms: dict, *, stray: list[str] = (), status: int = 200):
        application = self.application
        all_errors = list(stray)
        for holder in forms.values():
            all_errors += _messages_of(holder)
        context = {
            "application": application,
            "step": progress.step_for(self.slug),
            "steps": progress.progress(application, self.slug),
            "forms": forms,
            "stray_errors": stray,
            "error_count": len(all_errors),
            **self.extra_context(application, forms),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, public_id: str | None = None):
        return self.render_step(self.build_forms(self.application))

    def post(self, request, public_id: str | None = None):
        forms = self.build_forms(self.application, request.POST, request.FILES)
        if not all(holder.is_valid() for holder in forms.values()):
            return self.render_step(forms, status=400)
        try:
            application = self.save(self.application, self.sections(forms))
        except ValidationFailed as exc:
            stray = form_errors(exc, sections=self.error_targets(forms), renames=self.renames)
            return self.render_step(forms, stray=stray, status=400)
        except DomainError as exc:
            messages.error(request, exc.message)
            if self.application is None:
                raise Http404 from exc
            return redirect("application-detail", self.application.public_id)
        if FINISH_LATER in request.POST:
            messages.success(request, _("Saved. You can continue any time, from any device."))
            return redirect("application-detail", application.public_id)
        target = self.after_save(application)
        if target:
            return redirect(target)
        following = progress.next_step(self.slug)
        return redirect("application-step", application.public_id, following)


def _messages_of(holder) -> list[str]:
    found = []
    forms = getattr(holder, "forms", None)
    if forms is not None:
        found += list(holder.non_form_errors())
        for form in forms:
            found += [m for errors in form.errors.values() for m in errors]
    elif holder.is_bound:
        found += [m for errors in holder.errors.values() for m in errors]
    return found
