"""Retention purge of the event log: the only path past the append-only trigger.

Events are kept five years (EVENT_RETENTION_DAYS) after the relationship ends: after the merchant is
closed, or after an application without a merchant reached a final state. Events about sanctions lists
and hits are kept ten years (OFAC). On PostgreSQL the trigger on the event table refuses UPDATE and
DELETE unless the transaction-local setting below is on, and only this command sets it.
"""

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from onboarding.models import Event
from onboarding.models.events import PURGE_SETTING
from onboarding.states import AppState, MerchantState

SANCTIONS_SUBJECTS = ("sanctionslistversion", "sanctionshit", "sanctionsentry")
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
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [PURGE_SETTING])
        deleted, _ = Event.objects.filter(pk__in=list(events.values_list("pk", flat=True))).delete()
        return deleted


class Command(BaseCommand):
    help = "Delete events past their retention period (5 years after the relationship ends; sanctions 10)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run=False, **options):
        count = purge_events(dry_run=dry_run)
        self.stdout.write(f"{count} event(s) {'would be' if dry_run else ''} purged.".replace("  ", " "))
