"""Signing the merchant agreement: which version, by whom, when, from where."""

from django.db import transaction
from django.utils import timezone

from onboarding.errors import InvalidTransition, ValidationFailed
from onboarding.models import Agreement, Application
from onboarding.services.access import ensure_can_act_for
from onboarding.services.actors import Actor
from onboarding.services.events import event_record
from onboarding.states import AppState

CURRENT_AGREEMENT_VERSION = "2026-11"
AGREEMENT_LANGUAGES = ("en", "zh-Hans")


def application_sign_agreement(
    *,
    application: Application,
    actor: Actor,
    signer_name: str,
    signer_title: str,
    language: str = "en",
    ip_address: str | None = None,
    user_agent: str = "",
) -> Agreement:
    ensure_can_act_for(application, actor)
    errors = {}
    if not signer_name.strip():
        errors["signer_name"] = ["This field is required."]
    if not signer_title.strip():
        errors["signer_title"] = ["This field is required."]
    if language not in AGREEMENT_LANGUAGES:
        errors["language"] = [f"Choose one of: {', '.join(AGREEMENT_LANGUAGES)}."]
    if errors:
        raise ValidationFailed("Please correct the errors below.", fields=errors)
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.state != AppState.DRAFT:
            raise InvalidTransition("The agreement is signed before the application is submitted.")
        Agreement.objects.filter(application=locked).delete()
        agreement = Agreement.objects.create(
            application=locked,
            version=CURRENT_AGREEMENT_VERSION,
            language=language,
            signer_name=signer_name.strip(),
            signer_title=signer_title.strip(),
            signed_at=timezone.now(),
            ip_address=ip_address,
            user_agent=user_agent[:500],
            signed_by=actor.user if actor.kind == "user" else None,
        )
        event_record(
            actor=actor,
            subject=locked,
            action="agreement_signed",
            reason_code="agreement_signed",
            shared=True,
            details={"version": agreement.version, "language": language},
        )
    return agreement
