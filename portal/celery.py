"""The Celery application.

Settings come from Django's settings under the ``CELERY_`` namespace (see portal/settings.py), where the
at-least-once options live: late acknowledgement, rejection on a lost worker and a prefetch of one.
"""

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
@task_postrun.connect
def _close_old_connections(task=None, **kwargs) -> None:
    """What Django does around each request: drop a connection that failed or outlived CONN_MAX_AGE. Not
    for a task run eagerly, inside the caller's transaction."""
    from django.db import close_old_connections

    if task is not None and getattr(task.request, "is_eager", False):
        return

    close_old_connections()
