"""Owed work: one durable record of what any subject still owes a worker, so that none is lost.

``owed_work_record`` is called in the same transaction as the cause (an application entering screening,
a list version becoming active, later a terminal to activate or a webhook to deliver). After commit the
task is published once, quickly: publishing gives up within the broker's socket timeouts and never
retries in a request, because the row is the outbox. The beat sweeper (``sweep_owed_work``) claims due
rows with a conditional update, so two sweepers never publish the same attempt, and publishes them with
a growing back-off. The work's own transaction marks its row done (``owed_work_done``). A row that has
used its attempts (or passed its deadline, for work that waits on someone else) becomes
``needs_attention``: it is listed in the admin, an event records it, and the kind's ``on_exhausted`` runs.

Tasks are idempotent, so a second publication does no harm. Long waits are rows with a due time, never
long countdowns on the broker.
"""

from __future__ import annotations

import logging
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, IntegrityError, models, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class WorkKind:
    kind: str
    task: str
    on_exhausted: Callable | None
    max_attempts: int | None
    deadline: timedelta | None
    #: the payload stays in the database: the task gets the kind and reads the row (an email with a link
    #: that signs someone in must not travel through the broker)
    private: bool = False

    def message(self, work) -> tuple[list, dict]:
        """The task's arguments for a row: the subject's id, and the payload or (private) the kind."""
        return [work.subject_id], ({"kind": work.kind} if self.private else dict(work.payload))


_KINDS: dict[str, WorkKind] = {}
# application state -> kind of the work an application owes in that state (the state stays the trigger)
_STATE_KINDS: dict[str, str] = {}


def register_owed_work(
    kind: str,
    task: str,
    on_exhausted: Callable | None = None,
    *,
    max_attempts: int | None = None,
    deadline: timedelta | None = None,
    private: bool = False,
) -> None:
    """Declare a kind of work: the task that does it (called with the subject's public id and the row's
    payload), what happens when it cannot be done, and its bound: a number of attempts (default
    ``OWED_WORK_MAX_ATTEMPTS``) or, for work that waits on someone else, a deadline."""
    _KINDS[kind] = WorkKind(kind, task, on_exhausted, max_attempts, deadline, private)


def _bounds(spec: WorkKind, now: datetime) -> dict:
    """The row's bound: the kind's deadline, or its number of attempts (default ``OWED_WORK_MAX_ATTEMPTS``)."""
    if spec.deadline is not None:
        return {"deadline_at": now + spec.deadline, "max_attempts": spec.max_attempts}
    return {"deadline_at": None, "max_attempts": spec.max_attempts or settings.OWED_WORK_MAX_ATTEMPTS}


def register_state_work(state: str, kind: str) -> None:
    """An application in ``state`` owes work of ``kind`` (recorded by the move into the state)."""
    _STATE_KINDS[state] = kind


def registered_kinds() -> dict[str, WorkKind]:
    return dict(_KINDS)


def kind_of(kind: str) -> WorkKind | None:
    """A kind's registration; ``family:detail`` kinds (``account_email:password_reset_key``) share their
    family's, so that one subject may owe several of them at once."""
    return _KINDS.get(kind) or _KINDS.get(kind.split(":", 1)[0])


def state_work_kind(state: str) -> str | None:
    return _STATE_KINDS.get(state)


def subject_key(subject: models.Model) -> tuple[str, str]:
    """The subject's model label and public id (its primary key, for a model without one: a user)."""
    return subject._meta.label_lower, getattr(subject, "public_id", None) or str(subject.pk)


def subject_of(work) -> models.Model | None:
    model = apps.get_model(work.subject_type)
    key = "public_id" if any(f.name == "public_id" for f in model._meta.fields) else "pk"
    return model.objects.filter(**{key: work.subject_id}).first()


# --------------------------------------------------------------------------- recording and finishing


def owed_work_record(
    *,
    subject: models.Model,
    kind: str,
    due_at: datetime | None = None,
    payload: dict | None = None,
    publish: bool = True,
):
    """Record that ``subject`` owes work of ``kind``; call inside the transaction of the cause.

    A pending row for the same subject and kind is kept (its attempts count on) with the earlier due time
    and the payload updated. ``publish=False`` is for a worker that carries on with the work itself: the
    due time still lets the sweeper take over if that worker dies."""
    from onboarding.models.work import OwedWork

    spec = kind_of(kind)
    if spec is None:
        raise KeyError(f"no owed work of kind {kind!r} is registered")
    subject_type, subject_id = subject_key(subject)
    now = timezone.now()
    due_at = due_at or now + timedelta(seconds=settings.PENDING_WORK_GRACE_SECONDS)
    with transaction.atomic():
        pending = (
            OwedWork.objects.select_for_update()
            .filter(subject_type=subject_type, subject_id=subject_id, kind=kind, status=OwedWork.Status.PENDING)
            .first()
        )
        if pending is None:
            try:
                with transaction.atomic():
                    work = OwedWork.objects.create(
                        subject_type=subject_type,
                        subject_id=subject_id,
                        kind=kind,
                        payload=payload or {},
                        due_at=due_at,
                        **_bounds(spec, now),
                    )
            except IntegrityError:  # recorded concurrently: that row is the one
                pending = OwedWork.objects.select_for_update().get(
                    subject_type=subject_type, subject_id=subject_id, kind=kind, status=OwedWork.Status.PENDING
                )
        if pending is not None:
            work = pending
            work.due_at = min(work.due_at, due_at)
            work.payload = {**work.payload, **(payload or {})}
            work.save(update_fields=["due_at", "payload"])
    if publish:
        task, (args, kwargs) = spec.task, spec.message(work)
        transaction.on_commit(lambda: publish_task(task, args, kwargs, from_request=True))
    return work


