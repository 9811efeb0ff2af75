"""Take the README's screenshots of the officers' admin on a running portal (``make run``) in headless
Chromium. The merchant's pages come from the browser tests (``make screenshots``).

Usage: .venv/bin/python docs/take_screenshots.py [base_url]   (needs Debian's chromium package)
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).parent / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]  # fmt: skip


def sign_in(page, email: str, login_path: str = "/accounts/login/") -> None:
    page.goto(BASE + login_path)
    page.fill("#id_login" if login_path.startswith("/accounts/") else "#id_username", email)
    page.fill("#id_password", "demo-portal-2026")
    page.click("main button[type=submit], #content input[type=submit]")
    page.wait_for_load_state("networkidle")


with sync_playwright() as playwright:
    browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
    officer = browser.new_page(viewport={"width": 1280, "height": 800})
    sign_in(officer, "officer@example.com", "/admin/login/")
    officer.goto(BASE + "/admin/onboarding/event/")
    officer.screenshot(path=OUT / "admin-events.png")
    officer.goto(BASE + "/admin/sanctions/sanctionslistversion/")
    officer.screenshot(path=OUT / "admin-sanctions-lists.png")
    browser.close()
print("screenshots written to", OUT)
