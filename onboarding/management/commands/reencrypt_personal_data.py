"""Re-encrypt every encrypted column with the newest key of FIELD_ENCRYPTION_KEYS.

Rotation: put the new key first in the list, keep the old ones, run this command, then drop the old keys.
Blind indexes use their own key and are not touched. Rows are read and written as ciphertext through
SQL, so no plaintext passes through model code, and each table is done in batches of short transactions.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import connection, transaction

from onboarding import crypto
from onboarding.fields import EncryptedMixin

BATCH = 500


def encrypted_columns():
    for model in apps.get_models():
        columns = [f.column for f in model._meta.concrete_fields if isinstance(f, EncryptedMixin)]
        if columns:
            yield model, columns


def reencrypt_all(*, dry_run: bool = False) -> dict[str, int]:
    """Returns, per table, how many values were (or, with dry_run, would be) moved to the newest key."""
    moved: dict[str, int] = {}
    quote = connection.ops.quote_name
    for model, columns in encrypted_columns():
        table, pk = model._meta.db_table, model._meta.pk.column
        count, last_pk = 0, None
        while True:
            where = f"WHERE {quote(pk)} > %s" if last_pk is not None else ""
            select = (
                f"SELECT {quote(pk)}, {', '.join(quote(c) for c in columns)} FROM {quote(table)} "  # noqa: S608 (names from model metadata, quoted)
                f"{where} ORDER BY {quote(pk)} LIMIT {BATCH}"
            )
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(select, [last_pk] if last_pk is not None else [])
                rows = cursor.fetchall()
                for row_pk, *values in rows:
                    stale = {
                        col: val
                        for col, val in zip(columns, values, strict=True)
                        if val and not crypto.is_current_key(val)
                    }
                    count += len(stale)
                    if stale and not dry_run:
                        assignments = ", ".join(f"{quote(col)} = %s" for col in stale)
                        cursor.execute(
                            f"UPDATE {quote(table)} SET {assignments} WHERE {quote(pk)} = %s",  # noqa: S608
                            [crypto.rotate(val) for val in stale.values()] + [row_pk],
                        )
            if len(rows) < BATCH:
                break
            last_pk = rows[-1][0]
        moved[table] = count
    return moved


class Command(BaseCommand):
    help = "Re-encrypt personal data with the newest key of FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would move; write nothing.")

    def handle(self, *args, dry_run=False, **options):
        moved = reencrypt_all(dry_run=dry_run)
        verb = "would move" if dry_run else "moved"
        for table, count in moved.items():
            self.stdout.write(f"{table}: {verb} {count} value(s) to the newest key")
        self.stdout.write(self.style.SUCCESS(f"Done: {sum(moved.values())} value(s) {verb}."))
