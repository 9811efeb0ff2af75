"""The token of an onboarding link is in none of our log lines, whatever happens to the link: every answer
on its URL is a redirect (so Django's request logger stays quiet), and a filter on the loggers that write
paths redacts it where one would still be written (a garbled link's 404, the development server's lines)."""

import logging

import pytest
from django.urls import reverse

from onboarding.models import Event, OnboardingLink
from portal.log_redaction import RedactLinkTokens
from tests.onboarding.links.conftest import INVITED, expire, path_of, token_of, user_with_address

pytestmark = pytest.mark.django_db


def test_no_log_line_holds_the_token_through_the_whole_journey(client, link_and_url, caplog):
    link, url = link_and_url
    token = token_of(url)
    caplog.set_level(logging.DEBUG)
    client.get(path_of(url))  # exchanged
    client.get(path_of(url))  # used, same browser
    client.__class__().get(path_of(url))  # used, another browser
    client.get("/onboard/continue/")
    user = user_with_address(INVITED)
    client.post(reverse("account_login"), {"login": INVITED, "password": "correct-horse-battery"})
    client.get("/onboard/continue/")
    expire(link)
    client.__class__().get(path_of(url))  # expired
    client.get(path_of(url) + "garbled/")  # a 404 that Django's request logger does write
    assert caplog.records, "the journey logged nothing: the check below would prove nothing"
    assert any("/onboard/[redacted]" in record.getMessage() for record in caplog.records)
    assert not [record.getMessage() for record in caplog.records if token in record.getMessage()]
    assert token not in caplog.text
    # Nor in what is stored about it.
    assert not any(token in str(details) for details in Event.objects.values_list("details", flat=True))
    assert OnboardingLink.objects.get(pk=link.pk).claimed_by == user


def test_the_development_servers_access_lines_are_redacted(link_and_url, caplog):
    _link, url = link_and_url
    token = token_of(url)
    caplog.set_level(logging.INFO, logger="django.server")
    logging.getLogger("django.server").info('"%s" %s %s', f"GET {path_of(url)} HTTP/1.1", 302, 0)
    assert caplog.records and token not in caplog.text
    assert '"GET /onboard/[redacted]/ HTTP/1.1" 302 0' in caplog.text


@pytest.mark.parametrize(
    ("message", "shown"),
    [
        ("GET /onboard/abcdefghijklmnopqrstuvwxyz0123456789-_ABCDEFG/", "GET /onboard/[redacted]/"),
        ("GET /onboard/continue/ 200", "GET /onboard/continue/ 200"),
        (
            "GET /accounts/login/?next=%2Fonboard%2Fabcdefghijklmnopqrstuvwxyz0123456789-_ABCDEFG%2F",
            "GET /accounts/login/?next=%2Fonboard%2F[redacted]%2F",
        ),
        ("GET /onboard/switch-account/", "GET /onboard/switch-account/"),
        ("GET /applications/app_abcdefghijklmnopqrst/", "GET /applications/app_abcdefghijklmnopqrst/"),
    ],
)
def test_the_filter_redacts_tokens_and_nothing_else(message, shown):
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "%s", (message,), None)
    assert RedactLinkTokens().filter(record) is True
    assert record.getMessage() == shown


def test_the_console_handler_redacts_too():
    from django.conf import settings

    assert "link_tokens" in settings.LOGGING["handlers"]["console"]["filters"]
    root_filters = [f for handler in logging.getLogger().handlers for f in handler.filters]
    assert any(isinstance(f, RedactLinkTokens) for f in root_filters)
