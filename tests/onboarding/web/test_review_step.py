"""The step "review and sign", and submitting: everything on one page, what is missing in words, the
agreement signed by typed name and title, and one submission however many times it is asked for."""

import pytest
from django.urls import reverse

from onboarding.errors import PermissionDenied
from onboarding.models import Agreement, Application
from onboarding.services.agreements import CURRENT_AGREEMENT_VERSION
from onboarding.web.review import SubmitView
from tests.factories import UserFactory
from tests.onboarding.web.merchant_pages import (  # noqa: F401 (merchant_fixture gives the fixture merchant)
    described_by_error,
    error_of,
    merchant_fixture,
    own_application,
    step_url,
)

pytestmark = pytest.mark.django_db


def submit_url(application):
    return reverse("application-submit", args=[application.public_id])


def unsigned(user, **overrides):
    application = own_application(user, **overrides)
    Agreement.objects.filter(application=application).delete()
    application.refresh_from_db()
    return application


def sign(client, application, **overrides):
    data = {
        "signer_name": "Wen Zhao",
        "signer_title": "Managing member",
        "version": CURRENT_AGREEMENT_VERSION,
        "language": "en",
        "sign": "",
        **overrides,
    }
    return client.post(
        step_url(application, "review"),
        data,
        REMOTE_ADDR="198.51.100.23",
        HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14)",
    )


def test_everything_is_shown_by_section_with_an_edit_link_each_and_personal_data_masked(client, merchant):
    application = own_application(merchant)
    body = client.get(step_url(application, "review")).content.decode()
    for slug in ("start", "business", "owners", "bank", "stores", "documents"):
        assert f'href="{step_url(application, slug)}"' in body
    assert "Pearl River Noodle Bar LLC" in body and "Wen Zhao" in body and "Mott Street" in body
    assert "•••• 1507" in body and "46-2811507" not in body and "•••• 7765" in body and "482910337765" not in body
    assert "Everything needed is here" in body


def test_what_is_still_missing_is_said_in_words_with_a_link_to_the_step_that_fixes_it(client, merchant):
    application = unsigned(merchant, documents=False, bank_account={"routing_number": ""})
    body = client.get(step_url(application, "review")).content.decode()
    missing = body.split('id="missing"', 1)[1].split("</section>", 1)[0]
    assert "Still needed before you can submit" in missing
    assert f'<a href="{step_url(application, "bank")}">Routing number</a>' in missing
    assert f'<a href="{step_url(application, "documents")}">Voided cheque or bank letter</a>' in missing
    assert f'<a href="{step_url(application, "documents")}">Wen Zhao: identity document</a>' in missing
    assert "bank_account.routing_number" not in missing and "parties[0]" not in missing


def test_the_agreement_is_shown_in_english_which_governs_and_in_chinese_as_a_translation(client, merchant):
    application = unsigned(merchant)
    body = client.get(step_url(application, "review")).content.decode()
    assert "Merchant Agreement for Alipay and WeChat Pay Acceptance" in body
    assert "The English text is the one that governs." in body and "?language=zh-Hans" in body
    assert "Pricing Schedule shown to you before you sign" in body
    chinese = client.get(step_url(application, "review") + "?language=zh-Hans").content.decode()
    assert "支付宝和微信支付受理商户协议" in chinese and "The English text governs" in chinese
    assert 'name="language" value="zh-Hans"' in chinese


def test_signing_records_the_version_language_time_address_and_browser(client, merchant):
    application = unsigned(merchant)
    response = sign(client, application, language="zh-Hans")
    assert response.status_code == 302 and response["Location"].endswith("/review/#submit")
    agreement = Agreement.objects.get(application=application)
    assert (agreement.version, agreement.language) == (CURRENT_AGREEMENT_VERSION, "zh-Hans")
    assert agreement.ip_address == "198.51.100.23" and agreement.user_agent == "Mozilla/5.0 (Linux; Android 14)"
    assert agreement.signer_name == "Wen Zhao" and agreement.signed_by == merchant and agreement.signed_at
    assert "Signed by Wen Zhao (Managing member)" in client.get(step_url(application, "review")).content.decode()


