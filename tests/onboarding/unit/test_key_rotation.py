"""Key rotation as the README documents it: new key first, re-encrypt, drop the old key; documents survive."""

import base64
import hashlib
import io
import os
from pathlib import Path

import psycopg
import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from onboarding.management.commands.reencrypt_personal_data import LOCK_KEY
from onboarding.models import Document
from onboarding.storage import EncryptedFileSystemStorage
from tests.factories import draft_application

pytestmark = pytest.mark.django_db


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def reencrypt() -> str:
    out = io.StringIO()
    call_command("reencrypt_personal_data", stdout=out)
    return out.getvalue()


def storage_root() -> Path:
    return Path(Document._meta.get_field("file").storage.location)


def files_on_disk() -> list[Path]:
    return sorted(path for path in storage_root().rglob("*") if path.is_file())


def assert_every_document_opens():
    documents = list(Document.objects.all())
    assert documents
    for document in documents:
        with document.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == document.sha256


def assert_only_current_files_remain(key: str):
    """One file per document, each readable with ``key`` alone: nothing is left under a retired key."""
    named = sorted(storage_root() / name for name in Document.objects.values_list("file", flat=True))
    assert files_on_disk() == named
    for path in named:
        Fernet(key.encode()).decrypt(path.read_bytes())


def test_documents_open_after_rotation_reencryption_and_dropping_the_old_key(settings):
    draft_application()
    draft_application()
    count = Document.objects.count()
    new = new_key()
    settings.FIELD_ENCRYPTION_KEYS = [new, settings.FIELD_ENCRYPTION_KEYS[0]]

    output = reencrypt()
    settings.FIELD_ENCRYPTION_KEYS = [new]  # the old key is gone

    assert_every_document_opens()
    assert_only_current_files_remain(new)
    assert f"documents: moved {count} file(s) to the newest key, 0 already current" in output


def test_reencryption_runs_again_without_moving_anything(settings):
    draft_application()
    count = Document.objects.count()
    settings.FIELD_ENCRYPTION_KEYS = [new_key(), settings.FIELD_ENCRYPTION_KEYS[0]]
    reencrypt()
    names = set(Document.objects.values_list("file", flat=True))

    assert f"documents: moved 0 file(s) to the newest key, {count} already current" in reencrypt()
    assert set(Document.objects.values_list("file", flat=True)) == names


def test_a_run_interrupted_after_writing_the_new_file_is_finished_by_the_next_run(settings, monkeypatch):
    draft_application()
    new = new_key()
    settings.FIELD_ENCRYPTION_KEYS = [new, settings.FIELD_ENCRYPTION_KEYS[0]]
    save_token = EncryptedFileSystemStorage.save_token

    def power_cut(self, name, token, **kwargs):
        save_token(self, name, token, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(EncryptedFileSystemStorage, "save_token", power_cut)
    with pytest.raises(KeyboardInterrupt):
        reencrypt()
    monkeypatch.undo()
    assert len(files_on_disk()) == Document.objects.count() + 1  # the half-done move left a file

    reencrypt()
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert_every_document_opens()
    assert_only_current_files_remain(new)


def test_a_run_interrupted_before_deleting_the_old_file_is_finished_by_the_next_run(settings, monkeypatch):
    draft_application()
    new = new_key()
    settings.FIELD_ENCRYPTION_KEYS = [new, settings.FIELD_ENCRYPTION_KEYS[0]]

    def power_cut(self, name):
        raise KeyboardInterrupt

    monkeypatch.setattr(EncryptedFileSystemStorage, "delete", power_cut)
    with pytest.raises(KeyboardInterrupt):
        reencrypt()
    monkeypatch.undo()
    assert len(files_on_disk()) == Document.objects.count() + 1  # the old file of the moved document

    output = reencrypt()
    assert "1 left-over file(s) removed" in output
    settings.FIELD_ENCRYPTION_KEYS = [new]
    assert_every_document_opens()
    assert_only_current_files_remain(new)


def test_dry_run_counts_files_and_changes_nothing(settings):
    draft_application()
    count = Document.objects.count()
    before = {path: path.read_bytes() for path in files_on_disk()}
    settings.FIELD_ENCRYPTION_KEYS = [new_key(), settings.FIELD_ENCRYPTION_KEYS[0]]

    out = io.StringIO()
    call_command("reencrypt_personal_data", "--dry-run", stdout=out)
    assert f"documents: would move {count} file(s) to the newest key" in out.getvalue()
    assert {path: path.read_bytes() for path in files_on_disk()} == before


def test_a_missing_or_unreadable_file_is_reported_and_the_rest_still_move(settings):
    draft_application()
    first, second, *rest = Document.objects.order_by("pk")
    (storage_root() / first.file.name).unlink()
    (storage_root() / second.file.name).write_bytes(Fernet(new_key().encode()).encrypt(b"%PDF-"))
    new = new_key()
    settings.FIELD_ENCRYPTION_KEYS = [new, settings.FIELD_ENCRYPTION_KEYS[0]]

    with pytest.raises(CommandError, match="1 document file\\(s\\) missing, 1 unreadable with every configured key"):
        reencrypt()
    settings.FIELD_ENCRYPTION_KEYS = [new]
    for document in Document.objects.filter(pk__in=[document.pk for document in rest]):
        with document.file.open("rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == document.sha256


def test_a_second_run_at_the_same_time_is_refused(postgres):
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    with psycopg.connect(**params) as other, other.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        with pytest.raises(CommandError, match="Another re-encryption is running"):
            reencrypt()
