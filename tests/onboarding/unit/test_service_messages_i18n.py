"""The services' messages and the wallet eligibility reasons read in the merchant's language: a step sent
back with errors shows the services' field errors in Chinese, the first step's panel gives its reasons in
Chinese, the same calls in English keep their English, and whatever is stored for the officers (check
details, the reason on a wallet request, events) stays English, however the caller's language is set."""

import io
import json
import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

from onboarding.errors import InvalidTransition, ValidationFailed
from onboarding.kyc import eligibility
from onboarding.kyc.pipeline import run_checks
from onboarding.models import Application, CheckResult, Event, InfoRequest, Merchant, Party, ReviewCase, WalletRequest
from onboarding.requirements import application_requirements
from onboarding.services import kyc_rules
from onboarding.services.actors import Actor
from onboarding.services.agreements import application_sign_agreement
from onboarding.services.applications import application_request_info, application_submit, application_withdraw
from onboarding.services.documents import document_upload
from onboarding.services.drafts import application_update_draft
from tests.factories import draft_application, officer
from tests.onboarding.web.merchant_pages import (  # noqa: F401 (merchant_fixture gives the fixture merchant)
    error_of,
    merchant_fixture,
    own_application,
    step_url,
)

pytestmark = pytest.mark.django_db
FORBIDDEN_ZH = "微信支付禁止此类业务进行任何跨境交易"
FORBIDDEN_EN = "WeChat Pay forbids this kind of business in all cross-border transactions"
STRIPE_ALIPAY_EN = "Alipay is not a Stripe Terminal payment method"
STRIPE_ALIPAY_ZH = "Stripe 终端不支持支付宝收款"


@pytest.fixture(autouse=True)
def language_reset():
    # A request leaves its language active in the thread: the tests after these ones must start in English.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


def refused(call) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as caught:
        call()
    return caught.value


# --------------------------------------------------------------------------- the steps, in Chinese


def business_data(**overrides):
    data = {"tax_id_type": "ein", "tax_id": "", "formation_state": "NY", "formation_date": "2018-09-03",
            "website": "https://pearlrivernoodles.example", "phone": "(212) 555-0199",
            "product_description": "Hand-pulled noodles.", "monthly_volume": "$32,000", "average_ticket": "24.50",
            "address_line1": "41 Mott Street", "address_line2": "", "address_city": "New York",
            "address_postal_code": "10013"}  # fmt: skip
    return {**data, **overrides}


def people_data(application, changes):
    data = {}
    parties = list(application.parties.all())
    for index, party in enumerate(parties):
        values = {"public_id": party.public_id, "kind": party.kind, "first_name": party.first_name,
                  "last_name": party.last_name, "ownership_percent": str(party.ownership_percent),
                  "title": party.title, "nationalities": "US", "citizenships": "US", "id_number_type": "ssn",
                  "address_line1": party.address_line1, "address_city": party.address_city,
                  "address_state": party.address_state, "address_postal_code": party.address_postal_code,
                  "address_country": "US", **changes.get(index, {})}  # fmt: skip
        if party.is_control_person:
            values["is_control_person"] = "on"
        data.update({f"parties-{index}-{key}": value for key, value in values.items()})
    data["parties-TOTAL_FORMS"] = data["parties-INITIAL_FORMS"] = str(len(parties))
    return data


def test_a_bad_tax_id_and_phone_on_the_business_step_are_refused_in_chinese(client, merchant):
    application = own_application(merchant)
    response = chinese(client).post(step_url(application, "business"),
                                    business_data(tax_id="12-3", phone="not a phone"))  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    assert error_of(body, "id_tax_id") == "请将雇主识别号 EIN 输入为 9 位数字（可以带连字符）。"
    assert error_of(body, "id_phone") == "请输入电话号码，例如 (415) 555-0142 或 +86 10 1234 5678。"
    assert "Enter the EIN as 9 digits" not in body


def test_a_date_of_birth_in_the_future_on_the_owners_step_is_refused_in_chinese(client, merchant):
    application = own_application(merchant)
    data = people_data(application, {1: {"date_of_birth": "2999-01-01"}})
    response = chinese(client).post(step_url(application, "owners"), data)
    assert response.status_code == 400
    assert error_of(response.content.decode(), "id_parties-1-date_of_birth") == "出生日期必须早于今天。"


