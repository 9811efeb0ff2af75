"""Read-side queries shared by views, the API and the admin, scoped to who is asking."""

from django.db.models import Q, QuerySet

from onboarding.models import Application, Event, Merchant


def applications_for_user(*, user) -> QuerySet[Application]:
    """The applications a merchant user may see: those they started and those of their merchants."""
    return (
        Application.objects.filter(Q(applicant=user) | Q(merchant__users=user))
        .distinct()
        .select_related("merchant")
        .order_by("-created_at")
    )


def applications_for_partner(*, partner, livemode: bool) -> QuerySet[Application]:
    """A partner's own applications of one mode (its key's): the only ones the partner API can reach.

    Every partner API lookup goes through this (or ``merchants_for_partner``), so another partner's id, or
    a test id under a live key, is simply not found."""
    return Application.objects.filter(partner=partner, livemode=livemode).order_by("-created_at", "-id")


def merchants_for_partner(*, partner, livemode: bool) -> QuerySet[Merchant]:
    """A partner's own merchants of one mode."""
    return Merchant.objects.filter(partner=partner, livemode=livemode).order_by("-created_at", "-id")


def shared_events(*, application: Application) -> QuerySet[Event]:
    """The events a merchant or partner may read (shown through their neutral texts only)."""
    return application.events.filter(visibility=Event.Visibility.SHARED).order_by("occurred_at", "id")


def shared_timeline(*, application: Application) -> list[tuple]:
    """(time, neutral text) for the merchant's history, without repeating the same sentence in a row."""
    timeline: list[tuple] = []
    for event in shared_events(application=application):
        text = event.public_text
        if text and (not timeline or timeline[-1][1] != text):
            timeline.append((event.occurred_at, text))
    return timeline
