"""The role groups and their permissions: support, compliance officer, senior compliance officer,
administrator. Migrations create and update them; tests that flush the database call ``ensure_role_groups``.

What each role may do (the README's roles table says the same):

- Support talks to merchants and partners: it reads an application's progress, the merchant, its stores,
  wallets and terminals, the information requests and the eligibility table. No personal data (owners,
  bank accounts, signed agreements), no documents, and nothing that could tip a merchant off about a
  sanctions match or show how risk is judged (sanctions records, check results, risk scores and rules,
  review cases, the audit trail, owed work). Read-only.
- A compliance officer reads everything an application holds and reviews and decides
  (``review_application``: approve, decline, request information, clear or confirm hits), never the second
  approval.
- A senior compliance officer also gives second approvals, reveals masked personal data (audited), edits
  the risk rules and the decision policy (an edit adds a version), and activates a sanctions list version.
- An administrator runs users and settings, nothing of the review: staff accounts and their role groups
  (never their own: ``onboarding.services.staff_accounts``), reads the groups and who enrolled an
  authenticator, and the portal's settings: the partners, their API keys and webhook endpoints, the
  webhook delivery log (sending again), and owed work (queuing again what needs attention). The groups'
  permissions are this module's, changed by a migration, never in the admin, so no administrator can widen
  a role they hold.
"""

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
    "onboarding.terminalrequest",
    "payments.terminal",
    "payments.acquirerobject",
    "payments.acquirerevent",
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
SUPPORT_MODELS = (
    "onboarding.application",
    "onboarding.merchant",
    "onboarding.merchantwallet",
    "onboarding.store",
    "onboarding.walletrequest",
    "onboarding.inforequest",
    "onboarding.partner",
    "onboarding.terminalrequest",
    "payments.terminal",
    "onboarding.eligibilityruleset",
    "onboarding.eligibilityrule",
)


def view_perms(models: tuple[str, ...]) -> list[str]:
    return [f"{model.split('.')[0]}.view_{model.split('.')[1]}" for model in models]


OFFICER = [*view_perms(VIEW_MODELS), "onboarding.review_application"]
ROLES = {
    SUPPORT: view_perms(SUPPORT_MODELS),
    COMPLIANCE_OFFICER: OFFICER,
    SENIOR_COMPLIANCE_OFFICER: [
        *OFFICER,
        "onboarding.second_approve_application",
        "onboarding.reveal_personal_data",
        "onboarding.add_riskruleset",
        "onboarding.add_riskrule",
        "onboarding.add_decisionpolicy",
    ],
    ADMINISTRATOR: [
        "auth.view_user",
        "auth.add_user",
        "auth.change_user",
        "auth.view_group",
        "mfa.view_authenticator",
        "onboarding.view_partner",
        "onboarding.add_partner",
        "onboarding.change_partner",
        "onboarding.view_partnerapikey",
        "onboarding.add_partnerapikey",
        "onboarding.change_partnerapikey",
        "onboarding.view_owedwork",
        "onboarding.change_owedwork",
        "onboarding.view_webhookendpoint",
        "onboarding.add_webhookendpoint",
        "onboarding.change_webhookendpoint",
        "onboarding.view_webhookevent",
        "onboarding.view_webhookdelivery",
        "onboarding.change_webhookdelivery",
    ],
}


def ensure_role_groups(apps=global_apps) -> None:
    """Create or update the groups with exactly their permissions (idempotent). With the live apps a permission
    named here that does not exist is an error (a role silently missing a right is a bug); an older migration
    runs this on its historical models, which lack the later ones, so there it is left out."""
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
            found = list(Permission.objects.filter(content_type__app_label=app_label, codename=codename))
            if not found and apps is global_apps:
                raise LookupError(f"The role {name!r} names {perm}, which does not exist.")
            chosen += found
        group.permissions.set(chosen)