def owed_work_pending(*, subject: models.Model, kind: str):
    from onboarding.models.work import OwedWork

    subject_type, subject_id = subject_key(subject)
    return OwedWork.objects.filter(
        subject_type=subject_type, subject_id=subject_id, kind=kind, status=OwedWork.Status.PENDING
    ).first()


def owed_work_done(*, subject: models.Model, kind: str) -> bool:
    """Mark the pending work done; call inside the transaction of the work's effect."""
    from onboarding.models.work import OwedWork

    subject_type, subject_id = subject_key(subject)
    return bool(
        OwedWork.objects.filter(
            subject_type=subject_type, subject_id=subject_id, kind=kind, status=OwedWork.Status.PENDING
        ).update(status=OwedWork.Status.DONE, finished_at=timezone.now())
    )


def owed_work_defer(*, subject: models.Model, kind: str, due_at: datetime, error: str = "") -> bool:
    """Move the pending work's next attempt to ``due_at`` (a back-off the work chose, a ``Retry-After``,
    a wait for someone else), keeping ``error`` as its latest failure; the sweeper publishes it then."""
    from onboarding.models.work import OwedWork

    subject_type, subject_id = subject_key(subject)
    updates: dict = {"due_at": due_at}
    if error:
        updates.update(last_error=error[:2000], last_error_at=timezone.now())
    return bool(
        OwedWork.objects.filter(
            subject_type=subject_type, subject_id=subject_id, kind=kind, status=OwedWork.Status.PENDING
        ).update(**updates)
    )


def describe_error(exc: BaseException) -> str:
    """What went wrong and where, for people: the type and the place, and the message only of our own
    domain errors (other messages may quote the data that failed, and personal data never leaves)."""
    from onboarding.errors import DomainError

    text = type(exc).__name__
    if isinstance(exc, DomainError):
        text += f": {exc.message}"
    frames = traceback.extract_tb(exc.__traceback__) if exc.__traceback__ else []
    ours = [f for f in frames if f.filename.startswith(str(ROOT)) and "/.venv/" not in f.filename]
    if ours:
        frame = ours[-1]
        text += f" at {Path(frame.filename).relative_to(ROOT)}:{frame.lineno} in {frame.name}"
    return text[:2000]


def owed_work_failed(*, subject_type: str, subject_id: str, kind: str, error: str) -> None:
    """Keep the latest failure on the pending row (its own transaction: the work's has rolled back)."""
    from onboarding.models.work import OwedWork

    try:
        OwedWork.objects.filter(
            subject_type=subject_type, subject_id=subject_id, kind=kind, status=OwedWork.Status.PENDING
        ).update(last_error=error, last_error_at=timezone.now())
    except DatabaseError:  # the database is what failed: the sweeper tries again anyway
        logger.warning("could not record the failure of %s for %s", kind, subject_id)


@contextmanager
def failures_recorded(*, subject_type: str, subject_id: str, kind: str) -> Iterator[None]:
    """Around a task's body: a failure is kept on the owed row (shown in the admin), then re-raised."""
    try:
        yield
    except Exception as exc:
        owed_work_failed(subject_type=subject_type, subject_id=subject_id, kind=kind, error=describe_error(exc))
        raise


# --------------------------------------------------------------------------- publishing


_publish_paused_until = 0.0


def publish_task(task: str, args: list, kwargs: dict | None = None, *, from_request: bool = False) -> bool:
    """Publish one task; False (and a log line) when the broker fails. Never blocks a request for long:
    the broker connection has connect and socket timeouts (settings), publishing is not retried here,
    and after a failure a request process stops trying for ``BROKER_PUBLISH_PAUSE_SECONDS`` (the owed
    row stays; the sweeper publishes it)."""
    global _publish_paused_until
    from portal.celery import app

    if from_request and time.monotonic() < _publish_paused_until:
        logger.info("publish of %s skipped: the broker failed moments ago; the sweeper will publish it", task)
        return False
    try:
        app.send_task(task, args=args, kwargs=kwargs or {}, retry=False)
    except Exception as exc:  # the broker is down, hung or unreachable
        if from_request:
            _publish_paused_until = time.monotonic() + settings.BROKER_PUBLISH_PAUSE_SECONDS
        logger.warning("publish of %s for %s failed: %s", task, args[0] if args else "", type(exc).__name__)
        return False
    return True


