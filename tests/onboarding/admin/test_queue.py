"""The review queue (the applications' changelist): its order, filters, search, figures, bulk actions,
a fixed number of queries whatever the page holds, and no personal data in clear."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from onboarding import roles
from onboarding.models import Application, CheckResult, Event, Partner
from onboarding.review_queue import queue_figures
from onboarding.selectors import applications_for_partner
from onboarding.services.actors import Actor
from onboarding.services.assignment import application_assign_to_me
from onboarding.states import AppState
from tests.factories import UserFactory, application_in_state, officer
from tests.onboarding.admin.queue_data import queued
from tests.staff import staff_login

pytestmark = pytest.mark.django_db
QUEUE = reverse("admin:onboarding_application_changelist")


@pytest.fixture
def me(client):
    user = officer()
    staff_login(client, user)
    return user


def listed(client, **params) -> list[Application]:
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def ids(applications) -> list[str]:
    return [a.public_id for a in applications]


def test_the_default_queue_is_the_work_waiting_for_an_officer_oldest_high_risk_first(client, me):
    low_oldest = queued(band="low", waited_days=30)
    high_new = queued(band="high", waited_days=1)
    high_old = queued(band="high", waited_days=9)
    medium = queued(AppState.AWAITING_SECOND_APPROVAL, band="medium", waited_days=2)
    unscored = queued(waited_days=40)
    queued(AppState.APPROVED, band="high")  # decided: not work
    queued(AppState.INFO_REQUESTED, band="high")  # the merchant's turn
    assert ids(listed(client)) == ids([high_old, high_new, medium, low_oldest, unscored])


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"state": "any"}, {"waiting", "high", "api", "stale", "mine", "second", "info", "approved"}),
        ({"state": AppState.INFO_REQUESTED}, {"info"}),
        ({"risk": "high"}, {"high"}),
        ({"risk": "none"}, {"waiting", "api", "stale", "mine", "second"}),
        ({"hits": "yes"}, {"high"}),
        ({"hits": "no"}, {"waiting", "api", "stale", "mine", "second"}),
        ({"channel__exact": "api"}, {"api"}),
        ({"assignee": "me"}, {"mine"}),
        ({"assignee": "nobody"}, {"waiting", "high", "api", "stale", "second"}),
        ({"waiting_days": "7"}, {"waiting"}),
        ({"second_approval": "awaiting"}, {"second"}),
        ({"second_approval": "needed"}, {"stale"}),
        ({"screening": "stale"}, {"stale"}),
    ],
)
def test_each_filter(client, me, fresh_list, params, expected):
    made = {
        "waiting": queued(waited_days=10),
        "high": queued(band="high", open_hit_count=2),
        "api": queued(channel="api"),
        "stale": queued(requires_second_approval=True),
        "mine": queued(),
        "second": queued(AppState.AWAITING_SECOND_APPROVAL),
        "info": queued(AppState.INFO_REQUESTED),
        "approved": queued(AppState.APPROVED),
    }
    application_assign_to_me(application=made["mine"], actor=Actor.for_user(me))
    for name, application in made.items():
        version = "lv_superseded" if name == "stale" else fresh_list.public_id
        CheckResult.objects.create(application=application, check_name="sanctions", check_version="2",
                                   outcome="pass", fingerprint="x", details={"list_version": version,
                                                                             "list_stale": False})  # fmt: skip
    found = {name for name, application in made.items() if application in listed(client, **params)}
    assert found == expected


def test_the_partner_filter(client, me):
    partner = Partner.objects.create(name="Bay Area Payments ISO", kind="iso")
    theirs = queued(partner=partner, channel="api")
    queued()
    assert listed(client, partner=partner.public_id) == [theirs]
    assert "Bay Area Payments ISO" in client.get(QUEUE).content.decode()  # shown as the source


def test_the_partner_filter_lists_what_the_partners_keys_reach_in_the_mode_shown(client, me):
    partner = Partner.objects.create(name="Bay Area Payments ISO", kind="iso")
    other = Partner.objects.create(name="Harbour ISO", kind="iso")
    live = queued(partner=partner, channel="api")
    test = queued(partner=partner, channel="api", livemode=False)
    queued(partner=other, channel="api")
    queued()
    by_mode = {
        "live": applications_for_partner(partner=partner, livemode=True),
        "test": applications_for_partner(partner=partner, livemode=False),
    }
    assert ids(listed(client, partner=partner.public_id)) == ids(by_mode["live"]) == [live.public_id]
    assert ids(listed(client, partner=partner.public_id, mode="test")) == ids(by_mode["test"]) == [test.public_id]
    assert set(ids(listed(client, partner=partner.public_id, mode="all"))) == {live.public_id, test.public_id}
    assert listed(client, partner="ptn_nobody", mode="all") == []


@pytest.mark.parametrize(
    "term", ["Lotus", "lotus garden", "Jade Dragon", "app_", "4321", "Khoroshev", "applicant-7@example.com"]
)
def test_search_by_name_dba_public_id_last_four_owner_and_applicant_email(client, me, term):
    applicant = UserFactory(username="applicant-7@example.com")
    wanted = queued(AppState.APPROVED, legal_name="Lotus Garden Inc", dba="Jade Dragon", tax_id_last4="4321",
                    owner=("Dmitry", "Khoroshev"), applicant=applicant)  # fmt: skip
    queued(legal_name="Golden Gate LLC", dba="Bay Tea", tax_id_last4="1234")
    if term == "app_":
        term = wanted.public_id
    assert listed(client, q=term) == [wanted]  # a search looks in every state


@pytest.mark.parametrize("limit", [50_000, 1])
def test_every_word_must_match_in_some_field_and_filters_still_apply(client, me, monkeypatch, limit):
    # With a limit of one id, the matching ids are left to the database as a subquery: the same rows.
    monkeypatch.setattr("onboarding.review_queue.SEARCH_IDS_LIMIT", limit)
    wanted = queued(legal_name="Lotus Garden Inc", owner=("Dmitry", "Khoroshev"), band="high")
    queued(legal_name="Lotus Bakery LLC", owner=("Ana", "Khoroshev"), band="high")
    queued(legal_name="Lotus Kitchen LLC", owner=("Dmitry", "Khoroshev"), band="low")
    assert listed(client, q="lotus khoroshev garden") == [wanted]
    assert len(listed(client, q="lotus khoroshev")) == 3
    assert len(listed(client, q="lotus khoroshev", risk="high")) == 2
    assert listed(client, q="lotus nobody") == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="trigram search is PostgreSQL's")
def test_search_forgives_a_typo_on_postgresql(client, me):
    wanted = queued(legal_name="Pearl River Noodle Bar LLC", dba="Delgado Noodles")
    queued(legal_name="Golden Gate LLC", dba="Bay Tea")
    assert listed(client, q="Rivver") == [wanted]
    assert listed(client, q="Delgadoo") == [wanted]


def test_the_figures_at_the_top(client, me):
    now = timezone.now()
    queued(waited_days=5)
    queued(AppState.AWAITING_SECOND_APPROVAL, waited_days=2)
    queued(AppState.INFO_REQUESTED)
    for days, state in [(1, AppState.APPROVED), (2, AppState.BOARDED), (3, AppState.BOARDING), (4, "declined")]:
        queued(state, submitted_at=now - timedelta(days=days + 1), decided_at=now - timedelta(days=1))
    queued(AppState.DECLINED, submitted_at=now - timedelta(days=60), decided_at=now - timedelta(days=40))

    figures = queue_figures(now=now)
    assert dict(figures["sizes"]) == {"In review": 1, "Information requested": 1, "Awaiting second approval": 1}
    assert figures["total"] == 3
    assert timedelta(days=4, hours=23) < figures["oldest_waiting"] <= timedelta(days=5)
    assert figures["median_to_decision"] == timedelta(days=2, hours=12)
    assert (figures["decided"], figures["approval_rate"]) == (4, 0.75)

    page = client.get(QUEUE).content.decode().replace("\xa0", " ")
    assert "in the queue" in page and "75%" in page and "2 days, 12 hours" in page


def test_bulk_actions_are_the_safe_ones_and_write_their_events(client, me, approvable):
    first, second = queued(), approvable(application_in_state(AppState.IN_REVIEW))
    response = client.get(QUEUE)
    actions = {name for name, _ in response.context["action_form"].fields["action"].choices if name}
    assert actions == {"assign_to_me", "unassign", "rerun_checks", "export_for_examiner"}

    chosen = [first.pk, second.pk]
    client.post(QUEUE, {"action": "assign_to_me", "_selected_action": chosen})
    assert set(Application.objects.filter(assigned_to=me).values_list("pk", flat=True)) == set(chosen)
    assert Event.objects.filter(action="assigned", application__in=chosen, actor_user=me).count() == 2

    client.post(QUEUE, {"action": "unassign", "_selected_action": chosen})
    assert not Application.objects.filter(assigned_to__isnull=False).exists()
    assert Event.objects.filter(action="unassigned", application__in=chosen).count() == 2

    client.post(QUEUE, {"action": "rerun_checks", "_selected_action": [second.pk], "state": "any"})
    assert Application.objects.get(pk=second.pk).state == AppState.SCREENING
    assert Event.objects.filter(action="checks_rerun", application=second, actor_user=me).exists()


def test_a_bulk_take_over_of_someone_elses_work_is_refused_with_a_message(client, me):
    theirs = queued()
    holder = officer()
    application_assign_to_me(application=theirs, actor=Actor.for_user(holder))
    response = client.post(QUEUE, {"action": "assign_to_me", "_selected_action": [theirs.pk]}, follow=True)
    assert f"already assigned to {holder.username}" in response.content.decode()
    assert Application.objects.get(pk=theirs.pk).assigned_to == holder


def test_support_sees_the_queue_but_has_no_actions(client):
    queued()
    staff_login(client, officer(roles.SUPPORT))
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert response.context["action_form"] is None or not [
        name for name, _ in response.context["action_form"].fields["action"].choices if name
    ]


def queries_for_page(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(QUEUE).status_code == 200
    return len(captured)


def test_a_page_costs_the_same_queries_for_one_row_or_twenty(client, me, django_assert_max_num_queries):
    partner = Partner.objects.create(name="Bay Area Payments ISO", kind="iso")
    queued(partner=partner)
    client.get(QUEUE)  # the staff session's first save of the day is not the page's cost
    one = queries_for_page(client)
    for n in range(19):
        application_assign_to_me(application=queued(partner=partner if n % 2 else None), actor=Actor.for_user(me))
    assert len(listed(client)) == 20
    assert queries_for_page(client) == one
    with django_assert_max_num_queries(12):
        client.get(QUEUE)
    with django_assert_max_num_queries(one + 4):  # a filter and a search add none per row
        client.get(QUEUE, {"q": "Business", "risk": "none", "assignee": "me"})


def test_no_personal_data_in_clear_in_the_list(client, me):
    application = application_in_state(AppState.IN_REVIEW)  # the full draft: tax id, SSNs, birth dates, account
    Application.objects.filter(pk=application.pk).update(waiting_since=timezone.now())
    page = client.get(QUEUE, {"state": "any"}).content.decode()
    assert application.public_id in page
    for secret in ["46-2811507", "462811507", "212-54-3321", "212543321", "318-60-9912", "1980-05-17",
                   "May 17, 1980", "482910337765", "021000021"]:  # fmt: skip
        assert secret not in page
    assert listed(client, q="1507") == [application]  # the EIN's last four are searchable, and only they
