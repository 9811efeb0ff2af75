"""Test-mode data for these tests: applications started with a partner's test key (``livemode`` false) or
live, submitted and taken through the pipeline."""

from onboarding.kyc.pipeline import application_advance
from onboarding.models import Application, Partner
from onboarding.services.actors import Actor
from onboarding.services.agreements import application_sign_agreement
from onboarding.services.applications import application_submit
from onboarding.services.drafts import application_create_draft
from onboarding.services.partners import partner_create
from tests.factories import UserFactory, upload_documents, valid_draft
from tests.sanctions.integration.helpers import CLEAN_OWNER

EIN_LIVE = "46-2811507"  # an ordinary EIN


def partner_named(name: str = "Bay Area Payments ISO") -> Partner:
    return Partner.objects.filter(name=name).first() or partner_create(actor=Actor.system("tests"), name=name,
                                                                        kind="iso")  # fmt: skip


def drafted(*, livemode: bool, tax_id: str = EIN_LIVE, partner: Partner | None = None, **sections) -> Application:
    """A complete, signed draft from ``partner`` (the API's channel), in the given mode."""
    partner = partner or partner_named()
    actor = Actor.for_partner(partner)
    sections.setdefault("parties", [CLEAN_OWNER])
    data = valid_draft(business={"tax_id": tax_id, **sections.pop("business", {})}, **sections)
    application = application_create_draft(actor=actor, channel="api", livemode=livemode, **data)
    upload_documents(application)
    # The merchant signs for themselves (they took the application up through an onboarding link).
    merchant = UserFactory()
    Application.objects.filter(pk=application.pk).update(applicant=merchant)
    application.applicant = merchant
    application_sign_agreement(application=application, actor=Actor.for_user(merchant), signer_name="Wen Zhao",
                               signer_title="CEO")  # fmt: skip
    return application


def submitted(**options) -> Application:
    application = drafted(**options)
    return application_submit(application=application, actor=Actor.for_partner(application.partner))


def screened(**options) -> Application:
    """Submitted and taken through the checks and the decision."""
    application = submitted(**options)
    application_advance(public_id=application.public_id)
    application.refresh_from_db()
    return application
