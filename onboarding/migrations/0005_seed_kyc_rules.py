"""Seeds version 1 of the wallet eligibility table, the risk rules and the decision policy from the data
files in onboarding/kyc/data (each rule names its source there)."""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parents[1] / "kyc" / "data"


def seed(apps, schema_editor):
    from onboarding.kyc.eligibility import rows_digest, rows_from_data

    EligibilityRuleSet = apps.get_model("onboarding", "EligibilityRuleSet")
    EligibilityRule = apps.get_model("onboarding", "EligibilityRule")
    RiskRuleSet = apps.get_model("onboarding", "RiskRuleSet")
    RiskRule = apps.get_model("onboarding", "RiskRule")
    DecisionPolicy = apps.get_model("onboarding", "DecisionPolicy")

    if not EligibilityRuleSet.objects.exists():
        rows = rows_from_data(json.loads((DATA / "eligibility_rules.json").read_text()))
        rule_set = EligibilityRuleSet.objects.create(
            version=1, digest=rows_digest(rows), note="Initial table from the data file"
        )
        EligibilityRule.objects.bulk_create(
            EligibilityRule(rule_set=rule_set, position=i, **row) for i, row in enumerate(rows)
        )
    if not RiskRuleSet.objects.exists():
        risk = json.loads((DATA / "risk_rules.json").read_text())
        rule_set = RiskRuleSet.objects.create(version=1, note="Initial rules from the data file", **risk["thresholds"])
        RiskRule.objects.bulk_create(
            RiskRule(rule_set=rule_set, position=i, **rule) for i, rule in enumerate(risk["rules"])
        )
    if not DecisionPolicy.objects.exists():
        policy = json.loads((DATA / "decision_policy.json").read_text())
        DecisionPolicy.objects.create(
            version=1,
            note=policy["note"],
            auto_approve_enabled=policy["auto_approve_enabled"],
            decline_on_fail=policy["decline_on_fail"],
            declining_checks=policy["declining_checks"],
        )


class Migration(migrations.Migration):
    dependencies = [("onboarding", "0004_kyc_rules")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
