"""Celery tasks: thin and idempotent. Each loads by public id and calls a service; a failure is kept on
the owed-work row it serves, so people see it, and the sweeper tries again with a growing back-off."""

import logging

from celery import shared_task
from django.db import DatabaseError, InterfaceError, OperationalError

from onboarding import work
from onboarding.errors import DomainError
from onboarding.kyc.pipeline import KYC_PIPELINE, application_advance
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
    with work.failures_recorded(subject_type="onboarding.application", subject_id=public_id, kind=KYC_PIPELINE):
        return application_advance(public_id=public_id)


@shared_task(**RELIABLE, autoretry_for=TRANSIENT, retry_backoff=2, retry_backoff_max=60, max_retries=5)
def send_merchant_email(public_id: str, email: str) -> bool:
    """One email owed to a merchant about their application (notifications.py)."""
    from onboarding.models import Application
    from onboarding.notifications import email_kind, merchant_email_send

    with work.failures_recorded(subject_type="onboarding.application", subject_id=public_id, kind=email_kind(email)):
        application = Application.objects.filter(public_id=public_id).first()
        if application is None:
            logger.warning("email %s: no application %s", email, public_id)
            return False
        return merchant_email_send(application=application, email=email)


@shared_task(**RELIABLE, autoretry_for=TRANSIENT, retry_backoff=2, retry_backoff_max=60, max_retries=5)
def send_account_email(user_id: str, kind: str) -> bool:
    """An account email (verification, password reset) whose sending in the request failed."""
    from onboarding.models import OwedWork
    from onboarding.notifications import account_email_deliver

    with work.failures_recorded(subject_type="auth.user", subject_id=user_id, kind=kind):
        owed = OwedWork.objects.filter(subject_type="auth.user", subject_id=user_id, kind=kind,
                                       status=OwedWork.Status.PENDING).first()  # fmt: skip
        return account_email_deliver(work=owed) if owed is not None else False


@shared_task(**RELIABLE)
def sweep_pending_work() -> int:
    """Beat: publish owed work that is due (crash after commit, broker down, a failing task)."""
    return work.sweep_owed_work()


@shared_task(**RELIABLE)
def expire_info_requests() -> int:
    """Beat: expire applications whose information request went unanswered past its due date. One that
    cannot be expired (it moved on meanwhile, a database error) never stops the others."""
    expired = 0
    for application in applications_overdue_for_expiry():
        try:
            application_expire(application=application, actor=Actor.system("expiry"))
            expired += 1
        except (DomainError, DatabaseError) as exc:
            logger.warning("expiry of %s skipped: %s", application.public_id, work.describe_error(exc))
    return expired


@shared_task(**RELIABLE, autoretry_for=TRANSIENT, retry_backoff=2, retry_backoff_max=60, max_retries=5)
def deliver_webhook(public_id: str) -> str:
    """One attempt of a partner webhook delivery (its back-off is the owed work's due time, not a retry)."""
    from onboarding.services.partner_events import WEBHOOK_WORK
    from onboarding.services.webhook_deliveries import webhook_delivery_attempt

    with work.failures_recorded(subject_type="onboarding.webhookdelivery", subject_id=public_id, kind=WEBHOOK_WORK):
        return webhook_delivery_attempt(public_id=public_id)


@shared_task(**RELIABLE)
def purge_partner_records() -> dict:
    """Beat: delete old idempotency keys, partner events past the catch-up window whose deliveries are all
    finished, and long-expired onboarding links (in batches; the next run carries on)."""
    from onboarding.services.partner_records_purge import partner_records_purge

    return partner_records_purge().as_dict()
