"""Settings for the test suite: the real settings, minus what only gets in a test's way."""

import os

# DEBUG stays off in tests, as in production, so the settings need a key (they refuse to start
# without one); subprocesses the tests start (a worker, manage.py) inherit it.
os.environ.setdefault("DJANGO_SECRET_KEY", "kzlearn-test-suite-only-" + "0" * 40)

from kzlearn.settings import *  # noqa: E402, F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Hashing passwords properly is slow by design; tests create many users.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# Jobs run in the test process unless a test starts a real worker (tests/jobs turn this off).
CELERY_TASK_ALWAYS_EAGER = True
# Throttle counts per test process, never shared through Redis between tests or runs.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