def test_a_bad_routing_number_on_the_bank_step_is_refused_in_chinese(client, merchant):
    application = own_application(merchant)
    response = chinese(client).post(
        step_url(application, "bank"),
        {"holder_name": "Pearl River Noodle Bar LLC", "routing_number": "021000022", "account_number": "",
         "account_number_again": "", "account_type": "checking"},
    )  # fmt: skip
    assert response.status_code == 400
    assert error_of(response.content.decode(), "id_routing_number") == "这不是有效的 ABA 路由号码。"


def test_a_file_that_is_not_a_pdf_on_the_documents_step_is_refused_in_chinese(client, merchant):
    application = own_application(merchant, documents=False)
    page = SimpleUploadedFile("page.pdf", b"<html><body>not a scan</body></html>", content_type="application/pdf")
    response = chinese(client).post(step_url(application, "documents"), {"bank-kind": "bank_letter", "bank-file": page})
    assert response.status_code == 400
    assert error_of(response.content.decode(), "id_bank-file") == "请上传 PDF、JPEG 或 PNG 文件。"


def test_a_missing_signer_name_on_the_review_step_is_refused_in_chinese(client, merchant):
    application = own_application(merchant)
    response = chinese(client).post(
        step_url(application, "review"),
        {"signer_name": "  ", "signer_title": "Owner and chef", "version": "2026-11", "language": "zh-Hans",
         "sign": ""},
    )  # fmt: skip
    assert response.status_code == 400
    assert error_of(response.content.decode(), "id_signer_name") == "此项为必填项。"


def asked_for_information(user) -> Application:
    application = own_application(user, state="in_review")
    application_request_info(application=application, actor=Actor.for_user(officer()), message="请提供菜单。")
    application.refresh_from_db()
    return application


def test_an_empty_answer_to_an_information_request_is_refused_in_chinese(client, merchant):
    application = asked_for_information(merchant)
    response = chinese(client).post(reverse("application-answer", args=[application.public_id]), {"answer": " "})
    assert response.status_code == 400
    assert error_of(response.content.decode(), "id_answer") == "此项为必填项。"
    assert InfoRequest.objects.get(application=application).answered_at is None


# --------------------------------------------------------------------------- the same calls in both languages


def call_with(language: str, call) -> dict[str, list[str]]:
    with translation.override(language):
        return refused(call).fields


SERVICE_CALLS = [
    # what is sent, the field key, the English message, the Chinese one
    ("future date of birth", lambda a, actor: application_update_draft(
        application=a, actor=actor, parties=[{"first_name": "Wen", "last_name": "Zhao", "date_of_birth": "2999-01-01"}]
    ), "parties[0].date_of_birth", "The date of birth must be in the past.", "出生日期必须早于今天。"),
    ("a number for text", lambda a, actor: application_update_draft(
        application=a, actor=actor, business={"legal_name": 7}
    ), "business.legal_name", "Enter text, not a number.", "请输入文本，而不是数字。"),
    ("an SSN for a company", lambda a, actor: application_update_draft(
        application=a, actor=actor, business={"tax_id_type": "ssn", "tax_id": "212-54-3321"}
    ), "business.tax_id_type", "Only a sole proprietorship may use an SSN or ITIN as its tax id.",
     "只有个人独资企业可以使用社会安全号码 SSN 或个人纳税识别号 ITIN 作为税号。"),
    ("a short routing number", lambda a, actor: application_update_draft(
        application=a, actor=actor, bank_account={"routing_number": "12345"}
    ), "bank_account.routing_number", "A routing number has 9 digits.", "路由号码为 9 位数字。"),
    ("a bad ZIP code", lambda a, actor: application_update_draft(
        application=a, actor=actor, business={"address_postal_code": "1001"}
    ), "business.address_postal_code", "Enter a ZIP code as 12345 or 12345-6789.",
     "请按 12345 或 12345-6789 的格式填写邮政编码。"),
    ("an unknown field", lambda a, actor: application_update_draft(
        application=a, actor=actor, business={"favourite_colour": "red"}
    ), "business.favourite_colour", "Unknown field.", "未知字段。"),
    ("a wallet twice", lambda a, actor: application_update_draft(
        application=a, actor=actor, wallets=[{"wallet": "alipay", "channel": "online"}] * 2
    ), "wallets[1].wallet", "This wallet is requested twice.", "此收款方式重复申请了两次。"),
    ("a GIF", lambda a, actor: document_upload(
        application=a, actor=actor, kind="bank_letter", content=b"GIF89a....", original_name="x.gif"
    ), "file", "Upload a PDF, JPEG or PNG file.", "请上传 PDF、JPEG 或 PNG 文件。"),
    ("a long signer title", lambda a, actor: application_sign_agreement(
        application=a, actor=actor, signer_name="Wen Zhao", signer_title="x" * 101
    ), "signer_title", "This field must be 100 characters or fewer (it has 101).",
     "此项最多 100 个字符（当前为 101 个）。"),
    ("a list of addresses", lambda a, actor: application_sign_agreement(
        application=a, actor=actor, signer_name="Wen Zhao", signer_title="Owner", ip_address="1.2.3.4, 5.6.7.8"
    ), "ip_address", "Give a single IP address, not a list.", "请提供单个 IP 地址，而不是列表。"),
]  # fmt: skip


