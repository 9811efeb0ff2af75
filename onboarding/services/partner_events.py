"""The events partners hear of, written in the transaction of the change they tell of.

``partner_event_emit`` writes the event and, for every enabled endpoint of the partner in the same mode
that subscribed to its type, a delivery owed as work: committed with the change or not at all, so no
event is lost to a crash, and none is sent for a change that rolled back. Only applications that came
from a partner have events (a web merchant's partner is nobody).

The snapshots say what a partner may know: public ids, states, the business's names, requirements; never
personal data. A sole proprietorship's legal name is a person's name, so only its DBA is sent.

Onboarding emits the application's moves (``application_moved``, called by every move), the merchant's
suspension and the requirements changing; other apps call ``partner_event_emit`` with their own
registered types (payments: a terminal activated or failed).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from onboarding.models import Application, EntityType, Merchant, Partner, WebhookDelivery, WebhookEvent
from onboarding.states import AppState, MerchantState
from onboarding.webhooks_out import event_types as types
from onboarding.webhooks_out.wire import iso
from onboarding.work import owed_work_record

WEBHOOK_WORK = "webhook_delivery"
MOVE_EVENTS = {
    AppState.SUBMITTED: types.APPLICATION_SUBMITTED,
    AppState.INFO_REQUESTED: types.APPLICATION_INFO_REQUESTED,
    AppState.APPROVED: types.APPLICATION_APPROVED,
    AppState.DECLINED: types.APPLICATION_DECLINED,
    AppState.BOARDED: types.APPLICATION_BOARDED,
}
MERCHANT_EVENTS = {MerchantState.SUSPENDED: types.MERCHANT_SUSPENDED}


def business_name(*, legal_name: str, dba: str, entity_type: str) -> str:
    if entity_type == EntityType.SOLE_PROPRIETORSHIP:
        return dba
    return dba or legal_name


def application_snapshot(application: Application) -> dict:
    return {
        "id": application.public_id,
        "object": "application",
        "livemode": application.livemode,
        "external_id": application.external_id or None,
        "state": application.state,
        "merchant": application.merchant.public_id if application.merchant_id else None,
        "business_name": business_name(
            legal_name=application.legal_name, dba=application.dba, entity_type=application.entity_type
        ),
        "entity_type": application.entity_type or None,
        "created": iso(application.created_at),
        "submitted_at": iso(application.submitted_at),
        "decided_at": iso(application.decided_at),
    }


def requirements_snapshot(application: Application) -> dict:
    """The shared requirements selector's answer, in English (an event is read by systems, later)."""
    from onboarding.requirements import application_requirements

    with translation.override("en"):
        return application_requirements(application).as_dict()


def merchant_external_id(merchant: Merchant, current: Application | None) -> str | None:
    """The partner's own reference for the merchant: its current application's, else that of its earliest
    application that has one. Only the merchant's partner's applications count: another partner's
    reference is not this partner's to read."""
    if current is not None and current.partner_id == merchant.partner_id and current.external_id:
        return current.external_id
    return (
        merchant.applications.filter(partner_id=merchant.partner_id)
        .exclude(external_id="")
        .order_by("id")
        .values_list("external_id", flat=True)
        .first()
    )


def merchant_snapshot(merchant: Merchant) -> dict:
    application = merchant.current_application or merchant.applications.order_by("id").first()
    entity_type = application.entity_type if application else ""
    return {
        "id": merchant.public_id,
        "object": "merchant",
        "livemode": merchant.livemode,
        "external_id": merchant_external_id(merchant, merchant.current_application),
        "state": merchant.state,
        "business_name": business_name(legal_name=merchant.legal_name, dba=merchant.dba, entity_type=entity_type),
        "wallets": [{"wallet": w.wallet, "status": w.status} for w in merchant.wallets.order_by("wallet")],
    }


