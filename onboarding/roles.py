"""The role groups and their permissions: compliance officer, senior compliance officer, support,
administrator. A migration creates them; tests that flush the database call ``ensure_role_groups``."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

COMPLIANCE_OFFICER = "Compliance officer"
SENIOR_COMPLIANCE_OFFICER = "Senior compliance officer"
SUPPORT = "Support"
ADMINISTRATOR = "Administrator"

VIEW_MODELS = (
    "onboarding.application",
    "onboarding.merchant",
    "onboarding.merchantwallet",
    "onboarding.party",
    "onboarding.bankaccount",
    "onboarding.store",
    "onboarding.walletrequest",
    "onboarding.document",
    "onboarding.agreement",
    "onboarding.inforequest",
    "onboarding.checkresult",
    "onboarding.event",
    "onboarding.partner",
    "onboarding.reviewcase",
    "payments.terminal",
    "onboarding.riskscore",
    "onboarding.riskruleset",
    "onboarding.riskrule",
    "onboarding.eligibilityruleset",
    "onboarding.eligibilityrule",
    "onboarding.decisionpolicy",
    "sanctions.sanctionslistversion",
    "sanctions.sanctionsentry",
    "sanctions.sanctionshit",
    "sanctions.sanctionsprogram",
    "sanctions.embargoedjurisdiction",
    "sanctions.refreshattempt",
    "onboarding.owedwork",
)
# Support talks to merchants: nothing that could tip one off about a sanctions match or show how risk is
# judged (no audit events, check results, review cases, sanctions records, risk scores or rules, owed work).
SUPPORT_HIDDEN = ("event", "checkresult", "reviewcase", "risk", "policy", "owedwork")
OFFICER = [f"{model.split('.')[0]}.view_{model.split('.')[1]}" for model in VIEW_MODELS] + [
    "onboarding.review_application",
]
ROLES = {
    SUPPORT: [
        f"{model.split('.')[0]}.view_{model.split('.')[1]}"
        for model in VIEW_MODELS
        if not model.startswith("sanctions.") and not any(word in model for word in SUPPORT_HIDDEN)
    ],
    COMPLIANCE_OFFICER: OFFICER,
    # Senior officers also give second approvals, take approvals back, and edit the risk rules and the
    # decision policy (an edit adds a version; old ones never change).
    SENIOR_COMPLIANCE_OFFICER: OFFICER
    + [
        "onboarding.second_approve_application",
        "onboarding.reveal_personal_data",
        "onboarding.add_riskruleset",
        "onboarding.add_riskrule",
        "onboarding.add_decisionpolicy",
    ],
    ADMINISTRATOR: ["onboarding.*", "payments.*", "sanctions.*", "auth.*"],
}


def ensure_role_groups(apps=global_apps) -> None:
    """Create or update the groups with exactly their permissions (idempotent)."""
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        chosen = []
        for perm in perms:
            app_label, codename = perm.split(".")
            query = Permission.objects.filter(content_type__app_label=app_label)
            chosen += list(query if codename == "*" else query.filter(codename=codename))
        group.permissions.set(chosen)
