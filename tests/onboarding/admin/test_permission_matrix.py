"""Who may open which admin page and use which admin action: one table, one row a page or an action, one
expected answer per role. A new admin page or action adds its row here (the completeness test below fails
for a registered admin without its list and change rows).

Answers: "ok" (the page is shown), "denied" (403: signed in, not allowed), "sign-in" (sent to sign in: an
inactive account's session counts for nothing), and for actions "done" (it took effect) or "not done" (the
page answered, but nothing happened). Each role's attempt runs in a savepoint that is rolled back, so every
role meets the same world and an action done by one role is not seen by the next.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client, override_settings
from django.utils import timezone

from onboarding.admin.review import page_version
from onboarding.kyc import eligibility, policy, risk
from onboarding.kyc.pipeline import KYC_PIPELINE, application_advance
from onboarding.models import (
    CheckResult,
    Event,
    InfoRequest,
    OwedWork,
    RiskRuleSet,
    RiskScore,
    TerminalRequest,
    WebhookDelivery,
    WebhookEndpoint,
)
from onboarding.roles import ADMINISTRATOR, COMPLIANCE_OFFICER, SENIOR_COMPLIANCE_OFFICER, SUPPORT
from onboarding.services.actors import Actor
from onboarding.services.applications import application_submit
from onboarding.services.cases import review_case_open
from onboarding.services.kyc_rules import decision_policy_revise
from onboarding.services.partner_events import application_snapshot, partner_event_emit
from onboarding.services.partners import partner_api_key_create, partner_create
from onboarding.services.webhook_endpoints import webhook_endpoint_create
from onboarding.states import AppState
from payments.models import AcquirerEvent, AcquirerObject, Terminal
from sanctions.models import (
    EmbargoedJurisdiction,
    RefreshAttempt,
    SanctionsEntry,
    SanctionsHit,
    SanctionsProgram,
)
from tests.factories import UserFactory, application_in_state, officer
from tests.sanctions.integration.helpers import (
    application_with,
    live_merchant_for,
    load_folder,
    person,
    sample_plus_cons,
)
from tests.staff import staff_login, totp_enrol

pytestmark = pytest.mark.django_db
ROLES = ("support", "officer", "senior", "administrator", "non-staff", "inactive")
STAFF_ROLES = {
    "support": SUPPORT,
    "officer": COMPLIANCE_OFFICER,
    "senior": SENIOR_COMPLIANCE_OFFICER,
    "administrator": ADMINISTRATOR,
}
SYSTEM = Actor.system("tests")


def refusal(role: str) -> str:
    return "sign-in" if role == "inactive" else "denied"


def seen_by(*roles: str) -> dict[str, str]:
    """A page that these roles may open, and every other one is refused."""
    return {role: "ok" if role in roles else refusal(role) for role in ROLES}


def done_by(*roles: str, viewers: tuple[str, ...] = ()) -> dict[str, str]:
    """An action these roles may take; ``viewers`` see its page but cannot take it; the others are refused."""
    answers = {role: refusal(role) for role in ROLES}
    answers.update({role: "not done" for role in viewers})
    answers.update({role: "done" for role in roles})
    return answers


@dataclass(frozen=True)
class Row:
    name: str
    url: Callable[[dict], str]
    expect: dict[str, str]
    data: Callable[[dict], dict] | None = None  # a POST with this body; else a GET
    done: Callable[[dict], bool] | None = None  # for an action: whether it took effect
    models: tuple[str, ...] = field(default=())  # the admin models whose pages this row covers


def changelist(label: str, expect: dict[str, str]) -> Row:
    app, model = label.split(".")
    return Row(f"{label} list", lambda world: f"/admin/{app}/{model}/", expect, models=(f"{label}:list",))


def change(label: str, expect: dict[str, str]) -> Row:
    app, model = label.split(".")
    return Row(
        f"{label} change page",
        lambda world: f"/admin/{app}/{model}/{world[label].pk}/change/",
        expect,
        models=(f"{label}:change",),
    )


def both(label: str, expect: dict[str, str]) -> list[Row]:
    return [changelist(label, expect), change(label, expect)]


REVIEWERS = ("officer", "senior")
SUPPORTED = ("support", "officer", "senior")
NOBODY: tuple[str, ...] = ()


def hit_cleared(world) -> bool:
    world["sanctions.sanctionshit"].refresh_from_db()
    return world["sanctions.sanctionshit"].status != SanctionsHit.Status.OPEN


def work_queued_again(world) -> bool:
    world["onboarding.owedwork"].refresh_from_db()
    return world["onboarding.owedwork"].status == OwedWork.Status.PENDING


def new_risk_version(world) -> bool:
    return RiskRuleSet.objects.filter(version__gt=world["onboarding.riskruleset"].version).exists()


def new_policy_version(world) -> bool:
    return policy.policy_current().version > world["onboarding.decisionpolicy"].version


def risk_rule_post(world) -> dict:
    rule = {"field": "mcc", "operator": "in", "value": '["7995"]', "weight": 40, "reason": "Gambling"}
    data = {"medium_from": 25, "high_from": 60, "note": "matrix", "rules-TOTAL_FORMS": 1, "rules-INITIAL_FORMS": 0,
            "rules-MIN_NUM_FORMS": 0, "rules-MAX_NUM_FORMS": 1000}  # fmt: skip
    data.update({f"rules-0-{key}": value for key, value in rule.items()})
    return data


def policy_post(world) -> dict:
    checks = policy.policy_current().declining_checks
    return {"auto_approve_enabled": "", "decline_on_fail": "", "note": "matrix",
            "declining_checks": checks if isinstance(checks, str) else json.dumps(checks)}  # fmt: skip


def boarding_retried(world) -> bool:
    # Read, not refreshed: the world's object must keep the state every role meets.
    return (
        type(world["payments.boardingfailed"])
        .objects.filter(pk=world["payments.boardingfailed"].pk, state=AppState.BOARDING)
        .exists()
    )


def revealed(world) -> bool:
    return Event.objects.filter(action="personal_data_revealed").exists()


def information_requested(world) -> bool:
    return InfoRequest.objects.filter(application=world["onboarding.application"]).exists()


def second_approved(world) -> bool:
    world["onboarding.secondapprovalqueue"].refresh_from_db()
    return world["onboarding.secondapprovalqueue"].state == AppState.APPROVED


def decision(name: str, key: str, body: dict) -> Callable[[dict], dict]:
    def data(world) -> dict:
        application = world[key]
        return {f"{name}-page_version": page_version(application), **{f"{name}-{k}": v for k, v in body.items()}}

    return data


def decide_url(key: str, name: str) -> Callable[[dict], str]:
    return lambda world: f"/admin/onboarding/application/{world[key].pk}/decide/{name}/"


def reveal_url(world) -> str:
    return f"/admin/reveal/application/{world['onboarding.application'].public_id}/tax_id/"


def document_url(world) -> str:
    return f"/admin/documents/{world['onboarding.secondapprovalqueue'].documents.first().public_id}/"


ROWS: list[Row] = [
    Row("admin index", lambda world: "/admin/", seen_by(*STAFF_ROLES)),
    *both("auth.user", seen_by("administrator")),
    *both("auth.group", seen_by("administrator")),
    *both("mfa.authenticator", seen_by("administrator")),
    *both("account.emailaddress", seen_by()),
    *both("onboarding.application", seen_by(*SUPPORTED)),
    *both("onboarding.merchant", seen_by(*SUPPORTED)),
    *both("onboarding.partner", seen_by(*SUPPORTED, "administrator")),
    *both("onboarding.partnerapikey", seen_by("administrator")),
    *both("onboarding.webhookendpoint", seen_by("administrator")),
    *both("onboarding.webhookevent", seen_by("administrator")),
    *both("onboarding.webhookdelivery", seen_by("administrator")),
    *both("onboarding.eligibilityruleset", seen_by(*SUPPORTED)),
    *both("onboarding.checkresult", seen_by(*REVIEWERS)),
    *both("onboarding.event", seen_by(*REVIEWERS)),
    *both("onboarding.riskscore", seen_by(*REVIEWERS)),
    *both("onboarding.riskruleset", seen_by(*REVIEWERS)),
    *both("onboarding.decisionpolicy", seen_by(*REVIEWERS)),
    *both("onboarding.owedwork", seen_by(*REVIEWERS, "administrator")),
    *both("payments.terminal", seen_by(*SUPPORTED)),
    *both("payments.acquirerobject", seen_by(*REVIEWERS)),
    *both("payments.acquirerevent", seen_by(*REVIEWERS)),
    *both("sanctions.sanctionslistversion", seen_by(*REVIEWERS)),
    *both("sanctions.sanctionsentry", seen_by(*REVIEWERS)),
    *both("sanctions.sanctionshit", seen_by(*REVIEWERS)),
    *both("sanctions.sanctionsprogram", seen_by(*REVIEWERS)),
    *both("sanctions.embargoedjurisdiction", seen_by(*REVIEWERS)),
    *both("sanctions.refreshattempt", seen_by(*REVIEWERS)),
    changelist("pghistory.events", seen_by()),
    *both("onboarding.reviewcase", seen_by(*REVIEWERS)),
    changelist("onboarding.secondapprovalqueue", seen_by(*REVIEWERS)),
    Row(
        "onboarding.secondapprovalqueue change page (the review page)",
        lambda world: f"/admin/onboarding/secondapprovalqueue/{world['onboarding.secondapprovalqueue'].pk}/change/",
        {**seen_by(), "officer": "redirected", "senior": "redirected"},
        models=("onboarding.secondapprovalqueue:change",),
    ),
    Row("reveal page", reveal_url, seen_by("senior")),
    Row("reveal a value", reveal_url, done_by("senior"), data=lambda world: {"reason": "matrix"}, done=revealed),
    Row("document opened inline", document_url, seen_by(*REVIEWERS)),
    Row("examiner's export for a date range", lambda world: "/admin/export/", seen_by(*REVIEWERS)),
    Row(
        "review page: request information",
        decide_url("onboarding.application", "request_info"),
        done_by(*REVIEWERS, viewers=("support",)),
        data=decision("request_info", "onboarding.application", {"reason": "Please send a utility bill."}),
        done=information_requested,
    ),
    Row(
        "review page: the second approval by the first approver",
        decide_url("onboarding.secondapprovalqueue", "second_approve"),
        done_by(viewers=("support", *REVIEWERS)),
        data=decision("second_approve", "onboarding.secondapprovalqueue", {"reason": "Looks right."}),
        done=second_approved,
    ),
    Row(
        "review page: retry boarding after a fix",
        decide_url("payments.boardingfailed", "boarding_retry"),
        done_by(*REVIEWERS, viewers=("support",)),
        data=decision("boarding_retry", "payments.boardingfailed", {"reason": "The EIN is corrected."}),
        done=boarding_retried,
    ),
    Row("user add page", lambda world: "/admin/auth/user/add/", seen_by("administrator")),
    Row("webhook endpoint add page", lambda world: "/admin/onboarding/webhookendpoint/add/", seen_by("administrator")),
    Row(
        "webhook endpoint: create (the secret shown once)",
        lambda world: "/admin/onboarding/webhookendpoint/add/",
        done_by("administrator"),
        data=lambda world: {
            "partner": world["onboarding.partner"].pk,
            "url": "https://hooks.example/new",
            "event_types": ["application.approved"],
            "description": "",
        },  # fmt: skip
        done=lambda world: WebhookEndpoint.objects.filter(url="https://hooks.example/new").exists(),
    ),
    Row(
        "webhook delivery: send again",
        lambda world: "/admin/onboarding/webhookdelivery/",
        done_by("administrator"),
        data=lambda world: {"action": "resend", "_selected_action": [world["onboarding.webhookdelivery"].pk]},
        done=lambda world: WebhookDelivery.objects.filter(
            pk=world["onboarding.webhookdelivery"].pk, status=WebhookDelivery.Status.PENDING
        ).exists(),  # fmt: skip
    ),
    Row("risk rules add page", lambda world: "/admin/onboarding/riskruleset/add/", seen_by("senior")),
    Row("decision policy add page", lambda world: "/admin/onboarding/decisionpolicy/add/", seen_by("senior")),
    Row(
        "owed work: queue again",
        lambda world: "/admin/onboarding/owedwork/",
        done_by("administrator", viewers=REVIEWERS),
        data=lambda world: {"action": "retry", "_selected_action": [world["onboarding.owedwork"].pk]},
        done=work_queued_again,
    ),
    Row(
        "risk rules: add a version",
        lambda world: "/admin/onboarding/riskruleset/add/",
        done_by("senior"),
        data=risk_rule_post,
        done=new_risk_version,
    ),
    Row(
        "decision policy: add a version",
        lambda world: "/admin/onboarding/decisionpolicy/add/",
        done_by("senior"),
        data=policy_post,
        done=new_policy_version,
    ),
    Row(
        "sanctions hit: clear with a reason",
        lambda world: "/admin/sanctions/sanctionshit/",
        done_by(*REVIEWERS),
        data=lambda world: {
            "action": "clear_hits",
            "_selected_action": [world["sanctions.sanctionshit"].pk],
            "reason": "Different date of birth",
        },  # fmt: skip
        done=hit_cleared,
    ),
]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Built once for the module inside a transaction rolled back at its end (each test runs in a savepoint
    of it), as Django's setUpTestData does."""
    folder = sample_plus_cons(tmp_path_factory.mktemp("lists"))
    documents = {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path_factory.mktemp("documents"))}}
    with (
        django_db_blocker.unblock(),
        override_settings(
            SANCTIONS_MIN_PRIMARY_ROWS=10,
            STORAGES={**settings.STORAGES, "default": documents},
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        ),
    ):
        outer = transaction.atomic()
        outer._from_testcase = True  # as Django's TestCase marks its own, so the services' durable blocks nest
        outer.__enter__()
        try:
            yield {**world_of_everything(load_folder(folder).version), "documents": documents}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def world_of_everything(fresh_list) -> dict:
    """One of everything the admin lists: an application screened against the sample list with a hit to
    review, its merchant, check results, risk score and events, a partner with a key, owed work that needs
    attention, the rule versions in force, a staff member with an authenticator."""
    decision_policy_revise(actor=SYSTEM, note="officers decide", auto_approve_enabled=False)
    application = application_with(person("Daniel", "Moreno", "1980-01-01", 100, True))
    application_submit(application=application, actor=Actor.for_user(application.applicant))
    application_advance(public_id=application.public_id)
    application.refresh_from_db()
    hit = SanctionsHit.objects.filter(application=application, status=SanctionsHit.Status.OPEN).first()
    assert hit is not None, "the sample list should give Daniel Moreno an open hit"
    partner = partner_create(actor=SYSTEM, name="Matrix ISO", kind="iso")
    key, _ = partner_api_key_create(partner=partner, actor=SYSTEM, mode="test")
    staff = officer(SUPPORT)
    totp_enrol(staff)
    address = EmailAddress.objects.create(user=staff, email=staff.email, primary=True, verified=True)
    merchant = live_merchant_for(application)
    case, _ = review_case_open(merchant=merchant, actor=SYSTEM, reason_code="sanctions_new_hit", summary="matrix")
    users = role_users()
    failed = application_in_state(AppState.BOARDING_FAILED)
    terminal = Terminal.objects.create(
        merchant=merchant, request=TerminalRequest.objects.filter(store__application=application).first()
    )
    call = AcquirerObject.objects.create(key=f"acct:{merchant.public_id}", kind="account", merchant=merchant,
                                         livemode=True, acquirer_id="acct_1", completed_at=timezone.now())  # fmt: skip
    acquirer_event = AcquirerEvent.objects.create(event_id="evt_matrix", type="account.updated", livemode=True,
                                                  created=timezone.now(), payload={})  # fmt: skip
    # Approved once by the senior officer of the matrix, who must not give the second approval too.
    awaiting = application_in_state(AppState.AWAITING_SECOND_APPROVAL, first_approver=users["senior"],
                                    first_approved_at=timezone.now())  # fmt: skip
    endpoint, _ = webhook_endpoint_create(partner=partner, actor=SYSTEM, url="https://hooks.example/matrix",
                                          event_types=["*"], livemode=False)  # fmt: skip
    webhook_event = partner_event_emit(type="application.approved", partner=partner, livemode=False,
                                       object=application_snapshot(application), application=application)  # fmt: skip
    delivery = WebhookDelivery.objects.get(event=webhook_event)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status=WebhookDelivery.Status.FAILED)
    stuck = OwedWork.objects.create(kind=KYC_PIPELINE, subject_type="application", subject_id=application.public_id,
                                    max_attempts=1, status=OwedWork.Status.NEEDS_ATTENTION,
                                    due_at=timezone.now())  # fmt: skip
    return {
        "auth.user": staff,
        "auth.group": Group.objects.get(name=SUPPORT),
        "mfa.authenticator": Authenticator.objects.filter(user=staff).first(),
        "account.emailaddress": address,
        "onboarding.application": application,
        "onboarding.merchant": merchant,
        "onboarding.reviewcase": case,
        "onboarding.secondapprovalqueue": awaiting,
        "onboarding.partner": partner,
        "onboarding.partnerapikey": key,
        "onboarding.eligibilityruleset": eligibility.rule_set_current(),
        "onboarding.checkresult": CheckResult.objects.filter(application=application).first(),
        "onboarding.event": Event.objects.filter(application=application).first(),
        "onboarding.riskscore": RiskScore.objects.filter(application=application).first(),
        "onboarding.riskruleset": risk.rule_set_current(),
        "onboarding.decisionpolicy": policy.policy_current(),
        "onboarding.owedwork": stuck,
        "onboarding.webhookendpoint": endpoint,
        "onboarding.webhookevent": webhook_event,
        "onboarding.webhookdelivery": delivery,
        "payments.terminal": terminal,
        "payments.acquirerobject": call,
        "payments.acquirerevent": acquirer_event,
        "payments.boardingfailed": failed,
        "sanctions.sanctionslistversion": fresh_list,
        "sanctions.sanctionsentry": SanctionsEntry.objects.filter(version=fresh_list).first(),
        "sanctions.sanctionshit": hit,
        "sanctions.sanctionsprogram": SanctionsProgram.objects.first(),
        "sanctions.embargoedjurisdiction": EmbargoedJurisdiction.objects.first(),
        "sanctions.refreshattempt": RefreshAttempt.objects.create(source="matrix", status="failed", error="test"),
        "users": users,
    }


