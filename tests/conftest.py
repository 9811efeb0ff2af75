"""Shared fixtures, and the rule for tests that need a real service: skipped on a laptop without it,
failed under CI (CI=true), where every service must be there."""

import os
import shutil
from contextlib import contextmanager

import pytest
from django.conf import settings as django_settings
from django.db import connection

from onboarding import roles
from onboarding.services.actors import Actor
from tests.live import celery_worker, purge_queue

IN_CI = os.environ.get("CI", "").lower() == "true"
# Webhook receivers in the tests listen on 127.0.0.1, here and in the workers the tests start.
os.environ["WEBHOOK_ALLOW_PRIVATE_ADDRESSES"] = "1"


@pytest.fixture(autouse=True)
def webhooks_to_loopback(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True


def need(condition: bool, what: str) -> None:
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{what} is required under CI but is not available")
    pytest.skip(f"{what} is not configured (set it to run this test)")


@pytest.fixture(scope="session", autouse=True)
def flush_past_the_append_only_event_log():
    """Transactional tests empty every table with TRUNCATE after each test, and the event log refuses
    TRUNCATE, as it must. The test flush alone runs with triggers off (session_replication_role, which
    only a superuser may set: the app's role never can)."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    execute_sql_flush = DatabaseOperations.execute_sql_flush

    def flush_without_triggers(self, sql_list):
        return execute_sql_flush(self, ["SET LOCAL session_replication_role = replica", *sql_list])

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "execute_sql_flush", flush_without_triggers)
        yield


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


@pytest.fixture
def live_worker(transactional_db, role_groups, tmp_path):
    """A real worker on the configured broker (Redis or RabbitMQ), consuming this run's own queue."""
    need(connection.vendor == "postgresql", "PostgreSQL (DATABASE_URL=postgres://…)")
    broker = django_settings.CELERY_BROKER_URL
    need(broker.startswith(("redis://", "amqp://", "pyamqp://")), "a broker (CELERY_BROKER_URL=redis://… or amqp://…)")
    queue = django_settings.CELERY_TASK_DEFAULT_QUEUE
    purge_queue(broker, queue)
    with celery_worker(broker_url=broker, queue=queue, log_path=tmp_path / "worker.log") as worker:
        yield worker


@pytest.fixture
def redis_binary():
    need(shutil.which("redis-server") is not None, "redis-server")


def pytest_collection_modifyitems(config, items):
    # Every test that starts a worker is a live-worker test, so CI can run them again on another broker.
    for item in items:
        if "live_worker" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.live_worker)


@contextmanager
def checks_replaced(*check_classes):
    """Register stand-in checks for one test and put back exactly what was registered before."""
    from onboarding.kyc import registry

    saved = dict(registry._CHECKS)
    for check_class in check_classes:
        registry.register(check_class, replace=True)
    try:
        yield
    finally:
        registry._CHECKS.clear()
        registry._CHECKS.update(saved)


@contextmanager
def only_checks(*check_classes):
    """Run a test with exactly these checks registered, and put back what was registered before."""
    from onboarding.kyc import registry

    saved = dict(registry._CHECKS)
    registry._CHECKS.clear()
    try:
        for check_class in check_classes:
            registry.register(check_class)
        yield
    finally:
        registry._CHECKS.clear()
        registry._CHECKS.update(saved)


@pytest.fixture
def approvable():
    """One check that always passes is the whole pipeline; ``approvable(application)`` records its current
    result, so the evidence guard lets an approval through (for tests of who may approve and when)."""
    from onboarding.kyc.pipeline import run_checks
    from onboarding.kyc.registry import Check, CheckOutcome

    class BusinessIsThere(Check):
        name = "business_is_there"
        reads = ("business",)

        def run(self, application):
            return CheckOutcome.passed()

    def record(application):
        run_checks(application)
        return application

    with only_checks(BusinessIsThere):
        yield record


@pytest.fixture(autouse=True)
def publishing_resumed():
    """A broker failure in one test must not pause publishing in the next."""
    from onboarding import work

    work.resume_publishing()
    yield
    work.resume_publishing()
