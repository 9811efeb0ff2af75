"""The risk score: 0-100 in bands (low, medium, high) with the factors that made it.

Rules are data (``RiskRule``): a field from the fixed list of score inputs (``RiskField``), an operator
from a closed set and a JSON value; nothing is ever evaluated as code. A score is the sum of the weights
of the rules that hold, clamped to 0-100; the band comes from the rule set's thresholds. Each
``RiskScore`` stores its rule-set version and the exact inputs, and ``risk_replay`` recomputes it from
them alone.
"""

import json
from datetime import date
from pathlib import Path

from django.db import IntegrityError, transaction

from onboarding.models import RISK_BAND_RANK, Application, CheckResult, Outcome, RiskRule, RiskRuleSet, RiskScore
from onboarding.models.rules import RiskField, RiskOperator

DATA_FILE = Path(__file__).parent / "data" / "risk_rules.json"


def load_data() -> dict:
    return json.loads(DATA_FILE.read_text())


DATA = load_data()
CATEGORY_RISK = {code: level for level in ("high", "medium") for code in DATA["category_risk"][level]}
HIGHER_RISK_JURISDICTIONS: dict[str, str] = DATA["higher_risk_jurisdictions"]["countries"]


# -- conditions --------------------------------------------------------------------------------------


def _compare(op: str, actual, expected) -> bool:
    if op == RiskOperator.EQ:
        return actual == expected
    if op == RiskOperator.NE:
        return actual != expected
    if op == RiskOperator.IN:
        return actual in (expected or [])
    if op == RiskOperator.NOT_IN:
        return actual not in (expected or [])
    if actual is None or isinstance(actual, bool | list | dict):
        return False  # an unknown or non-numeric input never passes a comparison
    try:
        if op == RiskOperator.BETWEEN:
            low, high = expected
            return low <= actual <= high
        return {
            RiskOperator.GT: actual > expected,
            RiskOperator.GTE: actual >= expected,
            RiskOperator.LT: actual < expected,
            RiskOperator.LTE: actual <= expected,
        }[op]
    except (TypeError, ValueError, KeyError):
        return False


def condition_holds(*, field: str, operator: str, value, inputs: dict) -> bool:
    if field not in RiskField.values or operator not in RiskOperator.values:
        raise ValueError(f"unknown risk condition {field} {operator}")
    return _compare(operator, inputs.get(field), value)


def condition_errors(*, field: str, operator: str, value) -> list[str]:
    """What is wrong with a rule's condition (empty when it is well formed)."""
    errors = []
    if field not in RiskField.values:
        errors.append(f"Unknown field {field!r}.")
    if operator not in RiskOperator.values:
        errors.append(f"Unknown operator {operator!r}.")
    if operator in (RiskOperator.IN, RiskOperator.NOT_IN) and not isinstance(value, list):
        errors.append("'one of' and 'none of' take a list.")
    if operator == RiskOperator.BETWEEN and not (
        isinstance(value, list) and len(value) == 2 and all(isinstance(v, int | float) for v in value)
    ):
        errors.append("'between' takes [low, high].")
    if operator in ("gt", "gte", "lt", "lte") and not isinstance(value, int | float):
        errors.append("Comparisons take a number.")
    return errors


# -- scoring -----------------------------------------------------------------------------------------


def band_for(score: int, *, medium_from: int, high_from: int) -> str:
    if score >= high_from:
        return RiskScore.Band.HIGH
    if score >= medium_from:
        return RiskScore.Band.MEDIUM
    return RiskScore.Band.LOW


def score_inputs(inputs: dict, rules: list[RiskRule], *, medium_from: int, high_from: int) -> tuple[int, str, list]:
    """(score, band, factors) from the inputs and the rules; pure."""
    factors = []
    for rule in rules:
        if condition_holds(field=rule.field, operator=rule.operator, value=rule.value, inputs=inputs):
            factors.append({"field": rule.field, "value": inputs.get(rule.field), "weight": rule.weight,
                            "reason": rule.reason})  # fmt: skip
    score = max(0, min(100, sum(f["weight"] for f in factors)))
    return score, band_for(score, medium_from=medium_from, high_from=high_from), factors


def _months_between(start: date, end: date) -> int:
    return max(0, (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day))


def _jurisdictions(application: Application) -> list[str]:
    codes = {application.address_country}
    codes |= {store.address_country for store in application.stores.all()}
    for party in application.parties.all():
        codes |= {party.address_country, party.company_country, *party.nationalities, *party.citizenships}
    return sorted(code for code in codes if code in HIGHER_RISK_JURISDICTIONS)


