"""The merchant agreement as versioned text: the current version exists in every language it may be signed
in, the English text governs, and signing records the version that was shown."""

import pytest

from onboarding import agreements
from onboarding.errors import ValidationFailed
from onboarding.services.actors import Actor
from onboarding.services.agreements import (
    AGREEMENT_LANGUAGES,
    CURRENT_AGREEMENT_VERSION,
    application_sign_agreement,
)
from tests.factories import draft_application


@pytest.mark.parametrize("language", AGREEMENT_LANGUAGES)
def test_the_current_version_has_a_text_in_every_language_it_may_be_signed_in(language):
    assert CURRENT_AGREEMENT_VERSION in agreements.agreement_versions()
    assert agreements.agreement_exists(CURRENT_AGREEMENT_VERSION, language)
    assert CURRENT_AGREEMENT_VERSION in agreements.agreement_text(CURRENT_AGREEMENT_VERSION, language)


def test_every_text_is_a_language_the_agreement_may_be_signed_in():
    for version, language in agreements.agreement_files():
        assert language in AGREEMENT_LANGUAGES, (version, language)


def test_english_is_listed_first_and_governs_and_the_translation_says_so():
    assert agreements.agreement_languages(CURRENT_AGREEMENT_VERSION)[0] == agreements.GOVERNING_LANGUAGE == "en"
    english = agreements.agreement_text(CURRENT_AGREEMENT_VERSION, "en")
    chinese = agreements.agreement_text(CURRENT_AGREEMENT_VERSION, "zh-Hans")
    assert "the English text governs" in english
    assert "以英文文本为准" in chinese


def test_the_translation_follows_the_english_text_section_by_section():
    def numbers(text):
        return [line.split()[0] for line in text.splitlines() if line[:1].isdigit()]

    def headings(text):
        return [line.split()[1] for line in text.splitlines() if line.startswith("## ")]

    english = agreements.agreement_text(CURRENT_AGREEMENT_VERSION, "en")
    chinese = agreements.agreement_text(CURRENT_AGREEMENT_VERSION, "zh-Hans")
    assert numbers(english) == numbers(chinese) and headings(english) == headings(chinese)
    assert english.count("\n- ") == chinese.count("\n- ")


def test_the_text_has_no_blanks_left_to_fill_and_refers_fees_to_the_pricing_schedule():
    for language in AGREEMENT_LANGUAGES:
        text = agreements.agreement_text(CURRENT_AGREEMENT_VERSION, language)
        assert not any(mark in text for mark in ("[", "]", "TBD", "XX", "___", "{", "}"))
    assert "Pricing Schedule shown to you before you sign" in agreements.agreement_text(CURRENT_AGREEMENT_VERSION)


def test_an_unknown_version_or_language_has_no_text():
    with pytest.raises(agreements.AgreementNotFound):
        agreements.agreement_text("1999-01", "en")
    with pytest.raises(agreements.AgreementNotFound):
        agreements.agreement_text(CURRENT_AGREEMENT_VERSION, "fr")


@pytest.mark.parametrize(
    ("page", "agreement"), [("en-us", "en"), ("zh-hans", "zh-Hans"), ("zh-cn", "zh-Hans"), ("fr", "en"), (None, "en")]
)
def test_the_agreement_is_shown_in_the_pages_language_where_it_exists(page, agreement):
    assert agreements.agreement_language_for(page) == agreement


def test_rendering_escapes_whatever_the_text_holds():
    html = agreements.render_agreement("# Title <b>\n\nA <script>alert(1)</script> clause\n- one & two\n")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<h2>Title &lt;b&gt;</h2>" in html and "<li>one &amp; two</li>" in html


@pytest.mark.django_db
def test_signing_records_the_version_and_the_language_shown():
    application = draft_application()
    agreement = application_sign_agreement(
        application=application,
        actor=Actor.for_user(application.applicant),
        signer_name="Wen Zhao",
        signer_title="Managing member",
        language="zh-Hans",
        version=CURRENT_AGREEMENT_VERSION,
    )
    assert (agreement.version, agreement.language) == (CURRENT_AGREEMENT_VERSION, "zh-Hans")


@pytest.mark.django_db
def test_a_version_other_than_the_current_one_is_not_signed():
    application = draft_application()
    before = application.agreement.signed_at
    with pytest.raises(ValidationFailed) as caught:
        application_sign_agreement(
            application=application,
            actor=Actor.for_user(application.applicant),
            signer_name="Wen Zhao",
            signer_title="Owner",
            version="2025-01",
        )
    assert "updated since you opened it" in caught.value.fields["version"][0]
    application.refresh_from_db()
    assert application.agreement.signed_at == before and application.agreement.version == CURRENT_AGREEMENT_VERSION
