import shutil

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.conftest import need
from tests.live import celery_worker, purge_queue


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
