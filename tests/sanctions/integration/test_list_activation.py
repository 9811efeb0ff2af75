"""Held versions and going back: a version that removes too much waits for a senior officer; activating it,
or an earlier version, takes a reason, writes an event and owes a re-screen; going back closes no hit that
a newer version raised."""

from __future__ import annotations

import json
import shutil
from io import StringIO
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from onboarding.errors import DomainError, PermissionDenied
from onboarding.models import Application, Event, OwedWork
from onboarding.roles import COMPLIANCE_OFFICER, SENIOR_COMPLIANCE_OFFICER
from onboarding.services.actors import Actor
from onboarding.states import AppState
from sanctions.check import SanctionsCheck
from sanctions.freshness import active_version, health_probe
from sanctions.loading import list_version_activate
from sanctions.models import RefreshAttempt, SanctionsHit, SanctionsListVersion
from sanctions.tasks import rescreen_after_load
from tests.factories import officer
from tests.sanctions.integration.helpers import (
    SAMPLE,
    application_with,
    load_folder,
    person,
    today,
    without_entry,
)
from tests.staff import staff_login

pytestmark = pytest.mark.django_db
RESCREEN_TASK = "sanctions.tasks.rescreen_after_load"


def owed_rescreen(version) -> OwedWork:
    """The re-screen an activation owes is a durable row, pending until the worker has done it."""
    return OwedWork.objects.get(subject_id=version.public_id, kind="sanctions_rescreen", status="pending")


@pytest.fixture
def sent():
    """What is published to the broker."""
    with mock.patch("portal.celery.app.send_task") as send_task:
        yield send_task


def load(*args) -> str:
    out = StringIO()
    call_command("load_sanctions", *args, stdout=out)
    return out.getvalue()


def moreno_with_open_hit():
    application = application_with(person("Daniel", "Moreno", "1972-10-12", 100, True))
    SanctionsCheck().run(application)
    return application, SanctionsHit.objects.get(application=application, uid=15102, is_current=True)


def status_of(version: SanctionsListVersion) -> str:
    return SanctionsListVersion.objects.get(pk=version.pk).status


def test_a_version_that_removes_too_much_is_held_until_a_senior_officer_activates_it(
    tmp_path, small_lists, settings, sent, client, django_capture_on_commit_callbacks
):
    settings.SANCTIONS_MAX_REMOVAL_SHARE = 0.05  # the default: one of the sample's 17 entries is 5.9%
    active = load_folder(SAMPLE).version
    application, hit = moreno_with_open_hit()
    fewer = without_entry(SAMPLE, 15102, tmp_path / "fewer")

    output = load("--source", str(fewer), "--publish-date", str(today()), "--rescreen-now")
    held = SanctionsListVersion.objects.exclude(pk=active.pk).get()
    assert output.startswith(f"Held {held.public_id}") and "NOT active" in output
    assert held.status == "held" and not held.is_active and "would remove 1 of the 17 entries" in held.status_reason
    assert active_version() == active
    hit.refresh_from_db()
    assert hit.status == "open" and hit.is_current  # nothing closes while the version is held
    attempt = RefreshAttempt.objects.get(version=held)
    assert attempt.status == "held" and attempt.finished_at is not None
    assert Event.objects.filter(subject_id=held.public_id, action="list_held", visibility="internal").exists()

    probe = health_probe()
    assert probe["status"] == "degraded" and probe["active_version"] == active.public_id
    assert probe["held_version"]["version"] == held.public_id
    assert (probe["held_version"]["added"], probe["held_version"]["changed"], probe["held_version"]["removed"]) == (
        0,
        0,
        1,
    )
    assert "would remove" in probe["held_version"]["why"] and probe["held_version"]["loaded_at"]
    component = json.loads(client.get("/healthz").content)["components"]["sanctions_list"]
    assert component["status"] == "degraded" and component["held_version"]["version"] == held.public_id

    # The re-screen of a held version never runs.
    assert rescreen_after_load(held.public_id)["applications"] == 0
    hit.refresh_from_db()
    assert hit.status == "open" and hit.is_current

    with pytest.raises(PermissionDenied):
        list_version_activate(version=held, actor=Actor.for_user(officer(COMPLIANCE_OFFICER)), reason="Looks right")
    senior = officer(SENIOR_COMPLIANCE_OFFICER)
    with pytest.raises(DomainError) as refused:
        list_version_activate(version=held, actor=Actor.for_user(senior), reason="  ")
    assert refused.value.code == "reason_required"
    assert status_of(held) == "held" and active_version() == active and not sent.called

    with django_capture_on_commit_callbacks(execute=True):
        activation = list_version_activate(
            version=held, actor=Actor.for_user(senior), reason="OFAC delisted him on Friday; checked the notice"
        )
        assert not sent.called  # published after commit
    assert activation.full is False and activation.going_back is False
    assert active_version() == held and status_of(active) == "inactive"
    event = Event.objects.get(subject_id=held.public_id, action="list_activated")
    assert event.visibility == "internal" and event.actor_user == senior
    assert event.details["from"] == active.public_id and event.details["to"] == held.public_id
    assert event.details["reason"] == "OFAC delisted him on Friday; checked the notice"
    sent.assert_called_once_with(RESCREEN_TASK, args=[held.public_id], kwargs={"full": False}, retry=False)
    assert owed_rescreen(held).payload == {"full": False}
    assert health_probe()["held_version"] is None

    # What the worker then runs: the removed entry closes its hit, now that the version is active.
    rescreen_after_load(held.public_id, full=False)
    hit.refresh_from_db()
    assert hit.status == "closed" and not hit.is_current
    assert OwedWork.objects.get(subject_id=held.public_id).status == "done"


