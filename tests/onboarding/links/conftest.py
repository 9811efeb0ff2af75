"""What the onboarding link tests share: a partner's application with no merchant user yet, links to it,
and users with a confirmed (or unconfirmed) address. The browser fixtures are the e2e directory's."""

import pytest
from allauth.account.models import EmailAddress

from onboarding.services.actors import Actor
from onboarding.services.drafts import application_create_draft
from onboarding.services.onboarding_links import onboarding_link_create
from onboarding.services.partners import partner_create
from tests.factories import UserFactory, valid_draft
from tests.onboarding.e2e.conftest import browser, pytest_configure, served_static  # noqa: F401

INVITED = "Mei.Lin@Example.com"


@pytest.fixture
def partner(db):
    return partner_create(actor=Actor.system("tests"), name="Harbor Payments ISO", kind="iso")


@pytest.fixture
def partner_actor(partner):
    return Actor.for_partner(partner)


@pytest.fixture
def partner_application(partner_actor):
    """What a partner sends through the API: the whole application but the documents and the signature."""
    return application_create_draft(actor=partner_actor, channel="api", **valid_draft())


@pytest.fixture
def link_and_url(partner_application, partner_actor):
    return onboarding_link_create(application=partner_application, email=INVITED, actor=partner_actor)


def user_with_address(email: str, *, verified: bool = True):
    user = UserFactory(username=email.lower(), email=email.lower())
    EmailAddress.objects.create(user=user, email=email.lower(), primary=True, verified=verified)
    return user


def token_of(url: str) -> str:
    return url.rstrip("/").rsplit("/", 1)[1]


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def expire(link) -> None:
    """Move the link into the past: made 20 minutes ago, expired 5 minutes ago."""
    from datetime import timedelta

    from django.utils import timezone

    from onboarding.models import OnboardingLink

    now = timezone.now()
    OnboardingLink.objects.filter(pk=link.pk).update(
        created_at=now - timedelta(minutes=20), expires_at=now - timedelta(minutes=5)
    )
