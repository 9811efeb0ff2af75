"""Every page and email a merchant sees reads in Simplified Chinese when that is their language: no English
message of our catalogue is left on a page or in an email, the catalogue is complete, and the category
list of the first step gives Chinese names with the English ones after them."""

import html
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import translation

from onboarding.accounts import user_language_save
from onboarding.kyc import mcc
from onboarding.models import Application
from onboarding.notifications import merchant_email_send, registered_emails
from onboarding.services.actors import Actor
from onboarding.services.applications import application_request_info
from onboarding.services.documents import document_decide
from tests.factories import officer
from tests.onboarding.web.merchant_pages import (  # noqa: F401 (merchant_fixture gives the fixture merchant)
    merchant_fixture,
    own_application,
    step_url,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
MCC_NAMES = ROOT / "onboarding" / "kyc" / "data" / "mcc_names_zh_hans.json"
STEPS = ("start", "business", "owners", "bank", "stores", "documents", "review")
PLACEHOLDER = re.compile(r"%\(\w+\)s")


# --------------------------------------------------------------------------- the catalogue


def catalogue_entries(text: str) -> list[dict]:
    """Every entry but the header and obsolete ones: flags, msgid, msgid_plural and the msgstr forms."""
    entries = []
    for block in text.split("\n\n"):
        entry = {"flags": "", "msgid": None, "msgid_plural": None, "msgstr": []}
        key = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["msgid"] = None
                break
            if line.startswith("#,"):
                entry["flags"] = line
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                value = match.group(2).replace('\\"', '"')
                if key.startswith("msgstr"):
                    entry["msgstr"].append(value)
                else:
                    entry[key] = value
            elif line.startswith('"') and key:
                value = line[1:-1].replace('\\"', '"')
                if key.startswith("msgstr"):
                    entry["msgstr"][-1] += value
                else:
                    entry[key] += value
        if entry["msgid"]:
            entries.append(entry)
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[dict]:
    mo = CATALOGUE.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < CATALOGUE.stat().st_mtime:
        pytest.fail("locale/zh_Hans/LC_MESSAGES/django.mo is missing or older than its .po: run `make install`")
    return catalogue_entries(CATALOGUE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def english_patterns(catalogue) -> list[tuple[str, re.Pattern]]:
    """Each English message whose Chinese differs, as a pattern matching a whole text node (a placeholder
    stands for any text, ``%%`` for the percent sign it renders as)."""
    patterns = []
    for entry in catalogue:
        for english in filter(None, (entry["msgid"], entry["msgid_plural"])):
            if english in entry["msgstr"]:
                continue
            formatted = "python-format" in entry["flags"]
            parts = PLACEHOLDER.split(english) if formatted else [english]
            if not re.search(r"[A-Za-z]{2}", "".join(parts)):
                continue  # placeholders and punctuation alone ("%(wallet)s (%(channel)s)"): no English words
            pieces = [re.escape(part.replace("%%", "%") if formatted else part) for part in parts]
            patterns.append((english, re.compile(r"\s*" + ".+?".join(pieces) + r"\s*", re.S)))
    return patterns


def visible_texts(body: str) -> list[str]:
    """The text nodes a person reads, and the attributes read aloud or shown (labels, titles, placeholders)."""
    body = re.sub(r"<(script|style)\b[^>]*>.*?</\1>", " ", body, flags=re.S)
    # The brand "Wallet<strong>Board</strong>" is a name, not the message "Wallet" split by a tag.
    body = body.replace("Wallet<strong>Board</strong>", "WalletBoard")
    body = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    texts = [" ".join(html.unescape(node).split()) for node in re.split(r"<[^>]+>", body)]
    for tag in re.findall(r"<[^>]+>", body):
        for _, value in re.findall(r'\b(aria-label|title|placeholder|data-ok|data-bad)="([^"]*)"', tag):
            texts.append(" ".join(html.unescape(value).split()))
    return [text for text in texts if text]


def english_left(body: str, patterns) -> list[str]:
    texts = visible_texts(body)
    return sorted({english for english, pattern in patterns for text in texts if pattern.fullmatch(text)})


def test_the_catalogue_has_a_chinese_translation_of_every_message(catalogue):
    assert len(catalogue) > 400
    assert [e["msgid"] for e in catalogue if not all(s.strip() for s in e["msgstr"]) or not e["msgstr"]] == []
    assert [e["msgid"] for e in catalogue if "fuzzy" in e["flags"]] == []
    header = CATALOGUE.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "Plural-Forms: nplurals=1; plural=0;" in header
    plurals = [e for e in catalogue if e["msgid_plural"]]
    assert plurals and all(len(e["msgstr"]) == 1 for e in plurals)  # Chinese has one form: msgstr[0]
    for entry in catalogue:
        wanted = PLACEHOLDER.findall(entry["msgid_plural"] or entry["msgid"])
        assert sorted(PLACEHOLDER.findall(entry["msgstr"][0])) == sorted(wanted), entry["msgid"]
        # The Chinese is Chinese: every translation has at least one CJK character (product names aside).
        if entry["msgid"] not in ("BBPOS WisePOS E", "Stripe Reader S700", "Partner API", "%(wallet)s (%(channel)s)"):
            assert re.search(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]", entry["msgstr"][0]), entry["msgid"]


def test_the_terms_are_the_agreed_ones():
    with translation.override("zh-hans"):
        from onboarding.models import BankAccount, TaxIdType, Wallet

        assert [str(w.label) for w in Wallet] == ["支付宝", "微信支付"]
        assert str(TaxIdType.EIN.label) == "雇主识别号 EIN"
        assert str(TaxIdType.SSN.label) == "社会安全号码 SSN"
        assert str(TaxIdType.ITIN.label) == "个人纳税识别号 ITIN"
        assert translation.gettext("Settlement account") == "结算账户"
        assert translation.gettext("Routing number") == "路由号码"
        assert translation.gettext("Merchant agreement") == "商户协议"
        assert translation.gettext("Control person") == "控制人"
        assert translation.gettext("Terminal") == "终端"
        assert str(BankAccount.AccountType.CHECKING.label) == "支票账户"
    with translation.override("en"):
        assert str(Wallet.WECHAT_PAY.label) == "WeChat Pay"


# --------------------------------------------------------------------------- the pages


def chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


@pytest.fixture(autouse=True)
def language_reset():
    # A request leaves its language active in the thread: the tests after these ones must start in English.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def asked_for_information(user) -> Application:
    application = own_application(user, state="in_review")
    message = "请提供最近的银行对账单。"
    application_request_info(application=application, actor=Actor.for_user(officer()), message=message)
    application.refresh_from_db()
    return application


def test_every_merchant_page_reads_in_chinese_with_none_of_our_english_left(client, merchant, english_patterns):
    chinese(client)
    draft = own_application(merchant)
    in_review = own_application(merchant, state="in_review")
    asked = asked_for_information(merchant)
    pages = {
        "home": client.get(reverse("merchant-home")),
        "new application": client.get(reverse("application-new")),
        **{f"step {slug}": client.get(step_url(draft, slug)) for slug in STEPS},
        "in review": client.get(reverse("application-detail", args=[in_review.public_id])),
        "information request": client.get(reverse("application-detail", args=[asked.public_id])),
        "draft status": client.get(reverse("application-detail", args=[draft.public_id])),
        "withdraw": client.get(reverse("application-withdraw", args=[in_review.public_id])),
        "status fragment": client.get(reverse("application-status-fragment", args=[in_review.public_id])),
        "404": client.get("/no-such-page/"),
    }
    # A step sent back with an error: the error summary (a plural) and the form's own message.
    pages["bank with an error"] = client.post(
        step_url(draft, "bank"),
        {"holder_name": "Pearl River Noodle Bar LLC", "routing_number": "121000358", "account_type": "checking",
         "account_number": "000123456789", "account_number_again": "000123456780", "save": "1"},
    )  # fmt: skip
    for name, response in pages.items():
        assert response.status_code in (200, 400, 404), name
        body = response.content.decode()
        assert english_left(body, english_patterns) == [], name
        if name != "status fragment":
            assert '<html lang="zh-hans">' in body, name

    def body(name):
        return pages[name].content.decode()

    for slug in ("start", "business", "owners", "bank", "stores", "documents"):
        assert "保存并继续" in body(f"step {slug}"), slug  # "Save and continue"
    assert "Save and continue" not in body("step business")
    assert "草稿" in body("home") and "审核中" in body("home")  # the states of the applications
    assert "支付宝" in body("step start") and "门店微信支付" in body("step start")
    assert "所有人及控制人" in body("step owners") and "控制人" in body("step owners")
    assert "路由号码" in body("step bank") and "支票账户" in body("step bank")
    assert "两次输入的账号不一致" in body("bank with an error")
    assert "请更正下方的 1 处错误" in body("bank with an error")
    assert "Stripe Reader S700 终端" in body("step stores")
    assert "作废支票或银行证明信" in body("step documents")
    assert "商户协议" in body("step review") and "雇主识别号 EIN" in body("step review")
    assert "当前进度" in body("in review") and "审核中" in body("in review")
    assert "我们需要更多信息" in body("information request")
    assert "请提供最近的银行对账单。" in body("information request")
    assert "要撤回申请吗？" in body("withdraw")
    assert "找不到该页面" in body("404")


def test_the_english_pages_keep_their_english(client, merchant, english_patterns):
    draft = own_application(merchant)
    body = client.get(step_url(draft, "business")).content.decode()
    assert '<html lang="en">' in body and "保存并继续" not in body
    # The same reading of the page finds the English it is meant to find.
    found = set(english_left(body, english_patterns))
    assert {"Save and continue", "Tax and registration", "Tax id type"} <= found
    assert "Draft" in client.get(reverse("merchant-home")).content.decode()


# --------------------------------------------------------------------------- the emails


def email_ready(application: Application, email: str) -> Application:
    if email == "info_requested":
        Application.objects.filter(pk=application.pk).update(state="in_review", has_been_in_review=True)
        application.refresh_from_db()
        application_request_info(application=application, actor=Actor.for_user(officer()), message="请提供菜单。")
    if email == "documents_attention":
        document_decide(
            document=application.documents.get(kind="bank_letter"),
            actor=Actor.for_user(officer()),
            status="revision_requested",
            reason="请上传近三个月内开具的证明信。",
        )
    application.refresh_from_db()
    return application


@pytest.mark.parametrize("email", registered_emails())
def test_every_email_reads_in_chinese_when_that_is_the_merchants_language(merchant, email, english_patterns):
    user_language_save(user=merchant, language="zh-hans")
    application = email_ready(own_application(merchant), email)
    mail.outbox.clear()
    assert merchant_email_send(application=application, email=email) is True
    message = mail.outbox[-1]
    html_body = message.alternatives[0][0]
    assert re.search(r"[\u4e00-\u9fff]", message.subject) and "Pearl River Noodles" in message.subject
    assert "您好" in message.body and "您好" in html_body and '<html lang="zh-hans">' in html_body
    assert "我们绝不会通过电子邮件索要密码或完整账号" in message.body
    assert "查看您的申请" in html_body
    for part in (message.subject, html_body):
        assert english_left(part, english_patterns) == [], email
    text_lines = [line.strip() for line in message.body.splitlines()]
    patterns = [pattern for _, pattern in english_patterns]
    assert [line for line in text_lines if line and any(p.fullmatch(line) for p in patterns)] == [], email
    if email == "info_requested":
        assert "请在 " in message.body and " 天内到申请页面回复" in message.body
    if email == "documents_attention":
        assert "银行证明信" in message.body  # the document's kind, in Chinese


# --------------------------------------------------------------------------- the categories


def test_the_category_list_of_the_first_step_gives_chinese_names_then_english(client, merchant):
    chinese(client)
    body = client.get(reverse("application-new")).content.decode()
    datalist = body.split('<datalist id="mcc-list">', 1)[1].split("</datalist>")[0]
    options = re.findall(r'<option value="([^"]*)">', datalist)
    assert "5812 — 餐馆、饭店 — Eating places and restaurants" in options
    assert "5947 — 礼品、贺卡及纪念品店 — Gift, card, novelty and souvenir shops" in options
    assert "0743 — Wine producers" in options  # no Chinese name: the English one, never a gap
    assert len(options) == len(mcc.all_mccs())
    # A saved category shows in the field as the list names it.
    draft = own_application(merchant)
    start = client.get(step_url(draft, "start")).content.decode()
    assert 'value="5812 — 餐馆、饭店 — Eating places and restaurants"' in start


def test_the_english_category_list_is_unchanged(client, merchant):
    body = client.get(reverse("application-new")).content.decode()
    assert '<option value="5812 — Eating places and restaurants">' in body
    assert "餐馆" not in body


def test_a_category_typed_from_the_chinese_list_is_saved_as_its_code(client, merchant):
    chinese(client)
    draft = own_application(merchant)
    response = client.post(
        step_url(draft, "start"),
        {"legal_name": draft.legal_name, "dba": draft.dba, "entity_type": draft.entity_type,
         "mcc": "5462 — 面包店、饼店 — Bakeries", "address_state": draft.address_state,
         "wallets": ["wechat_pay:in_store"], "save": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    assert Application.objects.get(pk=draft.pk).mcc == "5462"


def test_the_chinese_names_are_our_own_for_real_codes_kept_in_order():
    data = json.loads(MCC_NAMES.read_text(encoding="utf-8"))
    assert "own translation" in data["_comment"]
    codes = [code for code in data if not code.startswith("_")]
    assert codes == sorted(codes) and 100 <= len(codes) <= 200
    assert set(codes) <= set(mcc.all_mccs())  # every code is an assigned MCC
    assert all(re.search(r"[\u4e00-\u9fff]", data[code]) for code in codes)
    wanted = {"5812", "5814", "5462", "5411", "5499", "5441", "5947", "5942", "5651", "5661", "5944", "5977",
              "5912", "5732", "7011", "4722", "4121", "7230", "7298", "8021", "8011", "8299", "5992", "5712",
              "5251", "5311", "5309", "5971", "5932", "7991", "7996", "7523", "7512", "4511"}  # fmt: skip
    assert wanted <= set(codes)


def test_names_follow_the_language_asked_for():
    assert mcc.mcc_name_for("5814", "zh-hans") == "快餐店"
    assert mcc.mcc_name_for("5814", "zh_Hans") == "快餐店"
    assert mcc.mcc_name_for("5814", "en") == "Fast food restaurants"
    assert mcc.mcc_name_for("0743", "zh-hans") == "Wine producers"
    assert mcc.mcc_label_for("5814", "zh-hans") == "快餐店 — Fast food restaurants"
    assert dict(mcc.mcc_choices_for("en"))["5814"] == "Fast food restaurants"
    assert dict(mcc.mcc_choices_for("zh-hans"))["5814"] == "快餐店 — Fast food restaurants"
    assert [code for code, _ in mcc.mcc_choices_for("zh-hans")] == list(mcc.all_mccs())
