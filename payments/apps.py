from datetime import timedelta

from django.apps import AppConfig
from django.conf import settings


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Acquirer boarding and terminals"

    def ready(self) -> None:
        from onboarding import work
        from onboarding.requirements import register_requirements_source
        from onboarding.services.merchants import on_merchant_move
        from onboarding.states import AppState
        from payments import api, emails, partner_events, web
        from payments.activation import TERMINAL_WORK
        from payments.boarding import BOARDING_WORK, boarding_exhausted
        from payments.merchant_sync import SYNC_WORK, merchant_moved
        from payments.requirements_source import acquirer_requirements
        from payments.webhooks import EVENT_WORK

        web.register()
        api.register()
        emails.register()
        partner_events.register()
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
        work.register_owed_work(SYNC_WORK, "payments.tasks.sync_merchant")
        on_merchant_move(merchant_moved)
        register_requirements_source(acquirer_requirements)
