"""Celery tasks for the sanctions lists: thin, idempotent, retried only for transient errors."""

import logging

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from onboarding import work
from sanctions.loading import RESCREEN, LoadFailed, list_refresh
from sanctions.models import SanctionsListVersion

logger = logging.getLogger(__name__)
TRANSIENT = (OperationalError, InterfaceError)
RELIABLE = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(**RELIABLE)
def refresh_lists() -> str:
    """Beat: load OFAC's current files from SANCTIONS_SOURCE_URL; the same content again is a no-op.

    A failed refresh is recorded (RefreshAttempt, shown on /healthz and in the admin) and logged; the
    active version stays. So it does when the new version is held for a senior officer."""
    try:
        result = list_refresh(spec=settings.SANCTIONS_SOURCE_URL)
    except LoadFailed as exc:
        return f"failed: {exc}"
    return result.summary()


@shared_task(**RELIABLE, autoretry_for=TRANSIENT, retry_backoff=2, retry_backoff_max=60, max_retries=5)
def rescreen_after_load(version_public_id: str, full: bool = False) -> dict:
    """The re-screening a load or an activation owes: against the version's delta, or with ``full`` the
    whole list (published after the activation commits)."""
    from sanctions.rescreening import rescreen_loaded

    version = SanctionsListVersion.objects.filter(public_id=version_public_id).first()
    if version is None:
        logger.warning("rescreen: no list version %s", version_public_id)
        return {}
    with work.failures_recorded(subject_type="sanctions.sanctionslistversion", subject_id=version_public_id,
                                kind=RESCREEN):  # fmt: skip
        return rescreen_loaded(version=version, full=full).as_dict()


@shared_task(**RELIABLE, autoretry_for=TRANSIENT, retry_backoff=2, retry_backoff_max=60, max_retries=5)
def rescreen_program(program_pk: str) -> dict:
    """The re-screen a change of a program's blocking flag owes (the hits on its entries)."""
    from sanctions.models import SanctionsProgram
    from sanctions.programs import PROGRAM_RESCREEN, program_rescreen

    program = SanctionsProgram.objects.filter(pk=program_pk).first()
    if program is None:
        logger.warning("rescreen: no sanctions program %s", program_pk)
        return {}
    with work.failures_recorded(subject_type="sanctions.sanctionsprogram", subject_id=str(program_pk),
                                kind=PROGRAM_RESCREEN):  # fmt: skip
        return program_rescreen(program=program).as_dict()
