"""Assignment: take an application, hand it to another officer, let it go; each with its event, and a
clear refusal when the page was stale or the officer named cannot review."""

import pytest

from onboarding import roles
from onboarding.errors import ConcurrentChange, InvalidTransition, PermissionDenied
from onboarding.models import Application, Event
from onboarding.services.actors import Actor
from onboarding.services.assignment import application_assign_to_me, application_reassign, application_unassign
from onboarding.states import AppState
from tests.factories import UserFactory, application_in_state, officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def application():
    return application_in_state(AppState.IN_REVIEW)


def assignee(application):
    return Application.objects.get(pk=application.pk).assigned_to


def events(application, action):
    return Event.objects.filter(application=application, action=action, visibility="internal")


def test_an_officer_takes_an_application_once(application):
    me = officer()
    assert application_assign_to_me(application=application, actor=Actor.for_user(me)) is True
    assert assignee(application) == me and Application.objects.get(pk=application.pk).assigned_at
    assert application_assign_to_me(application=application, actor=Actor.for_user(me)) is False
    (event,) = events(application, "assigned")
    assert event.actor_user == me and event.details["assignee"] == me.pk and event.details["previous"] is None


def test_taking_one_another_officer_holds_is_refused_with_their_name(application):
    holder = officer()
    application_assign_to_me(application=application, actor=Actor.for_user(holder))
    with pytest.raises(ConcurrentChange) as refused:
        application_assign_to_me(application=application, actor=Actor.for_user(officer()))
    assert refused.value.code == "already_assigned" and holder.username in refused.value.message
    assert assignee(application) == holder


def test_a_stale_page_gets_a_clear_message_not_an_overwrite(application):
    first, second = officer(), officer()
    application_assign_to_me(application=application, actor=Actor.for_user(first))
    # The second officer's page still showed it unassigned.
    with pytest.raises(ConcurrentChange) as refused:
        application_reassign(
            application=application, actor=Actor.for_user(second), assignee=second, expected_assignee_id=None
        )
    assert refused.value.code == "stale_assignment"
    assert f"now assigned to {first.username}" in refused.value.message
    with pytest.raises(ConcurrentChange):
        application_unassign(application=application, actor=Actor.for_user(second), expected_assignee_id=None)
    assert assignee(application) == first


def test_reassigning_to_another_officer_writes_who_from_and_to(application):
    first, second, lead = officer(), officer(), officer(roles.SENIOR_COMPLIANCE_OFFICER)
    application_assign_to_me(application=application, actor=Actor.for_user(first))
    application_reassign(
        application=application, actor=Actor.for_user(lead), assignee=second, expected_assignee_id=first.pk
    )
    assert assignee(application) == second
    (event,) = events(application, "reassigned")
    assert event.actor_user == lead
    assert (event.details["previous"], event.details["assignee"]) == (first.pk, second.pk)


@pytest.mark.parametrize("who", ["support", "merchant", "inactive officer"])
def test_nobody_without_the_review_permission_is_assigned(application, who):
    target = {
        "support": lambda: officer(roles.SUPPORT),
        "merchant": UserFactory,
        "inactive officer": lambda: UserFactory(role=roles.COMPLIANCE_OFFICER, is_active=False),
    }[who]()
    with pytest.raises(PermissionDenied):
        application_reassign(application=application, actor=Actor.for_user(officer()), assignee=target)
    assert assignee(application) is None and not events(application, "reassigned").exists()


def test_only_officers_assign(application):
    for actor in (Actor.for_user(officer(roles.SUPPORT)), Actor.for_user(application.applicant)):
        with pytest.raises(PermissionDenied):
            application_assign_to_me(application=application, actor=actor)


def test_unassigning_releases_it_to_the_queue(application):
    me = officer()
    application_assign_to_me(application=application, actor=Actor.for_user(me))
    assert application_unassign(application=application, actor=Actor.for_user(me), expected_assignee_id=me.pk)
    assert assignee(application) is None and Application.objects.get(pk=application.pk).assigned_at is None
    assert events(application, "unassigned").get().details["previous"] == me.pk
    assert application_unassign(application=application, actor=Actor.for_user(me)) is False


@pytest.mark.parametrize("state", [AppState.DRAFT, AppState.DECLINED, AppState.BOARDED])
def test_nothing_to_review_is_not_assigned(state):
    with pytest.raises(InvalidTransition):
        application_assign_to_me(application=application_in_state(state), actor=Actor.for_user(officer()))
