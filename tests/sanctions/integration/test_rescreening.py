"""Delta re-screening after a list update: suspend, open a review case, reopen an approved application,
close the hits of removed entries."""

from __future__ import annotations

import shutil

import pytest

from onboarding.models import Application, Event, Merchant, ReviewCase
from onboarding.states import AppState, MerchantState
from sanctions.check import SanctionsCheck
from sanctions.models import SanctionsHit
from sanctions.rescreening import rescreen
from tests.sanctions.integration.helpers import (
    CLEAN_OWNER,
    CONS_ROW,
    SAMPLE,
    application_with,
    live_merchant_for,
    load_folder,
    person,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists(tmp_path, small_lists):
    """Two folders: the sample without Daniel Moreno (15102), and the sample plus a Consolidated entry."""
    before = tmp_path / "before"
    shutil.copytree(SAMPLE, before)
    rows = (SAMPLE / "sdn.csv").read_bytes().split(b"\n")
    (before / "sdn.csv").write_bytes(b"\n".join(r for r in rows if not r.startswith(b"15102,")))
    after = tmp_path / "after"
    shutil.copytree(SAMPLE, after)
    (after / "cons_prim.csv").write_bytes(CONS_ROW.encode())
    return before, after


def test_a_new_blocking_hit_suspends_an_active_merchant_and_reopens_its_approved_application(lists):
    before, after = lists
    load_folder(before)
    application = application_with(person("Daniel", "Moreno", "1972-10-12", 100, True))
    merchant = live_merchant_for(application)
    Application.objects.filter(pk=application.pk).update(state=AppState.APPROVED)
    SanctionsCheck().run(application)
    assert not SanctionsHit.objects.filter(application=application).exists()

    version = load_folder(after).version
    assert 15102 in version.delta["added"] and 99001 in version.delta["added"]
    summary = rescreen(version=version)
    assert summary.suspended == [merchant.public_id] and summary.reopened == [application.public_id]
    merchant.refresh_from_db()
    application.refresh_from_db()
    assert merchant.state == MerchantState.SUSPENDED
    assert application.state == AppState.IN_REVIEW
    assert ReviewCase.objects.filter(merchant=merchant, reason_code="sanctions_new_hit", status="open").count() == 1
    hit = SanctionsHit.objects.get(application=application, uid=15102)
    assert hit.version == version and hit.status == "open"
    assert Event.objects.filter(subject_id=hit.public_id, action="opened", visibility="internal").exists()
    assert Event.objects.filter(application=application, action="sanctions_hit", visibility="internal").exists()

    # Running it again does nothing new.
    again = rescreen(version=version)
    assert again.new_hits == 0 and again.suspended == [] and again.reopened == []
    assert SanctionsHit.objects.filter(application=application, uid=15102).count() == 1

    # The entry leaves the list: its hit is closed, with an event.
    (before / "sdn.csv").write_bytes((before / "sdn.csv").read_bytes() + b"\r\n")  # a new publication
    removed = load_folder(before).version
    assert removed.delta["removed"] == [15102]  # the Consolidated list is not supplied: nothing removed from it
    assert rescreen(version=removed).closed_hits == 1
    hit.refresh_from_db()
    assert hit.status == "closed" and not hit.is_current
    assert Event.objects.filter(subject_id=hit.public_id, action="closed").exists()


def test_a_new_review_level_hit_opens_a_case_without_suspending(lists):
    before, after = lists
    load_folder(before)
    application = application_with(person("Ivan", "Petrovsky", "1970-02-01", 100, True, nationalities=["RU"]))
    merchant = live_merchant_for(application)
    Application.objects.filter(pk=application.pk).update(state=AppState.BOARDED)
    bystander = application_with(CLEAN_OWNER)
    Application.objects.filter(pk=bystander.pk).update(state=AppState.IN_REVIEW)

    summary = rescreen(version=load_folder(after).version)
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.ACTIVE and summary.suspended == []
    assert ReviewCase.objects.filter(merchant=merchant, reason_code="sanctions_new_hit").exists()
    assert Application.objects.get(pk=application.pk).state == AppState.BOARDED
    assert summary.applications == 2 and summary.new_hits == 1
    assert not SanctionsHit.objects.filter(application=bystander).exists()
    assert Merchant.objects.get(pk=merchant.pk).state == MerchantState.ACTIVE


def test_a_version_superseded_before_its_rescreen_ran_is_still_screened(lists, tmp_path):
    """Two loads in quick succession: the second's delta does not include the first's new entry."""
    from sanctions.tasks import rescreen_after_load

    before, after = lists
    load_folder(before)
    application = application_with(person("Daniel", "Moreno", "1972-10-12", 100, True))
    merchant = live_merchant_for(application)
    SanctionsCheck().run(application)
    first = load_folder(after).version  # adds Daniel Moreno (15102); its task has not run yet
    later = tmp_path / "later"
    shutil.copytree(after, later)
    (later / "cons_prim.csv").write_bytes(CONS_ROW.replace("99001", "99002").encode())
    second = load_folder(later).version
    assert 15102 not in second.delta["added"] + second.delta["changed"]

    rescreen_after_load(first.public_id)  # runs late, after the second load
    assert SanctionsHit.objects.filter(application=application, uid=15102, version=second, status="open").exists()
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.SUSPENDED
