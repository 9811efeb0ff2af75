"""Risk rules as versioned data, and the decision policy over every combination of outcomes."""

import itertools

import pytest

from onboarding.errors import PermissionDenied, ValidationFailed
from onboarding.kyc import policy, risk
from onboarding.kyc.pipeline import application_advance, run_checks
from onboarding.models import Application, DecisionPolicy, Event, RiskRuleSet, RiskScore
from onboarding.roles import SENIOR_COMPLIANCE_OFFICER
from onboarding.services import kyc_rules
from onboarding.services.actors import Actor
from onboarding.services.applications import application_submit
from onboarding.states import AppState
from tests.conftest import checks_replaced
from tests.factories import draft_application, officer

pytestmark = pytest.mark.django_db
SYSTEM = Actor.system("tests")


@pytest.mark.parametrize(
    "operator, value, actual, holds",
    [
        ("eq", "high", "high", True), ("ne", "high", "low", True), ("gt", 5, 6, True), ("gt", 5, 5, False),
        ("gte", 5, 5, True), ("lt", 6, 5, True), ("lte", 5, 5, True), ("in", ["a", "b"], "a", True),
        ("not_in", ["a"], "a", False), ("between", [6, 23], 23, True), ("between", [6, 23], 24, False),
        ("lt", 6, None, False), ("eq", None, None, True), ("gte", 1, True, False),
    ],
)  # fmt: skip
def test_conditions_from_the_closed_set(operator, value, actual, holds):
    assert risk.condition_holds(field="business_age_months", operator=operator, value=value,
                                inputs={"business_age_months": actual}) is holds  # fmt: skip


def test_code_is_never_a_condition():
    with pytest.raises(ValueError):
        risk.condition_holds(field="__import__('os')", operator="eq", value=1, inputs={})
    assert risk.condition_errors(field="mcc", operator="eval", value="1")


def test_the_valid_draft_is_low_risk_and_a_new_business_in_a_risky_category_is_not():
    clean = draft_application()
    score = risk.risk_assess(application=clean, results=run_checks(clean))
    assert (score.score, score.band, score.factors) == (0, "low", [])
    risky = draft_application(business={"mcc": "5967", "formation_date": "2099-01-01",
                                        "monthly_volume_cents": 2_000_000_00})  # fmt: skip
    score = risk.risk_assess(application=risky, results=run_checks(risky))
    assert score.band == "high" and score.score == 100  # 40 + 15 + 10 + 20, + 20 for the first one's tax id
    assert {f["field"] for f in score.factors} == {
        "category_risk", "monthly_volume_usd", "business_age_months", "duplicates_found"}  # fmt: skip


def test_an_owner_in_a_higher_risk_jurisdiction_adds_a_factor():
    application = draft_application()
    application.parties.filter(first_name="Rosa").update(nationalities=["US", "VN"])
    score = risk.risk_assess(application=application, results=run_checks(application))
    assert score.inputs["higher_risk_jurisdictions"] == ["VN"] and score.band == "medium"


def test_scoring_again_with_the_same_inputs_writes_no_row():
    application = draft_application()
    results = run_checks(application)
    first = risk.risk_assess(application=application, results=results)
    assert risk.risk_assess(application=application, results=results).pk == first.pk
    assert RiskScore.objects.filter(application=application).count() == 1


def test_an_edit_makes_a_new_version_and_old_scores_replay_from_their_stored_inputs():
    application = draft_application(business={"mcc": "5944"})  # jewellery: medium category
    old = risk.risk_assess(application=application, results=run_checks(application))
    assert (old.score, old.band) == (15, "low")
    v1 = RiskRuleSet.objects.get(version=1)
    rules = risk.rules_as_data(v1)
    rules[1]["weight"] = 30  # medium category now weighs 30
    senior = officer(SENIOR_COMPLIANCE_OFFICER)
    from django.contrib.auth.models import Permission

    senior.user_permissions.add(Permission.objects.get(codename="add_riskruleset"))
    senior = type(senior).objects.get(pk=senior.pk)
    v2 = kyc_rules.risk_rules_revise(actor=Actor.for_user(senior), rules=rules, medium_from=25, high_from=60,
                                     note="jewellery weighs more")  # fmt: skip
    assert v2.version == 2 and v1.rules.get(position=1).weight == 15  # the old version is unchanged
    new = risk.risk_assess(application=application, results=run_checks(application))
    assert new.pk != old.pk and (new.score, new.band, new.rule_set_id) == (30, "medium", v2.pk)
    old.refresh_from_db()
    assert risk.risk_replay(old) == (old.score, old.band, old.factors)
    assert risk.risk_replay(new) == (new.score, new.band, new.factors)
    assert Event.objects.filter(action="risk_rules_changed").count() == 1


