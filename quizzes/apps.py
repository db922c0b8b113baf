import logging
import os
import sys

from django.apps import AppConfig

logger = logging.getLogger("kzlearn")


class QuizzesConfig(AppConfig):
    name = "quizzes"
    verbose_name = "KZLearn"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings

        from quizzes.api.authentication import connect

        connect()  # a password change revokes the user's API token

        from quizzes.accounts.signin import connect as connect_sign_in

        connect_sign_in()  # sign-in puts the user's own language and time zone into the session

        from quizzes.labels import translate_model_labels

        translate_model_labels()  # model, field and choice names in the viewer's language

        from django.core import checks

        from kzlearn.dbcheck import database_settings_check

        # The Celery tasks registered in every process, not only the worker: services that cannot import
        # quizzes.tasks (the layers) queue some tasks by name (webhook deliveries), and a web process that
        # had not yet imported the module could not queue them at all (NotRegistered: they waited for
        # the sweeper; a test of the admin's enrolment webhook run alone showed it).
        from quizzes import tasks  # noqa: F401

        checks.register(database_settings_check, checks.Tags.database)

        # Said once: runserver's autoreloader parent (no RUN_MAIN) stays quiet; its child says it.
        if "runserver" not in sys.argv or os.environ.get("RUN_MAIN") == "true":
            db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
            jobs = "in process (REDIS_URL unset)" if settings.JOBS_IN_PROCESS else "Celery via REDIS_URL"
            logger.info("KZLearn: database %s, jobs %s", db, jobs)
