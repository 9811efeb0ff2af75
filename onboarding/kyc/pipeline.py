"""Running the checks and applying the decision: what the ``process_application`` task calls.

Idempotent: the same data gives the same result and writes nothing new; a changed section re-runs only
the checks that read it. Results are recorded under a lock on the application row, so two workers that
got the same task never record a check twice.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.module_loading import import_string

from onboarding.errors import InvalidTransition
from onboarding.kyc.decision import Decision
from onboarding.kyc.evidence import EvidenceIncomplete, stale_checks
from onboarding.kyc.fingerprints import check_inputs, fingerprint
from onboarding.kyc.forced_outcomes import decision_forced
from onboarding.kyc.registry import Check, CheckOutcome, registered_checks
from onboarding.models import Application, CheckResult
from onboarding.services import applications as app_services
from onboarding.services import kyc_rules
from onboarding.services.actors import Actor
from onboarding.states import AppState
from onboarding.testhooks import pause_point

logger = logging.getLogger(__name__)
PIPELINE = Actor.system("kyc-pipeline")
MAX_DECISION_ROUNDS = 3
# The owed work of an application in submitted or screening: its checks and their decision.
KYC_PIPELINE = "kyc_pipeline"


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
    """Run every registered check whose inputs changed; returns the current result of each check.

    The checks run in English whatever language the calling thread has active: the messages they share
    with the services (validation, completeness) are stored in their details, which officers read."""
    current = {r.check_name: r for r in CheckResult.objects.filter(application=application, is_current=True)}
    for check in registered_checks():
        inputs = check_inputs(check, application)
        digest = fingerprint(check, inputs)
        existing = current.get(check.name)
        if existing is not None and existing.fingerprint == digest:
            continue
        with translation.override("en"):
            outcome = check.run(application)
        current[check.name] = check_result_record(
            application=application, check=check, outcome=outcome, fingerprint=digest
        )
    return current


class EvidenceChanged(Exception):
    """The evidence a decision was taken on changed before the decision could be applied."""

    def __init__(self, checks: list[str]) -> None:
        super().__init__(", ".join(checks))
        self.checks = checks


def decision_apply(*, application: Application, decision: Decision) -> str:
    """Apply the decision on the locked row, or drop it (``EvidenceChanged``) when any check's inputs
    changed since its result was recorded: a list version loaded meanwhile, a re-screen, an edit. A
    second-approval marker commits with the move to review. Returns the state reached."""
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.state != AppState.SCREENING:
            raise InvalidTransition(f"The application is no longer in screening ({locked.state}).")
        changed = stale_checks(locked)
        if changed:
            raise EvidenceChanged(changed)
        target, reasons = decision.target, list(decision.reasons)
        if target == AppState.DECLINED and locked.has_been_in_review:
            target = AppState.IN_REVIEW
            reasons.append("the checks would decline; an officer has had the application, so an officer decides")
        if target == AppState.APPROVED:
            try:
                app_services.application_auto_approve(application=locked, actor=PIPELINE, reasons=reasons)
                return AppState.APPROVED
            except EvidenceIncomplete as exc:  # something the policy did not weigh: a person decides
                target, reasons = AppState.IN_REVIEW, [*reasons, *exc.fields.get("checks", [])]
        if target == AppState.DECLINED:
            # The reason code stays internal (a sanctions decline reads like any other to the merchant).
            app_services.application_decline(
                application=locked, actor=PIPELINE, reason_code=decision.reason_code, note="; ".join(reasons)
            )
            return AppState.DECLINED
        if decision.requires_second_approval:
            kyc_rules.application_require_second_approval(application=locked, actor=PIPELINE, reasons=reasons)
        app_services.application_send_to_review(application=locked, actor=PIPELINE, reasons=reasons)
        if target == AppState.INFO_REQUESTED and decision.info_request:
            app_services.application_request_info(
                application=locked,
                actor=PIPELINE,
                message=decision.info_request["message"],
                items=decision.info_request["items"],
            )
            return AppState.INFO_REQUESTED
        return AppState.IN_REVIEW


def decision_function():
    return import_string(settings.DECISION_FUNCTION)


def application_advance(*, public_id: str) -> str:
    """Do the work an application owes in its state; returns the state it ends in. Safe to repeat.

    The checks run outside any lock; the decision is applied under the row lock only if nothing they
    read changed meanwhile (re-screening takes the same lock), else the changed checks run again."""
    application = Application.objects.filter(public_id=public_id).first()
    if application is None:
        logger.warning("advance: no application %s", public_id)
        return ""
    try:
        if application.state == AppState.SUBMITTED:
            app_services.application_start_screening(application=application, actor=PIPELINE, publish=False)
        for _ in range(MAX_DECISION_ROUNDS):
            if application.state != AppState.SCREENING:
                break
            results = run_checks(application)
            decision = decision_forced(application, results, decision_function()(application, results))
            pause_point("pipeline-before-decision")
            try:
                decision_apply(application=application, decision=decision)
            except EvidenceChanged as exc:
                logger.info("advance: %s: evidence changed before the decision (%s); running again", public_id, exc)
            application.refresh_from_db()
        else:
            logger.warning("advance: %s: the evidence kept changing; the sweeper tries again", public_id)
    except InvalidTransition:
        # Someone else (a duplicate task, an officer, a withdrawal) moved it first: nothing left to do here.
        logger.info("advance: %s already moved on", public_id)
    application.refresh_from_db()
    return application.state
