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
    """The timeline a merchant or partner may read (neutral texts only)."""
    return application.events.filter(visibility=Event.Visibility.SHARED).order_by("occurred_at", "id")
