"""The application, merchant and terminal state tables, applied over every pair of states."""

import itertools

import pytest

from onboarding.errors import InvalidTransition, PermissionDenied
from onboarding.models import Application, Event, TerminalRequest
from onboarding.services.actors import Actor
from onboarding.services.applications import (
    WITHDRAWABLE,
    application_approve,
    application_auto_approve,
    application_withdraw,
)
from onboarding.services.transitions import application_transition
from onboarding.statemachine import apply_transition
from onboarding.states import APPLICATION_MACHINE, MERCHANT_MACHINE, AppState, MerchantState
from payments.states import TERMINAL_MACHINE, TerminalState
from payments.terminals import terminal_transition
from tests.factories import application_in_state, draft_application, officer

pytestmark = pytest.mark.django_db
S = AppState

EXPECTED_APPLICATION_TABLE = {
    (S.DRAFT, S.SUBMITTED),
    (S.SUBMITTED, S.SCREENING),
    (S.SUBMITTED, S.IN_REVIEW),  # the system's move when the checks cannot complete
    (S.SCREENING, S.APPROVED),
    (S.SCREENING, S.IN_REVIEW),
    (S.SCREENING, S.DECLINED),
    (S.IN_REVIEW, S.APPROVED),
    (S.IN_REVIEW, S.DECLINED),
    (S.IN_REVIEW, S.INFO_REQUESTED),
    (S.IN_REVIEW, S.AWAITING_SECOND_APPROVAL),
    (S.IN_REVIEW, S.SCREENING),
    (S.AWAITING_SECOND_APPROVAL, S.APPROVED),
    (S.AWAITING_SECOND_APPROVAL, S.IN_REVIEW),
    (S.AWAITING_SECOND_APPROVAL, S.DECLINED),
    (S.INFO_REQUESTED, S.IN_REVIEW),
    (S.INFO_REQUESTED, S.EXPIRED),
    (S.APPROVED, S.BOARDING),
    (S.BOARDING, S.BOARDED),
    (S.BOARDING, S.IN_REVIEW),
    (S.BOARDING, S.BOARDING_FAILED),
    (S.BOARDING_FAILED, S.BOARDING),
    (S.BOARDING_FAILED, S.DECLINED),
    (S.BOARDING_FAILED, S.IN_REVIEW),
    (S.APPROVED, S.IN_REVIEW),
    *(
        (source, S.WITHDRAWN)
        for source in (S.DRAFT, S.SUBMITTED, S.SCREENING, S.IN_REVIEW, S.INFO_REQUESTED, S.AWAITING_SECOND_APPROVAL)
    ),
}
ALL_STATES = [value for value, _ in AppState.CHOICES]
PAIRS = list(itertools.product(ALL_STATES, ALL_STATES))


def test_the_table_is_exactly_the_specified_one():
    actual = {(s, t) for s, targets in APPLICATION_MACHINE.transitions.items() for t in targets}
    assert actual == EXPECTED_APPLICATION_TABLE
    assert APPLICATION_MACHINE.states == set(ALL_STATES)


@pytest.mark.parametrize(("source", "target"), PAIRS, ids=[f"{s}->{t}" for s, t in PAIRS])
def test_every_pair_of_application_states(source, target):
    application = application_in_state(source)
    events_before = Event.objects.filter(application=application).count()
    if (source, target) in EXPECTED_APPLICATION_TABLE:
        left = application_transition(application, target=target, actor=Actor.system("t"), action="move")
        assert left == source
        application.refresh_from_db()
        assert application.state == target
        event = Event.objects.filter(application=application).latest("id")
        assert (event.from_state, event.to_state) == (source, target)
    else:
        with pytest.raises(InvalidTransition, match=f"cannot move from '{source}' to '{target}'"):
            application_transition(application, target=target, actor=Actor.system("t"), action="move")
        application.refresh_from_db()
        assert application.state == source
        assert Event.objects.filter(application=application).count() == events_before


def test_first_entry_into_review_is_marked_and_blocks_automatic_approval():
    application = application_in_state(S.SCREENING)
    assert not application.has_been_in_review
    application_transition(application, target=S.IN_REVIEW, actor=Actor.system("t"), action="review")
    application.refresh_from_db()
    assert application.has_been_in_review and application.first_in_review_at is not None
    first_seen = application.first_in_review_at
    application_transition(application, target=S.SCREENING, actor=Actor.system("t"), action="rerun")
    with pytest.raises(InvalidTransition, match="only an officer approves"):
        application_auto_approve(application=application, actor=Actor.system("policy"), reasons=[])
    application_transition(application, target=S.IN_REVIEW, actor=Actor.system("t"), action="review")
    application.refresh_from_db()
    assert application.first_in_review_at == first_seen
    assert application.state == S.IN_REVIEW


def test_unmarked_screening_application_is_approved_automatically(approvable):
    application = approvable(application_in_state(S.SCREENING))
    application_auto_approve(application=application, actor=Actor.system("policy"), reasons=["all pass"])
    application.refresh_from_db()
    assert application.state == S.APPROVED


def test_only_the_system_approves_automatically():
    application = application_in_state(S.SCREENING)
    with pytest.raises(PermissionDenied):
        application_auto_approve(application=application, actor=Actor.for_user(officer()), reasons=[])


