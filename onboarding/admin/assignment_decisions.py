"""Who works the application, from its review page: assign to me, reassign, unassign (no reason needed:
the event records who and when, and the queue's bulk actions do the same through the same services)."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from onboarding.admin.review import Decision, decision_register
from onboarding.services.actors import REVIEW_PERM
from onboarding.services.assignment import (
    NOT_ASSIGNABLE,
    application_assign_to_me,
    application_reassign,
    application_unassign,
    officer_label,
)

APP_LABEL, CODENAME = REVIEW_PERM.split(".")


class AssignForm(forms.Form):
    page_version = forms.CharField(widget=forms.HiddenInput)


class OfficerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return officer_label(obj)


def reviewers():
    granted = Q(groups__permissions__codename=CODENAME, groups__permissions__content_type__app_label=APP_LABEL)
    return get_user_model().objects.filter(granted, is_active=True, is_staff=True).distinct().order_by("email")


class ReassignForm(AssignForm):
    assignee = OfficerChoice(label="Officer", queryset=reviewers())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = reviewers()  # evaluated per page, not at import


def _assignable(user, application, target=None) -> bool:
    return user.has_perm(REVIEW_PERM) and application.state not in NOT_ASSIGNABLE


def _take_offered(user, application, target=None) -> bool:
    return _assignable(user, application) and application.assigned_to_id is None


def _release_offered(user, application, target=None) -> bool:
    return user.has_perm(REVIEW_PERM) and application.assigned_to_id is not None


def _take(actor, application, data, target) -> str:
    application_assign_to_me(application=application, actor=actor, expected_assignee_id=application.assigned_to_id)
    return "Assigned to you."


def _reassign(actor, application, data, target) -> str:
    assignee = data["assignee"]
    application_reassign(
        application=application, actor=actor, assignee=assignee, expected_assignee_id=application.assigned_to_id
    )
    return f"Assigned to {officer_label(assignee)}."


def _release(actor, application, data, target) -> str:
    application_unassign(application=application, actor=actor, expected_assignee_id=application.assigned_to_id)
    return "Back in the queue, assigned to nobody."


decision_register(Decision("assign_to_me", "Assign to me", AssignForm, _take_offered, _take))
decision_register(Decision("reassign", "Reassign", ReassignForm, _assignable, _reassign))
decision_register(Decision("unassign", "Unassign", AssignForm, _release_offered, _release))