def test_going_back_to_an_earlier_version_keeps_the_newer_versions_hits_and_owes_a_full_rescreen(
    tmp_path, small_lists, sent, django_capture_on_commit_callbacks
):
    """V1 lists Daniel Moreno, V2 removes him, V3 lists him again and raises a hit; going back to V2 (wrongly
    published, say) must not close or supersede that hit."""
    load_folder(SAMPLE)
    without = load_folder(without_entry(SAMPLE, 15102, tmp_path / "without")).version
    application = application_with(person("Daniel", "Moreno", "1972-10-12", 100, True))
    Application.objects.filter(pk=application.pk).update(state=AppState.IN_REVIEW)
    SanctionsCheck().run(application)
    assert not SanctionsHit.objects.filter(application=application).exists()
    again = tmp_path / "again"
    shutil.copytree(SAMPLE, again)
    (again / "sdn.csv").write_bytes((SAMPLE / "sdn.csv").read_bytes() + b"\r\n")  # the next publication
    newer = load_folder(again).version
    rescreen_after_load(newer.public_id)
    hit = SanctionsHit.objects.get(application=application, uid=15102, is_current=True)
    assert hit.version == newer and hit.status == "open"

    with pytest.raises(CommandError, match="needs --reason"):
        load("--activate", without.public_id)
    with django_capture_on_commit_callbacks(execute=True):
        output = load("--activate", without.public_id, "--reason", "The newer list was published in error")
    assert f"Activated {without.public_id}" in output and "going back" in output
    assert active_version() == without and status_of(newer) == "inactive"
    sent.assert_called_once_with(RESCREEN_TASK, args=[without.public_id], kwargs={"full": True}, retry=False)
    assert owed_rescreen(without).payload == {"full": True}
    event = Event.objects.get(subject_id=without.public_id, action="list_activated")
    assert event.details["from"] == newer.public_id and event.details["going_back"] is True
    assert event.details["full_rescreen"] is True and event.actor_label == "sanctions-loader"

    # The worker runs the full re-screen, and the newer version's late delta task runs too.
    summary = rescreen_after_load(without.public_id, full=True)
    assert summary["applications"] == 1 and summary["closed_hits"] == 0
    rescreen_after_load(newer.public_id)
    hit.refresh_from_db()
    assert hit.is_current and hit.status == "open"

    # Forward again through the service: the newer version's delta was taken against this one.
    senior = officer(SENIOR_COMPLIANCE_OFFICER)
    sent.reset_mock()
    with django_capture_on_commit_callbacks(execute=True):
        forward = list_version_activate(version=newer, actor=Actor.for_user(senior), reason="Confirmed with OFAC")
    assert forward.going_back is False and forward.full is False and active_version() == newer
    sent.assert_called_once_with(RESCREEN_TASK, args=[newer.public_id], kwargs={"full": False}, retry=False)
    assert owed_rescreen(newer).payload == {"full": False}