def test_editing_rules_needs_the_permission_and_valid_rules():
    with pytest.raises(PermissionDenied):
        kyc_rules.risk_rules_revise(actor=Actor.for_user(officer()), rules=[], medium_from=25, high_from=60, note="")
    with pytest.raises(ValidationFailed):
        kyc_rules.risk_rules_revise(actor=SYSTEM, rules=[{"field": "mcc", "operator": "between", "value": "x",
                                    "weight": 5, "reason": "bad"}], medium_from=25, high_from=60, note="")  # fmt: skip
    with pytest.raises(ValidationFailed):
        kyc_rules.risk_rules_revise(actor=SYSTEM, rules=[], medium_from=70, high_from=60, note="")


# -- the policy over every combination ---------------------------------------------------------------

OUTCOMES = ("pass", "review", "fail", "not_run")
RELEVANT = ("sanctions", "tax_id", "wallet_eligibility", "documents")
BANDS = ("low", "medium", "high")


def make_policy(auto=True, decline=False):
    return DecisionPolicy(version=9, auto_approve_enabled=auto, decline_on_fail=decline,
                          declining_checks=["sanctions", "tax_id", "wallet_eligibility"])  # fmt: skip


@pytest.mark.parametrize("combo", list(itertools.product(OUTCOMES, repeat=len(RELEVANT))))
@pytest.mark.parametrize("band", BANDS)
@pytest.mark.parametrize("auto, decline", [(True, False), (True, True), (False, False), (False, True)])
def test_the_policy_over_every_combination(combo, band, auto, decline):
    outcomes = dict(zip(RELEVANT, combo, strict=True))
    decision = policy.policy_decision(policy=make_policy(auto, decline), outcomes=outcomes,
                                      sanctions={"open_hits": 0}, band=band)  # fmt: skip
    fails = {n for n, o in outcomes.items() if o == "fail"}
    if decline and fails:  # every relevant check but documents declines
        declining = fails - {"documents"}
        if declining:
            assert decision.target == AppState.DECLINED
            expected_code = "sanctions_match" if "sanctions" in declining else (
                "prohibited_business" if declining == {"wallet_eligibility"} else "checks_failed")  # fmt: skip
            assert decision.reason_code == expected_code
            return
    if all(o == "pass" for o in combo) and band == "low" and auto:
        assert decision.target == AppState.APPROVED
    else:
        assert decision.target == AppState.IN_REVIEW
        for name, outcome in outcomes.items():
            assert (f"{name}: {outcome}" in decision.reasons) is (outcome != "pass")
    assert decision.requires_second_approval is (band == "high")


@pytest.mark.parametrize(
    "sanctions, markers, target, second",
    [
        ({"list_stale": True}, {}, AppState.IN_REVIEW, False),
        ({"list_age_days": 9}, {}, AppState.IN_REVIEW, False),
        ({"list_age_days": 7}, {}, AppState.APPROVED, False),
        ({"cleared_hits": 1}, {}, AppState.IN_REVIEW, True),
        ({"open_hits": 1}, {}, AppState.IN_REVIEW, False),
        ({}, {"has_been_in_review": True}, AppState.IN_REVIEW, False),
        ({}, {"requires_second_approval": True}, AppState.IN_REVIEW, True),
    ],
)
def test_switches_that_stop_automatic_approval(sanctions, markers, target, second):
    outcomes = dict.fromkeys(RELEVANT, "pass")
    decision = policy.policy_decision(policy=make_policy(), outcomes=outcomes, sanctions=sanctions, band="low",
                                      max_list_age_days=7, **markers)  # fmt: skip
    assert (decision.target, decision.requires_second_approval) == (target, second)


