"""Store the eligibility table's data file as a new version if it changed, list the active merchants
the new version rates worse for a requested wallet, and open a review case for each (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from onboarding.kyc import eligibility
from onboarding.models import EligibilityRuleSet
from onboarding.services import kyc_rules
from onboarding.services.actors import Actor


class Command(BaseCommand):
    help = "Apply a changed wallet eligibility table to active merchants (opens review cases)."

    def add_arguments(self, parser):
        parser.add_argument("--from-version", type=int, help="Compare against this version (default: the one before)")
        parser.add_argument("--to-version", type=int, help="Apply this version (default: the one in force)")
        parser.add_argument("--note", default="", help="Why the table changed (stored with a new version)")
        parser.add_argument("--dry-run", action="store_true", help="List the merchants; open no case")

    def handle(self, *args, from_version=None, to_version=None, note="", dry_run=False, **options):
        actor = Actor.system("eligibility-changes")
        if to_version is None:
            current, created = kyc_rules.eligibility_rules_sync(actor=actor, note=note)
            if created:
                self.stdout.write(f"Stored eligibility rules version {current.version}.")
        else:
            current = self._version(to_version)
        previous_number = from_version if from_version is not None else current.version - 1
        if previous_number < 1:
            self.stdout.write(f"Version {current.version} is the first: nothing to compare.")
            return
        previous = self._version(previous_number)
        affected = kyc_rules.eligibility_changes_apply(actor=actor, previous=previous, current=current, dry_run=dry_run)
        count = len(affected)
        self.stdout.write(f"Version {previous.version} → {current.version}: {count} active merchant(s) affected.")
        for item in affected:
            wallets = ", ".join(f"{w['wallet']} ({w['channel']}) {w['from']}→{w['to']}" for w in item["wallets"])
            case = item.get("case")
            state = "dry run" if dry_run else ("case opened" if item.get("opened") else "case already open")
            label = f"{state} {case.public_id}" if case else state
            self.stdout.write(f"  {item['merchant'].public_id}: {wallets} [{label}]")

    def _version(self, number: int) -> EligibilityRuleSet:
        eligibility.rule_set_current()
        found = EligibilityRuleSet.objects.filter(version=number).first()
        if found is None:
            raise CommandError(f"There is no eligibility rules version {number}.")
        return found