@pytest.mark.parametrize(
    "call, key, english, chinese_text", [c[1:] for c in SERVICE_CALLS], ids=[c[0] for c in SERVICE_CALLS]
)
def test_a_service_refuses_in_the_callers_language_with_the_same_keys(call, key, english, chinese_text):
    application = draft_application()
    actor = Actor.for_user(application.applicant)
    in_english = call_with("en", lambda: call(application, actor))
    in_chinese = call_with("zh-hans", lambda: call(application, actor))
    assert in_english[key] == [english]
    assert in_chinese[key] == [chinese_text]
    assert set(in_english) == set(in_chinese)
    # Plain str, never a lazy translation: the fields go into JSON bodies as they are.
    assert all(type(m) is str for messages in in_chinese.values() for m in messages)
    json.dumps(in_chinese, ensure_ascii=False)


def test_submitting_an_incomplete_draft_says_what_is_missing_in_chinese():
    application = draft_application(documents=False)
    actor = Actor.for_user(application.applicant)
    application_update_draft(application=application, actor=actor, wallets=[])
    with translation.override("zh-hans"):
        error = refused(lambda: application_submit(application=application, actor=actor))
    assert error.message == "申请尚未填写完整。"
    assert error.fields["wallets"] == ["请至少选择一种收款方式。"]
    with translation.override("en"):
        assert refused(lambda: application_submit(application=application, actor=actor)).fields["wallets"] == [
            "Choose at least one wallet."
        ]


def test_a_refusal_of_the_state_reads_in_the_callers_language():
    application = draft_application()
    Application.objects.filter(pk=application.pk).update(state="withdrawn")
    application.refresh_from_db()
    actor = Actor.for_user(application.applicant)
    with translation.override("zh-hans"), pytest.raises(InvalidTransition) as caught:
        application_update_draft(application=application, actor=actor, business={"dba": "Noodles"})
    assert caught.value.message == "此申请已无法修改（当前状态：已撤回）。"
    with translation.override("en"), pytest.raises(InvalidTransition) as caught:
        application_withdraw(application=application, actor=actor)
    assert caught.value.message == "This application can no longer be withdrawn."


# --------------------------------------------------------------------------- eligibility, for the merchant


def test_the_first_steps_panel_gives_the_forbidden_category_reason_in_chinese(client, merchant):
    params = {"mcc": "6211", "address_state": "NY", "wallets": ["wechat_pay:online"]}
    body = chinese(client).get(reverse("eligibility-panel"), params).content.decode()
    assert f"{FORBIDDEN_ZH}（6211 " in body
    assert FORBIDDEN_EN not in body
    # The first step of a saved draft shows the same reason in Chinese.
    application = own_application(merchant, business={"mcc": "6211"},
                                  wallets=[{"wallet": "wechat_pay", "channel": "online"}])  # fmt: skip
    assert FORBIDDEN_ZH in client.get(step_url(application, "start")).content.decode()


def test_the_first_steps_panel_keeps_its_english_reasons_in_english(client, merchant):
    params = {"mcc": "6211", "address_state": "NY", "wallets": ["wechat_pay:online"]}
    body = client.get(reverse("eligibility-panel"), params).content.decode()
    assert f"{FORBIDDEN_EN} (6211 Securities -- brokers and dealers)" in body
    assert FORBIDDEN_ZH not in body


