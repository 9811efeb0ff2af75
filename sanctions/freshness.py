"""How old the active list is. Above ``SANCTIONS_MAX_AGE_DAYS`` it is stale: the sanctions check then records
review instead of pass, so nothing is approved automatically against it (the decision policy reads the
same setting). A version held for a senior officer (it would remove too much) is reported beside it:
the list in force is still the active one, and someone has to decide."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from sanctions.models import RefreshAttempt, SanctionsListVersion


def active_version() -> SanctionsListVersion | None:
    return SanctionsListVersion.objects.filter(is_active=True).first()


def list_age_days(version: SanctionsListVersion | None = None) -> int | None:
    """Days since the active version's publish date; None when no list is loaded."""
    version = version or active_version()
    if version is None:
        return None
    return (timezone.now().date() - version.publish_date).days


def list_is_stale(version: SanctionsListVersion | None = None) -> bool:
    """True when no list is loaded or the active one is older than SANCTIONS_MAX_AGE_DAYS."""
    age = list_age_days(version)
    return age is None or age > settings.SANCTIONS_MAX_AGE_DAYS


def last_refresh_failure() -> RefreshAttempt | None:
    """The latest attempt, if it failed (a later success clears it)."""
    latest = RefreshAttempt.objects.exclude(finished_at__isnull=True).first()
    if latest is not None and latest.status == RefreshAttempt.Status.FAILED:
        return latest
    return None


def held_version() -> SanctionsListVersion | None:
    """The newest version waiting for a senior officer, if any."""
    return SanctionsListVersion.objects.filter(status=SanctionsListVersion.Status.HELD).first()


def delta_counts(version: SanctionsListVersion) -> dict:
    delta = version.delta or {}
    return {
        "previous": delta.get("previous"),
        "added": len(delta.get("added", [])),
        "changed": len(delta.get("changed", [])),
        "removed": len(delta.get("removed", [])),
    }


def health_probe() -> dict:
    """``/healthz`` details: informational (a stale list does not take the portal down)."""
    version = active_version()
    failure = last_refresh_failure()
    held = held_version()
    details = {
        "active_version": version.public_id if version else None,
        "publish_date": version.publish_date.isoformat() if version else None,
        "list_age_days": list_age_days(version),
        "max_age_days": settings.SANCTIONS_MAX_AGE_DAYS,
        "stale": list_is_stale(version),
        "last_refresh_failure": (
            {"at": failure.started_at.isoformat(), "source": failure.source, "error": failure.error[:300]}
            if failure
            else None
        ),
        "held_version": (
            {
                "version": held.public_id,
                "loaded_at": held.loaded_at.isoformat(),
                "publish_date": held.publish_date.isoformat(),
                "entries": held.entry_count,
                **delta_counts(held),
                "why": held.status_reason[:300],
            }
            if held
            else None
        ),
    }
    if version is None or details["stale"] or failure or held:
        details["status"] = "degraded"
    return details
