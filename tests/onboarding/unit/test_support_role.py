"""Support talks to merchants, so it sees nothing that could tip one off about a sanctions match: no check
results, hits, review cases, events or internal decline reasons, in the admin or in its permissions."""

import pytest

from onboarding.roles import COMPLIANCE_OFFICER, SUPPORT
from onboarding.states import AppState
from tests.factories import application_in_state, officer
from tests.staff import staff_login

pytestmark = pytest.mark.django_db
HIDDEN_PAGES = [
    "/admin/onboarding/checkresult/",
    "/admin/onboarding/event/",
    "/admin/onboarding/reviewcase/",
    "/admin/onboarding/owedwork/",
    "/admin/sanctions/sanctionshit/",
    "/admin/sanctions/sanctionsentry/",
    "/admin/onboarding/riskscore/",
]


@pytest.fixture
def declined_for_sanctions():
    return application_in_state(AppState.DECLINED, decline_reason_code="sanctions_match")


@pytest.mark.parametrize("url", HIDDEN_PAGES)
def test_support_is_refused_every_page_with_sanctions_or_risk_data(client, url):
    staff_login(client, officer(SUPPORT))
    assert client.get(url).status_code in (403, 404)


def test_support_holds_no_permission_on_sanctions_records_check_results_or_events():
    user = officer(SUPPORT)
    perms = user.get_all_permissions()
    assert not any(perm.startswith("sanctions.") for perm in perms)
    assert not perms & {"onboarding.view_checkresult", "onboarding.view_event", "onboarding.view_reviewcase"}
    assert not any("risk" in perm or "policy" in perm for perm in perms)
    assert "onboarding.view_application" in perms  # it still helps the merchant with the application


def test_support_reads_an_application_without_its_internal_decline_reason(client, declined_for_sanctions):
    url = f"/admin/onboarding/application/{declined_for_sanctions.pk}/change/"
    staff_login(client, officer(SUPPORT))
    page = client.get(url)
    assert page.status_code == 200 and declined_for_sanctions.legal_name in page.content.decode()
    assert "sanctions_match" not in page.content.decode()
    staff_login(client, officer(COMPLIANCE_OFFICER))
    assert "sanctions_match" in client.get(url).content.decode()


def test_senior_officers_hold_the_permissions_their_role_describes():
    perms = officer("Senior compliance officer").get_all_permissions()
    assert {
        "onboarding.second_approve_application",
        "onboarding.add_riskruleset",
        "onboarding.add_decisionpolicy",
        "onboarding.view_owedwork",
    } <= perms