def test_every_rule_of_the_table_and_every_composed_reason_has_its_chinese():
    data = eligibility.load_data()
    for entry in [*data["rules"], *data["composed_reasons"].values()]:
        # Chinese: CJK characters or, for a sentence that only frames its parts, Chinese punctuation.
        assert re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", entry["reason_zh_hans"]), entry["reason"]
    assert all(re.search(r"[\u4e00-\u9fff]", rule["reason_zh_hans"]) for rule in data["rules"])
    for name, entry in data["composed_reasons"].items():
        placeholders = {p for p in ("{reason}", "{category}", "{mcc}") if p in entry["reason"]}
        assert {p for p in ("{reason}", "{category}", "{mcc}") if p in entry["reason_zh_hans"]} == placeholders, name


def test_a_reason_reads_in_the_language_asked_for_and_is_english_as_stored():
    result = eligibility.wallet_eligibility(mcc="5812", state="NY", wallet="alipay", channel="in_store",
                                            acquirer="stripe")  # fmt: skip
    assert result.reason.startswith(STRIPE_ALIPAY_EN) and result.reason.endswith("(5812 Eating places and restaurants)")
    assert result.reasons_in("zh-hans") == [
        "Stripe 终端不支持支付宝收款：请改为在线或通过二维码提供支付宝收款（5812 餐馆、饭店）"
    ]
    assert result.reasons_in("en") == result.reasons
    with translation.override("zh-hans"):
        assert result.reason_in().startswith(STRIPE_ALIPAY_ZH) and result.reason.startswith(STRIPE_ALIPAY_EN)
    unrestricted = eligibility.wallet_eligibility(mcc="5812", state="NY", wallet="alipay", channel="online",
                                                  acquirer="stripe")  # fmt: skip
    assert unrestricted.reasons == ["No rule restricts 5812 Eating places and restaurants"]
    assert unrestricted.reasons_in("zh-hans") == ["没有规则限制此类别（5812 餐馆、饭店）"]


def test_a_rule_without_a_translation_reads_in_english_in_every_language(tmp_path, monkeypatch):
    data = eligibility.load_data()
    data["rules"].append({"wallet": "alipay", "channel": "online", "acquirer": "", "mccs": ["5812"],
                          "mcc_match": "in", "states": ["NY"], "outcome": "review", "reason": "Test restriction",
                          "source": "wechat_proper_use"})  # fmt: skip
    changed = tmp_path / "eligibility_rules.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(eligibility, "DATA_FILE", changed)
    kyc_rules.eligibility_rules_sync(actor=Actor.system("tests"), note="a rule without its Chinese")
    result = eligibility.wallet_eligibility(mcc="5812", state="NY", wallet="alipay", channel="online",
                                            acquirer="stripe")  # fmt: skip
    assert result.reasons_in("zh-hans") == result.reasons == ["Test restriction (5812 Eating places and restaurants)"]


def test_a_corrected_translation_stores_no_new_version_and_reads_at_once(tmp_path, monkeypatch):
    current = eligibility.rule_set_current()
    data = eligibility.load_data()
    data["rules"][0]["reason_zh_hans"] = "微信支付不允许此类业务进行跨境交易"
    changed = tmp_path / "eligibility_rules.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(eligibility, "DATA_FILE", changed)
    rule_set, created = kyc_rules.eligibility_rules_sync(actor=Actor.system("tests"))
    assert not created and rule_set.version == current.version
    result = eligibility.wallet_eligibility(mcc="6211", state="NY", wallet="wechat_pay", channel="online",
                                            acquirer="stripe")  # fmt: skip
    assert result.reasons_in("zh-hans")[0].startswith("微信支付不允许此类业务进行跨境交易（6211 ")
    assert result.reason.startswith(FORBIDDEN_EN)


def ineligible_draft() -> Application:
    return draft_application(wallets=[{"wallet": "alipay", "channel": "in_store"},
                                      {"wallet": "wechat_pay", "channel": "in_store"}])  # fmt: skip


def alipay_error(application: Application, language: str):
    with translation.override(language):
        wallets = application_requirements(application).wallets
    alipay = next(w for w in wallets if w.wallet == "alipay")
    return alipay.errors[0]


