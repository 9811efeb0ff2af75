"""Test data in the officers' screens: out of the default queue and its figures, shown on request by the
"mode" filter (and marked), in the second-approval queue and the cases alike."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from onboarding.models import Application, Merchant, ReviewCase
from onboarding.review_queue import queue_figures
from onboarding.states import AppState
from tests.factories import officer
from tests.onboarding.admin.queue_data import queued
from tests.staff import staff_login

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:onboarding_application_changelist")


@pytest.fixture
def signed_in(client):
    staff_login(client, officer())
    return client


def listed(client, url=QUEUE, **params) -> set[str]:
    response = client.get(url, params)
    assert response.status_code == 200
    return {row.public_id for row in response.context["cl"].result_list}


def test_the_default_queue_holds_live_work_only_and_the_mode_filter_shows_test_data(signed_in):
    live = queued(waited_days=2)
    test = queued(waited_days=9, band="high", livemode=False)
    assert listed(signed_in) == {live.public_id}
    assert listed(signed_in, mode="live") == {live.public_id}
    assert listed(signed_in, mode="test") == {test.public_id}
    assert listed(signed_in, mode="all") == {live.public_id, test.public_id}
    assert listed(signed_in, mode="nonsense") == {live.public_id}


def test_a_search_finds_test_data_only_when_asked(signed_in):
    queued(legal_name="Lotus Garden LLC", livemode=False)
    live = queued(legal_name="Lotus Garden Two LLC")
    assert listed(signed_in, q="Lotus") == {live.public_id}
    assert len(listed(signed_in, q="Lotus", mode="all")) == 2


def test_test_rows_say_so_when_shown(signed_in):
    queued(legal_name="Sandbox Tea LLC", livemode=False)
    page = signed_in.get(QUEUE, {"mode": "all"}).content.decode()
    assert 'Sandbox Tea LLC <span class="test-mode">Test</span>' in page
    assert 'class="test-mode"' not in signed_in.get(QUEUE).content.decode()


def test_the_figures_count_live_applications_only(signed_in):
    now = timezone.now()
    queued(waited_days=3)
    queued(AppState.APPROVED, submitted_at=now - timedelta(days=3), decided_at=now - timedelta(days=1))
    # Test data that would change every figure: older waits, other states, quicker decisions, declines.
    queued(waited_days=20, livemode=False)
    queued(AppState.INFO_REQUESTED, livemode=False)
    for _ in range(3):
        queued(AppState.DECLINED, submitted_at=now - timedelta(hours=2), decided_at=now, livemode=False)
    figures = queue_figures(now=now)
    assert dict(figures["sizes"]) == {"In review": 1} and figures["total"] == 1
    assert timedelta(days=2, hours=23) < figures["oldest_waiting"] <= timedelta(days=3)
    assert (figures["decided"], figures["approval_rate"]) == (1, 1.0)
    assert figures["median_to_decision"] == timedelta(days=2)
    # The page shows the live figures whatever the filter.
    assert signed_in.get(QUEUE, {"mode": "test"}).context["queue_figures"]["total"] == 1


def test_the_second_approval_queue_is_live_by_default(signed_in):
    live = queued(AppState.AWAITING_SECOND_APPROVAL)
    test = queued(AppState.AWAITING_SECOND_APPROVAL, livemode=False)
    url = reverse("admin:onboarding_secondapprovalqueue_changelist")
    assert listed(signed_in, url) == {live.public_id}
    assert listed(signed_in, url, mode="test") == {test.public_id}


def test_the_cases_are_live_by_default(signed_in):
    cases = {}
    for livemode in (True, False):
        application = queued(AppState.BOARDED, livemode=livemode)
        merchant = Merchant.objects.create(legal_name=application.legal_name, tax_id_type="ein",
                                           tax_id_index=f"idx-{livemode}", livemode=livemode)  # fmt: skip
        Application.objects.filter(pk=application.pk).update(merchant=merchant)
        cases[livemode] = ReviewCase.objects.create(merchant=merchant, reason_code="eligibility_changed", summary="?")
    url = reverse("admin:onboarding_reviewcase_changelist")
    assert listed(signed_in, url) == {cases[True].public_id}
    assert listed(signed_in, url, mode="all") == {cases[True].public_id, cases[False].public_id}


def test_the_review_page_says_when_an_application_is_test_data(signed_in):
    test, live = queued(livemode=False), queued()
    page = signed_in.get(reverse("admin:onboarding_application_change", args=[test.pk])).content.decode()
    assert "<strong>test mode</strong>" in page
    page = signed_in.get(reverse("admin:onboarding_application_change", args=[live.pk])).content.decode()
    assert "<strong>test mode</strong>" not in page
