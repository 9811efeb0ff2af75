"""The layout on a 360 px phone, in both languages: no page scrolls sideways, the header's brand, language
switcher, account and sign-out stay on screen, and the keyboard sees the skip link and the focus."""

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings

from tests.factories import UserFactory, draft_application

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 360, "height": 740}
PASSWORD = "correct-horse-battery"

# What the page measures of itself: its width against the window's, the elements that stick out on the
# right, and the header's controls that are off screen.
MEASURE = """() => {
  const width = window.innerWidth;
  const outside = el => { const r = el.getBoundingClientRect();
    return r.width > 0 && (r.right > width + 0.5 || r.left < -0.5); };
  return {
    lang: document.documentElement.lang,
    scrollWidth: document.documentElement.scrollWidth,
    width: width,
    wide: [...document.querySelectorAll('body *')].filter(outside).filter(el => !el.closest('.skip-link'))
      .slice(0, 5).map(el => el.tagName + '.' + el.className + ' ' + (el.textContent || '').trim().slice(0, 30)),
    header: [...document.querySelectorAll('header a, header button')].filter(outside).map(el => el.textContent.trim()),
    styled: getComputedStyle(document.body).backgroundColor,
  };
}"""


def assert_fits(page, language: str, what: str) -> dict:
    seen = page.evaluate(MEASURE)
    assert seen["lang"] == language, what
    assert seen["styled"] == "rgb(245, 247, 250)", f"{what}: the stylesheet did not load"
    assert seen["scrollWidth"] <= seen["width"], f"{what} scrolls sideways: {seen['wide']}"
    assert seen["wide"] == [] and seen["header"] == [], what
    return seen


@pytest.fixture
def merchant():
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    draft_application(user=user, documents=False)
    return user


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_pages_fit_a_360_px_phone_in_each_language(merchant, live_server, served_static, browser, language):
    context = browser.new_context(viewport=PHONE)
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}])
    page = context.new_page()
    for path in ("/accounts/login/", "/accounts/signup/", "/no-such-page/"):
        response = page.goto(live_server.url + path)
        assert response.status == (404 if "no-such" in path else 200)
        assert_fits(page, language, path)

    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_login", merchant.email)
    page.fill("#id_password", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_url(live_server.url + "/")
    assert_fits(page, language, "home")
    assert page.locator("a.card.application").count() == 1
    sign_out = page.locator('header form[action="/accounts/logout/"] button')
    switcher = page.locator("header form.language button")
    account = page.locator("header a.who")
    for control in (sign_out, switcher, account):
        assert control.is_visible()
        box = control.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.goto(live_server.url + "/no-such-page/")
    assert_fits(page, language, "404 signed in")
    context.close()


def test_the_switcher_changes_the_language_in_the_browser(browser, live_server, served_static):
    page = browser.new_page(viewport=PHONE)
    page.goto(live_server.url + "/accounts/login/")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click("header form.language button")
    page.wait_for_url(live_server.url + "/accounts/login/")
    assert page.evaluate("document.documentElement.lang") == "zh-hans"
    assert page.locator("main h1").inner_text().strip() == "登录"
    page.close()


def test_the_keyboard_meets_the_skip_link_first_and_sees_the_focus(browser, live_server, served_static):
    page = browser.new_page(viewport=PHONE)
    page.goto(live_server.url + "/accounts/login/")
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => { const el = document.activeElement; const r = el.getBoundingClientRect();"
        " return {cls: el.className, top: r.top, outline: getComputedStyle(el).outlineStyle}; }"
    )
    assert focused["cls"] == "skip-link" and focused["top"] >= 0 and focused["outline"] != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.close()
