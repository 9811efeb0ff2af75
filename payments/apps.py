from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "payments"
    verbose_name = "Acquirer boarding and terminals"

    def ready(self) -> None:
        from payments import web

        web.register()
