from django.apps import AppConfig


class SanctionsConfig(AppConfig):
    name = "sanctions"
    verbose_name = "Sanctions screening"

    def ready(self) -> None:
        from onboarding import work
        from onboarding.kyc.registry import register
        from onboarding.services.export import register_export_section
        from portal.health import register_component
        from sanctions import (
            casework,
            warming,  # noqa: F401  (connects the worker signals that build the index)
        )
        from sanctions.check import SanctionsCheck
        from sanctions.export import sanctions_tables
        from sanctions.freshness import health_probe

        # "onboarding" comes first in INSTALLED_APPS: this replaces its not_run stand-in.
        register(SanctionsCheck, replace=True)
        register_component("sanctions_list", health_probe, required=False)
        # The re-screen a list version owes once active; one that cannot complete is listed for people.
        work.register_owed_work("sanctions_rescreen", "sanctions.tasks.rescreen_after_load")
        # The re-screen of the hits under a program whose blocking flag an officer changed.
        work.register_owed_work("sanctions_program_rescreen", "sanctions.tasks.rescreen_program")
        # Review cases about hits: when they close, when a suspension lifts, what their page shows.
        casework.register()
        # The examiner's export carries the hits, their decisions and the OFAC reports.
        register_export_section(sanctions_tables)
