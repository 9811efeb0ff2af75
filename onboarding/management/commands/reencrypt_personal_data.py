"""Re-encrypt every encrypted column and every document file with the newest key of FIELD_ENCRYPTION_KEYS.

Rotation: put the new key first in the list, keep the old ones, run this command, then drop the old keys.
Blind indexes use their own key and are not touched. Rows are read and written as ciphertext through
SQL, so no plaintext passes through model code, and each table is done in batches of short transactions.

Document files go through the storage API (the file system here, S3 likewise), token in, token out: the
stored token is rotated to the newest key and written under a new name; a short transaction switches the
row to it only if the row still names the old file; then the old file is deleted. Whenever the process
stops, every row names a complete file that a configured key opens, and the next run finishes the work:
it moves what is still stale and deletes the files an interrupted run left beside a document (a new file
never switched to, or an old one never deleted). The command exits non-zero while any document file is
missing or cannot be read: do not drop an old key then. One run at a time (an advisory lock on PostgreSQL).
"""

import hashlib
import posixpath
import secrets
from collections import Counter
from contextlib import contextmanager

from cryptography.fernet import InvalidToken
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from onboarding import crypto
from onboarding.fields import EncryptedMixin
from onboarding.models import Document

BATCH = 500
LOCK_KEY = int.from_bytes(hashlib.sha256(b"portal:reencrypt_personal_data").digest()[:8], "big", signed=True)
# A document's files are named after its public id: the upload's name, or the id and a suffix.
NAME_SEPARATORS = ("-", "_", ".")


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


def reencrypt_documents(*, dry_run: bool = False) -> Counter:
    """Counts ``moved`` (or would move), ``current``, ``missing``, ``unreadable``, ``changed`` (the row
    named another file by the time of the switch) and ``leftovers`` (files of interrupted runs removed)."""
    field = Document._meta.get_field("file")
    counts = Counter({"moved": 0, "current": 0, "missing": 0, "unreadable": 0, "changed": 0, "leftovers": 0})
    last_pk = 0
    while True:
        rows = list(
            Document.objects.filter(pk__gt=last_pk).order_by("pk").values_list("pk", "public_id", "file")[:BATCH]
        )
        for pk, public_id, name in rows:
            outcome, name = _reencrypt_file(field, pk, public_id, name, dry_run=dry_run)
            counts[outcome] += 1
            if outcome in ("moved", "current") and not dry_run:
                counts["leftovers"] += _remove_leftovers(field.storage, public_id, name)
        if len(rows) < BATCH:
            break
        last_pk = rows[-1][0]
    return counts


def _reencrypt_file(field, pk: int, public_id: str, name: str, *, dry_run: bool) -> tuple[str, str]:
    storage = field.storage
    try:
        token = storage.read_token(name)
    except FileNotFoundError:
        return "missing", name
    if crypto.is_current_key(token):
        return "current", name
    try:
        rotated = crypto.fernet().rotate(token)
    except InvalidToken:
        return "unreadable", name
    if dry_run:
        return "moved", name
    wanted = posixpath.join(posixpath.dirname(name), f"{public_id}-{secrets.token_hex(4)}")
    new_name = storage.save_token(wanted, rotated, max_length=field.max_length)
    with transaction.atomic():
        switched = Document.objects.filter(pk=pk, file=name).update(file=new_name)
    if not switched:
        storage.delete(new_name)
        return "changed", name
    storage.delete(name)
    return "moved", new_name


def _remove_leftovers(storage, public_id: str, current: str) -> int:
    """Delete the files named after this document that its row does not name."""
    folder = posixpath.dirname(current)
    try:
        _folders, files = storage.listdir(folder)
    except FileNotFoundError:
        return 0
    leftovers = [
        posixpath.join(folder, filename)
        for filename in files
        if (filename == public_id or (filename.startswith(public_id) and filename[len(public_id)] in NAME_SEPARATORS))
        and posixpath.join(folder, filename) != current
    ]
    for leftover in leftovers:
        storage.delete(leftover)
    return len(leftovers)


@contextmanager
def one_run_at_a_time():
    """Two runs at once could each delete the other's new file as a left-over: refuse the second."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        (acquired,) = cursor.fetchone()
    if not acquired:
        raise CommandError("Another re-encryption is running; run this again once it has finished.")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


class Command(BaseCommand):
    help = "Re-encrypt personal data (columns and document files) with the newest key of FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count what would move; write nothing.")

    def handle(self, *args, dry_run=False, **options):
        with one_run_at_a_time():
            moved = reencrypt_all(dry_run=dry_run)
            files = reencrypt_documents(dry_run=dry_run)
        verb = "would move" if dry_run else "moved"
        for table, count in moved.items():
            self.stdout.write(f"{table}: {verb} {count} value(s) to the newest key")
        self.stdout.write(
            f"documents: {verb} {files['moved']} file(s) to the newest key, {files['current']} already current"
        )
        if files["leftovers"]:
            self.stdout.write(f"documents: {files['leftovers']} left-over file(s) removed (from an interrupted run)")
        if files["changed"]:
            self.stdout.write(f"documents: {files['changed']} changed while this ran; run this again")
        if files["missing"] or files["unreadable"]:
            raise CommandError(
                f"{files['missing']} document file(s) missing, {files['unreadable']} unreadable with every "
                "configured key; the others were moved. Keep the old keys until this is resolved."
            )
        self.stdout.write(
            self.style.SUCCESS(f"Done: {sum(moved.values())} value(s) and {files['moved']} file(s) {verb}.")
        )
