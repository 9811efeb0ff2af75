from django.apps import AppConfig


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
        from onboarding.states import AppState

        register_emails()
        register_account_emails()
        work.register_owed_work(KYC_PIPELINE, "onboarding.tasks.process_application", application_checks_exhausted)
        work.register_state_work(AppState.SUBMITTED, KYC_PIPELINE)
        work.register_state_work(AppState.SCREENING, KYC_PIPELINE)
        casework.register_evidence(
            ELIGIBILITY_CHANGED,
            casework.CaseEvidence("admin/onboarding/includes/case_eligibility.html", eligibility_case_evidence),
        )
