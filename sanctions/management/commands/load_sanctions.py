"""Load a sanctions list version: the bundled files by default, or a folder, or OFAC's download address."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from sanctions.loading import LoadFailed, list_refresh


class Command(BaseCommand):
    help = (
        "Load OFAC's SDN and Consolidated lists as a new version and make it active (same content again: "
        "no-op). Without --source, the bundled copies (stale; for offline use and first load)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", help="A folder holding the CSV files, or a base address (https://…)")
        parser.add_argument(
            "--publish-date", type=date.fromisoformat, help="The list's publication date (YYYY-MM-DD), if known"
        )
        parser.add_argument("--no-rescreen", action="store_true", help="Do not publish the delta re-screening")
        parser.add_argument(
            "--rescreen-now", action="store_true", help="Re-screen in this process instead of through a worker"
        )

    def handle(self, *args, source=None, publish_date=None, no_rescreen=False, rescreen_now=False, **options):
        try:
            result = list_refresh(spec=source, publish_date=publish_date, rescreen=not (no_rescreen or rescreen_now))
        except LoadFailed as exc:
            raise CommandError(f"Loading failed; the active version is unchanged. {exc}")
        version = result.version
        self.stdout.write(result.summary())
        for name, info in sorted(version.files.items()):
            rows = f"{info['rows']} rows" if info["status"] == "supplied" else ""
            label = f"  [{info['label']}]" if info.get("label") else ""
            self.stdout.write(f"  {name}: {info['status']} {rows}{label}")
        for note in result.notes:
            self.stdout.write(f"  note: {note}")
        if result.created and rescreen_now:
            from sanctions.rescreening import rescreen

            self.stdout.write(f"Re-screened: {rescreen(version=version).as_dict()}")
