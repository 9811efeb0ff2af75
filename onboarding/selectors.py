"""Read-side queries shared by views, the API and the admin, scoped to who is asking."""

from django.db.models import Q, QuerySet

from onboarding.models import Application, Event


def applications_for_user(*, user) -> QuerySet[Application]:
    """The applications a merchant user may see: those they started and those of their merchants."""
    return (
        Application.objects.filter(Q(applicant=user) | Q(merchant__users=user))
        .distinct()
        .select_related("merchant")
        .order_by("-created_at")
    )


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
