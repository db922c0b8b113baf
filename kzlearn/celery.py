"""The Celery app. Configured from Django settings (CELERY_* names); tasks live in quizzes/tasks.py."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzlearn.settings")

app = Celery("kzlearn")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
