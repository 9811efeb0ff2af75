"""The sanctions check: threshold ladder, program flags, the 50% rule, geography, list age, and clearances
that last (through re-screens and a key rotation) and carry over to the merchant's next application."""

from __future__ import annotations

import base64
import os
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from onboarding.errors import PermissionDenied
from onboarding.kyc.pipeline import run_checks
from onboarding.models import Application, CheckResult, Event, Outcome, Party
from onboarding.services.actors import Actor
from onboarding.services.applications import application_withdraw
from onboarding.services.drafts import application_update_draft
from onboarding.services.merchant_applications import application_create_next
from onboarding.states import AppState
from sanctions.check import SanctionsCheck
from sanctions.hits import hit_clear, hit_confirm
from sanctions.models import SanctionsHit
from tests.factories import draft_application, officer
from tests.sanctions.integration.helpers import CLEAN_OWNER, application_with, live_merchant_for, person

pytestmark = pytest.mark.django_db

CONTRACT_KEYS = {
    "list_version",
    "list_age_days",
    "list_stale",
    "hits",
    "open_hits",
    "cleared_hits",
    "confirmed_hits",
    "near_misses",
    "potential_block",
}
HIT_KEYS = {"hit", "party", "name", "matched", "uid", "score", "status", "kind", "blocking"}


def run(application):
    return SanctionsCheck().run(application)


def name_hits(application, **filters):
    return SanctionsHit.objects.filter(application=application, kind="name", **filters)


def test_no_list_loaded_means_not_run(db):
    outcome = run(application_with(CLEAN_OWNER))
    assert outcome.outcome == Outcome.NOT_RUN and outcome.details["list_version"] is None


def test_a_clean_application_passes_against_a_fresh_list_and_the_details_keep_the_contract(fresh_list):
    application = application_with(CLEAN_OWNER)
    results = run_checks(application)
    result = results["sanctions"]
    assert result.outcome == Outcome.PASS
    assert set(result.details) >= CONTRACT_KEYS
    assert result.details["list_version"] == fresh_list.public_id and result.details["list_stale"] is False
    assert result.details["list_age_days"] == 0 and result.details["hits"] == []
    # The same inputs again: not run again.
    rows = CheckResult.objects.filter(application=application).count()
    run_checks(application)
    assert CheckResult.objects.filter(application=application).count() == rows


def test_a_stale_list_never_passes(stale_list):
    outcome = run(application_with(CLEAN_OWNER))
    assert outcome.outcome == Outcome.REVIEW and outcome.details["list_stale"] is True
    assert outcome.details["list_age_days"] == 400


@pytest.mark.parametrize(
    ("owner", "expected", "near_misses"),
    [
        # exact name, matching date of birth, SDN program (SDNTK): block
        (person("Daniel", "Moreno", "1972-10-12", 100, True), Outcome.FAIL, 0),
        # the patronymic missing, matching date of birth: review
        (person("Dmitry", "Khoroshev", "1993-04-17", 100, True), Outcome.REVIEW, 0),
        # same name, date of birth contradicts: kept as a near-miss, no review
        (person("Daniel", "Moreno", "1980-01-01", 100, True), Outcome.PASS, 1),
    ],
)
def test_the_threshold_ladder(fresh_list, owner, expected, near_misses):
    outcome = run(application_with(owner))
    assert outcome.outcome == expected
    assert outcome.details["near_misses"] == near_misses
    for hit in outcome.details["hits"]:
        assert set(hit) == HIT_KEYS
    assert "1972" not in str(outcome.details) and "212-54" not in str(outcome.details)  # no DOB or SSN


def test_a_consolidated_only_entry_restricts_but_never_blocks(fresh_list):
    application = application_with(person("Ivan", "Petrovsky", "1970-02-01", 100, True, nationalities=["RU"]))
    outcome = run(application)
    assert outcome.outcome == Outcome.REVIEW
    (hit,) = outcome.details["hits"]
    assert hit["uid"] == 99001 and hit["blocking"] is False


def test_the_fifty_percent_rule(fresh_list):
    application = application_with(
        person("Dmitry", "Khoroshev", "1993-04-17", 30, True),
        person("Artem", "Lifshits", "1992-12-26", 25, ssn="318-60-9912"),
        person("Rosa", "Delgado", "1975-11-30", 45, ssn="318-60-9913"),
    )
    outcome = run(application)
    assert outcome.outcome == Outcome.REVIEW and outcome.details["potential_block"] is True
    reviewer = Actor.for_user(officer())
    for hit in name_hits(application):
        hit_confirm(hit=hit, actor=reviewer, reason="Passport copy matches the listed person")
    result = CheckResult.objects.get(application=application, check_name="sanctions", is_current=True)
    assert result.outcome == Outcome.FAIL and result.details["confirmed_hits"] == 2
    assert any("50% rule" in reason for reason in result.details["block_reasons"])


