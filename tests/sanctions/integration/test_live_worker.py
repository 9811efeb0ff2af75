"""The pipeline's sanctions step through a real broker and worker process, on PostgreSQL, with the small
sample list (live-worker tests flush the database, so each loads it)."""

from __future__ import annotations

import shutil
from datetime import timedelta

import pytest

from onboarding import work
from onboarding.models import Application, CheckResult, Outcome, OwedWork
from onboarding.services.actors import Actor
from onboarding.services.applications import application_submit
from onboarding.states import AppState
from sanctions.models import SanctionsHit
from tests.live import free_port, publishing_to, wait_for
from tests.sanctions.integration.helpers import CONS_ROW, SAMPLE, application_with, load_folder, person, without_entry

pytestmark = [pytest.mark.live_worker, pytest.mark.django_db(transaction=True)]


def state_of(application) -> str:
    return Application.objects.get(pk=application.pk).state


def sanctions_result(application):
    return CheckResult.objects.filter(application=application, check_name="sanctions", is_current=True).first()


def test_a_listed_owner_goes_to_review_and_a_clean_application_passes_screening(live_worker, small_lists):
    load_folder(SAMPLE)  # published today: a fresh list
    listed = application_with(
        person("Dmitry", "Khoroshev", "1993-04-17", 60, True),
        person("Rosa", "Delgado", "1975-11-30", 40, ssn="318-60-9912"),
    )
    clean = application_with(
        person("Wen", "Zhao", "1980-05-17", 70, True),
        person("Rosa", "Delgado", "1975-11-30", 30, ssn="318-60-9912"),
    )
    application_submit(application=listed, actor=Actor.for_user(listed.applicant))
    application_submit(application=clean, actor=Actor.for_user(clean.applicant))

    wait_for(lambda: state_of(listed) == AppState.IN_REVIEW, what="the listed owner's application to be decided")
    result = sanctions_result(listed)
    assert result.outcome == Outcome.REVIEW and result.details["open_hits"] == 1
    hit = SanctionsHit.objects.get(application=listed, status="open", near_miss=False)
    assert hit.uid == 48603 and result.details["hits"][0]["hit"] == hit.public_id

    wait_for(lambda: state_of(clean) not in (AppState.SUBMITTED, AppState.SCREENING), what="the clean one")
    assert sanctions_result(clean).outcome == Outcome.PASS
    assert not SanctionsHit.objects.filter(application=clean).exists()


def test_the_rescreen_a_list_load_owes_survives_a_broker_outage(live_worker, small_lists, tmp_path, caplog):
    """The broker is down when a new version becomes active: only a log line leaves the process, the
    re-screen stays owed, and once the broker answers the sweeper publishes it and the worker screens."""
    before = without_entry(SAMPLE, 15102, tmp_path / "before")  # without Daniel Moreno
    load_folder(before)
    application = application_with(person("Daniel", "Moreno", "1972-10-12", 100, True))
    Application.objects.filter(pk=application.pk).update(state=AppState.IN_REVIEW, has_been_in_review=True)
    after = tmp_path / "after"
    shutil.copytree(SAMPLE, after)
    (after / "cons_prim.csv").write_bytes(CONS_ROW.encode())

    with publishing_to(f"redis://127.0.0.1:{free_port()}/0"):  # nothing listens there
        version = load_folder(after, rescreen=True).version
    assert "publish of sanctions.tasks.rescreen_after_load" in caplog.text
    owed = OwedWork.objects.get(subject_id=version.public_id, kind="sanctions_rescreen")
    assert owed.status == "pending" and not SanctionsHit.objects.filter(application=application).exists()

    assert work.sweep_owed_work(now=owed.due_at + timedelta(seconds=1)) == 1
    wait_for(lambda: OwedWork.objects.get(pk=owed.pk).status == "done", what="the worker's re-screen")
    hit = SanctionsHit.objects.get(application=application, uid=15102, is_current=True)
    assert hit.version == version and hit.status == "open"
