"""What the merchant page tests share: a signed-in merchant, their application in any state, and reading
a page's error messages and form values."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from onboarding.models import Application
from tests.factories import UserFactory, draft_application


@pytest.fixture(name="merchant")
def merchant_fixture(client):
    """A merchant user with a verified email address, signed in (import ``merchant_fixture``; tests ask
    for ``merchant``)."""
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
    client.force_login(user)
    return user


def own_application(user, state: str | None = None, **overrides) -> Application:
    application = draft_application(user=user, **overrides)
    if state:
        Application.objects.filter(pk=application.pk).update(state=state)
        application.refresh_from_db()
    return application


def step_url(application: Application, slug: str) -> str:
    return reverse("application-step", args=[application.public_id, slug])


def error_of(body: str, field_id: str) -> str:
    """The text of the error list tied to a field (``id_stores-0-name`` → its ``…_error`` list)."""
    match = re.search(rf'<ul class="errorlist" id="{re.escape(field_id)}_error">(.*?)</ul>', body, re.S)
    assert match, f"no error shown for {field_id}"
    return re.sub(r"<[^>]+>", " ", match.group(1)).strip()


def described_by_error(body: str, field_id: str) -> bool:
    """The input says which error describes it (aria-describedby), as screen readers need."""
    tag = re.search(rf'<[^>]*id="{re.escape(field_id)}"[^>]*>', body)
    assert tag, f"no input {field_id}"
    return f"{field_id}_error" in tag.group(0)


def main_of(body: str) -> str:
    """The page's own content, without the shared header and footer."""
    return re.split(r"<main[^>]*>", body, maxsplit=1)[1].split("</main>", 1)[0]
