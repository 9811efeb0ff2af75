"""Loaded by pytest before Django's settings (``-p tests.environment``): a queue name unique to the run,
so a live worker never takes another run's tasks, and quick sweeps for the tests that rely on them."""

import os
import uuid

os.environ.setdefault("CELERY_TASK_DEFAULT_QUEUE", f"portal-test-{uuid.uuid4().hex[:12]}")
os.environ.setdefault("PENDING_WORK_GRACE_SECONDS", "1")
