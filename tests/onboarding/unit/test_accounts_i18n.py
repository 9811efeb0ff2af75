"""The site's languages (English and Simplified Chinese) and its own pages: the switcher remembers the
choice on the account, every page says its language, the templates leave nothing untranslated, the
catalogue is complete and compiled, and the error pages use the layout."""

import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.template.loader import render_to_string
from django.test import Client
from django.urls import include, path, reverse
from django.utils import translation

from onboarding.models import UserPreference
from onboarding.reason_codes import PUBLIC_TEXT, STATE_TEXT, public_text
from tests.factories import UserFactory, draft_application
from tests.staff import staff_login

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]
CATALOGUE = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
PASSWORD = "correct-horse-battery"


def broken_view(request):
    raise RuntimeError("a bug")


def forbidden_view(request):
    raise DjangoPermissionDenied


urlpatterns = [
    path("broken/", broken_view),
    path("forbidden/", forbidden_view),
    path("", include("portal.urls")),
]


def po_entries(text: str) -> list[tuple[str, str, str]]:
    """(flags, msgid, msgstr) of every entry but the header and obsolete ones."""
    entries = []
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        parts: dict[str, list[str]] = {}
        key = None
        for line in lines:
            match = re.match(r'^(msgid|msgstr|msgid_plural|msgstr\[\d\]) "(.*)"$', line)
            if match:
                key = match.group(1)
                parts[key] = [match.group(2)]
            elif line.startswith('"') and key:
                parts[key].append(line[1:-1])
        if "msgid" in parts and "".join(parts["msgid"]):
            msgstr = "".join(parts.get("msgstr", parts.get("msgstr[0]", [""])))
            entries.append((flags, "".join(parts["msgid"]).replace('\\"', '"'), msgstr))
    return entries


@pytest.fixture(autouse=True)
def language_reset():
    # A request leaves its language active in the thread: the tests after these ones must start in English.
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(scope="module")
def catalogue() -> list[tuple[str, str, str]]:
    mo = CATALOGUE.with_suffix(".mo")
    if not mo.exists() or mo.stat().st_mtime < CATALOGUE.stat().st_mtime:
        pytest.fail("locale/zh_Hans/LC_MESSAGES/django.mo is missing or older than its .po: run `make install`")
    return po_entries(CATALOGUE.read_text(encoding="utf-8"))


@pytest.fixture
def merchant():
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    return user


def chinese(client: Client) -> Client:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    return client


def sign_in(client, user):
    return client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})


def test_the_catalogue_translates_every_message_and_is_compiled(catalogue):
    assert len(catalogue) > 50
    assert [msgid for flags, msgid, msgstr in catalogue if not msgstr.strip()] == []
    assert [msgid for flags, msgid, msgstr in catalogue if "fuzzy" in flags] == []
    # Format placeholders survive translation (a plural's one Chinese form carries the plural's, the count).
    plurals = dict(re.findall(r'^msgid "(.*)"\nmsgid_plural "(.*)"$', CATALOGUE.read_text(encoding="utf-8"), re.M))
    for _, msgid, msgstr in catalogue:
        wanted = re.findall(r"%\(\w+\)s", plurals.get(msgid, msgid))
        assert sorted(wanted) == sorted(re.findall(r"%\(\w+\)s", msgstr)), msgid


def test_the_language_switcher_saves_the_choice_and_a_later_sign_in_elsewhere_gets_it(client, merchant, catalogue):
    sign_in(client, merchant)
    assert client.get(reverse("merchant-home")).content.decode().count('<html lang="en">') == 1
    response = client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("merchant-home")})
    assert response.status_code == 302 and response["Location"] == reverse("merchant-home")
    assert UserPreference.objects.get(user=merchant).language == "zh-hans"
    assert '<html lang="zh-hans">' in client.get(reverse("merchant-home")).content.decode()

    fresh = Client()  # another browser: no cookie, an English Accept-Language
    signed_in = sign_in(fresh, merchant)
    assert signed_in.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    home = fresh.get(reverse("merchant-home"), HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert '<html lang="zh-hans">' in home and "我的申请" in home and "Your applications" not in home


def test_a_language_chosen_before_the_first_sign_in_is_kept_on_the_account(client, merchant):
    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("account_login")})
    assert not UserPreference.objects.filter(user=merchant).exists()  # nobody to save it on yet
    sign_in(client, merchant)
    assert UserPreference.objects.get(user=merchant).language == "zh-hans"


