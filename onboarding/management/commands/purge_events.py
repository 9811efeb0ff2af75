"""Retention purge of the event log: the only path past the append-only trigger.

Events are kept five years (EVENT_RETENTION_DAYS) after the relationship ends: after the merchant is
closed, or after an application without a merchant reached a final state. Events about sanctions lists,
their entries and programs, and hits are kept ten years (OFAC): a program's blocking flag decided how its
hits were treated, so its changes stay as long as the screening records they explain. On PostgreSQL the
trigger on the event table refuses UPDATE, DELETE and TRUNCATE; this command opens its gate for deletes
in its own transaction only (the setting names that transaction, see ``onboarding.models.events``) and
shuts it again as soon as it has deleted. It runs as the owner of the tables: the app's role may not
delete events at all, and the command says so.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from onboarding.models import Event
from onboarding.models.events import PURGE_GATE, PURGE_SETTING
from onboarding.states import AppState, MerchantState

SANCTIONS_SUBJECTS = ("sanctionslistversion", "sanctionshit", "sanctionsentry", "sanctionsprogram")
SANCTIONS_RETENTION_DAYS = 10 * 365


def purgeable_events(*, now=None):
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.EVENT_RETENTION_DAYS)
    sanctions_cutoff = now - timedelta(days=SANCTIONS_RETENTION_DAYS)
    ended = (
        Q(merchant__state=MerchantState.CLOSED, merchant__state_changed_at__lt=cutoff)
        | Q(merchant__isnull=True, application__state__in=AppState.FINAL, application__state_changed_at__lt=cutoff)
        | Q(merchant__isnull=True, application__isnull=True, occurred_at__lt=cutoff)
    )
    return Event.objects.filter(ended).filter(
        ~Q(subject_type__in=SANCTIONS_SUBJECTS) | Q(occurred_at__lt=sanctions_cutoff)
    )


def purge_events(*, now=None, dry_run: bool = False) -> int:
    with transaction.atomic():
        events = purgeable_events(now=now)
        if dry_run:
            return events.count()
        if connection.vendor != "postgresql":
            deleted, _ = Event.objects.filter(pk__in=list(events.values_list("pk", flat=True))).delete()
            return deleted
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_catalog.has_table_privilege(current_user, %s, 'DELETE')", [Event._meta.db_table])
            (may_delete,) = cursor.fetchone()
            if not may_delete:
                raise CommandError(
                    "This database role may not delete events: run purge_events with the owner's DATABASE_URL "
                    "(the role that runs migrate), not the app's (README, 'Database roles')."
                )
            cursor.execute(f"SELECT pg_catalog.set_config(%s, {PURGE_GATE}, true)", [PURGE_SETTING])  # noqa: S608
            deleted, _ = Event.objects.filter(pk__in=list(events.values_list("pk", flat=True))).delete()
            # Shut the gate for whatever else the transaction does (a failure rolls the setting back anyway).
            cursor.execute("SELECT pg_catalog.set_config(%s, '', true)", [PURGE_SETTING])
        return deleted


class Command(BaseCommand):
    help = "Delete events past their retention period (5 years after the relationship ends; sanctions 10)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run=False, **options):
        count = purge_events(dry_run=dry_run)
        self.stdout.write(f"{count} event(s) {'would be' if dry_run else ''} purged.".replace("  ", " "))
