"""Production settings pass ``check --deploy``; a deployment without its secrets does not."""

import base64
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PRODUCTION = {
    "DJANGO_SECRET_KEY": "x" * 10 + base64.urlsafe_b64encode(os.urandom(48)).decode(),
    "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
    "BLIND_INDEX_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
    "SCREENING_HASH_KEY": base64.urlsafe_b64encode(os.urandom(32)).decode(),
    "STRIPE_API_KEY": "sk_live_" + base64.urlsafe_b64encode(os.urandom(24)).decode(),
    "STRIPE_TEST_API_KEY": "sk_test_" + base64.urlsafe_b64encode(os.urandom(24)).decode(),
    "STRIPE_WEBHOOK_SECRET": "whsec_" + base64.urlsafe_b64encode(os.urandom(24)).decode(),
    "STRIPE_TEST_WEBHOOK_SECRET": "whsec_" + base64.urlsafe_b64encode(os.urandom(24)).decode(),
    "ACQUIRER_API_BASE": "https://api.stripe.com",
    "DJANGO_ALLOWED_HOSTS": "portal.example.com",
    "SECURE_SSL_REDIRECT": "true",
    "SECURE_COOKIES": "true",
    "SECURE_HSTS_SECONDS": "31536000",
}


def check_deploy(env: dict, tmp_path) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "DJANGO_DEBUG"}
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**clean, **env, "PORTAL_VAR_DIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_variables(tmp_path):
    result = check_deploy(PRODUCTION, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_a_secret_is_generated_locally(tmp_path):
    env = {k: v for k, v in PRODUCTION.items() if k != "BLIND_INDEX_KEY"}
    result = check_deploy(env, tmp_path)
    assert result.returncode != 0
    assert "portal.E001" in result.stderr + result.stdout and "BLIND_INDEX_KEY" in result.stderr + result.stdout


def test_debug_is_off_unless_asked():
    from django.conf import settings

    assert settings.DEBUG is False
