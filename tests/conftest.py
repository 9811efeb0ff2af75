"""Shared fixtures, and the rule for tests that need a real service: skipped on a laptop without it,
failed under CI (CI=true), where every service must be there."""

import os

import pytest
from django.db import connection

from onboarding import roles
from onboarding.services.actors import Actor

IN_CI = os.environ.get("CI", "").lower() == "true"


def need(condition: bool, what: str) -> None:
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{what} is required under CI but is not available")
    pytest.skip(f"{what} is not configured (set it to run this test)")


@pytest.fixture
def postgres(db):
    need(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL=postgres://…)")


@pytest.fixture
def role_groups(db):
    """Groups come from a migration; transactional tests flush them, so put them back."""
    roles.ensure_role_groups()


@pytest.fixture
def system():
    return Actor.system("tests")


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher is slow by design; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def private_document_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "documents")}},
    }
