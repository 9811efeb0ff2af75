"""An application screened end to end by a real worker leaves its owners' SSNs, dates of birth and bank
account numbers nowhere in clear: not in any text column of any table (field history included), not in
the worker's log."""

import pytest
from django.db import connection

from onboarding.models import Application
from onboarding.services.actors import Actor
from onboarding.services.applications import application_submit
from onboarding.states import AppState
from sanctions.models import SanctionsHit
from tests.live import wait_for
from tests.sanctions.integration.helpers import CLEAN_OWNER, application_with, person

pytestmark = [pytest.mark.live_worker, pytest.mark.django_db(transaction=True)]

# A listed owner with his exact date of birth (SDN 15102), so that the screening has something to say.
LISTED = person("Daniel", "Moreno", "1972-10-12", 30, ssn="318-60-9912")
OWNER = dict(CLEAN_OWNER, ownership_percent=70)
SECRETS = {
    "an SSN": ["318-60-9912", "318609912", "212-54-3321", "212543321"],
    "a date of birth": ["1972-10-12", "12 Oct 1972", "10/12/1972", "19721012", "1980-05-17", "17 May 1980"],
    "a bank account number": ["482910337765"],
}
TEXT_TYPES = ("character varying", "text", "jsonb", "json", "character")
# OFAC's published list itself (entries, their dates of birth) is public data, not an applicant's.
PUBLIC_LIST_TABLES = ("sanctions_sanctionsentry",)


def text_columns() -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND data_type = ANY(%s) AND NOT table_name = ANY(%s)",
            [list(TEXT_TYPES), list(PUBLIC_LIST_TABLES)],
        )
        return cursor.fetchall()


def occurrences(value: str) -> list[str]:
    found = []
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table, column in text_columns():
            cursor.execute(
                f"SELECT count(*) FROM {quote(table)} WHERE {quote(column)}::text LIKE %s",  # noqa: S608
                [f"%{value}%"],
            )
            if cursor.fetchone()[0]:
                found.append(f"{table}.{column}")
    return found


def test_screening_leaves_no_personal_data_in_any_column_or_in_the_worker_log(live_worker, fresh_list, tmp_path):
    application = application_with(OWNER, LISTED)
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    wait_for(lambda: Application.objects.get(pk=application.pk).state == AppState.IN_REVIEW, what="the screening")
    hit = SanctionsHit.objects.get(application=application, uid=15102, is_current=True)
    assert hit.dob_matches and any("date of birth" in reason for reason in hit.reasons)

    assert any(table.endswith("event") and table != "onboarding_event" for table, _ in text_columns()), (
        "the field-history tables are searched too"
    )
    log = (tmp_path / "worker.log").read_text()
    assert "onboarding.tasks.process_application" in log  # the log is the worker's, and it did the work
    for what, values in SECRETS.items():
        for value in values:
            assert occurrences(value) == [], f"{what} ({value}) is stored in clear"
            assert value not in log, f"{what} ({value}) is in the worker's log"
