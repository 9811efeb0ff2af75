"""Smoke test of the embedded default: the portal that `make run` started answers /healthz, the demo
merchant signs in over HTTP at allauth's form and sees the draft, the pages come in Chinese after the
language switch (the compiled catalogue), and the separate worker process screens a submission.

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
print("smoke test of the embedded default passed")
