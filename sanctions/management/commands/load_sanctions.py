"""Load a sanctions list version (the bundled files by default, or a folder, or OFAC's download address), or
activate a stored one (a held version, or an earlier one to go back to)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from onboarding.errors import DomainError
from sanctions.loading import LOADER, LoadFailed, list_refresh, list_version_activate
from sanctions.models import SanctionsListVersion


class Command(BaseCommand):
    help = (
        "Load OFAC's SDN and Consolidated lists as a new version and make it active, unless its files are not "
        "sane (refused) or it removes too much (held for a senior officer). Same content again: no-op, or "
        "active again with --activate-if-stored. --activate VERSION makes a stored version active. Without "
        "--source, the bundled copies (stale; for offline use and first load)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", help="A folder holding the CSV files, or a base address (https://…)")
        parser.add_argument(
            "--publish-date",
            type=date.fromisoformat,
            help="The list's publication date (YYYY-MM-DD); a folder without a PUBLISH_DATE file needs it",
        )
        parser.add_argument("--no-rescreen", action="store_true", help="Do not publish the re-screening")
        parser.add_argument(
            "--rescreen-now", action="store_true", help="Re-screen in this process instead of through a worker"
        )
        parser.add_argument(
            "--activate", metavar="VERSION_PUBLIC_ID", help="Make this stored version the active one (needs --reason)"
        )
        parser.add_argument(
            "--activate-if-stored",
            action="store_true",
            help="When the source's content is already stored, make that version active again (needs --reason)",
        )
        parser.add_argument("--reason", default="", help="Why a version is activated (recorded on the event)")

    def handle(
        self,
        *args,
        source=None,
        publish_date=None,
        no_rescreen=False,
        rescreen_now=False,
        activate=None,
        activate_if_stored=False,
        reason="",
        **options,
    ):
        if (activate or activate_if_stored) and not reason.strip():
            raise CommandError('Activating a version needs --reason "…" (it is recorded on the event).')
        if activate:
            if source or activate_if_stored:
                raise CommandError("--activate takes a stored version: give it without --source.")
            self._activate(activate, reason, no_rescreen=no_rescreen, rescreen_now=rescreen_now)
            return
        try:
            result = list_refresh(
                spec=source,
                publish_date=publish_date,
                rescreen=not (no_rescreen or rescreen_now),
                activate_if_stored=activate_if_stored,
                reason=reason,
            )
        except LoadFailed as exc:
            raise CommandError(f"Loading failed; the active version is unchanged. {exc}")
        except DomainError as exc:
            raise CommandError(exc.message)
        version = result.version
        self.stdout.write(result.summary())
        for name, info in sorted(version.files.items()):
            rows = f"{info['rows']} rows" if info["status"] == "supplied" else ""
            label = f"  [{info['label']}]" if info.get("label") else ""
            self.stdout.write(f"  {name}: {info['status']} {rows}{label}")
        for note in result.notes:
            self.stdout.write(f"  note: {note}")
        if rescreen_now and not no_rescreen:
            if result.created and not result.held:
                self._rescreen(version, full=False)
            elif result.activation is not None:
                self._rescreen(version, full=result.activation.full)

    def _activate(self, public_id: str, reason: str, *, no_rescreen: bool, rescreen_now: bool) -> None:
        version = SanctionsListVersion.objects.filter(public_id=public_id).first()
        if version is None:
            raise CommandError(f"No sanctions list version {public_id}.")
        try:
            activation = list_version_activate(
                version=version, actor=LOADER, reason=reason, rescreen=not (no_rescreen or rescreen_now)
            )
        except DomainError as exc:
            raise CommandError(exc.message)
        self.stdout.write(activation.summary())
        if rescreen_now and not no_rescreen:
            self._rescreen(activation.version, full=activation.full)

    def _rescreen(self, version: SanctionsListVersion, *, full: bool) -> None:
        from sanctions.rescreening import rescreen_loaded

        self.stdout.write(f"Re-screened: {rescreen_loaded(version=version, full=full).as_dict()}")
