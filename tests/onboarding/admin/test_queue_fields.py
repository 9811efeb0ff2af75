"""The services keep the review queue's columns on the application row: risk, open hits, time waiting."""

from datetime import timedelta

import pytest
from django.utils import timezone

from onboarding.kyc.risk import risk_assess
from onboarding.models import RISK_BAND_RANK, Application
from onboarding.services.actors import Actor
from onboarding.services.applications import (
    application_answer_info,
    application_approve,
    application_request_info,
    application_send_to_review,
)
from onboarding.states import AppState
from sanctions.check import SanctionsCheck
from sanctions.hits import hit_clear, hit_confirm, hits_close_removed
from sanctions.models import SanctionsHit
from tests.factories import application_in_state, officer
from tests.sanctions.integration.helpers import application_with, person

pytestmark = pytest.mark.django_db
LISTED = person("Dmitry", "Khoroshev", "1993-04-17", 100, True)


def row(application) -> Application:
    return Application.objects.get(pk=application.pk)


def test_scoring_stores_the_score_band_and_rank_on_the_application():
    application = application_in_state(AppState.SCREENING)
    score = risk_assess(application=application, results={})
    stored = row(application)
    assert (stored.risk_score, stored.risk_band) == (score.score, score.band)
    assert stored.risk_rank == RISK_BAND_RANK[score.band]

    Application.objects.filter(pk=application.pk).update(monthly_volume_cents=900_000_000)
    application.refresh_from_db()
    rescored = risk_assess(application=application, results={})
    assert rescored.pk != score.pk and row(application).risk_score == rescored.score


def test_the_open_hit_count_follows_screening_and_the_officers_decisions(fresh_list):
    application = application_with(LISTED)
    assert row(application).open_hit_count == 0
    SanctionsCheck().run(application)
    assert row(application).open_hit_count == 1

    hit = SanctionsHit.objects.get(application=application, is_current=True, kind="name")
    hit_clear(hit=hit, actor=Actor.for_user(officer()), reason="Different person: passport seen")
    assert row(application).open_hit_count == 0

    other = application_with(LISTED | {"id_number": "318-60-9912"})
    SanctionsCheck().run(other)
    hit = SanctionsHit.objects.get(application=other, is_current=True, kind="name")
    assert row(other).open_hit_count == 1
    hit_confirm(hit=hit, actor=Actor.for_user(officer()), reason="Same person: date of birth and photo")
    assert row(other).open_hit_count == 0


def test_an_entry_removed_from_the_list_closes_its_hits_and_the_count_drops(fresh_list):
    application = application_with(LISTED)
    SanctionsCheck().run(application)
    hit = SanctionsHit.objects.get(application=application, is_current=True, kind="name")
    assert hits_close_removed(uids={hit.uid}, version=fresh_list) == 1
    assert row(application).open_hit_count == 0


def test_waiting_since_starts_on_each_wait_for_an_officer_and_ends_with_it(approvable):
    application = approvable(application_in_state(AppState.SCREENING, requires_second_approval=True))
    before = timezone.now()
    application_send_to_review(application=application, actor=Actor.system("tests"), reasons=["risk"])
    waited = row(application).waiting_since
    assert waited >= before

    application_request_info(application=application, actor=Actor.for_user(officer()), message="A bank letter")
    assert row(application).waiting_since is None  # the merchant's turn
    application_answer_info(application=application, actor=Actor.for_user(application.applicant), answer="Sent")
    assert row(application).waiting_since > waited

    first = officer()
    application_approve(application=application, actor=Actor.for_user(first))
    stored = row(application)
    assert stored.state == AppState.AWAITING_SECOND_APPROVAL and stored.waiting_since > waited
    application_approve(application=application, actor=Actor.for_user(officer("Senior compliance officer")))
    assert row(application).waiting_since is None


def test_the_migration_backfills_waiting_applications():
    from importlib import import_module

    from django.apps import apps

    waiting = application_in_state(AppState.IN_REVIEW, state_changed_at=timezone.now() - timedelta(days=3))
    decided = application_in_state(AppState.DECLINED)
    import_module("onboarding.migrations.0011_review_queue").backfill(apps, None)
    assert row(waiting).waiting_since == row(waiting).state_changed_at
    assert row(decided).waiting_since is None
