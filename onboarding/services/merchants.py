"""The merchant's life with us: onboarding → active → suspended → active | closed.

A suspension for a sanctions hit names its hits in an internal event (``suspension_cause``); lifting
such a suspension takes a senior officer, and the rules sanctions screening registers
(``onboarding.casework``) refuse it while a hit is open or confirmed, or to the officer who cleared it.

Apps that must act on a move (the acquirer must stop taking a suspended merchant's payments) register a
hook with ``on_merchant_move``; each hook runs inside the move's transaction, so what it records (owed
work) commits with the move or not at all.
"""

from collections.abc import Callable

from django.db import IntegrityError, transaction

from onboarding import casework
from onboarding.errors import DomainError, PermissionDenied
from onboarding.models import Application, Event, Merchant, MerchantWallet
from onboarding.services.actors import REVIEW_PERM, SECOND_APPROVAL_PERM, Actor
from onboarding.services.events import event_record
from onboarding.statemachine import apply_transition
from onboarding.states import MERCHANT_MACHINE, AppState, MerchantState


def merchant_create_for(*, application: Application, actor: Actor) -> Merchant:
    """The merchant an application's submission creates (its first application)."""
    merchant = Merchant.objects.create(
        legal_name=application.legal_name,
        dba=application.dba,
        tax_id_type=application.tax_id_type,
        tax_id=application.tax_id,
        tax_id_last4=application.tax_id_last4,
        tax_id_index=application.tax_id_index,
        acquirer=application.acquirer,
        livemode=application.livemode,
        partner=application.partner,
    )
    if application.applicant_id:
        merchant.users.add(application.applicant_id)
    for wallet in sorted({request.wallet for request in application.wallet_requests.all()}):
        MerchantWallet.objects.create(merchant=merchant, wallet=wallet)
    event_record(
        actor=actor, subject=merchant, action="created", application=application, to_state=MerchantState.ONBOARDING
    )
    return merchant


def merchant_adopt_parties(*, application: Application) -> None:
    """An approved application's parties become the merchant's current ones (re-screening uses them)."""
    if application.merchant_id:
        Merchant.objects.filter(pk=application.merchant_id).update(current_application=application)


MoveHook = Callable[[Merchant, str, str], None]
_MOVE_HOOKS: list[MoveHook] = []


def on_merchant_move(hook: MoveHook) -> MoveHook:
    """Call ``hook(merchant, source, target)`` inside the transaction of every merchant move."""
    if hook not in _MOVE_HOOKS:
        _MOVE_HOOKS.append(hook)
    return hook


def _move(
    merchant: Merchant,
    *,
    target: str,
    actor: Actor,
    action: str,
    reason_code: str,
    note: str = "",
    updates: dict | None = None,
    guard: Callable[[Merchant], None] | None = None,
    cause: dict | None = None,
) -> None:
    def record(instance: Merchant, source: str) -> None:
        event_record(
            actor=actor,
            subject=instance,
            action=action,
            from_state=source,
            to_state=target,
            reason_code=reason_code,
            shared=True,
        )
        if note:
            event_record(actor=actor, subject=instance, action="note", details={"note": note})
        if cause:
            event_record(actor=actor, subject=instance, action=SUSPENSION_CAUSE, details=cause)
        for hook in _MOVE_HOOKS:
            hook(instance, source, target)

    try:
        with transaction.atomic():
            apply_transition(
                merchant, machine=MERCHANT_MACHINE, target=target, on_applied=record, updates=updates, guard=guard
            )
    except IntegrityError as exc:
        raise DomainError(
            "Another live merchant already has this tax id; review the two before activating this one.",
            code="duplicate_live_merchant",
        ) from exc


def merchant_activate(*, merchant: Merchant, actor: Actor, application: Application | None = None) -> None:
    """Go live (from onboarding, once boarded) or lift a suspension."""
    updates = {"current_application": application} if application is not None else None
    _move(
        merchant,
        target=MerchantState.ACTIVE,
        actor=actor,
        action="activated",
        reason_code="merchant_active",
        updates=updates,
    )


SUSPENSION_CAUSE = "suspension_cause"


def _require_reason(reason: str, what: str) -> None:
    if not (reason or "").strip():
        raise DomainError(f"Give the reason to {what}.", code="reason_required")


def merchant_suspend(
    *, merchant: Merchant, actor: Actor, reason: str, hits: list[str] | None = None, case: str = ""
) -> None:
    """Suspend a live merchant; ``hits`` (public ids) when the suspension is for sanctions hits, recorded
    internally (the merchant's event carries only the neutral reason code)."""
    if not actor.is_system:
        actor.require_perm(REVIEW_PERM, "suspend a merchant")
    _require_reason(reason, "suspend the merchant")
    cause = {"hits": sorted(set(hits)), **({"case": case} if case else {})} if hits else None
    _move(
        merchant,
        target=MerchantState.SUSPENDED,
        actor=actor,
        action="suspended",
        reason_code="merchant_suspended",
        note=reason.strip(),
        cause=cause,
    )


def merchant_suspension(merchant: Merchant) -> casework.Suspension:
    """Why the merchant was last suspended (read from the event log, which nobody can rewrite)."""
    events = Event.objects.filter(subject_type="merchant", subject_id=merchant.public_id)
    last = events.filter(action="suspended").order_by("-id").first()
    if last is None:
        return casework.Suspension()
    cause = events.filter(action=SUSPENSION_CAUSE, id__gt=last.id).order_by("id").first()
    if cause is None:
        return casework.Suspension()
    return casework.Suspension(hits=tuple(cause.details.get("hits", [])), case=cause.details.get("case", ""))


def merchant_reactivate(*, merchant: Merchant, actor: Actor, reason: str) -> None:
    """Lift a suspension. One for sanctions hits is lifted only by a senior officer, and only when the
    registered rules find nothing in the way (checked on the locked merchant row)."""
    actor.require_perm(REVIEW_PERM, "reactivate a merchant")
    _require_reason(reason, "reactivate the merchant")

    def guard(current: Merchant) -> None:
        suspension = merchant_suspension(current)
        if suspension.for_hits and not actor.has_perm(SECOND_APPROVAL_PERM):
            raise PermissionDenied("Only a senior compliance officer lifts a suspension for a sanctions hit.")
        problems = casework.reactivation_problems(current, actor, suspension)
        if problems:
            raise DomainError("The merchant cannot be reactivated: " + "; ".join(problems), code="reactivation_refused")

    _move(
        merchant,
        target=MerchantState.ACTIVE,
        actor=actor,
        action="reactivated",
        reason_code="merchant_active",
        note=reason.strip(),
        guard=guard,
    )


def merchant_close(*, merchant: Merchant, actor: Actor, reason: str) -> None:
    if not actor.is_system:
        actor.require_perm(REVIEW_PERM, "close a merchant")
    _move(
        merchant, target=MerchantState.CLOSED, actor=actor, action="closed", reason_code="merchant_closed", note=reason
    )


def merchant_close_if_abandoned(*, merchant: Merchant | None, actor: Actor) -> None:
    """A merchant still onboarding whose every application ended without boarding is closed."""
    if merchant is None or merchant.state != MerchantState.ONBOARDING:
        return
    if merchant.applications.exclude(state__in=AppState.FINAL).exists():
        return
    if merchant.applications.filter(state=AppState.BOARDED).exists():
        return
    merchant_close(merchant=merchant, actor=actor, reason="No application of this merchant remains open.")