def test_the_requirements_give_a_wallets_reason_in_the_readers_language():
    application = ineligible_draft()
    assert alipay_error(application, "zh-hans").reason.startswith(STRIPE_ALIPAY_ZH)
    assert alipay_error(application, "en").reason.startswith(STRIPE_ALIPAY_EN)
    # After submission the reason the check stored is shown, in Chinese while the table still gives it.
    run_checks(application)
    Application.objects.filter(pk=application.pk).update(state="in_review")
    application.refresh_from_db()
    assert alipay_error(application, "zh-hans").reason.startswith(STRIPE_ALIPAY_ZH)
    assert alipay_error(application, "en").reason.startswith(STRIPE_ALIPAY_EN)
    # A stored reason the table in force no longer gives stays as stored.
    WalletRequest.objects.filter(application=application, wallet="alipay").update(eligibility_reason="Older words")
    assert alipay_error(application, "zh-hans").reason == "Older words"


def test_the_address_reasons_of_the_requirements_read_in_the_readers_language():
    application = draft_application()
    Application.objects.filter(pk=application.pk).update(state="info_requested")
    application.refresh_from_db()
    CheckResult.objects.create(
        application=application, check_name="addresses", check_version="1", outcome="fail", fingerprint="x",
        details={"problems": [{"where": "business", "field": "address_postal_code", "code": "zip_invalid"}]},
    )  # fmt: skip
    words = [
        ("zh-hans", "邮政编码无效。", "请输入 5 位数字，或“5 位 + 4 位”格式。"),
        ("en", "The ZIP code is not valid.", "Enter five digits, or five plus four."),
    ]
    for language, reason, fix in words:
        with translation.override(language):
            errors = application_requirements(application).overall.errors
        error = next(e for e in errors if e.field == "business.address_postal_code")
        assert (error.reason, error.suggested_fix) == (reason, fix)
        assert type(error.reason) is str and type(error.suggested_fix) is str


# --------------------------------------------------------------------------- what is stored stays English


def test_checks_run_from_a_chinese_thread_store_english_details_and_reasons():
    application = ineligible_draft()
    party = Party.objects.get(application=application, first_name="Rosa")
    party.id_number = "000000000"  # fails the SSN rules; set directly, as a partner's old data might be
    party.save()
    Party.objects.filter(application=application, is_control_person=True).update(title="")
    with translation.override("zh-hans"):
        results = run_checks(application)
        assert translation.get_language() == "zh-hans"  # the caller's language is given back
    identifiers = results["owner_identifiers"].details["problems"]
    assert identifiers[0]["problem"] == "This is not a valid SSN."
    ownership = results["ownership"].details["problems"]
    assert ownership == {"parties[0].title": ["Give the control person's title."]}
    wallets = {w["wallet"]: w for w in results["wallet_eligibility"].details["wallets"]}
    assert wallets["alipay"]["reasons"][0].startswith(STRIPE_ALIPAY_EN)
    stored = WalletRequest.objects.get(application=application, wallet="alipay").eligibility_reason
    assert stored.startswith(STRIPE_ALIPAY_EN)
    everything_stored = json.dumps([r.details for r in CheckResult.objects.filter(application=application)],
                                   ensure_ascii=False)  # fmt: skip
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in everything_stored)


def test_an_eligibility_change_applied_from_a_chinese_thread_records_english_reasons(tmp_path, monkeypatch):
    eligibility.rule_set_current()
    application = draft_application()  # 5812 in NY, WeChat Pay in store
    Merchant.objects.create(legal_name=application.legal_name, tax_id_type="ein", tax_id_index=f"idx-{application.pk}",
                            state="active", current_application=application)  # fmt: skip
    data = eligibility.load_data()
    data["rules"].append({"wallet": "wechat_pay", "channel": "in_store", "acquirer": "", "mccs": ["5812"],
                          "mcc_match": "in", "states": ["NY"], "outcome": "review", "reason": "Test restriction",
                          "reason_zh_hans": "测试限制", "source": "wechat_proper_use"})  # fmt: skip
    changed = tmp_path / "eligibility_rules.json"
    changed.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(eligibility, "DATA_FILE", changed)
    with translation.override("zh-hans"):
        call_command("apply_eligibility_changes", "--note", "a new restriction", stdout=io.StringIO())
    case = ReviewCase.objects.get(reason_code="eligibility_changed")
    assert case.details["wallets"][0]["reason"] == "Test restriction (5812 Eating places and restaurants)"
    recorded = Event.objects.filter(action="eligibility_rules_changed").values_list("details", flat=True)
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in json.dumps([case.details, *recorded], ensure_ascii=False))
