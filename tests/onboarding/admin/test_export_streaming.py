"""The examiner's export of a long date range: streamed, complete, and made in a number of queries that
does not grow with the number of rows it holds."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onboarding import roles
from onboarding.models import Event
from onboarding.services import export, export_guard
from tests.factories import draft_application, officer
from tests.staff import staff_login

pytestmark = pytest.mark.django_db

# The draft's first owner: an SSN and a date of birth the events below carry in their details.
SSN, BIRTH_DATE = "212-54-3321", "1980-05-17"


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks and spools small enough that a few thousand rows take many chunks and spill to disk."""
    monkeypatch.setattr(export, "CHUNK", 300)
    monkeypatch.setattr(export_guard, "CHUNK", 300)
    monkeypatch.setattr(export, "SPOOL_BYTES", 64 * 1024)


def add_events(application, count: int) -> None:
    Event.objects.bulk_create(
        [
            Event(
                actor_type=Event.ActorType.SYSTEM,
                actor_label="bulk",
                subject_type="application",
                subject_id=application.public_id,
                application=application,
                merchant=None,
                action="note_added",
                details={"n": i, "note": f"caller gave SSN {SSN}, born {BIRTH_DATE}"},
            )
            for i in range(count)
        ],
        batch_size=1000,
    )


def export_today(client):
    """The export of today, its archive's members, and how many queries making and sending it took."""
    today = timezone.now().date()
    start = datetime.datetime.combine(today, datetime.time.min, tzinfo=datetime.UTC)
    expected = Event.objects.filter(occurred_at__gte=start, occurred_at__lt=start + datetime.timedelta(days=1))
    expected = expected.count()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("officer:export"), {"since": today.isoformat(), "until": today.isoformat()})
        assert isinstance(response, StreamingHttpResponse) and response.streaming
        content = b"".join(response.streaming_content)
    assert response["Content-Disposition"] == f'attachment; filename="audit-{today:%Y%m%d}-{today:%Y%m%d}.zip"'
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert archive.testzip() is None  # every member complete, its checksum right
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    return files, expected, len(queries)


def test_a_long_range_is_streamed_whole_in_a_fixed_number_of_queries(client, small_chunks):
    application = draft_application(documents=False)
    staff_login(client, compliance_officer := officer(roles.COMPLIANCE_OFFICER))

    add_events(application, 100)
    small, small_expected, small_queries = export_today(client)
    add_events(application, 1900)
    large, large_expected, large_queries = export_today(client)

    for files, expected in ((small, small_expected), (large, large_expected)):
        manifest = json.loads(files["manifest.json"])
        events_csv = list(csv.DictReader(io.StringIO(files["events.csv"])))
        events_json = json.loads(files["events.json"])
        assert len(events_csv) == len(events_json) == manifest["tables"]["events"]["rows"] == expected
        assert [e["public_id"] for e in events_json] == [row["public_id"] for row in events_csv]
        for name, text in files.items():
            if name.endswith(".json"):
                json.loads(text)
            assert SSN not in text and SSN.replace("-", "") not in text and BIRTH_DATE not in text, name
    notes = [e for e in json.loads(large["events.json"]) if e["action"] == "note_added"]
    assert len(notes) == 2000 and notes[0]["details"]["note"] == "caller gave SSN ••••, born ••••"

    assert large_expected > 2000
    assert small_queries > 10  # the reading is counted (a server-side cursor's statement is one query)
    assert large_queries - small_queries <= 2, (small_queries, large_queries)
    exports = Event.objects.filter(action="audit_exported", actor_user=compliance_officer)
    assert exports.count() == 2 and exports.latest("id").details["rows"]["events"] == large_expected
