"""``check --deploy --fail-level WARNING`` refuses weak, malformed or shared secrets, any-host and DEBUG; it
passes the production set without an error or a warning; and it never prints a secret."""

import base64
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import SystemCheckError

ROOT = Path(__file__).resolve().parents[3]


def token(size: int = 32) -> str:
    return base64.urlsafe_b64encode(os.urandom(size)).decode().rstrip("=")


def production_environment() -> dict[str, str]:
    return {
        "DJANGO_SECRET_KEY": token(50),
        "FIELD_ENCRYPTION_KEYS": f"{Fernet.generate_key().decode()},{Fernet.generate_key().decode()}",
        "BLIND_INDEX_KEY": token(),
        "SCREENING_HASH_KEY": token(),
        "ACQUIRER_API_BASE": "https://api.stripe.com",
        "STRIPE_API_KEY": "sk_live_" + token(24),
        "STRIPE_TEST_API_KEY": "sk_test_" + token(24),
        "STRIPE_WEBHOOK_SECRET": "whsec_" + token(24),
        "STRIPE_TEST_WEBHOOK_SECRET": "whsec_" + token(24),
        "DJANGO_ALLOWED_HOSTS": "portal.example.com",
        "SECURE_SSL_REDIRECT": "true",
        "SECURE_COOKIES": "true",
        "SECURE_HSTS_SECONDS": "31536000",
    }


@pytest.fixture
def production(db, settings, monkeypatch):
    """The settings a production environment gives, in this process, over an empty database."""
    env = production_environment()
    settings.SECRET_KEY = env["DJANGO_SECRET_KEY"]
    settings.FIELD_ENCRYPTION_KEYS = env["FIELD_ENCRYPTION_KEYS"].split(",")
    settings.BLIND_INDEX_KEY = env["BLIND_INDEX_KEY"]
    settings.SCREENING_HASH_KEY = env["SCREENING_HASH_KEY"]
    settings.ACQUIRER_API_BASE = env["ACQUIRER_API_BASE"]
    settings.ALLOWED_HOSTS = ["portal.example.com"]
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = settings.SECURE_HSTS_PRELOAD = True
    monkeypatch.setattr("portal.checks.used_local", set())
    return settings


def check_deploy() -> str:
    """The checks' report; raises SystemCheckError (with the report) when anything is found."""
    out = io.StringIO()
    call_command("check", deploy=True, fail_level="WARNING", stdout=out, stderr=out)
    return out.getvalue()


def refusals() -> tuple[set[str], str]:
    with pytest.raises(SystemCheckError) as caught:
        check_deploy()
    report = str(caught.value)
    return set(re.findall(r"\((portal\.[EW]\d+|security\.[EW]\d+)\)", report)), report


def test_the_production_settings_pass_without_an_error_or_a_warning(production):
    assert "System check identified no issues" in check_deploy()


@pytest.mark.parametrize("bad", ["not-a-key", "", token(31), token(32) + "!", Fernet.generate_key().decode()[:-4]])
def test_an_encryption_key_that_is_not_a_fernet_key_is_refused(production, bad):
    production.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), bad]
    ids, report = refusals()
    assert ids == {"portal.E002"}
    assert "FIELD_ENCRYPTION_KEYS[1] is not a Fernet key" in report


@pytest.mark.parametrize("name", ["BLIND_INDEX_KEY", "SCREENING_HASH_KEY"])
@pytest.mark.parametrize("bad", ["k", "x" * 31, "短" * 10])
def test_an_hmac_key_under_32_bytes_is_refused(production, name, bad):
    setattr(production, name, bad)
    ids, report = refusals()
    assert ids == {"portal.E003"}
    assert f"{name} is shorter than 32 bytes" in report


