from django.apps import AppConfig


class SanctionsConfig(AppConfig):
    name = "sanctions"
    verbose_name = "Sanctions screening"

    def ready(self) -> None:
        from onboarding.kyc.registry import register
        from portal.health import register_component
        from sanctions.check import SanctionsCheck
        from sanctions.freshness import health_probe

        # "onboarding" comes first in INSTALLED_APPS: this replaces its not_run stand-in.
        register(SanctionsCheck, replace=True)
        register_component("sanctions_list", health_probe, required=False)
