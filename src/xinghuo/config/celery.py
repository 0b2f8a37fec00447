"""Celery on Redis when REDIS_URL is set; eager (in-process) in the embedded default."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xinghuo.config.settings")
app = Celery("xinghuo")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