def test_each_signing_error_appears_next_to_its_field_and_nothing_typed_is_lost(client, merchant):
    application = unsigned(merchant)
    response = sign(client, application, signer_name="  ", signer_title="Owner and chef")
    body = response.content.decode()
    assert response.status_code == 400
    assert error_of(body, "id_signer_name") == "This field is required."
    assert described_by_error(body, "id_signer_name")
    assert 'value="Owner and chef"' in body
    response = sign(client, application, signer_title="x" * 101)
    assert "100 characters or fewer" in error_of(response.content.decode(), "id_signer_title")
    assert not Agreement.objects.filter(application=application).exists()


def test_a_page_left_open_over_a_new_agreement_version_signs_nothing(client, merchant):
    application = unsigned(merchant)
    response = sign(client, application, version="2025-01")
    assert response.status_code == 400
    assert "read the new version and sign it" in response.content.decode()
    assert not Agreement.objects.filter(application=application).exists()


def test_submitting_twice_submits_once_and_the_second_lands_calmly_on_the_status_page(client, merchant):
    application = own_application(merchant)
    first = client.post(submit_url(application), REMOTE_ADDR="198.51.100.23")
    assert first.status_code == 302 and first["Location"] == reverse("application-detail", args=[application.public_id])
    second = client.post(submit_url(application), follow=True)
    assert second.status_code == 200 and second.redirect_chain[-1][0] == first["Location"]
    assert "already been submitted" in second.content.decode()
    application.refresh_from_db()
    assert application.state == "submitted" and application.submitted_ip == "198.51.100.23"
    assert application.events.filter(action="submitted").count() == 1


def test_when_the_other_tab_won_the_race_the_service_refusal_is_answered_calmly(client, merchant, monkeypatch):
    """Both requests read a draft; the service, on the locked row, submits only the first."""
    application = own_application(merchant)
    import onboarding.web.review as review

    real = review.application_submit

    def submitted_meanwhile(**kwargs):
        real(**kwargs)  # the other tab's submission
        return real(**kwargs)

    monkeypatch.setattr(review, "application_submit", submitted_meanwhile)
    response = client.post(submit_url(application), follow=True)
    assert response.status_code == 200 and "already been submitted" in response.content.decode()
    assert application.events.filter(action="submitted").count() == 1


def test_an_incomplete_application_is_not_submitted_and_the_review_says_what_is_missing(client, merchant):
    application = unsigned(merchant)
    response = client.post(submit_url(application), follow=True)
    assert response.redirect_chain[-1][0].endswith("/review/#missing")
    assert "not complete yet" in response.content.decode()
    assert Application.objects.get(pk=application.pk).state == "draft"


def test_before_submit_can_refuse_the_submission(client, merchant, monkeypatch):
    def refuse(self, request, application):
        raise PermissionDenied("Confirm your email address first.")

    monkeypatch.setattr(SubmitView, "before_submit", refuse)
    application = own_application(merchant)
    response = client.post(submit_url(application), follow=True)
    assert "Confirm your email address first." in response.content.decode()
    assert Application.objects.get(pk=application.pk).state == "draft"


def test_submitting_is_a_post_only(client, merchant):
    application = own_application(merchant)
    assert client.get(submit_url(application)).status_code == 405
    assert Application.objects.get(pk=application.pk).state == "draft"


def test_another_merchants_review_and_submission_are_not_found(client, merchant):
    other = own_application(None)
    assert client.get(step_url(other, "review")).status_code == 404
    assert sign(client, other).status_code == 404
    assert client.post(submit_url(other)).status_code == 404
    assert Application.objects.get(pk=other.pk).state == "draft"


def test_a_submitted_application_is_no_longer_signed_or_edited(client, merchant):
    application = own_application(merchant, state="submitted")
    response = client.get(step_url(application, "review"))
    assert response.status_code == 302 and response["Location"] == reverse(
        "application-detail", args=[application.public_id]
    )


def test_an_account_whose_email_is_not_verified_cannot_submit(client):
    user = UserFactory()  # signed up, never clicked the verification link
    client.force_login(user)
    application = own_application(user)
    response = client.post(reverse("application-submit", args=[application.public_id]), follow=True)
    assert "verif" in response.content.decode().lower()
    application.refresh_from_db()
    assert application.state == "draft"