def test_without_a_sanctions_result_nothing_is_approved():
    outcomes = dict.fromkeys(("tax_id", "documents"), "pass")
    decision = policy.policy_decision(policy=make_policy(), outcomes=outcomes, sanctions={}, band="low")
    assert decision.target == AppState.IN_REVIEW


def test_a_policy_edit_is_a_new_version():
    first = policy.policy_current()
    second = kyc_rules.decision_policy_revise(actor=SYSTEM, note="all to review", auto_approve_enabled=False)
    assert second.version == first.version + 1 and not second.auto_approve_enabled
    first.refresh_from_db()
    assert first.auto_approve_enabled and policy.policy_current() == second


# -- through the pipeline ----------------------------------------------------------------------------


@pytest.fixture
def policy_decides(settings):
    settings.DECISION_FUNCTION = "onboarding.kyc.policy.decide"


@pytest.fixture
def sanctions_passing():
    from onboarding.kyc.checks import SanctionsNotRunCheck
    from onboarding.kyc.registry import CheckOutcome

    class Sanctions(SanctionsNotRunCheck):
        version = "test"
        details: dict = {}

        def run(self, application):
            return CheckOutcome(Sanctions.outcome, dict(Sanctions.details))

    Sanctions.outcome = "pass"
    with checks_replaced(Sanctions):
        yield Sanctions


def submitted(**overrides):
    application = draft_application(**overrides)
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    return application


def test_a_clean_application_with_its_documents_is_approved(policy_decides, sanctions_passing):
    application = draft_application()
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    assert application_advance(public_id=application.public_id) == AppState.APPROVED
    decision = Event.objects.get(application=application, action="decision")
    assert decision.visibility == "internal" and "risk score 0 (low, rules v1)" in decision.details["reasons"]


def test_without_documents_it_goes_to_review_with_the_reason(policy_decides, sanctions_passing):
    application = submitted(documents=False)
    assert application_advance(public_id=application.public_id) == AppState.IN_REVIEW
    reasons = Event.objects.get(application=application, action="review_reasons").details["reasons"]
    assert reasons[0] == "documents: review"


def test_high_risk_sets_the_second_approval_with_the_move(policy_decides, sanctions_passing):
    application = draft_application(business={"mcc": "5967", "formation_date": "2099-01-01"})
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    assert application_advance(public_id=application.public_id) == AppState.IN_REVIEW
    application.refresh_from_db()
    assert application.requires_second_approval
    assert Event.objects.filter(application=application, action="second_approval_required").count() == 1


def test_a_sanctions_block_declines_with_an_internal_code_and_neutral_words(policy_decides, sanctions_passing):
    kyc_rules.decision_policy_revise(actor=SYSTEM, note="decline", decline_on_fail=True)
    sanctions_passing.outcome = "fail"
    sanctions_passing.details = {"potential_block": True, "confirmed_hits": 1, "open_hits": 0}
    application = submitted()
    assert application_advance(public_id=application.public_id) == AppState.DECLINED
    application.refresh_from_db()
    assert application.decline_reason_code == "sanctions_match"
    shared = Event.objects.filter(application=application, visibility="shared", to_state="declined").get()
    assert shared.reason_code == "declined" and "sanction" not in str(shared.details).lower()


def test_the_same_data_gives_the_same_decision_and_no_new_rows(policy_decides, sanctions_passing):
    from onboarding.models import CheckResult

    application = submitted()
    application_advance(public_id=application.public_id)
    counts = (CheckResult.objects.count(), RiskScore.objects.count(), Event.objects.count())
    Application.objects.filter(pk=application.pk).update(state=AppState.SCREENING)
    run_checks(application)
    assert (CheckResult.objects.count(), RiskScore.objects.count()) == counts[:2]
