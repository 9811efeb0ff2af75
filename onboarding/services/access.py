"""Who may act for an application: its applicant, a user of its merchant, its partner, or the system."""

from django.utils.translation import gettext as _

from onboarding.errors import PermissionDenied
from onboarding.models import Application
from onboarding.services.actors import Actor


def can_act_for(application: Application, actor: Actor) -> bool:
    if actor.is_system:
        return True
    if actor.kind == "partner":
        return application.partner_id is not None and application.partner_id == actor.partner.pk
    user = actor.user
    if application.applicant_id == user.pk:
        return True
    return application.merchant_id is not None and application.merchant.users.filter(pk=user.pk).exists()


def ensure_can_act_for(application: Application, actor: Actor) -> None:
    if not can_act_for(application, actor):
        raise PermissionDenied(_("You cannot act on this application."))