class TestSecondApproval:
    def test_needs_a_different_senior_officer(self, approvable):
        application = application_in_state(S.IN_REVIEW, requires_second_approval=True, has_been_in_review=True)
        approvable(application)
        first = officer("Senior compliance officer")
        reached = application_approve(application=application, actor=Actor.for_user(first))
        assert reached == S.AWAITING_SECOND_APPROVAL
        application.refresh_from_db()
        assert application.first_approver == first

        with pytest.raises(PermissionDenied, match="different officer"):
            application_approve(application=application, actor=Actor.for_user(first))
        with pytest.raises(PermissionDenied, match="second approval"):
            application_approve(application=application, actor=Actor.for_user(officer()))
        application.refresh_from_db()
        assert application.state == S.AWAITING_SECOND_APPROVAL

        second = officer("Senior compliance officer")
        assert application_approve(application=application, actor=Actor.for_user(second)) == S.APPROVED

    def test_without_the_flag_one_officer_approves(self, approvable):
        application = approvable(application_in_state(S.IN_REVIEW, has_been_in_review=True))
        assert application_approve(application=application, actor=Actor.for_user(officer())) == S.APPROVED

    def test_a_merchant_cannot_approve(self):
        application = application_in_state(S.IN_REVIEW)
        with pytest.raises(PermissionDenied):
            application_approve(application=application, actor=Actor.for_user(application.applicant))


@pytest.mark.parametrize("state", ALL_STATES)
def test_withdrawal_sources(state):
    application = application_in_state(state)
    actor = Actor.for_user(application.applicant)
    if state in WITHDRAWABLE:
        application_withdraw(application=application, actor=actor, reason="changed my mind")
        application.refresh_from_db()
        assert application.state == S.WITHDRAWN
    else:
        with pytest.raises(InvalidTransition):
            application_withdraw(application=application, actor=actor)
    assert {s for s, t in EXPECTED_APPLICATION_TABLE if t == S.WITHDRAWN} == WITHDRAWABLE


def test_someone_else_cannot_withdraw():
    application = draft_application()
    from tests.factories import UserFactory

    with pytest.raises(PermissionDenied):
        application_withdraw(application=application, actor=Actor.for_user(UserFactory()))


TERMINAL_STATES = [value for value, _ in TerminalState.CHOICES]
TERMINAL_TABLE = {
    (TerminalState.REQUESTED, TerminalState.AWAITING_DEVICE),
    (TerminalState.AWAITING_DEVICE, TerminalState.ACTIVATING),
    (TerminalState.ACTIVATING, TerminalState.ACTIVE),
    (TerminalState.ACTIVATING, TerminalState.FAILED),
    (TerminalState.FAILED, TerminalState.ACTIVATING),
    (TerminalState.ACTIVE, TerminalState.DEACTIVATED),
    # a closed merchant's terminals, whatever state they are in
    (TerminalState.REQUESTED, TerminalState.DEACTIVATED),
    (TerminalState.AWAITING_DEVICE, TerminalState.DEACTIVATED),
    (TerminalState.ACTIVATING, TerminalState.DEACTIVATED),
    (TerminalState.FAILED, TerminalState.DEACTIVATED),
}


@pytest.mark.parametrize(("source", "target"), list(itertools.product(TERMINAL_STATES, TERMINAL_STATES)))
def test_every_pair_of_terminal_states(source, target):
    from onboarding.services.merchants import merchant_create_for
    from payments.models import Terminal

    application = draft_application()
    merchant = merchant_create_for(application=application, actor=Actor.system("t"))
    request = TerminalRequest.objects.get(store__application=application)
    terminal = Terminal.objects.create(merchant=merchant, request=request, state=source)
    terminal.refresh_from_db()
    if (source, target) in TERMINAL_TABLE:
        terminal_transition(terminal=terminal, actor=Actor.system("t"), target=target)
        terminal.refresh_from_db()
        assert terminal.state == target
        assert Event.objects.filter(subject_id=terminal.public_id, to_state=target).exists()
    else:
        with pytest.raises(InvalidTransition):
            terminal_transition(terminal=terminal, actor=Actor.system("t"), target=target)
    assert {(s, t) for s, ts in TERMINAL_MACHINE.transitions.items() for t in ts} == TERMINAL_TABLE


MERCHANT_STATES = [value for value, _ in MerchantState.CHOICES]


@pytest.mark.parametrize(("source", "target"), list(itertools.product(MERCHANT_STATES, MERCHANT_STATES)))
def test_every_pair_of_merchant_states(source, target):
    from onboarding.models import Merchant

    merchant = Merchant.objects.create(
        legal_name="X", tax_id_type="ein", tax_id_index=f"{source}{target}", state=source
    )
    if MERCHANT_MACHINE.allows(source, target):
        apply_transition(merchant, machine=MERCHANT_MACHINE, target=target, on_applied=lambda *_: None)
        merchant.refresh_from_db()
        assert merchant.state == target
    else:
        with pytest.raises(InvalidTransition):
            apply_transition(merchant, machine=MERCHANT_MACHINE, target=target, on_applied=lambda *_: None)


def test_approval_makes_the_applications_parties_the_merchants_current_ones(approvable):
    from onboarding.services.applications import application_submit

    application = draft_application()
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    Application.objects.filter(pk=application.pk).update(state=S.IN_REVIEW, has_been_in_review=True)
    approvable(application)
    application_approve(application=application, actor=Actor.for_user(officer()))
    application.merchant.refresh_from_db()
    assert application.merchant.current_application == application


def test_a_second_approval_is_never_given_automatically():
    application = application_in_state(S.SCREENING, requires_second_approval=True)
    with pytest.raises(InvalidTransition, match="two officers"):
        application_auto_approve(application=application, actor=Actor.system("policy"), reasons=[])
