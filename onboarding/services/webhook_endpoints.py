"""A partner's webhook endpoints: created (the signing secret is returned once, then kept only
encrypted), changed, switched off or deleted, listed, tested with a ping, and given a new secret (a roll,
during which the previous secret signs too). The admin and the partner API call these; a partner acts only
on its own endpoints, in the mode of its key."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding.errors import PermissionDenied, ValidationFailed
from onboarding.input import FieldErrors
from onboarding.models import Partner, WebhookDelivery, WebhookEndpoint, WebhookEvent
from onboarding.services.actors import Actor
from onboarding.services.events import event_record
from onboarding.services.partner_events import WEBHOOK_WORK
from onboarding.services.webhook_deliveries import webhook_delivery_attempt
from onboarding.webhooks_out import event_types as types
from onboarding.webhooks_out.http import url_problem
from onboarding.webhooks_out.signature import new_secret
from onboarding.work import owed_work_done

MAX_ENDPOINTS_PER_MODE = 16
#: how long the previous secret may keep signing after a roll (Stripe's longest is a week, too)
MAX_ROLL_OVERLAP_HOURS = 7 * 24
ADD_PERM, CHANGE_PERM = "onboarding.add_webhookendpoint", "onboarding.change_webhookendpoint"


def _ensure_may_manage(partner: Partner, actor: Actor, perm: str) -> None:
    if actor.kind == "partner":
        if actor.partner is None or actor.partner.pk != partner.pk:
            raise PermissionDenied(_("No such webhook endpoint."))
        return
    if not actor.is_system:
        actor.require_perm(perm, "manage partners' webhook endpoints")


def _clean_url(url, *, livemode: bool, errors: FieldErrors) -> str:
    url = (url or "").strip() if isinstance(url, str) else ""
    problem = _("This field is required.") if not url else url_problem(url, livemode=livemode)
    if problem:
        errors.add("url", problem)
    return url


def _clean_types(value, errors: FieldErrors) -> list[str]:
    if not isinstance(value, (list, tuple)) or not value:
        errors.add("event_types", _("Choose at least one event type, or * for all of them."))
        return []
    chosen: list[str] = []
    for index, name in enumerate(value):
        if name != "*" and not (isinstance(name, str) and types.is_partner_event_type(name)):
            errors.add(f"event_types[{index}]", _("Unknown event type."))
        elif name not in chosen:
            chosen.append(name)
    return ["*"] if "*" in chosen else chosen


def _clean_description(value, errors: FieldErrors) -> str:
    value = (value or "").strip() if isinstance(value, str) else ""
    if len(value) > 200:
        errors.add("description", _("200 characters at most."))
    return value


def webhook_endpoint_check(
    *, url=None, event_types=None, description=None, livemode: bool, partial: bool = False
) -> dict:
    """The cleaned input of an endpoint, or ValidationFailed field by field (forms check with this before
    they call the services, which check again). ``partial``: only what is given (an update)."""
    errors, cleaned = FieldErrors(), {}
    if url is not None or not partial:
        cleaned["url"] = _clean_url(url, livemode=livemode, errors=errors)
    if event_types is not None or not partial:
        cleaned["event_types"] = _clean_types(event_types, errors)
    if description is not None or not partial:
        cleaned["description"] = _clean_description(description, errors)
    errors.raise_if_any()
    return cleaned


def webhook_endpoint_create(
    *, partner: Partner, actor: Actor, url: str, event_types: list[str], livemode: bool, description: str = ""
) -> tuple[WebhookEndpoint, str]:
    """Create an enabled endpoint; returns it with its signing secret, which is never shown again."""
    _ensure_may_manage(partner, actor, ADD_PERM)
    errors = FieldErrors()
    url = _clean_url(url, livemode=livemode, errors=errors)
    chosen = _clean_types(event_types, errors)
    description = _clean_description(description, errors)
    existing = webhook_endpoints_for_partner(partner=partner, livemode=livemode).count()
    if existing >= MAX_ENDPOINTS_PER_MODE:
        errors.add(
            "url", _("A partner has at most %(count)d endpoints in each mode.") % {"count": MAX_ENDPOINTS_PER_MODE}
        )
    errors.raise_if_any()
    secret = new_secret()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.create(
            partner=partner, url=url, event_types=chosen, livemode=livemode, description=description, secret=secret
        )
        event_record(
            actor=actor,
            subject=endpoint,
            action="webhook_endpoint_created",
            details={"partner": partner.public_id, "livemode": livemode, "event_types": chosen},
        )
    return endpoint, secret


def webhook_endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    actor: Actor,
    url: str | None = None,
    event_types: list[str] | None = None,
    enabled: bool | None = None,
    description: str | None = None,
) -> WebhookEndpoint:
    """Change what is given (``None`` keeps it). Switching an endpoint off cancels what it was still owed."""
    _ensure_may_manage(endpoint.partner, actor, CHANGE_PERM)
    if endpoint.deleted_at is not None:
        raise ValidationFailed(_("The endpoint was deleted."), fields={"endpoint": [_("Deleted.")]})
    errors = FieldErrors()
    changes: dict = {}
    if url is not None:
        changes["url"] = _clean_url(url, livemode=endpoint.livemode, errors=errors)
    if event_types is not None:
        changes["event_types"] = _clean_types(event_types, errors)
    if description is not None:
        changes["description"] = _clean_description(description, errors)
    if enabled is not None:
        if not isinstance(enabled, bool):
            errors.add("enabled", _("Give true or false."))
        changes["enabled"] = enabled
    errors.raise_if_any()
    with transaction.atomic():
        for name, value in changes.items():
            setattr(endpoint, name, value)
        endpoint.save(update_fields=[*changes, "updated_at"])
        if changes.get("enabled") is False:
            _cancel_pending(endpoint)
        event_record(
            actor=actor,
            subject=endpoint,
            action="webhook_endpoint_changed",
            details={name: value for name, value in changes.items() if name != "description"},
        )
    return endpoint


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint, actor: Actor) -> None:
    """Delete: it receives nothing more and disappears from the partner's list; its delivery log stays."""
    _ensure_may_manage(endpoint.partner, actor, CHANGE_PERM)
    with transaction.atomic():
        changed = WebhookEndpoint.objects.filter(pk=endpoint.pk, deleted_at__isnull=True).update(
            deleted_at=timezone.now(), enabled=False
        )
        if not changed:
            return
        _cancel_pending(endpoint)
        event_record(actor=actor, subject=endpoint, action="webhook_endpoint_deleted")
    endpoint.refresh_from_db()


