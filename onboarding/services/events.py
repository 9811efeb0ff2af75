"""Writing the audit trail. Called inside the transaction of the change it records."""

from django.db import models

from onboarding.models import Application, Event, Merchant
from onboarding.services.actors import Actor


def event_record(
    *,
    actor: Actor,
    subject: models.Model,
    action: str,
    application: Application | None = None,
    merchant: Merchant | None = None,
    from_state: str = "",
    to_state: str = "",
    reason_code: str = "",
    details: dict | None = None,
    shared: bool = False,
) -> Event:
    """Append one event. ``shared`` events are also shown to the merchant and partner (neutral text)."""
    if isinstance(subject, Application):
        application = application or subject
    if isinstance(subject, Merchant):
        merchant = merchant or subject
    if application is not None and merchant is None:
        merchant = application.merchant
    return Event.objects.create(
        actor_type=actor.kind,
        actor_user=actor.user,
        actor_partner=actor.partner,
        actor_label=actor.label,
        subject_type=subject._meta.model_name,
        subject_id=getattr(subject, "public_id", str(subject.pk)),
        application=application,
        merchant=merchant,
        partner=application.partner if application is not None else None,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason_code=reason_code,
        details=details or {},
        visibility=Event.Visibility.SHARED if shared else Event.Visibility.INTERNAL,
    )
