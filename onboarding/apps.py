from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings


class OnboardingConfig(AppConfig):
    name = "onboarding"
    verbose_name = "Merchant onboarding"

    def ready(self) -> None:
        from onboarding import (
            accounts,  # noqa: F401  (connects the sign-in and email-change receivers)
            casework,
            work,
        )
        from onboarding.kyc import (
            checks,  # noqa: F401  (registers the pipeline's checks)
            kyc_checks,  # noqa: F401  (addresses, documents, velocity, names, wallets)
        )
        from onboarding.kyc.pipeline import KYC_PIPELINE
        from onboarding.notifications import register_account_emails, register_emails
        from onboarding.services.applications import application_checks_exhausted
        from onboarding.services.kyc_rules import ELIGIBILITY_CHANGED, eligibility_case_evidence
        from onboarding.services.merchants import on_merchant_move
        from onboarding.services.partner_events import WEBHOOK_WORK, merchant_moved
        from onboarding.services.webhook_deliveries import webhook_delivery_exhausted
        from onboarding.states import AppState

        register_emails()
        register_account_emails()
        work.register_owed_work(KYC_PIPELINE, "onboarding.tasks.process_application", application_checks_exhausted)
        work.register_state_work(AppState.SUBMITTED, KYC_PIPELINE)
        work.register_state_work(AppState.SCREENING, KYC_PIPELINE)
        # Retried for days by the delivery's own back-off; the deadline leaves room for the last attempt.
        work.register_owed_work(
            WEBHOOK_WORK,
            "onboarding.tasks.deliver_webhook",
            webhook_delivery_exhausted,
            deadline=timedelta(days=settings.WEBHOOK_RETRY_DAYS, minutes=15),
        )
        on_merchant_move(merchant_moved)
        casework.register_evidence(
            ELIGIBILITY_CHANGED,
            casework.CaseEvidence("admin/onboarding/includes/case_eligibility.html", eligibility_case_evidence),
        )
