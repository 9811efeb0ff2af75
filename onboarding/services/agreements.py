"""Signing the merchant agreement: which version, by whom, when, from where.

The signer's name, title and language pass the input rules of ``onboarding.input`` (text, trimmed, no
control characters, no longer than their columns) and the IP address is one valid address or none: bad
input is a field error and writes nothing. The user agent is recorded, not typed: characters that
cannot be stored are replaced and it is cut to its column.

Only a person signs, for themselves: a partner's or the system's signature is refused, whatever the
application's channel (a partner sends its merchant a hosted onboarding link instead).

The version signed is the one the signer was shown: it must be the current version, with a text in the
language shown (``onboarding/agreements/``). A page left open while the text was replaced signs nothing:
the signer is asked to read the new version. Messages are in the signer's active language.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from onboarding.agreements import agreement_exists
from onboarding.errors import InvalidTransition, PermissionDenied
from onboarding.input import FieldErrors, clean_ip_address, clean_recorded_text, clean_text, text_limit
from onboarding.models import Agreement, Application
from onboarding.services.access import ensure_can_act_for
from onboarding.services.actors import Actor
from onboarding.services.events import event_record
from onboarding.services.partner_events import application_requirements_changed
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
    version: str = CURRENT_AGREEMENT_VERSION,
) -> Agreement:
    ensure_can_act_for(application, actor)
    if actor.kind != "user":
        # The merchant accepts the terms themselves (a partner hands them a hosted onboarding link).
        raise PermissionDenied(
            _("The merchant agreement is signed by the merchant, signed in to the portal."),
            code="merchant_signature_required",
        )
    errors = FieldErrors()
    version = errors.clean("version", clean_text, version, max_length=text_limit(Agreement, "version"))
    if "version" not in errors and version != CURRENT_AGREEMENT_VERSION:
        errors.add(
            "version", _("The agreement has been updated since you opened it: read the new version and sign it.")
        )
    signer_name = errors.clean(
        "signer_name", clean_text, signer_name, max_length=text_limit(Agreement, "signer_name"), required=True
    )
    signer_title = errors.clean(
        "signer_title", clean_text, signer_title, max_length=text_limit(Agreement, "signer_title"), required=True
    )
    language = errors.clean("language", clean_text, language, max_length=text_limit(Agreement, "language"))
    if "language" not in errors and language not in AGREEMENT_LANGUAGES:
        errors.add("language", _("Choose one of: %(languages)s.") % {"languages": ", ".join(AGREEMENT_LANGUAGES)})
    elif "language" not in errors and "version" not in errors and not agreement_exists(version, language):
        errors.add("language", _("The agreement is not available in this language."))
    ip_address = errors.clean("ip_address", clean_ip_address, ip_address)
    user_agent = errors.clean(
        "user_agent", clean_recorded_text, user_agent, max_length=text_limit(Agreement, "user_agent")
    )
    errors.raise_if_any()
    with transaction.atomic():
        locked = Application.objects.select_for_update(no_key=True).get(pk=application.pk)
        if locked.state != AppState.DRAFT:
            raise InvalidTransition(_("The agreement is signed before the application is submitted."))
        Agreement.objects.filter(application=locked).delete()
        agreement = Agreement.objects.create(
            application=locked,
            version=version,
            language=language,
            signer_name=signer_name,
            signer_title=signer_title,
            signed_at=timezone.now(),
            ip_address=ip_address,
            user_agent=user_agent,
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
        application_requirements_changed(application=locked)
    return agreement