def test_owners_under_half_are_only_a_review(fresh_list):
    other = CLEAN_OWNER | {"ownership_percent": 70, "is_control_person": False}
    application = application_with(person("Dmitry", "Khoroshev", "1993-04-17", 30, True), other)
    outcome = run(application)
    assert outcome.outcome == Outcome.REVIEW and outcome.details["potential_block"] is False


def test_a_listed_company_owner_is_screened_as_a_business(fresh_list):
    company = {"kind": "company", "company_name": "Suex OTC s.r.o.", "company_country": "CZ", "ownership_percent": 60}
    application = application_with(CLEAN_OWNER | {"ownership_percent": 40}, company)
    outcome = run(application)
    assert outcome.outcome == Outcome.REVIEW
    assert [h["uid"] for h in outcome.details["hits"]] == [33151]


def test_geography_from_places_of_birth_and_addresses(fresh_list):
    owner = person("Wen", "Zhao", "1980-05-17", 100, True, place_of_birth="Tehran, Iran", nationalities=["SY"])
    application = application_with(owner)
    outcome = run(application)
    assert outcome.outcome == Outcome.REVIEW
    (hit,) = outcome.details["hits"]
    assert hit["kind"] == "geography" and hit["matched"] == "Iran"  # Syria's embargo ended on 1 July 2025
    stored = SanctionsHit.objects.get(public_id=hit["hit"])
    assert any("place of birth" in reason for reason in stored.reasons)


def test_a_clearance_lasts_through_rescreens_and_a_key_rotation_and_reopens_on_a_change(fresh_list, settings):
    application = application_with(person("Dmitry", "Khoroshev", "1993-04-17", 100, True))
    assert run(application).outcome == Outcome.REVIEW
    hit = name_hits(application).get()
    with pytest.raises(PermissionDenied):
        hit_clear(hit=hit, actor=Actor.for_user(draft_application().applicant), reason="not him")
    reviewer = officer()
    hit_clear(hit=hit, actor=Actor.for_user(reviewer), reason="Different person: born in Ohio, passport seen")
    hit.refresh_from_db()
    assert hit.status == "cleared" and hit.status_by == reviewer and hit.status_at
    assert Event.objects.filter(subject_id=hit.public_id, action="cleared", visibility="internal").exists()
    current = CheckResult.objects.get(application=application, check_name="sanctions", is_current=True)
    assert current.outcome == Outcome.PASS and current.details["cleared_hits"] == 1

    # Re-screening neither revives nor duplicates it; nor does rotating the encryption keys.
    assert run(application).outcome == Outcome.PASS
    settings.FIELD_ENCRYPTION_KEYS = [
        base64.urlsafe_b64encode(os.urandom(32)).decode(),
        *settings.FIELD_ENCRYPTION_KEYS,
    ]
    call_command("reencrypt_personal_data", stdout=StringIO())
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    application.refresh_from_db()
    assert run(application).outcome == Outcome.PASS
    assert name_hits(application).count() == 1

    # A change to the screened values re-opens it as a new hit; the cleared one stays on record.
    party = Party.objects.get(application=application)
    party.date_of_birth = date(1993, 5, 1)
    party.save()
    application.refresh_from_db()
    outcome = run(application)
    assert outcome.outcome == Outcome.REVIEW and outcome.details["open_hits"] == 1
    assert name_hits(application).count() == 2
    assert name_hits(application, is_current=False).get().status == "cleared"


def test_a_clearance_carries_over_to_the_same_person_on_the_next_application(fresh_list):
    first = application_with(person("Dmitry", "Khoroshev", "1993-04-17", 100, True))
    merchant = live_merchant_for(first)
    run(first)
    hit_clear(hit=name_hits(first).get(), actor=Actor.for_user(officer()), reason="Different person")
    Application.objects.filter(pk=first.pk).update(state=AppState.BOARDED)
    user = Actor.for_user(first.applicant)

    second = application_create_next(merchant=merchant, actor=user)  # the same owners, copied
    assert run(second).outcome == Outcome.PASS
    carried = name_hits(second).get()
    assert carried.status == "cleared" and carried.carried_over_from == name_hits(first).get()

    # Someone else with the same name (another SSN) is screened afresh.
    application_withdraw(application=second, actor=user)
    third = application_create_next(merchant=merchant, actor=user)
    application_update_draft(
        application=third,
        actor=user,
        parties=[person("Dmitry", "Khoroshev", "1993-04-17", 100, True, ssn="318-60-9912")],
    )
    assert run(third).outcome == Outcome.REVIEW


def test_the_bank_account_holder_and_dba_are_screened(fresh_list):
    application = application_with(
        CLEAN_OWNER, bank_account={"holder_name": "Daniel Moreno"}, business={"dba": "Bel Kap Steel"}
    )
    outcome = run(application)
    parties = {h["party"] for h in outcome.details["hits"]}
    assert {"bank_account_holder", "dba"} <= parties
