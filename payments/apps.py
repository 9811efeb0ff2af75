from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Acquirer boarding and terminals"

    def ready(self) -> None:
        from onboarding import work
        from onboarding.states import AppState
        from payments import web
        from payments.activation import TERMINAL_WORK
        from payments.boarding import BOARDING_WORK, boarding_exhausted
        from payments.webhooks import EVENT_WORK

        web.register()
        # Waiting for the acquirer's verification is bounded by days, not by a count of attempts.
        work.register_owed_work(
            BOARDING_WORK,
            "payments.tasks.board_application",
            boarding_exhausted,
            deadline=timedelta(days=settings.BOARDING_VERIFICATION_DAYS),
        )
        work.register_state_work(AppState.APPROVED, BOARDING_WORK)
        work.register_state_work(AppState.BOARDING, BOARDING_WORK)
        work.register_owed_work(TERMINAL_WORK, "payments.tasks.activate_terminal")
        work.register_owed_work(EVENT_WORK, "payments.tasks.process_acquirer_event")