def risk_inputs(application: Application, results: dict[str, CheckResult]) -> dict:
    """The score inputs, from the application and the current check results (no personal data)."""
    as_of = application.submitted_at.date() if application.submitted_at else date.today()
    age = _months_between(application.formation_date, as_of) if application.formation_date else None
    sanctions = results.get("sanctions")
    names = results.get("name_consistency")
    duplicates = results.get("duplicates")
    jurisdictions = _jurisdictions(application)
    matches = (duplicates.details or {}).get("matches", []) if duplicates else []
    return {
        "mcc": application.mcc,
        "category_risk": CATEGORY_RISK.get(application.mcc, "low"),
        "entity_type": application.entity_type,
        "state": application.address_state,
        "monthly_volume_usd": (application.monthly_volume_cents or 0) // 100,
        "average_ticket_usd": (application.average_ticket_cents or 0) // 100,
        "business_age_months": age,
        "sanctions_near_misses": int((sanctions.details or {}).get("near_misses") or 0) if sanctions else 0,
        "name_mismatch": bool(names and names.outcome != Outcome.PASS),
        "duplicates_found": len([m for m in matches if not m.get("same_merchant")]),
        "higher_risk_jurisdictions": jurisdictions,
        "higher_risk_jurisdiction_count": len(jurisdictions),
    }


# -- rule sets ---------------------------------------------------------------------------------------


def rule_set_store(*, rules: list[dict], medium_from: int, high_from: int, note: str = "", created_by=None):
    """Store the next version (never changes an existing one)."""
    for rule in rules:
        errors = condition_errors(field=rule["field"], operator=rule["operator"], value=rule.get("value"))
        if errors:
            raise ValueError("; ".join(errors))
    with transaction.atomic():
        latest = RiskRuleSet.objects.select_for_update().order_by("-version").first()
        rule_set = RiskRuleSet.objects.create(
            version=(latest.version + 1) if latest else 1,
            medium_from=medium_from,
            high_from=high_from,
            note=note[:300],
            created_by=created_by,
        )
        RiskRule.objects.bulk_create(
            RiskRule(rule_set=rule_set, position=i, field=r["field"], operator=r["operator"], value=r.get("value"),
                     weight=r["weight"], reason=r["reason"])
            for i, r in enumerate(rules)
        )  # fmt: skip
    return rule_set


def rule_set_current() -> RiskRuleSet:
    current = RiskRuleSet.objects.order_by("-version").first()
    if current is not None:
        return current
    try:
        return rule_set_store(rules=DATA["rules"], note="Initial rules from the data file", **DATA["thresholds"])
    except IntegrityError:
        return RiskRuleSet.objects.order_by("-version").first()


def rules_as_data(rule_set: RiskRuleSet) -> list[dict]:
    return [
        {"field": r.field, "operator": r.operator, "value": r.value, "weight": r.weight, "reason": r.reason}
        for r in rule_set.rules.order_by("position")
    ]


def risk_assess(*, application: Application, results: dict[str, CheckResult]) -> RiskScore:
    """Score the application with the rules in force; the same inputs and version reuse the current row."""
    rule_set = rule_set_current()
    inputs = risk_inputs(application, results)
    score, band, factors = score_inputs(
        inputs, list(rule_set.rules.order_by("position")), medium_from=rule_set.medium_from,
        high_from=rule_set.high_from,
    )  # fmt: skip
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=application.pk).first()
        current = RiskScore.objects.filter(application=application, is_current=True).first()
        if current is not None and current.rule_set_id == rule_set.pk and current.inputs == inputs:
            return current
        if current is not None:
            RiskScore.objects.filter(pk=current.pk).update(is_current=False)
        queue_fields = {"risk_score": score, "risk_band": band, "risk_rank": RISK_BAND_RANK[band]}
        Application.objects.filter(pk=application.pk).update(**queue_fields)  # what the queue sorts on
        for name, value in queue_fields.items():
            setattr(application, name, value)
        return RiskScore.objects.create(
            application=application, rule_set=rule_set, score=score, band=band, inputs=inputs, factors=factors
        )


def risk_replay(score: RiskScore) -> tuple[int, str, list]:
    """Recompute a stored score from its stored inputs and its own rule-set version."""
    rule_set = score.rule_set
    return score_inputs(
        score.inputs, list(rule_set.rules.order_by("position")), medium_from=rule_set.medium_from,
        high_from=rule_set.high_from,
    )  # fmt: skip