def role_users() -> dict:
    """One user a role: staff with their authenticators, a merchant, and an inactive senior officer."""
    users = {role: officer(group) for role, group in STAFF_ROLES.items()}
    users["non-staff"] = UserFactory()
    users["inactive"] = officer(SENIOR_COMPLIANCE_OFFICER)
    for role, user in users.items():
        if role != "non-staff":
            totp_enrol(user)
    return users


def signed_in(role: str, user) -> Client:
    client = Client()
    if role == "non-staff":
        client.force_login(user)  # not staff: no second factor to show
        return client
    staff_login(client, user)
    if role == "inactive":  # signed in before the account was switched off
        type(user).objects.filter(pk=user.pk).update(is_active=False)
    return client


def answer(client: Client, row: Row, world: dict) -> str:
    url = row.url(world)
    response = client.post(url, row.data(world)) if row.data else client.get(url)
    if response.status_code == 302 and response["Location"].startswith("/admin/login/"):
        response = client.get(response["Location"])  # the admin's login: 403 when signed in, else allauth's
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return "sign-in"
    if response.status_code == 403:
        return "denied"
    if row.done is not None and response.status_code in (200, 302):
        return "done" if row.done(world) else "not done"
    if response.status_code == 302:
        return "redirected"
    return "ok" if response.status_code == 200 else f"HTTP {response.status_code}"


@pytest.mark.parametrize("row", ROWS, ids=[row.name for row in ROWS])
def test_each_role_gets_the_expected_answer(world, db, row):
    got = {}
    for role in ROLES:
        with transaction.atomic(), override_settings(STORAGES={**settings.STORAGES, "default": world["documents"]}):
            got[role] = answer(signed_in(role, world["users"][role]), row, world)
            transaction.set_rollback(True)
    assert got == row.expect


def test_every_admin_page_has_its_rows():
    covered = {model for row in ROWS for model in row.models}
    for model in admin.site._registry:
        label = model._meta.label_lower
        assert f"{label}:list" in covered, f"add a row for the list of {label}"
        if label != "pghistory.events":  # a database view of the field history, listed only
            assert f"{label}:change" in covered, f"add a row for the change page of {label}"
