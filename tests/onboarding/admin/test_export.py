"""The examiner's export: every decision explained from the files alone, and no personal data in them."""

import csv
import io
import json
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from onboarding.errors import PermissionDenied
from onboarding.kyc.pipeline import run_checks
from onboarding.kyc.policy import decide
from onboarding.models import Event
from onboarding.services.actors import Actor
from onboarding.services.export import ExportScope, audit_export_build
from onboarding.services.reveal import personal_data_reveal
from sanctions.hits import hit_confirm
from tests.staff import staff_login

pytestmark = pytest.mark.django_db

# The fixture's personal data, in every form it could be written in.
PERSONAL = ["524718830", "524-71-8830", "1972-10-12", "10/12/1972", "482910337765", "462811507", "46-2811507"]
TABLES = ["events", "check_results", "risk_scores", "decision_policies", "risk_rule_sets", "documents",
          "review_cases", "field_history", "sanctions_hits", "ofac_reports", "sanctions_list_versions"]  # fmt: skip


@pytest.fixture
def decided(suspended_case, senior):
    application = suspended_case.hit.application
    decide(application, run_checks(application))  # every check's result, and the risk score
    hit_confirm(hit=suspended_case.hit, actor=Actor.for_user(senior), reason="Same person: name and date of birth.")
    party = application.parties.get()
    personal_data_reveal(actor=Actor.for_user(senior), obj=party, field="id_number", reason="Checking the SSN.")
    return suspended_case


def unzip(response) -> dict[str, str]:
    assert response.streaming  # the archive is streamed, never built in memory
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def rows(files, table):
    return list(csv.DictReader(io.StringIO(files[f"{table}.csv"])))


def test_the_action_exports_an_application_with_every_decision_and_no_personal_data(client, decided, senior):
    application = decided.hit.application
    staff_login(client, senior)
    response = client.post(reverse("admin:onboarding_application_changelist") + "?state=any",
                           {"action": "export_for_examiner", "_selected_action": [application.pk]})  # fmt: skip
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith(f'attachment; filename="audit-{application.public_id}-')
    files = unzip(response)
    assert set(files) == {"manifest.json"} | {f"{t}.{ext}" for t in TABLES for ext in ("csv", "json")}
    for name, text in files.items():
        for value in PERSONAL:
            assert value not in text, f"{value} in {name}"

    manifest = json.loads(files["manifest.json"])
    assert (
        manifest["scope"] == {"applications": [application.public_id]} and manifest["generated_by"] == senior.username
    )

    sanctions = next(
        r for r in rows(files, "check_results") if r["check_name"] == "sanctions" and r["is_current"] == "True"
    )
    assert sanctions["list_version"] == decided.hit.version.public_id
    assert sanctions["algorithm"].startswith("ofac-name-match/") and json.loads(sanctions["thresholds"])["review"]
    wallets = next(r for r in rows(files, "check_results") if r["rule_version"])
    assert int(wallets["rule_version"]) >= 1 and wallets["check_version"]
    risk = rows(files, "risk_scores")[0]
    assert risk["rule_set_version"] and risk["medium_from"] and risk["high_from"]
    assert rows(files, "decision_policies") and rows(files, "risk_rule_sets")

    hit = next(r for r in rows(files, "sanctions_hits") if r["public_id"] == decided.hit.public_id)
    assert hit["status"] == "confirmed" and hit["decided_by"] == senior.username
    assert hit["status_reason"] == "Same person: name and date of birth."
    assert hit["list_version"] == decided.hit.version.public_id and hit["algorithm_version"] and hit["entry_hash"]
    report = rows(files, "ofac_reports")[0]
    assert report["hit"] == decided.hit.public_id and report["decision"] == "blocked" and report["due_on"]

    events = json.loads(files["events.json"])
    actions = {e["action"] for e in events}
    assert {"confirmed", "ofac_report_due", "suspended", "suspension_cause", "personal_data_revealed"} <= actions
    confirmed = next(e for e in events if e["action"] == "confirmed")
    assert confirmed["actor"] == senior.username and confirmed["details"]["reason"].startswith("Same person")
    assert rows(files, "review_cases")[0]["public_id"] == decided.case.public_id
    history = rows(files, "field_history")
    assert {"application", "party"} <= {r["model"] for r in history}
    assert all("tax_id_index" not in r["changes"] and "id_number_index" not in r["changes"] for r in history)

    exported = Event.objects.get(action="audit_exported", subject_id=application.public_id)
    assert exported.actor_user == senior and exported.visibility == "internal"


def test_a_date_range_export_covers_what_happened_in_it(client, decided, compliance_officer):
    staff_login(client, compliance_officer)
    today = timezone.now().date().isoformat()
    assert client.get(reverse("officer:export")).status_code == 200
    response = client.post(reverse("officer:export"), {"since": today, "until": today})
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    files = unzip(response)
    assert json.loads(files["manifest.json"])["scope"]["since"].startswith(today)
    assert {r["public_id"] for r in rows(files, "sanctions_hits")} >= {decided.hit.public_id}
    assert any(r["action"] == "personal_data_revealed" for r in rows(files, "events"))
    for name, text in files.items():
        for value in PERSONAL:
            assert value not in text, f"{value} in {name}"
    assert Event.objects.filter(action="audit_exported", subject_type="user", actor_user=compliance_officer).exists()


def test_nothing_is_exported_outside_the_range(client, decided, compliance_officer):
    staff_login(client, compliance_officer)
    response = client.post(reverse("officer:export"), {"since": "2020-01-01", "until": "2020-01-31"})
    files = unzip(response)
    assert rows(files, "events") == [] and rows(files, "sanctions_hits") == []


def test_support_cannot_export(client, decided, support):
    application = decided.hit.application
    staff_login(client, support)
    assert client.post(reverse("officer:export"), {"since": "2026-01-01", "until": "2026-01-02"}).status_code == 403
    action = {"action": "export_for_examiner", "_selected_action": [application.pk]}
    response = client.post(reverse("admin:onboarding_application_changelist") + "?state=any", action, follow=True)
    assert response["Content-Type"].startswith("text/html")  # the action is not offered: no archive
    with pytest.raises(PermissionDenied):
        audit_export_build(actor=Actor.for_user(support), scope=ExportScope(applications=[application]))
    assert not Event.objects.filter(action="audit_exported").exists()