def test_going_back_through_the_service_needs_a_senior_officer(small_lists, tmp_path):
    earlier = load_folder(SAMPLE).version
    later = load_folder(without_entry(SAMPLE, 15102, tmp_path / "later")).version
    with pytest.raises(PermissionDenied):
        list_version_activate(version=earlier, actor=Actor.for_user(officer(COMPLIANCE_OFFICER)), reason="Back")
    activation = list_version_activate(
        version=earlier, actor=Actor.for_user(officer(SENIOR_COMPLIANCE_OFFICER)), reason="Back", rescreen=False
    )
    assert activation.going_back and activation.full and activation.previous == later
    assert active_version() == earlier
    with pytest.raises(DomainError, match="already the active version"):
        list_version_activate(version=earlier, actor=Actor.system("tests"), reason="Again")


def test_loading_stored_content_again_makes_it_active_only_when_asked(tmp_path, small_lists, sent):
    folder = tmp_path / "earlier"
    shutil.copytree(SAMPLE, folder)
    earlier = load_folder(folder).version
    load_folder(without_entry(SAMPLE, 15102, tmp_path / "later"))

    output = load("--source", str(folder), "--publish-date", str(today()))
    assert output.startswith(f"Unchanged: this content is already loaded as {earlier.public_id}.")
    assert "It is not the active version (it is inactive)" in output and status_of(earlier) == "inactive"
    assert RefreshAttempt.objects.order_by("-id").first().status == "unchanged"

    with pytest.raises(CommandError, match="needs --reason"):
        load("--source", str(folder), "--publish-date", str(today()), "--activate-if-stored")
    output = load(
        "--source", str(folder), "--publish-date", str(today()), "--activate-if-stored", "--reason", "Back to Monday"
    )
    assert f"Activated {earlier.public_id}" in output and active_version() == earlier
    event = Event.objects.get(subject_id=earlier.public_id, action="list_activated")
    assert event.details["reason"] == "Back to Monday"


def test_the_admin_shows_a_held_version_and_only_senior_officers_may_activate_it(
    tmp_path, small_lists, settings, client, sent
):
    settings.SANCTIONS_MAX_REMOVAL_SHARE = 0.05
    active = load_folder(SAMPLE).version
    held = load_folder(without_entry(SAMPLE, 15102, tmp_path / "fewer")).version
    url = "/admin/sanctions/sanctionslistversion/"

    staff_login(client, officer(COMPLIANCE_OFFICER))
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and held.public_id in body and "would remove 1 of the 17 entries" in body
    assert "removed 1" in body and "Activate this version" not in body
    refused = client.post(url, {"action": "activate_version", "_selected_action": [held.pk], "reason": "ok"})
    assert refused.status_code in (200, 302) and active_version() == active

    staff_login(client, officer(SENIOR_COMPLIANCE_OFFICER))
    assert "Activate this version" in client.get(url).content.decode()
    form = client.post(url, {"action": "activate_version", "_selected_action": [held.pk]})
    assert form.status_code == 200 and 'name="reason"' in form.content.decode()
    assert active_version() == active
    done = client.post(
        url, {"action": "activate_version", "_selected_action": [held.pk], "reason": "Checked OFAC's notice"}
    )
    assert done.status_code == 302 and active_version() == held
    assert Event.objects.get(subject_id=held.public_id, action="list_activated").details["reason"] == (
        "Checked OFAC's notice"
    )


def test_a_newer_held_version_supersedes_the_older_one(tmp_path, small_lists, settings):
    settings.SANCTIONS_MAX_REMOVAL_SHARE = 0.05
    active = load_folder(SAMPLE).version
    first = load_folder(without_entry(SAMPLE, 15102, tmp_path / "monday")).version
    tuesday = without_entry(SAMPLE, 15102, tmp_path / "tuesday")
    (tuesday / "add.csv").write_bytes((tuesday / "add.csv").read_bytes() + b"\r\n")
    second = load_folder(tuesday).version
    assert (status_of(first), status_of(second), active_version()) == ("inactive", "held", active)
    assert "Superseded while held" in SanctionsListVersion.objects.get(pk=first.pk).status_reason
    assert health_probe()["held_version"]["version"] == second.public_id