def test_a_language_the_site_does_not_offer_is_neither_applied_nor_saved(client, merchant):
    sign_in(client, merchant)
    client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert not UserPreference.objects.filter(user=merchant).exists()
    assert '<html lang="en">' in client.get(reverse("merchant-home")).content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_page_names_its_language(client, merchant, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    anonymous = ["account_login", "account_signup", "account_reset_password"]
    for name in anonymous:
        assert f'<html lang="{language}">' in client.get(reverse(name)).content.decode(), name
    assert f'<html lang="{language}">' in client.get("/no-such-page/").content.decode()
    sign_in(client, merchant)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for name in ["merchant-home", "account-overview", "account_logout", "mfa_index", "account_email"]:
        assert f'<html lang="{language}">' in client.get(reverse(name)).content.decode(), name


def english_left(body: str, catalogue) -> list[str]:
    """Our own English messages still on a page rendered in Chinese."""
    # The brand is a name, not the message "Wallet" (a substring of "WalletBoard").
    text = re.sub(r"<[^>]+>", " ", body.replace("Wallet<strong>Board</strong>", " "))
    return [msgid for _, msgid, _ in catalogue if len(msgid) > 3 and "%(" not in msgid and msgid in text]


def test_our_pages_render_in_chinese_with_none_of_our_english_left(client, merchant, catalogue):
    chinese(client)
    pages = {
        "login": client.get(reverse("account_login")),
        "signup": client.get(reverse("account_signup")),
        "404": client.get("/no-such-page/"),
    }
    sign_in(client, merchant)
    chinese(client)
    draft_application(user=merchant)
    pages |= {
        "home": client.get(reverse("merchant-home")),
        "account": client.get(reverse("account-overview")),
        "logout": client.get(reverse("account_logout")),
        "mfa": client.get(reverse("mfa_index")),
    }
    for name, response in pages.items():
        body = response.content.decode()
        assert english_left(body, catalogue) == [], name
        assert "登出" in body or "登录" in body, name  # the header, in Chinese
        assert "申请均依照美国" in body, name  # the footer
    assert "我的申请" in pages["home"].content.decode() and "开始填写" in pages["home"].content.decode()
    assert "双因素身份认证" in pages["account"].content.decode()
    # allauth's own pages come in Chinese from allauth's catalogue.
    assert (
        "忘记密码" in pages["login"].content.decode() and "Forgot your password" not in pages["login"].content.decode()
    )
    assert "您确定要登出吗" in pages["logout"].content.decode()
    assert "恢复代码" in pages["mfa"].content.decode()


def test_staff_see_the_admin_link_in_chinese_too(client, catalogue):
    staff_login(client, UserFactory(is_staff=True))
    body = chinese(client).get(reverse("merchant-home")).content.decode()
    assert "打开管理后台" in body and english_left(body, catalogue) == []


@pytest.mark.urls(__name__)
def test_the_error_pages_use_the_layout_in_both_languages(catalogue):
    client = Client(raise_request_exception=False)
    for language, words in (("en", ("We could not find that page", "Something went wrong on our side")),
                            ("zh-hans", ("找不到该页面", "我们的系统出现了问题"))):  # fmt: skip
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        missing = client.get("/no-such-page/")
        assert missing.status_code == 404
        assert [t.name for t in missing.templates][:2] == ["404.html", "base.html"]
        body = missing.content.decode()
        assert (
            words[0] in body
            and f'<html lang="{language}">' in body
            and "portal" in body
            and 'class="skip-link"' in body
        )
        broken = client.get("/broken/")
        assert broken.status_code == 500
        assert words[1] in broken.content.decode() and f'<html lang="{language}">' in broken.content.decode()
        forbidden = client.get("/forbidden/")
        assert forbidden.status_code == 403 and "403" in forbidden.content.decode()
        assert [t.name for t in forbidden.templates][:2] == ["403.html", "base.html"]
        if language == "zh-hans":
            for response in (missing, broken, forbidden):
                assert english_left(response.content.decode(), catalogue) == [], response.status_code


@pytest.mark.parametrize(("language", "words"), [("en", "This form has expired"), ("zh-hans", "此表单已过期")])
def test_a_form_sent_without_its_token_gets_the_expired_form_page(language, words, catalogue):
    client = Client(enforce_csrf_checks=True)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(reverse("account_login"), {"login": "someone@example.com", "password": "x"})
    assert response.status_code == 403
    body = response.content.decode()
    assert words in body and f'<html lang="{language}">' in body and 'class="skip-link"' in body


def test_the_500_page_renders_without_a_request():
    body = render_to_string("500.html")
    assert "Something went wrong on our side" in body and "portal" in body and "csrfmiddlewaretoken" not in body


def test_public_texts_follow_the_active_language(catalogue):
    with translation.override("zh-hans"):
        assert public_text("approved") == "您的申请已获批准。"
        assert public_text("", state="in_review") == "您的申请正在审核中。如需补充信息，我们会与您联系。"
        assert isinstance(public_text("declined"), str)
    with translation.override("en"):
        assert public_text("declined") == "We are unable to approve your application at this time."
    assert public_text("no-such-code") == ""
    # The tables keep their dict API.
    assert "approved" in PUBLIC_TEXT and PUBLIC_TEXT["approved"] == "Your application has been approved."
    assert set(STATE_TEXT) >= {"submitted", "in_review", "declined"}
    assert all(str(text) for text in PUBLIC_TEXT.values())


def test_the_merchants_history_reads_in_chinese(client, merchant):
    from onboarding.services.actors import Actor
    from onboarding.services.applications import application_submit

    application = draft_application(user=merchant)
    application_submit(application=application, actor=Actor.for_user(merchant))
    client.force_login(merchant)
    body = chinese(client).get(reverse("application-detail", args=[application.public_id])).content.decode()
    assert "您已开始填写申请。" in body and "我们已收到您的申请。" in body
