"""Celery tasks for the sanctions lists: thin, idempotent, retried only for transient errors."""

import logging

from celery import shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from sanctions.loading import LoadFailed, list_refresh
from sanctions.models import SanctionsListVersion

logger = logging.getLogger(__name__)
TRANSIENT = (OperationalError, InterfaceError)
RELIABLE = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(**RELIABLE)
def refresh_lists() -> str:
    """Beat: load OFAC's current files from SANCTIONS_SOURCE_URL; the same content again is a no-op.

    A failed refresh is recorded (RefreshAttempt, shown on /healthz and in the admin) and logged; the
    active version stays."""
    try:
        result = list_refresh(spec=settings.SANCTIONS_SOURCE_URL)
    except LoadFailed as exc:
        return f"failed: {exc}"
    return result.summary()


@shared_task(**RELIABLE, autoretry_for=TRANSIENT, retry_backoff=2, retry_backoff_max=60, max_retries=5)
def rescreen_after_load(version_public_id: str) -> dict:
    """Delta re-screening after a version is loaded (published after the load commits)."""
    from sanctions.rescreening import rescreen

    version = SanctionsListVersion.objects.filter(public_id=version_public_id).first()
    if version is None:
        logger.warning("rescreen: no list version %s", version_public_id)
        return {}
    if version.is_active:
        return rescreen(version=version).as_dict()
    # Superseded before this task ran: the later version's delta does not cover this one's changes, so
    # close what this version removed (unless it came back) and re-screen fully against the active list.
    active = SanctionsListVersion.objects.filter(is_active=True).first()
    if active is None:
        return {}
    logger.info("rescreen: %s was superseded by %s; re-screening fully", version_public_id, active.public_id)
    from sanctions.hits import hits_close_removed
    from sanctions.rescreening import RESCREENING

    removed = set((version.delta or {}).get("removed", []))
    still_listed = set(active.entries.filter(uid__in=removed).values_list("uid", flat=True))
    hits_close_removed(uids=removed - still_listed, version=active, actor=RESCREENING)
    return rescreen(version=active, full=True).as_dict()
