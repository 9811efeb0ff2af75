"""Running the checks and applying the decision: what the ``process_application`` task calls.

Idempotent: the same data gives the same result and writes nothing new; a changed section re-runs only
the checks that read it. Results are recorded under a lock on the application row, so two workers that
got the same task never record a check twice.
"""

import json
import logging

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from onboarding import crypto
from onboarding.errors import InvalidTransition
from onboarding.kyc import snapshot
from onboarding.kyc.decision import Decision
from onboarding.kyc.registry import Check, CheckOutcome, registered_checks
from onboarding.models import Application, CheckResult
from onboarding.services import applications as app_services
from onboarding.services import kyc_rules
from onboarding.services.actors import Actor
from onboarding.states import AppState

logger = logging.getLogger(__name__)
PIPELINE = Actor.system("kyc-pipeline")


def check_inputs(check: Check, application: Application) -> dict:
    inputs = {name: snapshot.section(application, name) for name in check.reads}
    inputs.update(check.extra_inputs(application))
    return inputs


def fingerprint(check: Check, inputs: dict) -> str:
    canonical = json.dumps(
        {"check": check.name, "version": check.version, "inputs": inputs},
        sort_keys=True,
        default=str,
        separators=(",", ":"),
    )
    return crypto.keyed_fingerprint(canonical)


def check_result_record(
    *, application: Application, check: Check, outcome: CheckOutcome, fingerprint: str
) -> CheckResult:
    """Keep the new result as the current one; the old one stays as history."""
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=application.pk).first()
        current = CheckResult.objects.filter(application=application, check_name=check.name, is_current=True).first()
        if current is not None and current.fingerprint == fingerprint:
            return current  # another worker recorded the same inputs meanwhile
        if current is not None:
            CheckResult.objects.filter(pk=current.pk).update(is_current=False)
        return CheckResult.objects.create(
            application=application,
            check_name=check.name,
            check_version=check.version,
            outcome=outcome.outcome,
            details=outcome.details,
            fingerprint=fingerprint,
        )


def run_checks(application: Application) -> dict[str, CheckResult]:
    """Run every registered check whose inputs changed; returns the current result of each check."""
    current = {r.check_name: r for r in CheckResult.objects.filter(application=application, is_current=True)}
    for check in registered_checks():
        inputs = check_inputs(check, application)
        digest = fingerprint(check, inputs)
        existing = current.get(check.name)
        if existing is not None and existing.fingerprint == digest:
            continue
        outcome = check.run(application)
        current[check.name] = check_result_record(
            application=application, check=check, outcome=outcome, fingerprint=digest
        )
    return current


def decision_apply(*, application: Application, decision: Decision) -> None:
    """Move the application as decided; a second-approval marker commits with the move to review."""
    reasons = decision.reasons
    if decision.target == AppState.APPROVED:
        app_services.application_auto_approve(application=application, actor=PIPELINE, reasons=reasons)
    elif decision.target == AppState.DECLINED:
        # The reason code stays internal (a sanctions decline reads like any other to the merchant).
        app_services.application_decline(
            application=application,
            actor=PIPELINE,
            reason_code=decision.reason_code,
            note="; ".join(reasons),
        )
    else:
        with transaction.atomic():
            if decision.requires_second_approval:
                kyc_rules.application_require_second_approval(application=application, actor=PIPELINE, reasons=reasons)
            app_services.application_send_to_review(application=application, actor=PIPELINE, reasons=reasons)


def decision_function():
    return import_string(settings.DECISION_FUNCTION)


def application_advance(*, public_id: str) -> str:
    """Do the work an application owes in its state; returns the state it ends in. Safe to repeat."""
    application = Application.objects.filter(public_id=public_id).first()
    if application is None:
        logger.warning("advance: no application %s", public_id)
        return ""
    try:
        if application.state == AppState.SUBMITTED:
            app_services.application_start_screening(application=application, actor=PIPELINE, publish=False)
        if application.state == AppState.SCREENING:
            results = run_checks(application)
            decision = decision_function()(application, results)
            decision_apply(application=application, decision=decision)
    except InvalidTransition:
        # Someone else (a duplicate task, an officer, a withdrawal) moved it first: nothing left to do here.
        application.refresh_from_db()
        logger.info("advance: %s already moved on to %s", public_id, application.state)
    return application.state
