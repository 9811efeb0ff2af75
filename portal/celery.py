"""The Celery application.

Settings come from Django's settings under the ``CELERY_`` namespace (see portal/settings.py), where the
at-least-once options live: late acknowledgement, rejection on a lost worker and a prefetch of one.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