def test_an_hmac_key_of_32_bytes_passes(production):
    production.BLIND_INDEX_KEY = "x" * 20 + "短" * 4  # 20 + 12 bytes
    assert "no issues" in check_deploy()


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("DJANGO_SECRET_KEY", "BLIND_INDEX_KEY"),
        ("BLIND_INDEX_KEY", "SCREENING_HASH_KEY"),
        ("FIELD_ENCRYPTION_KEYS[0]", "BLIND_INDEX_KEY"),
        ("FIELD_ENCRYPTION_KEYS[1]", "SCREENING_HASH_KEY"),
        ("DJANGO_SECRET_KEY", "FIELD_ENCRYPTION_KEYS[0]"),
        ("FIELD_ENCRYPTION_KEYS[0]", "FIELD_ENCRYPTION_KEYS[1]"),
    ],
)
def test_one_value_serving_as_two_secrets_is_refused(production, first, second):
    # A value valid in both places, so that sharing it is the one fault (a Fernet key where one is wanted).
    shared = Fernet.generate_key().decode() if "FIELD" in first + second else token(50)
    for name in (first, second):
        if name.startswith("FIELD_ENCRYPTION_KEYS"):
            production.FIELD_ENCRYPTION_KEYS[int(name[-2])] = shared
        elif name == "DJANGO_SECRET_KEY":
            production.SECRET_KEY = shared
        else:
            setattr(production, name, shared)
    ids, report = refusals()
    assert "portal.E004" in ids
    assert f"{first} and {second} have the same value" in report


def test_the_same_value_for_all_three_secrets_is_refused(production):
    shared = token(50)
    production.SECRET_KEY = production.BLIND_INDEX_KEY = production.SCREENING_HASH_KEY = shared
    ids, report = refusals()
    assert ids == {"portal.E004"}
    assert report.count("have the same value") == 3


@pytest.mark.parametrize("hosts", [["*"], ["portal.example.com", "*"], ["*.example.com"]])
def test_allowed_hosts_that_accept_any_host_are_refused(production, hosts):
    production.ALLOWED_HOSTS = hosts
    ids, _ = refusals()
    assert ids == {"portal.E005"}


@pytest.mark.parametrize("base", ["http://127.0.0.1:12111", "http://localhost:12111", "http://[::1]:12111"])
def test_the_local_acquirer_is_refused_in_production(production, base):
    production.ACQUIRER_API_BASE = base
    ids, report = refusals()
    assert ids == {"portal.E010"}
    assert "local acquirer" in report


def test_debug_is_refused(production):
    production.DEBUG = True
    ids, _ = refusals()
    assert "portal.E006" in ids


def test_the_test_hooks_are_refused_in_production(production, monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_TEST_HOOKS_DIR", str(tmp_path))
    ids, _ = refusals()
    assert ids == {"portal.E007"}


def test_no_report_shows_a_secret(production):
    production.FIELD_ENCRYPTION_KEYS = ["not-a-key-but-secret-looking"]
    production.BLIND_INDEX_KEY = "short-secret"
    production.SCREENING_HASH_KEY = production.SECRET_KEY
    _, report = refusals()
    for value in ("not-a-key-but-secret-looking", "short-secret", production.SECRET_KEY):
        assert value not in report


def run_check_deploy(env: dict, tmp_path) -> subprocess.CompletedProcess:
    names = set(production_environment()) | {"DJANGO_DEBUG"}
    clean = {k: v for k, v in os.environ.items() if k not in names}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env, "PORTAL_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_environment_of_the_report_fails_and_the_production_environment_passes(tmp_path):
    """The case that passed before: a non-key, a one-character HMAC key, one value for three secrets, any host."""
    shared = token(50)
    bad = production_environment() | {
        "FIELD_ENCRYPTION_KEYS": "not-a-key",
        "BLIND_INDEX_KEY": "k",
        "DJANGO_SECRET_KEY": shared,
        "SCREENING_HASH_KEY": shared,
        "DJANGO_ALLOWED_HOSTS": "*",
        "DJANGO_DEBUG": "true",
    }
    result = run_check_deploy(bad, tmp_path)
    assert result.returncode != 0
    for check_id in ("portal.E002", "portal.E003", "portal.E004", "portal.E005", "portal.E006"):
        assert check_id in result.stderr, result.stderr

    result = run_check_deploy(production_environment(), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
