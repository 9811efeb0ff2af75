"""No cold start: a worker builds the screening index when it starts and when a new list version becomes
active. A new matching algorithm owes a full re-screen, and the evidence guard calls older results stale."""

from __future__ import annotations

import time

import pytest
from celery import signals

from onboarding.kyc.evidence import evidence_problems
from onboarding.kyc.pipeline import run_checks
from onboarding.models import Application, CheckResult, OwedWork
from onboarding.states import AppState
from sanctions import screening, warming
from sanctions.algorithm import rescreen_owe, screened_with_other_algorithms
from sanctions.freshness import active_version
from sanctions.matching import ALGORITHM_VERSION
from sanctions.rescreening import rescreen_loaded
from tests.sanctions.integration.helpers import CLEAN_OWNER, application_with, load_folder, without_entry

pytestmark = pytest.mark.django_db
SOME_UID = 15102  # MORENO, Daniel: a version without him is a new version


@pytest.fixture
def no_indexes():
    screening._INDEXES.clear()
    yield
    warming.stop_warming()
    screening._INDEXES.clear()


def built_soon(version, seconds: float = 60.0) -> bool:
    """The warming thread's work is seen from outside: wait for it, without asserting how long it took."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if screening.index_is_built(version):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_worker_process_that_starts_builds_the_index(fresh_list, no_indexes):
    assert not screening.index_is_built(fresh_list)
    signals.worker_process_init.send(sender=None)
    assert built_soon(fresh_list)


@pytest.mark.django_db(transaction=True)
def test_a_solo_worker_that_becomes_ready_builds_the_index(fresh_list, no_indexes):
    signals.worker_ready.send(sender=None)
    assert built_soon(fresh_list)


@pytest.mark.django_db(transaction=True)
def test_a_version_that_becomes_active_is_built_before_it_is_asked_for(fresh_list, no_indexes, settings, tmp_path):
    settings.SANCTIONS_INDEX_WATCH_SECONDS = 0.1
    signals.worker_process_init.send(sender=None)
    assert built_soon(fresh_list)
    newer = load_folder(without_entry(tmp_path / "sample_plus_cons", SOME_UID, tmp_path / "newer")).version
    assert active_version() == newer
    assert built_soon(newer)


def in_review(application: Application) -> Application:
    Application.objects.filter(pk=application.pk).update(state=AppState.IN_REVIEW)
    application.refresh_from_db()
    return application


def as_screened_by_an_older_algorithm(application: Application) -> None:
    """What the previous algorithm stored: a result whose details name no algorithm, and whose fingerprint
    (which covers the algorithm) is not today's."""
    result = CheckResult.objects.get(application=application, check_name="sanctions", is_current=True)
    details = {k: v for k, v in result.details.items() if k != "algorithm"}
    CheckResult.objects.filter(pk=result.pk).update(details=details, fingerprint="0" * 64)


def test_results_record_the_algorithm_and_a_current_one_owes_nothing(fresh_list):
    application = in_review(application_with(CLEAN_OWNER))
    run_checks(application)
    result = CheckResult.objects.get(application=application, check_name="sanctions", is_current=True)
    assert result.details["algorithm"] == ALGORITHM_VERSION
    assert rescreen_owe() is False
    assert not any("algorithm" in p for p in evidence_problems(application))


def test_a_new_algorithm_owes_a_full_rescreen_and_the_guard_calls_older_results_stale(fresh_list):
    application = in_review(application_with(CLEAN_OWNER))
    run_checks(application)
    as_screened_by_an_older_algorithm(application)

    problems = evidence_problems(application)
    assert any(f"but {ALGORITHM_VERSION} is current" in p for p in problems), problems
    assert rescreen_owe() is True
    owed = OwedWork.objects.get(subject_id=fresh_list.public_id, kind="sanctions_rescreen", status="pending")
    assert owed.payload == {"full": True}
    assert rescreen_owe() is True and OwedWork.objects.filter(kind="sanctions_rescreen").count() == 1

    rescreen_loaded(version=fresh_list, full=True)  # what the owed work runs
    assert not screened_with_other_algorithms().exists()
    assert not any("algorithm" in p for p in evidence_problems(application))
    assert rescreen_owe() is False
