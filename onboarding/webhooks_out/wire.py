"""An event as partners receive it (the body of every delivery, and an item of ``GET /api/v1/events``)."""

import json
from datetime import UTC, datetime

from onboarding.models import WebhookEvent


def iso(moment: datetime | None) -> str | None:
    """UTC, ISO 8601, to the second: ``2026-12-03T14:05:09Z``."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def event_object(event: WebhookEvent) -> dict:
    return {
        "id": event.public_id,
        "object": "event",
        "type": event.type,
        "created": iso(event.created_at),
        "livemode": event.livemode,
        "data": event.data,
    }


def event_body(event: WebhookEvent) -> bytes:
    """The exact bytes that are signed and sent (compact, keys in a fixed order)."""
    return json.dumps(event_object(event), separators=(",", ":"), ensure_ascii=False).encode()
