"""The pipeline through a real broker and a real worker process, on PostgreSQL."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from onboarding import work
from onboarding.models import Application, CheckResult, Event, Outcome
from onboarding.services.actors import Actor
from onboarding.services.applications import application_rerun_checks, application_submit
from onboarding.states import AppState
from portal.celery import app
from tests.conftest import need
from tests.factories import draft_application, officer
from tests.live import celery_worker, free_port, publishing_to, redis_server, wait_for

pytestmark = [pytest.mark.live_worker, pytest.mark.django_db(transaction=True)]


def state_of(application) -> str:
    return Application.objects.get(pk=application.pk).state


def test_a_submitted_application_is_screened_by_the_worker_and_sent_to_review(live_worker):
    application = draft_application()
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    wait_for(lambda: state_of(application) == AppState.IN_REVIEW, what="the worker to decide")

    results = {r.check_name: r.outcome for r in CheckResult.objects.filter(application=application, is_current=True)}
    assert results["sanctions"] == Outcome.NOT_RUN
    assert {name for name, outcome in results.items() if outcome != Outcome.PASS} == {"sanctions"}
    assert Event.objects.filter(application=application, action="sent_to_review").count() == 1

    # Re-running the pipeline with unchanged data writes no new check rows.
    rows = CheckResult.objects.filter(application=application).count()
    application_rerun_checks(application=application, actor=Actor.for_user(officer()))
    wait_for(lambda: state_of(application) == AppState.IN_REVIEW
             and Event.objects.filter(application=application, action="sent_to_review").count() == 2,
             what="the re-run to finish")  # fmt: skip
    assert CheckResult.objects.filter(application=application).count() == rows


def test_work_published_while_the_broker_is_down_is_delivered_by_the_sweeper(
    transactional_db, role_groups, redis_binary, tmp_path, caplog
):
    need(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL=postgres://…)")
    port = free_port()
    broker = f"redis://127.0.0.1:{port}/0"
    queue = settings.CELERY_TASK_DEFAULT_QUEUE + "-outage"
    application = draft_application()

    with publishing_to(broker):
        with redis_server(port, tmp_path):
            pass  # the broker existed, and is now down
        application_submit(application=application, actor=Actor.for_user(application.applicant))
        assert "publish of onboarding.tasks.process_application" in caplog.text
        assert state_of(application) == AppState.SUBMITTED

        with redis_server(port, tmp_path), celery_worker(broker_url=broker, queue=queue,
                                                         log_path=tmp_path / "worker.log"):  # fmt: skip
            app.conf.task_default_queue = queue
            try:
                assert state_of(application) == AppState.SUBMITTED  # nothing was delivered by itself
                published = work.sweep_owed_work(now=timezone.now() + timedelta(seconds=5))
                assert published == 2  # the checks and the "received" email
                wait_for(lambda: state_of(application) == AppState.IN_REVIEW, what="the swept task to run")
            finally:
                app.conf.task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE
