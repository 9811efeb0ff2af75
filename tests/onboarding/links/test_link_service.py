"""The onboarding link service: made by the partner for the applicant's address, one use, a few minutes,
only a hash of its token kept, and an application attached only to a user who confirmed that address."""

from datetime import timedelta

import pytest
from django.utils import timezone

from onboarding.errors import InvalidTransition, PermissionDenied, ValidationFailed
from onboarding.models import Application, Event, OnboardingLink
from onboarding.services.actors import Actor
from onboarding.services.onboarding_links import (
    ClaimRefused,
    Outcome,
    onboarding_link_claim,
    onboarding_link_create,
    onboarding_link_exchange,
    token_hash,
)
from onboarding.services.partners import partner_create
from onboarding.states import AppState
from tests.onboarding.links.conftest import INVITED, expire, token_of, user_with_address

pytestmark = pytest.mark.django_db
VISITOR = Actor.system("visitor")


def test_a_link_is_made_for_the_applicant_with_only_its_tokens_hash_kept(
    partner_application, partner_actor, partner, settings
):
    settings.ONBOARDING_LINK_MINUTES = 15
    before = timezone.now()
    link, url = onboarding_link_create(application=partner_application, email=INVITED, actor=partner_actor)
    token = token_of(url)
    assert url == f"{settings.PORTAL_BASE_URL}/onboard/{token}/"
    assert len(token) >= 43
    assert link.token_hash == token_hash(token)
    stored = OnboardingLink.objects.filter(pk=link.pk).values().get()
    assert not any(token in str(value) for value in stored.values())
    assert link.email == INVITED and link.used_at is None and link.claimed_by is None
    assert before + timedelta(minutes=15) <= link.expires_at <= timezone.now() + timedelta(minutes=15)
    event = Event.objects.get(action="onboarding_link_created")
    assert event.actor_partner == partner and event.application == partner_application
    assert event.details["link"] == link.public_id and token not in str(event.details)


def test_each_link_has_its_own_token(partner_application, partner_actor):
    urls = {onboarding_link_create(application=partner_application, email=INVITED, actor=partner_actor)[1]
            for _ in range(3)}  # fmt: skip
    assert len(urls) == 3


def test_the_lifetime_can_be_chosen_within_bounds(partner_application, partner_actor):
    link, _url = onboarding_link_create(
        application=partner_application, email=INVITED, actor=partner_actor, expires_in_minutes=5
    )
    assert link.expires_at - link.created_at < timedelta(minutes=5, seconds=1)
    for wrong in (0, -1, 24 * 60 + 1, "10", 2.5, True):
        with pytest.raises(ValidationFailed) as refused:
            onboarding_link_create(
                application=partner_application, email=INVITED, actor=partner_actor, expires_in_minutes=wrong
            )
        assert list(refused.value.fields) == ["expires_in_minutes"]


@pytest.mark.parametrize("email", ["", "not-an-address", "a@b", None, 42, "x" * 140 + "@example.com"])
def test_a_link_needs_an_email_address(partner_application, partner_actor, email):
    with pytest.raises(ValidationFailed) as refused:
        onboarding_link_create(application=partner_application, email=email, actor=partner_actor)
    assert list(refused.value.fields) == ["email"]
    assert not OnboardingLink.objects.exists()


def test_another_partner_cannot_make_a_link(partner_application):
    other = partner_create(actor=Actor.system("tests"), name="Other ISO", kind="iso")
    with pytest.raises(PermissionDenied):
        onboarding_link_create(application=partner_application, email=INVITED, actor=Actor.for_partner(other))
    assert not OnboardingLink.objects.exists()


def test_no_link_once_the_application_is_submitted(partner_application, partner_actor):
    Application.objects.filter(pk=partner_application.pk).update(state=AppState.SUBMITTED)
    with pytest.raises(InvalidTransition):
        onboarding_link_create(application=partner_application, email=INVITED, actor=partner_actor)


def test_the_first_exchange_uses_the_link_and_a_second_is_refused(link_and_url):
    link, url = link_and_url
    first = onboarding_link_exchange(token=token_of(url), actor=VISITOR)
    assert first.outcome == Outcome.EXCHANGED and first.link.pk == link.pk
    link.refresh_from_db()
    assert link.used_at is not None
    second = onboarding_link_exchange(token=token_of(url), actor=VISITOR)
    assert second.outcome == Outcome.USED and second.link.pk == link.pk
    actions = list(Event.objects.filter(action__startswith="onboarding_link_").values_list("action", "details"))
    assert actions[1:] == [
        ("onboarding_link_opened", {"link": link.public_id}),
        ("onboarding_link_refused", {"link": link.public_id, "reason": "used"}),
    ]


