"""Personal data at rest: no plaintext in any column, key rotation, re-encryption, blind indexes, masks."""

import base64
import io
import os

import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from onboarding import crypto
from onboarding.management.commands.reencrypt_personal_data import encrypted_columns, reencrypt_all
from onboarding.models import Application, BankAccount, Party
from tests.factories import draft_application

pytestmark = pytest.mark.django_db
PLAINTEXTS = ["212543321", "212-54-3321", "318609912", "482910337765", "1980-05-17", "1975-11-30", "462811507"]


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def all_raw_values() -> list[str]:
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            values += [str(value) for row in cursor.fetchall() for value in row if value is not None]
    return values


def test_raw_sql_finds_no_plaintext_anywhere():
    draft_application()
    raw = all_raw_values()
    for secret in PLAINTEXTS:
        assert not any(secret in value for value in raw), secret


def test_rotation_keeps_old_rows_readable_and_reencryption_moves_them(settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    application = draft_application()
    index_before = application.tax_id_index
    bank_index_before = application.bank_account.account_index

    settings.FIELD_ENCRYPTION_KEYS = [new_key(), old_key]
    application = Application.objects.get(pk=application.pk)
    assert application.tax_id == "462811507"  # old rows still read
    assert sum(reencrypt_all(dry_run=True).values()) > 0

    call_command("reencrypt_personal_data", stdout=io.StringIO())
    assert sum(reencrypt_all(dry_run=True).values()) == 0
    for model, columns in encrypted_columns():
        for column in columns:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE {column} IS NOT NULL")  # noqa: S608
                assert all(crypto.is_current_key(value) for (value,) in cursor.fetchall())

    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]  # the old key is gone
    application = Application.objects.get(pk=application.pk)
    assert application.tax_id == "462811507"
    assert str(Party.objects.get(last_name="Zhao").date_of_birth) == "1980-05-17"
    assert BankAccount.objects.get(application=application).account_number == "482910337765"
    assert application.tax_id_index == index_before
    assert application.bank_account.account_index == bank_index_before


def test_a_sole_proprietors_ssn_hashes_like_the_same_ssn_of_an_owner():
    assert crypto.blind_index("ssn", "212-54-3321") == crypto.blind_index("ssn", "212543321")
    assert crypto.blind_index("ssn", "212543321") != crypto.blind_index("ein", "212543321")
    application = draft_application(
        business={"entity_type": "sole_proprietorship", "tax_id_type": "ssn", "tax_id": "212 54 3321"}
    )
    owner = application.parties.get(first_name="Wen")
    assert application.tax_id_index == owner.id_number_index


def test_blind_index_depends_on_its_own_key(settings):
    first = crypto.blind_index("ssn", "212543321")
    settings.BLIND_INDEX_KEY = "another-key"
    assert crypto.blind_index("ssn", "212543321") != first


def test_bank_account_index_covers_routing_and_account():
    assert crypto.bank_account_index("021000021", "123") != crypto.bank_account_index("021000021", "124")
    assert crypto.bank_account_index("021000021", "123") != crypto.bank_account_index("121000358", "123")


@pytest.mark.parametrize(
    ("value", "shown"),
    [("212-54-3321", "•••• 3321"), ("482910337765", "•••• 7765"), ("123", "••••"), ("", ""), (None, "")],
)
def test_masking(value, shown):
    assert crypto.mask(value) == shown


@given(st.text(max_size=40))
def test_encryption_round_trips_any_text(text):
    assert crypto.decrypt(crypto.encrypt(text)) == text


@given(st.from_regex(r"\d{9,17}", fullmatch=True))
def test_identifiers_never_appear_in_their_ciphertext(number):
    assert number not in crypto.encrypt(number)


def test_encrypted_fields_refuse_lookups():
    with pytest.raises(Exception, match="Unsupported lookup"):
        list(Application.objects.filter(tax_id="462811507"))
