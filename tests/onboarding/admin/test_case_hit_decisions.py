"""Clearing or confirming a sanctions hit from the case page: the review page's forms and services, the
case's own endpoint, its permission checks, and a message instead of a 500 when the page is stale."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from onboarding import casework
from onboarding.admin.cases import case_page_version
from onboarding.models import Event, ReviewCase
from onboarding.services.actors import Actor
from sanctions.hits import hit_clear
from sanctions.models import OfacReport, SanctionsHit
from tests.factories import UserFactory
from tests.staff import staff_login

pytestmark = pytest.mark.django_db


def page(case) -> str:
    return reverse("admin:onboarding_reviewcase_change", args=[case.pk])


def decide_url(case, decision: str) -> str:
    return reverse("admin:onboarding_reviewcase_decide", args=[case.pk, decision])


def version_of(case) -> str:
    case.refresh_from_db()
    return case_page_version(case, casework.case_hits(case))


def post(client, case, decision: str, hit, reason: str, version: str | None = None):
    """The hit's form as the case page renders it, posted and followed back to the page."""
    prefix = f"{decision}-{hit.public_id}"
    data = {"target": hit.public_id, f"{prefix}-reason": reason,
            f"{prefix}-page_version": version if version is not None else version_of(case)}  # fmt: skip
    return client.post(decide_url(case, decision), data, follow=True)


def test_the_case_page_offers_clear_and_confirm_for_each_open_hit(client, suspended_case, compliance_officer):
    staff_login(client, compliance_officer)
    html = client.get(page(suspended_case.case)).content.decode()
    hit = suspended_case.hit.public_id
    for decision in ("hit_clear", "hit_confirm"):
        assert f'action="{decide_url(suspended_case.case, decision)}"' in html
        assert f'name="{decision}-{hit}-reason"' in html and f'name="{decision}-{hit}-page_version"' in html
    assert f'name="target" value="{hit}"' in html


def test_an_officer_clears_a_hit_from_the_case_page_and_then_closes_the_case(
    client, suspended_case, compliance_officer
):
    case, hit = suspended_case.case, suspended_case.hit
    staff_login(client, compliance_officer)
    response = post(client, case, "hit_clear", hit, "Different person: born 1961, another country.")
    assert response.status_code == 200 and response.request["PATH_INFO"] == page(case)
    html = response.content.decode()
    assert f"Hit {hit.public_id} cleared as a false positive." in html

    hit.refresh_from_db()
    assert hit.status == SanctionsHit.Status.CLEARED and hit.status_by == compliance_officer
    cleared = Event.objects.get(subject_id=hit.public_id, action="cleared")
    assert cleared.actor_user == compliance_officer and cleared.details["reason"].startswith("Different person")
    assert "Cleared" in html and "cleared" in html.split("<h2>Timeline</h2>")[1]  # new status, and the event
    assert f'action="{decide_url(case, "hit_clear")}"' not in html  # no longer open: nothing left to decide

    closed = client.post(page(case), {"decision": "close", "reason": "The only hit was a false positive."})
    assert closed.status_code == 302
    assert ReviewCase.objects.get(pk=case.pk).status == ReviewCase.Status.CLOSED


def test_an_officer_confirms_a_hit_from_the_case_page(client, suspended_case, compliance_officer):
    case, hit = suspended_case.case, suspended_case.hit
    staff_login(client, compliance_officer)
    response = post(client, case, "hit_confirm", hit, "Same person: name, date and place of birth.")
    assert f"Hit {hit.public_id} confirmed as a true match." in response.content.decode()
    hit.refresh_from_db()
    assert hit.status == SanctionsHit.Status.CONFIRMED
    report = OfacReport.objects.get(hit=hit)
    assert report.decision == OfacReport.Decision.BLOCKED and report.confirmed_by == compliance_officer
    assert report.due_on.isoformat() in response.content.decode()  # the blocking decision, on the case page
    assert Event.objects.filter(subject_id=hit.public_id, action="confirmed", actor_user=compliance_officer).exists()


def test_support_sees_no_form_and_is_refused_the_post(client, suspended_case, support):
    staff_login(client, support)
    assert client.get(page(suspended_case.case)).status_code == 403
    response = post(client, suspended_case.case, "hit_clear", suspended_case.hit, "Not mine to decide.")
    assert response.status_code == 403
    assert SanctionsHit.objects.get(pk=suspended_case.hit.pk).status == SanctionsHit.Status.OPEN


def test_a_viewer_without_the_review_permission_gets_no_button_and_a_403(client, suspended_case):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_reviewcase"))
    staff_login(client, viewer)
    response = client.get(page(suspended_case.case))
    assert response.status_code == 200 and suspended_case.hit.public_id in response.content.decode()
    assert "/decide/hit_" not in response.content.decode()
    response = post(client, suspended_case.case, "hit_confirm", suspended_case.hit, "Looks like him.")
    assert response.status_code == 403
    assert SanctionsHit.objects.get(pk=suspended_case.hit.pk).status == SanctionsHit.Status.OPEN
    assert not OfacReport.objects.exists()


def test_a_decision_on_a_stale_case_page_is_refused_with_a_message(client, suspended_case, compliance_officer, senior):
    case, hit = suspended_case.case, suspended_case.hit
    opened = version_of(case)  # the officer opens the page; a colleague clears the hit first
    hit_clear(hit=hit, actor=Actor.for_user(senior), reason="Different person.")
    staff_login(client, compliance_officer)
    response = post(client, case, "hit_confirm", hit, "Same person.", version=opened)
    assert response.status_code == 200
    assert "Nothing was recorded: this case changed since you opened the page" in response.content.decode()
    hit.refresh_from_db()
    assert hit.status == SanctionsHit.Status.CLEARED and hit.status_by == senior and not OfacReport.objects.exists()

    # Posted again on the page as it is now: the hit is decided, no longer open on the case.
    response = post(client, case, "hit_confirm", hit, "Same person.")
    assert f"Nothing was recorded: {hit.public_id} is not open on this case any more." in response.content.decode()
    assert SanctionsHit.objects.get(pk=hit.pk).status == SanctionsHit.Status.CLEARED


def test_a_hit_decision_needs_a_reason(client, suspended_case, compliance_officer):
    staff_login(client, compliance_officer)
    response = post(client, suspended_case.case, "hit_clear", suspended_case.hit, "")
    assert "Clear (false positive): nothing was recorded." in response.content.decode()
    assert SanctionsHit.objects.get(pk=suspended_case.hit.pk).status == SanctionsHit.Status.OPEN