def test_an_expired_link_is_refused_and_stays_unused(link_and_url):
    link, url = link_and_url
    expire(link)
    exchange = onboarding_link_exchange(token=token_of(url), actor=VISITOR)
    assert exchange.outcome == Outcome.EXPIRED
    link.refresh_from_db()
    assert link.used_at is None
    assert Event.objects.filter(action="onboarding_link_refused", details__reason="expired").exists()


@pytest.mark.parametrize("token", ["", "made-up-token-made-up-token-made-up-token00", None])
def test_an_unknown_token_finds_nothing(link_and_url, token):
    assert onboarding_link_exchange(token=token, actor=VISITOR).outcome == Outcome.UNKNOWN
    assert not Event.objects.filter(action__in=["onboarding_link_opened", "onboarding_link_refused"]).exists()


def opened(link_and_url):
    link, url = link_and_url
    onboarding_link_exchange(token=token_of(url), actor=VISITOR)
    link.refresh_from_db()
    return link


def test_a_user_who_confirmed_the_invited_address_gets_the_application(link_and_url, partner_application):
    link = opened(link_and_url)
    user = user_with_address("mei.lin@example.com")  # the partner wrote it with capitals
    application = onboarding_link_claim(link=link, user=user)
    assert application.pk == partner_application.pk and application.applicant == user
    link.refresh_from_db()
    assert link.claimed_by == user and link.claimed_at is not None
    event = Event.objects.get(action="onboarding_link_claimed")
    assert event.actor_user == user and event.application == partner_application
    # Again as the same user: nothing changes, nothing more is written.
    onboarding_link_claim(link=link, user=user)
    assert Event.objects.filter(action="onboarding_link_claimed").count() == 1


@pytest.mark.parametrize(
    ("email", "verified", "code"),
    [
        ("someone.else@example.com", True, ClaimRefused.EMAIL_MISMATCH),  # a forwarded link
        (INVITED, False, ClaimRefused.EMAIL_NOT_VERIFIED),  # anyone can type an address at sign-up
    ],
)
def test_only_a_confirmed_invited_address_gets_the_application(
    link_and_url, partner_application, email, verified, code
):
    link = opened(link_and_url)
    with pytest.raises(ClaimRefused) as refused:
        onboarding_link_claim(link=link, user=user_with_address(email, verified=verified))
    assert refused.value.code == code
    partner_application.refresh_from_db()
    assert partner_application.applicant is None
    assert not Event.objects.filter(action="onboarding_link_claimed").exists()


def test_a_link_that_was_never_opened_attaches_nothing(link_and_url, partner_application):
    link, _url = link_and_url
    with pytest.raises(ClaimRefused) as refused:
        onboarding_link_claim(link=link, user=user_with_address(INVITED))
    assert refused.value.code == ClaimRefused.NOT_OPENED
    partner_application.refresh_from_db()
    assert partner_application.applicant is None


def test_an_application_with_an_applicant_is_never_taken_over(link_and_url, partner_application):
    link = opened(link_and_url)
    first = user_with_address(INVITED)
    onboarding_link_claim(link=link, user=first)
    # A second account that also confirmed the address (after changing its own) cannot take it.
    second = user_with_address("other@example.com")
    second.emailaddress_set.create(email=INVITED.upper(), verified=True, primary=False)
    with pytest.raises(ClaimRefused) as refused:
        onboarding_link_claim(link=link, user=second)
    assert refused.value.code == ClaimRefused.CLAIMED_BY_ANOTHER
    partner_application.refresh_from_db()
    assert partner_application.applicant == first


def test_a_partner_never_signs_the_agreement_for_the_merchant(link_and_url, partner_application, partner_actor):
    from onboarding.models import Agreement
    from onboarding.services.agreements import application_sign_agreement

    for actor in (partner_actor, Actor.system("tests")):
        with pytest.raises(PermissionDenied) as refused:
            application_sign_agreement(
                application=partner_application, actor=actor, signer_name="Wen Zhao", signer_title="CEO"
            )
        assert refused.value.code == "merchant_signature_required"
    assert not Agreement.objects.filter(application=partner_application).exists()
    # The merchant who took the application up through the link signs it.
    user = user_with_address(INVITED)
    application = onboarding_link_claim(link=opened(link_and_url), user=user)
    agreement = application_sign_agreement(
        application=application, actor=Actor.for_user(user), signer_name="Mei Lin", signer_title="Owner"
    )
    assert agreement.signed_by == user
