"""Re-screen merchants and in-flight applications against the active list (its delta, or all of it)."""

from django.core.management.base import BaseCommand, CommandError

from sanctions.freshness import active_version
from sanctions.rescreening import rescreen


class Command(BaseCommand):
    help = "Re-screen every non-closed merchant and in-flight application against the active list version."

    def add_arguments(self, parser):
        parser.add_argument("--full", action="store_true", help="Against the whole list, not only its changes")

    def handle(self, *args, full=False, **options):
        version = active_version()
        if version is None:
            raise CommandError("No sanctions list is loaded; run load_sanctions first.")
        summary = rescreen(version=version, full=full)
        self.stdout.write(f"{'Full' if full else 'Delta'} re-screen against {version.public_id}: {summary.as_dict()}")
