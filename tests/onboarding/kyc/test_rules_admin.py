"""Senior officers edit the risk rules in the admin: a bad rule is shown beside its row, nothing stored."""

import pytest

from onboarding.kyc import risk
from onboarding.models import RiskRuleSet
from onboarding.roles import COMPLIANCE_OFFICER, SENIOR_COMPLIANCE_OFFICER
from tests.factories import officer
from tests.staff import staff_login

pytestmark = pytest.mark.django_db
URL = "/admin/onboarding/riskruleset/add/"


def post_data(rules: list[dict], medium_from=25, high_from=60) -> dict:
    data = {"medium_from": medium_from, "high_from": high_from, "note": "test edit",
            "rules-TOTAL_FORMS": len(rules), "rules-INITIAL_FORMS": 0, "rules-MIN_NUM_FORMS": 0,
            "rules-MAX_NUM_FORMS": 1000}  # fmt: skip
    for index, rule in enumerate(rules):
        for key, value in rule.items():
            data[f"rules-{index}-{key}"] = value
    return data


def test_a_bad_rule_is_shown_and_nothing_is_stored(client):
    staff_login(client, officer(SENIOR_COMPLIANCE_OFFICER))
    risk.rule_set_current()
    versions = RiskRuleSet.objects.count()
    bad = {"field": "mcc", "operator": "between", "value": '"7995"', "weight": 500, "reason": ""}
    response = client.post(URL, post_data([bad], medium_from=70, high_from=60))
    assert response.status_code == 200
    body = response.content.decode()
    assert "The weight is a whole number from -100 to 100." in body
    assert "Say what the officer reads when the rule applies." in body
    assert "The bands must satisfy 0 &lt; medium &lt; high &lt;= 100." in body
    assert RiskRuleSet.objects.count() == versions


def test_a_valid_edit_stores_the_next_version(client):
    staff_login(client, officer(SENIOR_COMPLIANCE_OFFICER))
    current = risk.rule_set_current()
    rule = {"field": "mcc", "operator": "in", "value": '["7995"]', "weight": 40, "reason": "Gambling"}
    response = client.post(URL, post_data([rule]))
    assert response.status_code == 302
    newest = RiskRuleSet.objects.order_by("-version").first()
    assert newest.version == current.version + 1 and newest.rules.count() == 1


def test_an_officer_without_the_senior_role_cannot_edit(client):
    staff_login(client, officer(COMPLIANCE_OFFICER))
    assert client.get(URL).status_code == 403


def test_a_senior_officer_switches_automatic_approval_off_as_a_new_policy_version(client):
    from onboarding.kyc import policy
    from onboarding.models import DecisionPolicy

    staff_login(client, officer(SENIOR_COMPLIANCE_OFFICER))
    current = policy.policy_current()
    page = client.get("/admin/onboarding/decisionpolicy/add/")
    assert page.status_code == 200
    data = {"auto_approve_enabled": "", "decline_on_fail": "", "note": "Manual review for the launch week",
            "declining_checks": page.context["adminform"].form.initial.get("declining_checks")}  # fmt: skip
    data["declining_checks"] = (
        page.context["adminform"].form.fields["declining_checks"].prepare_value(data["declining_checks"])
    )
    response = client.post("/admin/onboarding/decisionpolicy/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    newest = policy.policy_current()
    assert newest.version == current.version + 1 and newest.auto_approve_enabled is False
    assert DecisionPolicy.objects.get(pk=current.pk).auto_approve_enabled == current.auto_approve_enabled


def test_an_administrator_cannot_change_the_decision_policy(client):
    from onboarding.roles import ADMINISTRATOR

    staff_login(client, officer(ADMINISTRATOR))
    assert client.get("/admin/onboarding/decisionpolicy/add/").status_code == 403
