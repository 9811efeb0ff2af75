"""Owed work: recorded with its cause, published after commit, swept when due, and never lost: work
that cannot be done ends in a visible state, and an application then goes to an officer."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from onboarding import work
from onboarding.errors import InvalidTransition
from onboarding.kyc.registry import Check
from onboarding.models import Application, Event, OwedWork
from onboarding.services.actors import Actor
from onboarding.services.applications import application_submit, application_withdraw
from onboarding.states import AppState
from onboarding.tasks import process_application
from tests.conftest import checks_replaced
from tests.factories import UserFactory, application_in_state, draft_application

pytestmark = pytest.mark.django_db
KIND = "kyc_pipeline"


@pytest.fixture
def sent():
    with mock.patch("portal.celery.app.send_task") as send_task:
        yield send_task


@pytest.fixture(autouse=True)
def kinds_restored():
    saved = dict(work._KINDS)
    yield
    work._KINDS.clear()
    work._KINDS.update(saved)


def submitted() -> Application:
    """A submitted application whose only owed work is its checks (its email is counted elsewhere)."""
    application = draft_application()
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    OwedWork.objects.filter(subject_id=application.public_id, kind__startswith="email_").update(status="done")
    return application


def owed(application) -> OwedWork:
    return OwedWork.objects.get(subject_id=application.public_id, kind=KIND)


def test_submit_records_the_owed_checks_and_publishes_after_commit(sent, django_capture_on_commit_callbacks):
    application = draft_application()
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=application, actor=Actor.for_user(application.applicant))
        assert not sent.called  # nothing leaves before the commit
    sent.assert_any_call("onboarding.tasks.process_application", args=[application.public_id], kwargs={}, retry=False)
    row = owed(application)
    assert row.status == OwedWork.Status.PENDING and row.subject_type == "onboarding.application"


def test_a_failed_publish_is_logged_the_work_stays_owed_and_requests_stop_trying_for_a_while(
    sent, caplog, django_capture_on_commit_callbacks
):
    sent.side_effect = ConnectionError("broker down")
    first, second = draft_application(), draft_application()
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=first, actor=Actor.for_user(first.applicant))
    with django_capture_on_commit_callbacks(execute=True):
        application_submit(application=second, actor=Actor.for_user(second.applicant))
    assert "publish of onboarding.tasks.process_application" in caplog.text
    assert sent.call_count == 1  # the second request did not wait on the broker again
    assert owed(first).status == owed(second).status == OwedWork.Status.PENDING
    sent.side_effect = None
    # The sweeper is not paused: each application's checks and its "received" email.
    assert work.sweep_owed_work(now=timezone.now() + timedelta(minutes=5)) == 4


def test_the_sweeper_publishes_due_work_with_growing_backoff(sent, settings):
    settings.PENDING_WORK_GRACE_SECONDS = 10
    application = submitted()
    row = owed(application)
    now = row.due_at + timedelta(seconds=1)
    assert work.sweep_owed_work(now=now) == 1
    sent.assert_called_once_with(
        "onboarding.tasks.process_application", args=[application.public_id], kwargs={}, retry=False
    )
    row.refresh_from_db()
    assert row.attempts == 1 and row.due_at == now + timedelta(seconds=10)
    assert work.sweep_owed_work(now=now) == 0  # not due again yet
    later = now + timedelta(seconds=11)
    assert work.sweep_owed_work(now=later) == 1
    row.refresh_from_db()
    assert row.due_at == later + timedelta(seconds=20)


def test_work_is_done_with_the_move_out_of_the_state_that_owes_it(sent):
    application = submitted()
    application_withdraw(application=application, actor=Actor.for_user(application.applicant))
    assert owed(application).status == OwedWork.Status.DONE
    assert work.sweep_owed_work(now=timezone.now() + timedelta(hours=1)) == 0


def test_the_pipeline_marks_its_work_done_when_it_decides(sent):
    from onboarding.kyc.pipeline import application_advance

    application = submitted()
    application_advance(public_id=application.public_id)
    application.refresh_from_db()
    assert application.state == AppState.IN_REVIEW
    assert owed(application).status == OwedWork.Status.DONE


@pytest.mark.parametrize("state", [AppState.DRAFT, AppState.IN_REVIEW, AppState.APPROVED, AppState.DECLINED])
def test_states_that_owe_nothing_record_nothing(sent, state):
    application_in_state(state)
    assert OwedWork.objects.count() == 0
    assert work.sweep_owed_work(now=timezone.now() + timedelta(hours=1)) == 0


def test_one_pending_row_per_subject_and_kind(sent):
    application = submitted()
    with pytest.raises(IntegrityError), transaction.atomic():
        OwedWork.objects.create(
            subject_type="onboarding.application",
            subject_id=application.public_id,
            kind=KIND,
            due_at=timezone.now(),
            max_attempts=3,
        )
    with transaction.atomic():  # recording it again keeps the one row
        work.owed_work_record(subject=application, kind=KIND, publish=False)
    assert OwedWork.objects.filter(subject_id=application.public_id, kind=KIND).count() == 1


class Explodes(Check):
    name = "tax_id"  # stands in for a real check that raises
    reads = ("business",)

    def run(self, application):
        raise ValueError("212-54-3321 cannot be parsed")


def test_a_check_that_keeps_raising_sends_the_application_to_an_officer_with_the_error(sent, settings):
    settings.OWED_WORK_MAX_ATTEMPTS = 3
    application = submitted()
    now = timezone.now()
    with checks_replaced(Explodes):
        for _ in range(3):
            with pytest.raises(ValueError):
                process_application(application.public_id)  # what the worker runs on each publication
            now += timedelta(hours=2)
            work.sweep_owed_work(now=now)
        row = owed(application)
        assert row.attempts == 3 and row.status == OwedWork.Status.PENDING
        assert row.last_error.startswith("ValueError at ")
        assert "212-54" not in row.last_error  # the message may quote data: only the type and the place are kept
        work.sweep_owed_work(now=now + timedelta(hours=2))
    row.refresh_from_db()
    application.refresh_from_db()
    assert row.status == OwedWork.Status.NEEDS_ATTENTION
    assert application.state == AppState.IN_REVIEW and application.has_been_in_review
    reasons = Event.objects.get(application=application, action="review_reasons").details["reasons"]
    assert "could not complete after 3 attempts" in reasons[0] and "ValueError" in reasons[0]
    assert Event.objects.filter(subject_id=row.public_id, action="owed_work_exhausted").exists()


def test_a_submitted_application_goes_straight_to_review_only_by_the_system(sent):
    from onboarding.services.applications import application_send_to_review

    application = submitted()
    with pytest.raises(InvalidTransition, match="Only the system"):
        application_send_to_review(application=application, actor=Actor.for_user(UserFactory()), reasons=[])


def test_work_waiting_on_someone_else_is_bounded_by_a_deadline(sent):
    seen = []
    work.register_owed_work(
        "test_waits_for_acquirer", "tests.no_such_task", lambda subject, row: seen.append(row.public_id),
        deadline=timedelta(days=3),
    )  # fmt: skip
    application = application_in_state(AppState.APPROVED)
    with transaction.atomic():
        row = work.owed_work_record(subject=application, kind="test_waits_for_acquirer", publish=False)
    assert row.max_attempts is None and row.deadline_at is not None
    for hours in (1, 30, 60):  # many publications, no attempt count: it waits
        work.sweep_owed_work(now=timezone.now() + timedelta(hours=hours))
    row.refresh_from_db()
    assert row.status == OwedWork.Status.PENDING and row.attempts == 3
    work.sweep_owed_work(now=timezone.now() + timedelta(days=3, minutes=1))
    row.refresh_from_db()
    assert row.status == OwedWork.Status.NEEDS_ATTENTION and seen == [row.public_id]


def test_an_administrator_queues_work_that_needed_attention_again(sent, settings):
    settings.OWED_WORK_MAX_ATTEMPTS = 1
    work.register_owed_work("test_retry", "tests.no_such_task")
    application = application_in_state(AppState.APPROVED)
    with transaction.atomic():
        row = work.owed_work_record(subject=application, kind="test_retry", publish=False)
    work.sweep_owed_work(now=timezone.now() + timedelta(hours=1))
    work.sweep_owed_work(now=timezone.now() + timedelta(hours=3))
    row.refresh_from_db()
    assert row.status == OwedWork.Status.NEEDS_ATTENTION
    admin = UserFactory(role="Administrator")
    work.owed_work_retry(work=row, actor=Actor.for_user(admin))
    row.refresh_from_db()
    assert row.status == OwedWork.Status.PENDING and row.attempts == 0
    with pytest.raises(InvalidTransition):
        work.owed_work_retry(work=row, actor=Actor.for_user(admin))
    assert Event.objects.filter(subject_id=row.public_id, action="owed_work_retried").exists()


def test_backoff_is_capped(settings):
    settings.PENDING_WORK_GRACE_SECONDS, settings.PENDING_WORK_MAX_BACKOFF_SECONDS = 60, 3600
    assert [work.backoff_seconds(n) for n in (0, 1, 2, 10)] == [60, 120, 240, 3600]


def test_the_pipeline_is_owed_in_submitted_and_screening():
    assert work.state_work_kind(AppState.SUBMITTED) == work.state_work_kind(AppState.SCREENING) == KIND
    assert work.registered_kinds()[KIND].task == "onboarding.tasks.process_application"
    assert work.state_work_kind(AppState.IN_REVIEW) is None
