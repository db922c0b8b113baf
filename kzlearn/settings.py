"""KZLearn settings, all from the environment (django-environ).

Embedded defaults need nothing installed: SQLite in WAL mode and jobs run in process. Real
services are switched on by DATABASE_URL (PostgreSQL) and REDIS_URL (Celery broker).
Production: set DJANGO_DEBUG=0, DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS; `manage.py check
--deploy` then passes with no warnings.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# With DEBUG on (`make run`) a missing key falls back to a public one for local use; with DEBUG off
# there is no fallback: a public key would let anyone forge sessions, reset tokens and signed data.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set and DJANGO_DEBUG is off: refusing to start with a public key. "
            "Set DJANGO_SECRET_KEY (e.g. python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or DJANGO_DEBUG=1 for local development."
        )
    SECRET_KEY = "django-insecure-kzlearn-local-development-key-not-for-production"
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # Above the admin, so its admin/base_site.html (the language switch in the admin's header) is the one used.
    "quizzes",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "oauth2_provider",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Above sessions, CSRF and X-Frame-Options so it sees their cookies and header last: it lets an
    # LTI session's platform frame the page and makes those cookies work in the frame (LTI only).
    "quizzes.lti.middleware.LtiFrameMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The browser's language (cookie, then Accept-Language) for everyone ...
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # ... then a signed-in user's own language and time zone, read from the session (no query).
    "quizzes.accounts.middleware.PreferencesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy everywhere, no-store on private replies (kzlearn/headers.py).
    "kzlearn.headers.SecurityHeadersMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into kzlearn.signin.lockout_response.
    "axes.middleware.AxesMiddleware",
]

# --- Sign-in throttling (site, admin and API token sign-in; django-axes) --------------------------
# Failed sign-ins are counted per username and per client address (kzlearn.signin.client_ip); at
# KZL_SIGN_IN_FAILURES of either, that username or address is refused for KZL_SIGN_IN_COOLOFF_MINUTES.
# A success resets the username's count. Behind a reverse proxy set KZL_NUM_PROXIES (also DRF's).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
KZL_NUM_PROXIES = env.int("KZL_NUM_PROXIES", default=0)
# Mail (django-environ EMAIL_URL, e.g. smtp+tls://user:pass@mail.example.org:587). Without it the
# password-reset pages are off: a reset mail that cannot be sent is only an unthrottled probe.
KZL_MAIL_CONFIGURED = bool(env("EMAIL_URL", default=""))
if KZL_MAIL_CONFIGURED:
    vars().update(env.email_url("EMAIL_URL"))
# /readyz shows its details (database timing, Redis queue) to staff or to this X-Health-Token.
KZL_HEALTH_TOKEN = env("KZL_HEALTH_TOKEN", default="")
# API tokens expire after this many days; a password change revokes them at once.
KZL_API_TOKEN_DAYS = env.int("KZL_API_TOKEN_DAYS", default=30)
AXES_FAILURE_LIMIT = env.int("KZL_SIGN_IN_FAILURES", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("KZL_SIGN_IN_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_HTTP_RESPONSE_CODE = 429
AXES_CLIENT_IP_CALLABLE = "kzlearn.signin.client_ip"
AXES_LOCKOUT_CALLABLE = "kzlearn.signin.lockout_response"
AXES_VERBOSE = False

ROOT_URLCONF = "kzlearn.urls"
WSGI_APPLICATION = "kzlearn.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "django.template.context_processors.tz",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------------------------
SQLITE_DEFAULT = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": env.db("DATABASE_URL", default=SQLITE_DEFAULT)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while a worker writes; IMMEDIATE avoids "database is locked"
    # on write transactions that start as reads.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", "transaction_mode": "IMMEDIATE"}
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # Per-session settings for this workload (docs/operations.md#database): JIT off (its compile
    # time cost more than it saved on the teachers' heavy queries), enough work_mem that their sorts
    # stay in memory. `manage.py db_check` verifies them and the server's autovacuum.
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", env("KZL_PG_OPTIONS", default="-c jit=off -c work_mem=32MB"))
        # The hot plain statements (a start's reads and insert: progress.selectors.plain_cursor) are
        # prepared once per session and their plans kept; Django's own cursors bind on the client and
        # are never prepared. KZL_PG_PREPARE=0 behind a transaction-mode pooler (docs/operations.md#database).
        if env.bool("KZL_PG_PREPARE", default=True):
            DATABASES["default"]["OPTIONS"].setdefault("prepare_threshold", 0)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Jobs (Celery on Redis) ------------------------------------------------------------------
REDIS_URL = env("REDIS_URL", default="")
JOBS_IN_PROCESS = not REDIS_URL
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = JOBS_IN_PROCESS
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# The worker keeps its database connection between tasks (kzlearn/celery.py closes it as Django does
# after a request: past CONN_MAX_AGE, or broken); without this Celery's Django fixup closes it after
# every task, and each scoring job opened a new PostgreSQL session.
CELERY_DB_REUSE_MAX = 2**31
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, "socket_connect_timeout": 2}
# Periodic work (celery beat). A SIGKILLed worker's unacked messages only come back after the
# visibility timeout above (an hour), so it is the sweeper that guarantees every submitted attempt
# is scored: it re-queues those still unscored KZL_SCORE_SWEEP_AFTER_SECONDS after submit.
KZL_SCORE_SWEEP_EVERY_SECONDS = env.float("KZL_SCORE_SWEEP_EVERY_SECONDS", default=30)
KZL_SCORE_SWEEP_AFTER_SECONDS = env.int("KZL_SCORE_SWEEP_AFTER_SECONDS", default=120)
# Open attempts past their time limit plus this grace are submitted automatically (Moodle's
# "open attempts are submitted automatically"); never less than the answer grace.
KZL_OVERDUE_EVERY_SECONDS = env.float("KZL_OVERDUE_EVERY_SECONDS", default=60)
KZL_OVERDUE_GRACE_SECONDS = env.int("KZL_OVERDUE_GRACE_SECONDS", default=120)
KZL_STATISTICS_EVERY_SECONDS = env.float("KZL_STATISTICS_EVERY_SECONDS", default=600)
# Each run of the item statistics takes batches of KZL_STATISTICS_BATCH attempts until it has run
# KZL_STATISTICS_RUN_SECONDS, then queues the next at once while a backlog is left (quizzes/progress/statistics.py).
KZL_STATISTICS_BATCH = env.int("KZL_STATISTICS_BATCH", default=2000)
KZL_STATISTICS_RUN_SECONDS = env.float("KZL_STATISTICS_RUN_SECONDS", default=3.0)

# LTI 1.3 (quizzes/lti/): calls to a platform time out after this; a pending score passback not
# tried for KZL_LTI_SWEEP_AFTER_SECONDS is re-queued by the sweeper, and given up after MAX_TRIES.
KZL_LTI_HTTP_TIMEOUT_SECONDS = env.float("KZL_LTI_HTTP_TIMEOUT_SECONDS", default=10)
KZL_LTI_SWEEP_AFTER_SECONDS = env.int("KZL_LTI_SWEEP_AFTER_SECONDS", default=600)
KZL_LTI_SCORE_MAX_TRIES = env.int("KZL_LTI_SCORE_MAX_TRIES", default=30)
# Instructors launching from a platform join this group (its permissions are the admin's to set).
KZL_LTI_TEACHER_GROUP = env("KZL_LTI_TEACHER_GROUP", default="Teachers")
# The one org (school) a OneRoster export names (KZLearn keeps no schools of its own): docs/integrators.md.
KZL_ONEROSTER_ORG_ID = env("KZL_ONEROSTER_ORG_ID", default="kzlearn")
KZL_ONEROSTER_ORG_NAME = env("KZL_ONEROSTER_ORG_NAME", default="KZLearn")
# Webhooks (docs/integrators.md#webhooks): each try waits at most TIMEOUT for an answer; a failed one is
# retried after RETRY seconds, doubled each time (at most an hour), up to MAX_TRIES; a pending delivery
# untried for SWEEP_AFTER seconds is re-queued by the sweeper.
KZL_WEBHOOK_TIMEOUT_SECONDS = env.float("KZL_WEBHOOK_TIMEOUT_SECONDS", default=10)
KZL_WEBHOOK_RETRY_SECONDS = env.float("KZL_WEBHOOK_RETRY_SECONDS", default=30)
KZL_WEBHOOK_MAX_TRIES = env.int("KZL_WEBHOOK_MAX_TRIES", default=12)
KZL_WEBHOOK_SWEEP_AFTER_SECONDS = env.int("KZL_WEBHOOK_SWEEP_AFTER_SECONDS", default=600)
# The sweeper and the overdue closer are cheap and idempotent, so a tick that waited behind a
# backlog still runs; a statistics tick older than its interval is dropped, not replayed.
CELERY_BEAT_SCHEDULE = {
    "attempts-sweep": {"task": "quizzes.tasks.attempts_sweep_task", "schedule": KZL_SCORE_SWEEP_EVERY_SECONDS},
    "attempts-close-overdue": {"task": "quizzes.tasks.attempts_close_overdue_task", "schedule": KZL_OVERDUE_EVERY_SECONDS},
    "lti-scores-sweep": {"task": "quizzes.tasks.lti_scores_sweep_task", "schedule": KZL_SCORE_SWEEP_EVERY_SECONDS},
    "webhook-deliveries-sweep": {"task": "quizzes.tasks.webhook_deliveries_sweep_task", "schedule": KZL_SCORE_SWEEP_EVERY_SECONDS},
    "idempotency-keys-expire": {"task": "quizzes.tasks.idempotency_keys_expire_task", "schedule": 3600},
    "job-secrets-expire": {"task": "quizzes.tasks.job_secrets_expire_task", "schedule": 3600},
    "item-statistics": {
        "task": "quizzes.tasks.item_statistics_task",
        "schedule": KZL_STATISTICS_EVERY_SECONDS,
        "options": {"expires": KZL_STATISTICS_EVERY_SECONDS},
    },
}

# One cache for all processes when Redis is there (API throttle counts hold across gunicorn
# workers); otherwise each process keeps its own in memory.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "kzl"}
    if REDIS_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# --- Auth, i18n, static ----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Interface languages (docs/languages.md): Kazakh, Russian and English; a new visitor gets the first
# of these their browser asks for (Accept-Language), a signed-in user their own choice (Profile).
# Content (sources, questions, scenarios) stays in its collection's own language.
LANGUAGE_CODE = "en"
LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["kzlearn.formats"]  # Kazakh number and date formats (Django has none for kk)
LANGUAGE_COOKIE_NAME = "kzl_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
LANGUAGE_COOKIE_SAMESITE = "Lax"
USE_I18N = True
# Times are stored in UTC and shown in the viewer's zone: their own (Profile), else their class's,
# else this site zone (quizzes.accounts.middleware). Celery keeps UTC (CELERY_TIMEZONE).
TIME_ZONE = env("KZL_TIME_ZONE", default="Asia/Almaty")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

# --- The seeds --------------------------------------------------------------------------------
# bench/load.py's server only: routes the bare reference view /bench/bare/.
KZL_BENCH_ENDPOINTS = env.bool("KZL_BENCH_ENDPOINTS", default=False)
# Episode folders live under here, one per collection (seeds/<collection>/); `load_seeds` with no
# argument loads every one of them.
KZL_SEEDS_ROOT = Path(env("KZL_SEEDS_ROOT", default=str(BASE_DIR / "seeds")))

# --- REST API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "quizzes.api.schema.AutoSchema",
    # Token first: an anonymous request then gets 401 with `WWW-Authenticate: Token`.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so a 401's WWW-Authenticate stays "Token" for the existing user tokens.
        "quizzes.api.authentication.ExpiringTokenAuthentication",
        # Integration credentials (OAuth2 client credentials, `Authorization: Bearer`), scope-checked.
        "quizzes.integrations.oauth.IntegrationAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["quizzes.api.parsers.JSONParser"],
    "DEFAULT_PAGINATION_CLASS": "quizzes.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "EXCEPTION_HANDLER": "quizzes.api.errors.exception_handler",
    # Throttles read the client address as kzlearn.signin.client_ip does: X-Forwarded-For is trusted
    # only as far as KZL_NUM_PROXIES proxies put it there (0: REMOTE_ADDR; a client cannot rotate it).
    "NUM_PROXIES": KZL_NUM_PROXIES,
    "DEFAULT_THROTTLE_RATES": {
        "answer": env("KZL_API_ANSWER_RATE", default="120/min"),
        "sign-in": env("KZL_API_SIGN_IN_RATE", default="10/min"),
    },
}
# Integration credentials (docs/integrators.md): OAuth2 client credentials only, tokens for an hour,
# stored as a SHA-256 checksum (never the token itself), client secrets hashed.
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
OAUTH2_PROVIDER = {
    "SCOPES": {
        "content:read": "Read published content: sources, events, quizzes, scenarios, modules",
        "roster:read": "Read the owner's classes, groups and enrolments",
        "roster:write": "Create and change the owner's classes, groups and enrolments",
        "assignments:read": "Read the owner's assignments",
        "assignments:write": "Set assignments and extensions in the owner's classes",
        "results:read": "Read results, attempts and item statistics of the owner's classes",
    },
    "DEFAULT_SCOPES": ["content:read"],
    "SCOPES_BACKEND_CLASS": "quizzes.integrations.oauth.CredentialScopes",
    "OAUTH2_VALIDATOR_CLASS": "quizzes.integrations.oauth.CredentialValidator",
    "ACCESS_TOKEN_EXPIRE_SECONDS": env.int("KZL_OAUTH_TOKEN_SECONDS", default=3600),
    # Every RFC 9700 (OAuth 2.0 Security BCP) behaviour on: only client credentials are used here anyway.
    "COMPLIANT_BCP_RFC9700_TOKEN_STORAGE": True,
    "COMPLIANT_BCP_RFC9700_IMPLICIT_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PASSWORD_GRANT": True,
    "COMPLIANT_BCP_RFC9700_PKCE_METHOD": True,
    "COMPLIANT_BCP_RFC9700_ACCESS_TOKEN_TRANSPORT": True,
    "COMPLIANT_BCP_RFC9700_AUTHZ_RESPONSE_ISS": True,
    "COMPLIANT_BCP_RFC9700_REFRESH_TOKEN": True,
    "COMPLIANT_BCP_RFC9700_REDIRECT_URI_SCHEME": True,
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}

# Safe writes (docs/api.md): a create's `Idempotency-Key` and its response are kept this long.
KZL_IDEMPOTENCY_KEY_SECONDS = env.int("KZL_IDEMPOTENCY_KEY_SECONDS", default=24 * 3600)
# Review of mistakes: at most this many facts a day come up for review (0: no cap); the rest wait for tomorrow.
KZL_REVIEW_DAILY_CAP = env.int("KZL_REVIEW_DAILY_CAP", default=20)

SPECTACULAR_SETTINGS = {
    "TITLE": "KZLearn API",
    "DESCRIPTION": "Source-backed learning about episodes of recent history, one collection per episode (see /api/v1/collections/).",
    "VERSION": "1.0.0",
    # 3.1: null is a type (`type: [string, "null"]`, `oneOf: [$ref, {type: "null"}]`), which Redocly and
    # generated clients read alike; 3.0's `nullable` beside a reference had no form both accepted.
    "OAS_VERSION": "3.1.0",
    # Relative: the schema is served by the server it describes, whatever its host (paths start /api/v1/).
    "SERVERS": [{"url": "/", "description": "The KZLearn server serving this schema"}],
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema is public: served even to a request carrying a stale token.
    "SERVE_AUTHENTICATION": [],
    # Separate request and response components, so read-only fields never appear in request bodies.
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "quizzes.api.schema.error_responses",
        # One enum per choice field (blank included), typed nullables, every response field required.
        "quizzes.api.schema.contract_rules",
    ],
    "ENUM_NAME_OVERRIDES": {
        "AttemptStatusEnum": "quizzes.models.Attempt.Status",
        "ScenarioRunStatusEnum": "quizzes.models.ScenarioRun.Status",
        "EntityKindEnum": "quizzes.models.Entity.Kind",
        "ItemKindEnum": ["quiz", "scenario"],
        "WorkStatusEnum": "quizzes.progress.status.WorkStatus",
        "DatePrecisionEnum": "quizzes.models.sources.DatePrecision",
        "QuizOrderEnum": "quizzes.models.Quiz.Order",
        "GradeMethodEnum": "quizzes.models.Quiz.Grade",
    },
    # Swagger UI served from our own static files: the app works offline, no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

# --- Security (production, DEBUG off) --------------------------------------------------------
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # django-axes logs every failed sign-in at INFO; lockouts are WARNING.
        "axes": {"level": "WARNING"},
        # In process every task would log a "succeeded" line into the web server's output.
        **({"celery.app.trace": {"level": "WARNING"}} if JOBS_IN_PROCESS else {}),
    },
}