def resume_publishing() -> None:
    """Forget a recent broker failure (tests, and a health probe that found the broker back)."""
    global _publish_paused_until
    _publish_paused_until = 0.0


# --------------------------------------------------------------------------- the sweeper


def backoff_seconds(attempts: int) -> int:
    grace = settings.PENDING_WORK_GRACE_SECONDS
    return min(grace * (2 ** min(attempts, 16)), settings.PENDING_WORK_MAX_BACKOFF_SECONDS)


def _exhausted(work, now: datetime) -> bool:
    if work.deadline_at is not None and work.deadline_at <= now:
        return True
    return work.max_attempts is not None and work.attempts >= work.max_attempts


def _give_up(work, now: datetime) -> bool:
    """Move an exhausted row to needs_attention (once), write its event and run the kind's handler."""
    from onboarding.errors import DomainError
    from onboarding.models import Application, Merchant
    from onboarding.models.work import OwedWork
    from onboarding.services.actors import Actor
    from onboarding.services.events import event_record

    claimed = OwedWork.objects.filter(pk=work.pk, status=OwedWork.Status.PENDING, attempts=work.attempts).update(
        status=OwedWork.Status.NEEDS_ATTENTION, finished_at=now
    )
    if not claimed:
        return False
    work.status = OwedWork.Status.NEEDS_ATTENTION
    subject = subject_of(work)
    why = "deadline passed" if work.deadline_at and work.deadline_at <= now else f"{work.attempts} attempts used"
    event_record(
        actor=Actor.system("owed-work"),
        subject=work,
        application=subject if isinstance(subject, Application) else None,
        merchant=subject if isinstance(subject, Merchant) else None,
        action="owed_work_exhausted",
        details={"kind": work.kind, "subject": work.subject_id, "why": why, "last_error": work.last_error},
    )
    logger.error("owed work %s (%s for %s) needs attention: %s", work.public_id, work.kind, work.subject_id, why)
    spec = kind_of(work.kind)
    if spec and spec.on_exhausted and subject is not None:
        try:
            spec.on_exhausted(subject, work)
        except DomainError as exc:  # the subject moved on meanwhile; the row stays listed
            logger.info("owed work %s: on_exhausted refused: %s", work.public_id, exc)
    return True


def sweep_owed_work(*, now: datetime | None = None, limit: int = 200) -> int:
    """Publish every due row (and give up on exhausted ones); returns how many were published."""
    from onboarding.models.work import OwedWork

    now = now or timezone.now()
    published = 0
    due = OwedWork.objects.filter(status=OwedWork.Status.PENDING, due_at__lte=now).order_by("due_at")[:limit]
    for work in due:
        spec = kind_of(work.kind)
        if spec is None:
            logger.warning("owed work %s has an unregistered kind %s", work.public_id, work.kind)
            continue
        if _exhausted(work, now):
            _give_up(work, now)
            continue
        claimed = OwedWork.objects.filter(pk=work.pk, status=OwedWork.Status.PENDING, attempts=work.attempts).update(
            due_at=now + timedelta(seconds=backoff_seconds(work.attempts)), attempts=work.attempts + 1
        )
        if claimed and publish_task(spec.task, *spec.message(work)):
            published += 1
    if published:
        logger.info("sweeper published %d owed tasks", published)
    return published


def owed_work_retry(*, work, actor) -> None:
    """An administrator puts work that needed attention back in the queue, with a fresh count."""
    from onboarding.errors import InvalidTransition
    from onboarding.models.work import OwedWork
    from onboarding.services.events import event_record

    actor.require_perm("onboarding.change_owedwork", "retry owed work")
    with transaction.atomic():
        if OwedWork.objects.filter(
            subject_type=work.subject_type, subject_id=work.subject_id, kind=work.kind, status=OwedWork.Status.PENDING
        ).exists():
            raise InvalidTransition("The same work is already pending for this subject.")
        spec, now = kind_of(work.kind), timezone.now()
        if spec is None:
            raise InvalidTransition(f"No worker does work of kind {work.kind!r} any more.")
        changed = OwedWork.objects.filter(pk=work.pk, status=OwedWork.Status.NEEDS_ATTENTION).update(
            status=OwedWork.Status.PENDING,
            attempts=0,
            due_at=now,
            finished_at=None,
            **_bounds(spec, now),
        )
        if not changed:
            raise InvalidTransition("Only work that needs attention can be retried.")
        event_record(actor=actor, subject=work, action="owed_work_retried", details={"kind": work.kind})
