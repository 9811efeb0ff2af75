"""Following an onboarding link in the browser's place (Django's test client): the token is exchanged on
the first request and never seen again, the merchant signs in or signs up with the invited address, and
lands in the merchant flow of their own application, where they sign the agreement themselves."""

import re

import pytest
from django.urls import reverse

from onboarding.models import Agreement, Application, Event, OnboardingLink
from onboarding.services.agreements import CURRENT_AGREEMENT_VERSION
from tests.onboarding.links.conftest import INVITED, expire, path_of, token_of, user_with_address
from tests.onboarding.web.merchant_pages import main_of

pytestmark = pytest.mark.django_db
CONTINUE = "/onboard/continue/"
EXPIRED = "/onboard/expired/"
PASSWORD = "correct-horse-battery"


def review_url(application: Application) -> str:
    return reverse("application-step", args=[application.public_id, "review"])


def test_the_first_request_trades_the_token_for_the_session_and_redirects_without_it(client, link_and_url):
    link, url = link_and_url
    response = client.get(path_of(url))
    assert response.status_code == 302 and response["Location"] == CONTINUE
    assert token_of(url) not in response["Location"]
    assert response["Referrer-Policy"] == "no-referrer"
    assert "no-store" in response["Cache-Control"]
    # The session holds the link's public id, never its token.
    assert client.session["onboarding_link"] == link.public_id
    assert token_of(url) not in str(dict(client.session.items()))
    page = client.get(CONTINUE)
    assert page.status_code == 200 and page["Referrer-Policy"] == "no-referrer"
    assert token_of(url) not in page.content.decode()


def test_a_visitor_is_asked_to_sign_in_or_up_with_the_invited_address(client, link_and_url):
    _link, url = link_and_url
    client.get(path_of(url))
    body = main_of(client.get(CONTINUE).content.decode())
    assert "Harbor Payments ISO" in body and "M•••@Example.com" in body
    assert 'href="/accounts/signup/?next=/onboard/continue/"' in body
    assert 'href="/accounts/login/?next=/onboard/continue/"' in body
    assert INVITED not in body  # the whole address is not given to whoever holds the link


def test_the_invited_merchant_signs_in_and_lands_on_the_review_of_their_application(
    client, link_and_url, partner_application
):
    _link, url = link_and_url
    user = user_with_address(INVITED)
    client.get(path_of(url))
    # Signing in from the header, with no next: the waiting link still leads on.
    signed_in = client.post(reverse("account_login"), {"login": INVITED.lower(), "password": PASSWORD})
    assert signed_in.status_code == 302 and signed_in["Location"] == CONTINUE
    landed = client.get(CONTINUE)
    assert landed.status_code == 302 and landed["Location"] == review_url(partner_application)
    partner_application.refresh_from_db()
    assert partner_application.applicant == user
    review = client.get(landed["Location"])
    assert review.status_code == 200 and partner_application.legal_name in review.content.decode()
    assert "onboarding_link" not in client.session
    assert partner_application in Application.objects.filter(applicant=user)
    # Back on the link's page later: the application again, not a page about an expired link.
    back = client.get(CONTINUE)
    assert client.get(back["Location"])["Location"] == review_url(partner_application)


def test_the_merchant_signs_the_agreement_with_their_own_address_and_browser(client, link_and_url, partner_application):
    _link, url = link_and_url
    user = user_with_address(INVITED)
    client.get(path_of(url))
    client.force_login(user)
    client.get(CONTINUE)
    signed = client.post(
        review_url(partner_application),
        {"signer_name": "Mei Lin", "signer_title": "Owner", "version": CURRENT_AGREEMENT_VERSION, "language": "en"},
        REMOTE_ADDR="198.51.100.23",
        HTTP_USER_AGENT="Merchant's browser/1.0",
    )
    assert signed.status_code == 302
    agreement = Agreement.objects.get(application=partner_application)
    assert agreement.signed_by == user and agreement.signer_name == "Mei Lin"
    assert agreement.ip_address == "198.51.100.23" and agreement.user_agent == "Merchant's browser/1.0"
    assert Event.objects.filter(application=partner_application, actor_user=user).exists()


def test_a_link_used_twice_sends_the_second_visitor_to_sign_in(client, link_and_url):
    _link, url = link_and_url
    client.get(path_of(url))
    other_browser = client.__class__()
    again = other_browser.get(path_of(url))
    assert again.status_code == 302 and again["Location"] == EXPIRED
    assert again["Referrer-Policy"] == "no-referrer"
    assert "onboarding_link" not in other_browser.session
    page = other_browser.get(EXPIRED)
    body = main_of(page.content.decode())
    assert page.status_code == 200 and "expired or has already been used" in body
    assert 'href="/accounts/login/?next=/onboard/expired/"' in body
    assert "ask Harbor Payments ISO for a new link" in body


def test_opening_it_again_in_the_same_browser_goes_on(client, link_and_url):
    _link, url = link_and_url
    client.get(path_of(url))
    assert client.get(path_of(url))["Location"] == CONTINUE


def test_after_a_used_link_the_merchant_who_took_it_signs_in_and_reaches_the_application(
    client, link_and_url, partner_application
):
    _link, url = link_and_url
    user = user_with_address(INVITED)
    client.get(path_of(url))
    client.force_login(user)
    client.get(CONTINUE)
    client.logout()
    later = client.__class__()  # days later, on another device: the link has been used
    assert later.get(path_of(url))["Location"] == EXPIRED
    signed_in = later.post(f"{reverse('account_login')}?next={EXPIRED}", {"login": INVITED, "password": PASSWORD})
    assert signed_in["Location"] == EXPIRED
    reached = later.get(EXPIRED)
    assert reached.status_code == 302 and reached["Location"] == review_url(partner_application)


