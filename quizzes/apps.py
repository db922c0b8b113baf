import logging
import os

from django.apps import AppConfig

logger = logging.getLogger("kzlearn")


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "KZLearn"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        # Said once per process (runserver's autoreloader parent stays quiet).
        if os.environ.get("RUN_MAIN") != "false":
            db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
            jobs = "in process (REDIS_URL unset)" if settings.JOBS_IN_PROCESS else "Celery via REDIS_URL"
            logger.debug("KZLearn: database %s, jobs %s", db, jobs)
