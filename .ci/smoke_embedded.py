"""Smoke test of the embedded default: the portal that `make run` started answers /healthz, the demo
merchant signs in over HTTP at allauth's form and sees the draft, the pages come in Chinese after the
language switch (the compiled catalogue), the separate worker process screens a submission, and the
approved demo gift shop is boarded through the local acquirer, its owner types a simulated registration
code and the status page shows the live reader.

Usage: python .ci/smoke_embedded.py [base_url]
"""

import http.cookiejar
import json
import re
import subprocess
import sys
import time
import urllib.parse
import urllib.request

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
jar = http.cookiejar.CookieJar()
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))


def get(path: str) -> str:
    with opener.open(BASE + path, timeout=10) as response:
        return response.read().decode()


def wait_for_health(deadline: float) -> dict:
    while time.monotonic() < deadline:
        try:
            return json.loads(get("/healthz"))
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the portal did not answer /healthz in time")


def shell(code: str) -> str:
    command = [".venv/bin/python", "manage.py", "shell", "--no-imports", "-c", code]
    return subprocess.run(command, check=True, capture_output=True, text=True, timeout=120).stdout.strip()


health = wait_for_health(time.monotonic() + 120)
assert health["status"] == "ok", health
print("healthz:", health["components"]["database"]["vendor"], health["components"]["broker"]["transport"])


def post(path: str, fields: dict, page: str) -> str:
    """Submit a form of ``page`` (its CSRF token) to ``path`` and return where the redirects end."""
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(BASE + path, data=form, headers={"Referer": BASE + path})
    with opener.open(request, timeout=10) as response:
        return response.read().decode()


login_page = get("/accounts/login/")
assert 'name="login"' in login_page, "the login form is not allauth's"
home = post("/accounts/login/", {"login": "merchant@example.com", "password": "demo-portal-2026"}, login_page)
assert "Golden Gate Tea House" in home and "Draft" in home and '<html lang="en">' in home, home[:500]
stylesheet = re.search(r'href="(/static/[^"]+\.css)"', home).group(1)
assert "body" in get(stylesheet), "the stylesheet is not served"
print("signed in as the demo merchant and saw the draft; styles served from", stylesheet)

chinese = post("/i18n/setlang/", {"language": "zh-hans", "next": "/"}, home)
assert '<html lang="zh-hans">' in chinese and "我的申请" in chinese, chinese[:500]
english = post("/i18n/setlang/", {"language": "en", "next": "/"}, chinese)
assert "Your applications" in english
print("the language switcher serves the compiled Chinese catalogue")

public_id = shell(
    "from onboarding.models import Application\n"
    "from onboarding.services.actors import Actor\n"
    "from onboarding.services.agreements import application_sign_agreement\n"
    "from onboarding.services.applications import application_submit\n"
    "a = Application.objects.get(applicant__username='merchant@example.com', state='draft')\n"
    "actor = Actor.for_user(a.applicant)\n"
    "application_sign_agreement(application=a, actor=actor, signer_name='Mei Lin', signer_title='Managing member')\n"
    "application_submit(application=a, actor=actor, ip_address='127.0.0.1')\n"
    "print(a.public_id)"
)
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    state = shell(
        f"from onboarding.models import Application; print(Application.objects.get(public_id='{public_id}').state)"
    )
    if state == "in_review":
        break
    time.sleep(1)
assert state == "in_review", f"the worker did not screen the submission (state {state})"
print(f"the worker screened {public_id}: {state}")


# Approving the demo gift shop (load_demo_data) owes its boarding: the worker boards it through the local
# acquirer that make run started, whose verification comes back as a signed webhook to the web process.
def gift_shop(field: str) -> str:
    return shell(
        "from payments.models import Terminal\n"
        "t = Terminal.objects.filter(merchant__applications__applicant__username='giftshop@example.com')"
        f".order_by('id').first()\nprint(t.{field} if t else '')"
    )


deadline = time.monotonic() + 120
while time.monotonic() < deadline and gift_shop("state") != "awaiting_device":
    time.sleep(1)
assert gift_shop("state") == "awaiting_device", f"the demo gift shop was not boarded (terminal: {gift_shop('state')})"
print("the worker boarded the approved demo gift shop through the local acquirer")

jar.clear()
login_page = get("/accounts/login/")
home = post("/accounts/login/", {"login": "giftshop@example.com", "password": "demo-portal-2026"}, login_page)
first = shell(
    "from onboarding.models import Application\n"
    "print(Application.objects.filter(applicant__username='giftshop@example.com').order_by('created_at')"
    ".first().public_id)"
)
status_page = get(f"/applications/{first}/")
action = re.search(r'action="(/terminals/[^"]+/device/)"', status_page).group(1)
post(action, {"registration_code": "simulated-wpe"}, status_page)
deadline = time.monotonic() + 60
while time.monotonic() < deadline and gift_shop("state") != "active":
    time.sleep(1)
assert gift_shop("state") == "active", f"the terminal did not go live ({gift_shop('state')}: {gift_shop('last_error')})"
live_page = get(f"/applications/{first}/")
assert gift_shop("acquirer_reader_id") in live_page, "the status page does not show the live reader"
print("the merchant typed a simulated registration code and saw the terminal go live")
print("smoke test of the embedded default passed")
