from django.apps import AppConfig


class OnboardingConfig(AppConfig):
    name = "onboarding"
    verbose_name = "Merchant onboarding"

    def ready(self) -> None:
        from onboarding import work
        from onboarding.kyc import (
            checks,  # noqa: F401  (registers the pipeline's checks)
            kyc_checks,  # noqa: F401  (addresses, documents, velocity, names, wallets)
        )
        from onboarding.states import AppState

        work.register_pending_work(AppState.SUBMITTED, "onboarding.tasks.process_application")
        work.register_pending_work(AppState.SCREENING, "onboarding.tasks.process_application")
