"""Account emails (verify the address, reset the password) are owed work of their user: sent at once, kept
when the mail server fails and delivered later by a worker, with the link never in a broker message."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse

from onboarding import work
from onboarding.models import OwedWork
from onboarding.tasks import send_account_email

pytestmark = pytest.mark.django_db
SIGN_UP = {"email": "owner@flushinggifts.example", "password1": "jade-garden-2026!", "password2": "jade-garden-2026!"}


def account_rows():
    return OwedWork.objects.filter(subject_type="auth.user", kind__startswith="account_email:")


def test_the_verification_email_is_owed_work_sent_at_once_and_its_link_forgotten(client):
    client.post(reverse("account_signup"), SIGN_UP)
    assert len(mail.outbox) == 1 and "confirm-email" in mail.outbox[0].body
    row = account_rows().get()
    assert row.kind == "account_email:email_confirmation_signup" and row.status == "done" and row.payload == {}


def test_a_failing_mail_server_loses_no_verification_email(client):
    real_send = EmailMultiAlternatives.send
    with mock.patch.object(EmailMultiAlternatives, "send", side_effect=SMTPServerDisconnected("gone")):
        response = client.post(reverse("account_signup"), SIGN_UP)
    assert response.status_code == 302  # the sign-up itself went through
    row = account_rows().get()
    assert row.status == "pending" and "confirm-email" in row.payload["body"] and mail.outbox == []

    with mock.patch("portal.celery.app.send_task") as sent:
        assert work.sweep_owed_work(now=row.due_at + timedelta(seconds=1)) >= 1
    call = next(c for c in sent.call_args_list if c.args[0] == "onboarding.tasks.send_account_email")
    assert call.kwargs["kwargs"] == {"kind": row.kind}  # the link stays in the database
    assert "confirm-email" not in repr(sent.call_args_list)

    with mock.patch.object(EmailMultiAlternatives, "send", real_send):
        assert send_account_email(row.subject_id, row.kind) is True  # what the worker runs
    row.refresh_from_db()
    assert row.status == "done" and row.payload == {}
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [SIGN_UP["email"]]
