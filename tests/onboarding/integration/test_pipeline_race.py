"""The pipeline and re-screening serialised per application, on PostgreSQL with a real worker: a list
version that lists an owner while the worker is between its checks and its decision sends the
application to review with the hit, never to an automatic approval."""

import shutil

import pytest
from django.conf import settings
from django.db import connection

from onboarding.models import Application
from onboarding.services.actors import Actor
from onboarding.services.applications import application_submit
from onboarding.states import AppState
from onboarding.testhooks import ENVIRONMENT_VARIABLE
from sanctions.models import SanctionsHit
from sanctions.rescreening import rescreen
from tests.conftest import need
from tests.live import celery_worker, purge_queue, wait_for
from tests.sanctions.integration.helpers import CLEAN_OWNER, CONS_ROW, SAMPLE, application_with, load_folder

pytestmark = [pytest.mark.live_worker, pytest.mark.django_db(transaction=True)]
POINT = "pipeline-before-decision"
OWNER_LISTED = (
    '99003,"ZHAO, Wen","individual","SDNTK",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
    '"DOB 17 May 1980; nationality China."\r\n'
)


@pytest.fixture
def hooked_worker(transactional_db, role_groups, tmp_path, monkeypatch):
    need(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL=postgres://…)")
    broker = settings.CELERY_BROKER_URL
    need(broker.startswith(("redis://", "amqp://", "pyamqp://")), "a broker (CELERY_BROKER_URL=redis://… or amqp://…)")
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / f"{POINT}.pause").touch()
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, str(hooks))
    purge_queue(broker, settings.CELERY_TASK_DEFAULT_QUEUE)
    with celery_worker(broker_url=broker, queue=settings.CELERY_TASK_DEFAULT_QUEUE, log_path=tmp_path / "worker.log"):
        yield hooks


def test_an_owner_listed_between_the_checks_and_the_decision_ends_in_review_with_the_hit(
    fresh_list, hooked_worker, tmp_path
):
    application = application_with(CLEAN_OWNER)  # would be approved automatically on the first version
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    wait_for(lambda: (hooked_worker / f"{POINT}.reached").exists(), what="the worker to finish its checks")
    assert Application.objects.get(pk=application.pk).state == AppState.SCREENING

    folder = tmp_path / "next_version"
    shutil.copytree(SAMPLE, folder)
    (folder / "cons_prim.csv").write_bytes(CONS_ROW.encode())
    with (folder / "sdn.csv").open("ab") as handle:
        handle.write(OWNER_LISTED.encode())
    version = load_folder(folder).version
    rescreen(version=version)  # re-screening covers the in-flight application
    assert SanctionsHit.objects.filter(application=application, uid=99003, status="open", is_current=True).exists()

    (hooked_worker / f"{POINT}.release").touch()
    wait_for(lambda: Application.objects.get(pk=application.pk).state != AppState.SCREENING, what="the decision")
    assert Application.objects.get(pk=application.pk).state == AppState.IN_REVIEW
