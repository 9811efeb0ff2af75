"""Celery tasks: thin and idempotent. Each loads by public id and calls a service."""

import logging

from celery import shared_task
from django.db import DatabaseError, InterfaceError, OperationalError

from onboarding import work
from onboarding.kyc.pipeline import application_advance
from onboarding.services.actors import Actor
from onboarding.services.applications import (
    application_expire,
    applications_overdue_for_expiry,
)

logger = logging.getLogger(__name__)
TRANSIENT = (OperationalError, InterfaceError)
RELIABLE = {"acks_late": True, "reject_on_worker_lost": True}


@shared_task(**RELIABLE, autoretry_for=TRANSIENT, retry_backoff=2, retry_backoff_max=60, max_retries=5)
def process_application(public_id: str) -> str:
    """Screening and the decision for one application (states submitted and screening)."""
    return application_advance(public_id=public_id)


@shared_task(**RELIABLE)
def sweep_pending_work() -> int:
    """Beat: re-publish work that was recorded but not done in time (crash after commit, broker down)."""
    return work.sweep_pending_work()


@shared_task(**RELIABLE)
def expire_info_requests() -> int:
    """Beat: expire applications whose information request went unanswered past its due date."""
    expired = 0
    for application in applications_overdue_for_expiry():
        try:
            application_expire(application=application, actor=Actor.system("expiry"))
            expired += 1
        except DatabaseError:
            logger.exception("expiry of %s failed", application.public_id)
    return expired
