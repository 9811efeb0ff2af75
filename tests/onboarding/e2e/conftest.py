"""Browser tests: Debian's headless Chromium driven by Playwright's sync API (never Playwright's own browser
download). Skipped without /usr/bin/chromium on a laptop, failed under CI (CI=true), like every service."""

import os

import pytest

from tests.conftest import need

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run"]  # fmt: skip


def pytest_configure(config):
    config.addinivalue_line("markers", "e2e: drives a real browser (headless Chromium) against a live server")


@pytest.fixture
def browser():
    """A headless Chromium for one test. Ask for it after the fixtures that write to the database: Playwright's
    sync API runs an event loop in this thread, where Django refuses ORM calls (SynchronousOnlyOperation)."""
    need(os.access(CHROMIUM, os.X_OK), f"Debian's chromium ({CHROMIUM})")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def served_static(settings):
    """The live server serves static files from the finders, so the pages link the unhashed names."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