def _cancel_pending(endpoint: WebhookEndpoint) -> None:
    for delivery in WebhookDelivery.objects.filter(endpoint=endpoint, status=WebhookDelivery.Status.PENDING):
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=WebhookDelivery.Status.CANCELLED, next_attempt_at=None, lease_until=None
        )
        owed_work_done(subject=delivery, kind=WEBHOOK_WORK)


def _clean_overlap(value, errors: FieldErrors) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ROLL_OVERLAP_HOURS:
        errors.add(
            "expires_in_hours",
            _("Give a whole number of hours from 0 to %(most)d.") % {"most": MAX_ROLL_OVERLAP_HOURS},
        )
        return 0
    return value


def webhook_endpoint_roll_secret(
    *, endpoint: WebhookEndpoint, actor: Actor, expires_in_hours: int = 24
) -> tuple[WebhookEndpoint, str]:
    """Give the endpoint a new signing secret; returns it with the secret, which is never shown again.

    The secret it had keeps signing beside the new one for ``expires_in_hours`` (0: it stops at once; a
    week at most), so every delivery meanwhile carries both signatures and the partner's receiver may
    switch at any moment. Only two secrets are ever valid: a secret still valid from an earlier roll
    stops now."""
    _ensure_may_manage(endpoint.partner, actor, CHANGE_PERM)
    errors = FieldErrors()
    hours = _clean_overlap(expires_in_hours, errors)
    errors.raise_if_any()
    secret = new_secret()
    with transaction.atomic():
        # Locked, so that of two rolls at once the second keeps the first's secret as its previous one.
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        if locked.deleted_at is not None:
            raise ValidationFailed(_("The endpoint was deleted."), fields={"endpoint": [_("Deleted.")]})
        expires_at = timezone.now() + timedelta(hours=hours) if hours else None
        locked.previous_secret = locked.secret if expires_at else None
        locked.previous_secret_expires_at = expires_at
        locked.secret = secret
        locked.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at", "updated_at"])
        event_record(
            actor=actor,
            subject=locked,
            action="webhook_endpoint_secret_rolled",
            details={"previous_secret_expires_at": expires_at.isoformat() if expires_at else None},
        )
    endpoint.refresh_from_db()
    return endpoint, secret


def webhook_endpoints_for_partner(*, partner: Partner, livemode: bool | None = None) -> QuerySet[WebhookEndpoint]:
    """The partner's endpoints (not deleted), in one mode or both: the scoping the API and admin share."""
    endpoints = WebhookEndpoint.objects.filter(partner=partner, deleted_at__isnull=True)
    if livemode is not None:
        endpoints = endpoints.filter(livemode=livemode)
    return endpoints.order_by("id")


def webhook_endpoint_ping(*, endpoint: WebhookEndpoint, actor: Actor) -> WebhookDelivery:
    """Send a signed ``ping`` event to this one endpoint now and return its delivery with the attempt's
    answer (so the partner sees at once whether its receiver works). A ping is tried once, never retried,
    and is not among the events listed for catching up."""
    _ensure_may_manage(endpoint.partner, actor, CHANGE_PERM)
    if endpoint.deleted_at is not None:
        raise ValidationFailed(_("The endpoint was deleted."), fields={"endpoint": [_("Deleted.")]})
    with transaction.atomic():
        event = WebhookEvent.objects.create(
            partner=endpoint.partner,
            type=types.PING,
            livemode=endpoint.livemode,
            object_id=endpoint.public_id,
            data={"object": {"id": endpoint.public_id, "object": "webhook_endpoint", "url": endpoint.url}},
        )
        # Not owed work: nothing retries a ping.
        now = timezone.now()
        delivery = WebhookDelivery.objects.create(event=event, endpoint=endpoint, retry_from=now, next_attempt_at=now)
    webhook_delivery_attempt(public_id=delivery.public_id)
    WebhookDelivery.objects.filter(pk=delivery.pk, status=WebhookDelivery.Status.PENDING).update(
        status=WebhookDelivery.Status.FAILED, next_attempt_at=None
    )
    delivery.refresh_from_db()
    return delivery