def partner_event_emit(
    *, type: str, partner: Partner, livemode: bool, object: dict, application: Application | None = None
) -> WebhookEvent:
    """Write one event and owe its deliveries; call inside the transaction of the change."""
    from onboarding.models import WebhookEndpoint

    if not types.is_partner_event_type(type):
        raise KeyError(f"no partner event type {type!r} is registered")
    with transaction.atomic():
        event = WebhookEvent.objects.create(
            partner=partner,
            type=type,
            livemode=livemode,
            application=application,
            object_id=object["id"],
            data={"object": object},
        )
        endpoints = WebhookEndpoint.objects.filter(
            partner=partner, livemode=livemode, enabled=True, deleted_at__isnull=True
        ).order_by("id")
        for endpoint in endpoints:
            if endpoint.receives(type):
                delivery_owe(event=event, endpoint=endpoint)
    return event


def delivery_owe(*, event: WebhookEvent, endpoint, publish: bool = True) -> WebhookDelivery:
    now = timezone.now()
    delivery = WebhookDelivery.objects.create(event=event, endpoint=endpoint, retry_from=now, next_attempt_at=now)
    # Published at commit; the sweeper takes over after the grace period if that publication is lost.
    owed_work_record(subject=delivery, kind=WEBHOOK_WORK, publish=publish)
    return delivery


# --------------------------------------------------------------------------- what onboarding emits


def application_moved(application: Application, source: str, target: str) -> None:
    """Inside every application move: its event (for the moves partners hear of) and the requirements."""
    if application.partner_id is None:
        return
    event_type = MOVE_EVENTS.get(target)
    if event_type:
        partner_event_emit(
            type=event_type,
            partner=application.partner,
            livemode=application.livemode,
            object=application_snapshot(application),
            application=application,
        )
    application_requirements_changed(application=application)


def application_requirements_changed(*, application: Application) -> WebhookEvent | None:
    """Emit ``application.requirements_updated`` when the requirements differ from the last ones sent.
    Called by the moves and by the services that change what the requirements read (a draft's sections,
    documents, the agreement); inside their transaction."""
    if application.partner_id is None:
        return None
    requirements = requirements_snapshot(application)
    last = (
        WebhookEvent.objects.filter(application=application, type=types.APPLICATION_REQUIREMENTS_UPDATED)
        .order_by("-id")
        .values_list("data", flat=True)
        .first()
    )
    if last is not None and last.get("object", {}).get("requirements") == requirements:
        return None
    return partner_event_emit(
        type=types.APPLICATION_REQUIREMENTS_UPDATED,
        partner=application.partner,
        livemode=application.livemode,
        object={**application_snapshot(application), "requirements": requirements},
        application=application,
    )


def merchant_moved(merchant: Merchant, source: str, target: str) -> None:
    """Inside every merchant move (``on_merchant_move``)."""
    event_type = MERCHANT_EVENTS.get(target)
    if event_type is None or merchant.partner_id is None:
        return
    partner_event_emit(
        type=event_type,
        partner=merchant.partner,
        livemode=merchant.livemode,
        object=merchant_snapshot(merchant),
        application=merchant.current_application,
    )


# --------------------------------------------------------------------------- catching up


@dataclass(frozen=True)
class EventPage:
    events: list[WebhookEvent]
    has_more: bool


def partner_events_since(
    *,
    partner: Partner,
    livemode: bool,
    since: datetime | None = None,
    cursor: str | None = None,
    types_in: list[str] | None = None,
    limit: int = 100,
) -> EventPage:
    """A partner's events, oldest first, from the last ``PARTNER_EVENTS_DAYS`` days (the catch-up of
    ``GET /api/v1/events``): after ``cursor`` (an event's id, the last one read) or from ``since``. Only
    the partner's own, in the key's mode; an unknown cursor reads from the start of the window."""
    limit = max(1, min(limit, 100))
    window = timezone.now() - timedelta(days=settings.PARTNER_EVENTS_DAYS)
    events = WebhookEvent.objects.filter(partner=partner, livemode=livemode, created_at__gte=window).exclude(
        type=types.PING
    )
    if since is not None:
        events = events.filter(created_at__gte=since)
    if cursor:
        after = WebhookEvent.objects.filter(partner=partner, livemode=livemode, public_id=cursor).first()
        if after is not None:
            events = events.filter(id__gt=after.id)
    if types_in:
        events = events.filter(type__in=types_in)
    rows = list(events.order_by("id")[: limit + 1])
    return EventPage(events=rows[:limit], has_more=len(rows) > limit)
