"""When to try the acquirer again after it was unavailable: exponential back-off with jitter, or later if the
acquirer said so (``Retry-After``), kept as the owed row's next attempt (never a countdown in a worker)."""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from onboarding.work import owed_work_defer, owed_work_pending
from payments.gateway import AcquirerUnavailable

logger = logging.getLogger(__name__)


def retry_delay(attempts: int, retry_after: float | None = None) -> float:
    delay = min(settings.ACQUIRER_RETRY_BASE_SECONDS * 2**attempts, settings.ACQUIRER_RETRY_MAX_SECONDS)
    return max(retry_after or 0, delay * random.uniform(0.5, 1.0))


def retry_later(*, subject: models.Model, kind: str, exc: AcquirerUnavailable) -> float:
    """Move the owed work's next attempt out; returns the delay in seconds."""
    work = owed_work_pending(subject=subject, kind=kind)
    delay = retry_delay(work.attempts if work else 0, exc.retry_after)
    owed_work_defer(
        subject=subject,
        kind=kind,
        due_at=timezone.now() + timedelta(seconds=delay),
        error=f"acquirer unavailable ({exc.code or exc.status}): {exc.message}",
    )
    logger.info("%s %s: acquirer unavailable (%s), next try in %.1f s", kind, subject.pk, exc.code, delay)
    return delay