def test_an_expired_link_says_so_and_offers_to_sign_in(client, link_and_url, partner_application):
    link, url = link_and_url
    expire(link)
    response = client.get(path_of(url))
    assert response["Location"] == EXPIRED and response["Referrer-Policy"] == "no-referrer"
    assert "onboarding_link" not in client.session
    body = main_of(client.get(EXPIRED).content.decode())
    assert "expired or has already been used" in body and "M•••@Example.com" in body
    assert 'href="/accounts/login/?next=/onboard/expired/"' in body
    # Signed in with the right address, but the link was never used: nothing is attached, and the page says
    # how to get a new one instead of leaving the merchant stuck.
    client.force_login(user_with_address(INVITED))
    body = main_of(client.get(EXPIRED).content.decode())
    assert "Ask Harbor Payments ISO for a new link" in body and 'href="/"' in body
    partner_application.refresh_from_db()
    assert partner_application.applicant is None
    OnboardingLink.objects.get(pk=link.pk, used_at__isnull=True)


def test_a_made_up_token_leads_to_the_same_page(client, link_and_url):
    response = client.get("/onboard/" + "x" * 43 + "/")
    assert response.status_code == 302 and response["Location"] == EXPIRED
    assert client.get(EXPIRED).status_code == 200


def test_a_forwarded_link_gives_a_stranger_nothing(client, link_and_url, partner_application):
    _link, url = link_and_url
    stranger = user_with_address("stranger@example.com")
    client.force_login(stranger)
    client.get(path_of(url))
    page = client.get(CONTINUE)
    body = main_of(page.content.decode())
    assert page.status_code == 200 and "This invitation is for another email address" in body
    assert "stranger@example.com" in body and "M•••@Example.com" in body
    assert partner_application.legal_name not in body and partner_application.dba not in body
    partner_application.refresh_from_db()
    assert partner_application.applicant is None
    assert client.get(review_url(partner_application)).status_code == 404
    assert client.get(reverse("application-detail", args=[partner_application.public_id])).status_code == 404


def test_signing_out_to_use_the_invited_address_keeps_the_link(client, link_and_url, partner_application):
    _link, url = link_and_url
    client.force_login(user_with_address("personal@example.com"))
    client.get(path_of(url))
    switched = client.post(reverse("onboarding-link-switch-account"))
    assert switched["Location"] == "/accounts/login/?next=/onboard/continue/"
    assert "_auth_user_id" not in client.session
    invited = user_with_address(INVITED)
    client.post(switched["Location"], {"login": INVITED, "password": PASSWORD})
    assert client.get(CONTINUE)["Location"] == review_url(partner_application)
    partner_application.refresh_from_db()
    assert partner_application.applicant == invited


def test_an_unconfirmed_address_is_asked_to_confirm_first(client, link_and_url, partner_application):
    _link, url = link_and_url
    user = user_with_address(INVITED, verified=False)
    client.force_login(user)
    client.get(path_of(url))
    body = main_of(client.get(CONTINUE).content.decode())
    assert "Confirm your email address" in body and reverse("account_email") in body
    partner_application.refresh_from_db()
    assert partner_application.applicant is None
    user.emailaddress_set.update(verified=True)
    assert client.get(CONTINUE)["Location"] == review_url(partner_application)


def test_without_a_link_in_the_session_the_continue_page_explains(client, db):
    response = client.get(CONTINUE)
    assert response["Location"] == EXPIRED


@pytest.mark.parametrize("page", ["sign_in", "expired", "wrong_account", "confirm_email"])
def test_the_link_pages_read_in_chinese(client, link_and_url, settings, page):
    _link, url = link_and_url
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    if page == "expired":
        client.get("/onboard/" + "x" * 43 + "/")
        target = EXPIRED
    else:
        if page != "sign_in":
            client.force_login(
                user_with_address(
                    INVITED if page == "confirm_email" else "x@example.com", verified=page != "confirm_email"
                )
            )
        client.get(path_of(url))
        target = CONTINUE
    body = main_of(client.get(target).content.decode())
    expected = {
        "sign_in": "继续填写申请",
        "expired": "此链接已过期或已被使用",
        "wrong_account": "此邀请是发给另一个电子邮箱地址的",
        "confirm_email": "确认您的电子邮箱地址",
    }[page]
    assert expected in body
    words = re.sub(r"<[^>]+>|\S+@\S+|Harbor Payments ISO", " ", body)
    assert not re.search(r"[A-Za-z]{3,}\s+[A-Za-z]{3,}", words), words


def test_a_staff_session_opens_a_link_without_carrying_the_token_into_a_sign_in(client, link_and_url):
    from tests.factories import officer

    _link, url = link_and_url
    client.force_login(officer())  # no authenticator yet: every other page sends staff to set one up
    opened = client.get(path_of(url))
    assert opened["Location"] == CONTINUE
    onward = client.get(CONTINUE)
    assert onward.status_code == 302 and token_of(url) not in onward["Location"]


def test_an_application_someone_else_took_up_stays_theirs(client, link_and_url, partner_application):
    owner = user_with_address("owner@example.com")
    Application.objects.filter(pk=partner_application.pk).update(applicant=owner)
    _link, url = link_and_url
    client.force_login(user_with_address(INVITED))
    client.get(path_of(url))
    body = main_of(client.get(CONTINUE).content.decode())
    assert "This application belongs to another account" in body
    assert partner_application.legal_name not in body
    partner_application.refresh_from_db()
    assert partner_application.applicant == owner
