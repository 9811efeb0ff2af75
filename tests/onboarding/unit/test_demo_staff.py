"""The demo staff of ``make run`` sign in with the fixed demo TOTP secret, whose current code
``manage.py demo_totp EMAIL`` prints for them and for nobody else; ``check --deploy`` refuses a database
that still holds a demo account or the demo secret."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from onboarding.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, USERS, demo_totp_code, load_demo_data
from onboarding.roles import COMPLIANCE_OFFICER
from tests.factories import officer
from tests.onboarding.unit.test_deploy_checks import check_deploy, production, refusals  # noqa: F401 (a fixture)
from tests.staff import totp_enrol

pytestmark = pytest.mark.django_db


def demo_totp(email: str) -> str:
    out = io.StringIO()
    call_command("demo_totp", email, stdout=out)
    return out.getvalue()


def test_a_demo_officer_signs_in_with_the_code_demo_totp_prints(client):
    load_demo_data()
    printed = demo_totp("officer@example.com")
    code = printed.split()[0]
    assert code == demo_totp_code()[0] and len(code) == 6 and "seconds" in printed

    signed = client.post(reverse("account_login"), {"login": "officer@example.com", "password": DEMO_PASSWORD})
    assert signed["Location"] == reverse("mfa_authenticate")
    assert client.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert client.get("/admin/").status_code == 200


def test_make_run_prints_the_demo_secret_and_how_to_get_a_code():
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    assert DEMO_TOTP_SECRET in out.getvalue() and "demo_totp" in out.getvalue()


def test_demo_totp_refuses_any_account_without_the_demo_secret():
    load_demo_data()
    other = officer(COMPLIANCE_OFFICER)
    totp_enrol(other)
    for email in (other.email, "merchant@example.com", "nobody@example.com"):
        with pytest.raises(CommandError, match="demo secret"):
            demo_totp(email)


def test_check_deploy_refuses_demo_accounts_and_the_demo_secret(production):  # noqa: F811 (the fixture)
    load_demo_data()
    ids, report = refusals()
    assert ids == {"portal.E009"}
    for email, _, _ in USERS:
        assert f"the demo account {email}" in report
    assert "officer@example.com with the demo TOTP secret" in report
    assert DEMO_TOTP_SECRET not in report and DEMO_PASSWORD not in report


def test_check_deploy_refuses_the_demo_secret_on_any_account(production):  # noqa: F811 (the fixture)
    someone = officer(COMPLIANCE_OFFICER)
    totp_enrol(someone, DEMO_TOTP_SECRET)
    ids, report = refusals()
    assert ids == {"portal.E009"} and f"{someone.username} with the demo TOTP secret" in report
    someone.authenticator_set.all().delete()
    assert "no issues" in check_deploy()
