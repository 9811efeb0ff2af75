"""The case queue and the case page: evidence on one page, decisions through the services."""

import pytest
from django.urls import reverse

from onboarding.models import Event, Merchant, ReviewCase
from onboarding.services.actors import Actor
from onboarding.services.cases import review_case_open
from onboarding.states import MerchantState
from sanctions.hits import hit_clear
from tests.staff import staff_login

pytestmark = pytest.mark.django_db


def page(case):
    return reverse("admin:onboarding_reviewcase_change", args=[case.pk])


def test_the_queue_shows_open_cases_oldest_first_with_their_open_hits(client, suspended_case, compliance_officer):
    other = Merchant.objects.create(legal_name="Later Tea LLC", tax_id_type="ein", tax_id_index="x", state="active")
    later, _ = review_case_open(merchant=other, actor=Actor.system("t"), reason_code="eligibility_changed",
                                summary="Alipay online rules changed")  # fmt: skip
    staff_login(client, compliance_officer)
    response = client.get(reverse("admin:onboarding_reviewcase_changelist"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index(suspended_case.case.public_id) < html.index(later.public_id)
    assert "Sanctions hit after a list update" in html and "Wallet eligibility changed" in html
    rows = {case.public_id: case.open_hits for case in response.context["cl"].result_list}
    assert rows == {suspended_case.case.public_id: 1, later.public_id: 0}
    with_hits = client.get(reverse("admin:onboarding_reviewcase_changelist") + "?open_hits=yes")
    assert [c.public_id for c in with_hits.context["cl"].result_list] == [suspended_case.case.public_id]


def test_the_case_page_shows_the_hit_beside_its_list_entry_and_the_timeline(client, suspended_case, compliance_officer):
    staff_login(client, compliance_officer)
    response = client.get(page(suspended_case.case))
    html = response.content.decode()
    assert response.status_code == 200
    hit = suspended_case.hit
    assert hit.public_id in html and "MORENO, Daniel" in html  # the entry's name beside the screened one
    assert "blocking" in html and hit.version.public_id in html
    assert "suspension_cause" in html and "internal" in html  # the timeline, internal events marked
    assert "524-71-8830" not in html and "1972-10-12" not in html.split("List entry")[0]
    assert 'name="decision" value="reactivate"' in html and 'value="suspend"' not in html


def test_support_cannot_open_cases(client, suspended_case, support):
    staff_login(client, support)
    assert client.get(reverse("admin:onboarding_reviewcase_changelist")).status_code == 403
    assert client.get(page(suspended_case.case)).status_code == 403
    response = client.post(page(suspended_case.case), {"decision": "close", "reason": "x"})
    assert response.status_code == 403
    assert ReviewCase.objects.get(pk=suspended_case.case.pk).status == "open"


def test_closing_with_an_open_hit_is_refused_in_plain_words(client, suspended_case, compliance_officer):
    staff_login(client, compliance_officer)
    response = client.post(page(suspended_case.case), {"decision": "close", "reason": "Nothing here."}, follow=True)
    assert response.status_code == 200
    assert "clear or confirm every hit" in response.content.decode()
    assert ReviewCase.objects.get(pk=suspended_case.case.pk).status == "open"


def test_a_decision_needs_a_reason(client, suspended_case, compliance_officer):
    staff_login(client, compliance_officer)
    response = client.post(page(suspended_case.case), {"decision": "close", "reason": "  "}, follow=True)
    assert "Give the reason" in response.content.decode()
    assert not Event.objects.filter(action="review_case_closed").exists()


def test_decisions_through_the_case_page_write_the_services_events(
    client, suspended_case, compliance_officer, senior, other_senior
):
    hit_clear(hit=suspended_case.hit, actor=Actor.for_user(compliance_officer), reason="Different person.")
    staff_login(client, senior)
    client.post(page(suspended_case.case), {"decision": "reactivate", "reason": "Hit cleared as a false positive."})
    merchant = Merchant.objects.get(pk=suspended_case.merchant.pk)
    assert merchant.state == MerchantState.ACTIVE
    assert Event.objects.filter(subject_id=merchant.public_id, action="reactivated", actor_user=senior).exists()
    note = Event.objects.filter(subject_id=merchant.public_id, action="note").latest("id")
    assert note.details["note"] == "Hit cleared as a false positive."

    client.post(page(suspended_case.case), {"decision": "suspend", "reason": "Pending the bank's answer."})
    merchant.refresh_from_db()
    assert merchant.state == MerchantState.SUSPENDED
    cause = Event.objects.filter(subject_id=merchant.public_id, action="suspension_cause").latest("id")
    assert cause.details == {"hits": [suspended_case.hit.public_id], "case": suspended_case.case.public_id}

    staff_login(client, other_senior)
    client.post(page(suspended_case.case), {"decision": "close", "reason": "False positive; merchant reviewed."})
    case = ReviewCase.objects.get(pk=suspended_case.case.pk)
    assert case.status == "closed" and case.closed_by == other_senior
    closed = Event.objects.get(action="review_case_closed", subject_id=case.public_id)
    assert closed.actor_user == other_senior and closed.details["resolution"] == "False positive; merchant reviewed."


def test_an_eligibility_case_shows_each_wallet_the_new_rules_rate_worse(client, compliance_officer):
    merchant = Merchant.objects.create(
        legal_name="Pearl River LLC", tax_id_type="ein", tax_id_index="y", state="active"
    )
    wallets = [{"wallet": "wechat_pay", "channel": "in_store", "from": "eligible", "to": "review",
                "reason": "Restaurants in NY need review", "sources": ["wechat_proper_use"]}]  # fmt: skip
    case, _ = review_case_open(merchant=merchant, actor=Actor.system("t"), reason_code="eligibility_changed",
                               summary="WeChat Pay eligibility changed",
                               details={"from_version": 1, "to_version": 2, "wallets": wallets})  # fmt: skip
    staff_login(client, compliance_officer)
    html = client.get(page(case)).content.decode()
    assert "Rules v1 → v2" in html and "Restaurants in NY need review" in html and "wechat_proper_use" in html
    assert 'value="suspend"' in html and 'value="close"' in html and 'value="reactivate"' not in html


def test_officers_take_cases_from_the_queue_and_give_them_back(client, suspended_case, compliance_officer):
    url = reverse("admin:onboarding_reviewcase_changelist")
    staff_login(client, compliance_officer)
    client.post(url, {"action": "assign_to_me", "_selected_action": [suspended_case.case.pk]})
    case = ReviewCase.objects.get(pk=suspended_case.case.pk)
    assert case.assigned_to == compliance_officer and case.assigned_at is not None
    assigned = Event.objects.get(action="review_case_assigned", subject_id=case.public_id)
    assert assigned.actor_user == compliance_officer and assigned.details["to"] == compliance_officer.username
    mine = client.get(url + "?assignee=me")
    assert [c.public_id for c in mine.context["cl"].result_list] == [case.public_id]
    assert compliance_officer.username in mine.content.decode()

    client.post(url, {"action": "unassign", "_selected_action": [case.pk]})
    assert ReviewCase.objects.get(pk=case.pk).assigned_to is None
    assert Event.objects.filter(action="review_case_unassigned", subject_id=case.public_id).exists()
    assert [c.public_id for c in client.get(url + "?assignee=nobody").context["cl"].result_list] == [case.public_id]


def test_a_case_goes_only_to_an_officer(suspended_case, compliance_officer, support):
    from onboarding.errors import DomainError
    from onboarding.services.cases import review_case_assign

    with pytest.raises(DomainError):
        review_case_assign(case=suspended_case.case, actor=Actor.for_user(compliance_officer), assignee=support)
    with pytest.raises(DomainError):
        review_case_assign(case=suspended_case.case, actor=Actor.for_user(support), assignee=support)


def test_the_hit_include_serves_any_page_that_shows_an_applications_hits(suspended_case, django_assert_max_num_queries):
    from django.template.loader import render_to_string

    from onboarding import casework

    application = suspended_case.hit.application
    with django_assert_max_num_queries(3):  # the hits, their entries, their programs
        items = casework.application_hits(application)
        html = "".join(render_to_string("admin/onboarding/includes/hit.html", {"item": item}) for item in items)
    assert [item["hit"] for item in items] == [suspended_case.hit]
    assert "MORENO, Daniel" in html and "Daniel Moreno" in html and "blocking" in html
