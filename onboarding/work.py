"""Work owed by workers, recorded in the database so that none is lost.

An application in a state of ``AppState.PENDING_WORK`` owes work to a worker; the state is the outbox.
The move into such a state sets ``next_attempt_at`` in the same transaction and publishes the task after
commit. If the process dies after the commit, or the broker is down, the beat sweeper finds the
application overdue and publishes again, with a growing back-off. Tasks are idempotent, so a second
publish does no harm. Long waits are rows with a next-attempt time, never long countdowns.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

# state -> task name; apps register the work they own (payments registers boarding).
_TASKS_BY_STATE: dict[str, str] = {}


def register_pending_work(state: str, task_name: str) -> None:
    _TASKS_BY_STATE[state] = task_name


def registered_states() -> dict[str, str]:
    return dict(_TASKS_BY_STATE)


def pending_work_updates(*, now: datetime) -> dict:
    """Fields to set when an application enters a state that owes work."""
    return {"next_attempt_at": now + timedelta(seconds=settings.PENDING_WORK_GRACE_SECONDS), "work_attempts": 0}


def publish(application) -> bool:
    """Publish the task for the application's current state; False (and a log line) if the broker failed."""
    from portal.celery import app

    task_name = _TASKS_BY_STATE.get(application.state)
    if task_name is None:
        return False
    try:
        app.send_task(task_name, args=[application.public_id])
    except Exception as exc:  # the broker is down or unreachable: the sweeper publishes again later
        logger.warning("publish of %s for %s failed: %s", task_name, application.public_id, type(exc).__name__)
        return False
    return True


def publish_on_commit(application) -> None:
    public_id, state = application.public_id, application.state

    def send() -> None:
        from onboarding.models import Application

        publish(Application(public_id=public_id, state=state))

    transaction.on_commit(send)


def backoff_seconds(attempts: int) -> int:
    grace = settings.PENDING_WORK_GRACE_SECONDS
    return min(grace * (2 ** min(attempts, 16)), settings.PENDING_WORK_MAX_BACKOFF_SECONDS)


def sweep_pending_work(*, now: datetime | None = None, limit: int = 200) -> int:
    """Publish the work of every overdue application; returns how many were published."""
    from onboarding.models import Application

    now = now or timezone.now()
    published = 0
    overdue = Application.objects.filter(state__in=list(_TASKS_BY_STATE), next_attempt_at__lte=now).order_by(
        "next_attempt_at"
    )[:limit]
    for application in overdue:
        # Claim with a conditional update so two sweepers never publish the same attempt.
        claimed = Application.objects.filter(
            pk=application.pk, state=application.state, next_attempt_at=application.next_attempt_at
        ).update(
            next_attempt_at=now + timedelta(seconds=backoff_seconds(application.work_attempts)),
            work_attempts=application.work_attempts + 1,
        )
        if claimed and publish(application):
            published += 1
    if published:
        logger.info("sweeper published %d overdue tasks", published)
    return published
