"""Assigning from the review page goes through the assignment services and writes their events; the
forms are offered only to those who review."""

import pytest

from onboarding.models import Application, Event
from onboarding.roles import COMPLIANCE_OFFICER, SUPPORT
from onboarding.states import AppState
from tests.factories import application_in_state, officer
from tests.onboarding.admin.helpers import decide, page_url
from tests.staff import staff_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_review():
    return application_in_state(AppState.IN_REVIEW, has_been_in_review=True)


@pytest.fixture
def reviewer(client):
    user = officer(COMPLIANCE_OFFICER)
    staff_login(client, user)
    return user


def assignee(application):
    return Application.objects.get(pk=application.pk).assigned_to


def test_assign_to_me_reassign_and_unassign_from_the_page_write_their_events(client, reviewer, in_review):
    assert b"decision-assign_to_me" in client.get(page_url(in_review)).content
    assert "Assigned to you." in decide(client, in_review, "assign_to_me").content.decode()
    assert assignee(in_review) == reviewer
    colleague = officer(COMPLIANCE_OFFICER)
    decide(client, in_review, "reassign", assignee=colleague.pk)
    assert assignee(in_review) == colleague
    decide(client, in_review, "unassign")
    assert assignee(in_review) is None
    actions = list(Event.objects.filter(application=in_review, actor_user=reviewer).values_list("action", flat=True))
    assert {"assigned", "reassigned", "unassigned"} <= set(actions)


def test_support_is_offered_no_assignment_and_cannot_be_assigned(client, reviewer, in_review):
    helper = officer(SUPPORT)
    response = decide(client, in_review, "reassign", assignee=helper.pk)
    assert "nothing was recorded" in response.content.decode()  # not among the officers one may choose
    assert assignee(in_review) is None
    staff_login(client, helper)
    page = client.get(page_url(in_review)).content
    assert b"decision-assign_to_me" not in page and b"decision-reassign" not in page
