"""Suite-wide fixtures, the services rule and the test lanes.

With KZL_REQUIRE_SERVICES=1 (CI) the suite refuses to start unless it is talking to a real
PostgreSQL and a real Redis: a silent fallback to SQLite would make CI prove nothing.

Lanes (markers, declared in pyproject.toml): `postgres`, `redis`, `services` (both) and `browser`
(Chromium). On the embedded default (SQLite, no Redis, no Chromium) a test of a lane that cannot run
here is skipped with the lane and the reason, and the run ends with a list naming every such test.
A test that asks for the `services_required` fixture is in the `services` lane. `faults` marks the
fault tests with a real worker; `make test-fast` leaves out `browser` and `faults`.
"""

from __future__ import annotations

import os
import shutil
from collections import defaultdict

import pytest

CHROMIUM = os.environ.get("KZL_CHROMIUM", "/usr/bin/chromium")
LANES = ("postgres", "redis", "services", "browser")
_SKIPPED_LANES: dict[str, list[str]] = defaultdict(list)


def _lane_problems() -> dict[str, str]:
    """Why each lane cannot run on this machine (empty when all can)."""
    from django.conf import settings

    problems: dict[str, str] = {}
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        problems["postgres"] = f"needs PostgreSQL; the database here is {engine.rsplit('.', 1)[-1]} (set DATABASE_URL)"
    if not settings.REDIS_URL:
        problems["redis"] = "needs Redis; REDIS_URL is not set"
    else:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=1).ping()
        except redis.RedisError as exc:
            problems["redis"] = f"needs Redis; {settings.REDIS_URL} does not answer ({exc})"
    if "postgres" in problems or "redis" in problems:
        problems["services"] = "; ".join(problems[k] for k in ("postgres", "redis") if k in problems)
    if not shutil.which(CHROMIUM):
        problems["browser"] = f"needs Chromium; none at {CHROMIUM} (`make test` installs Debian's)"
    return problems


@pytest.hookimpl(trylast=True)  # after -m and -k have deselected
def pytest_collection_modifyitems(config, items):
    if "services_required" in {f for item in items for f in item.fixturenames}:
        for item in items:
            if "services_required" in item.fixturenames:
                item.add_marker(pytest.mark.services)
    if os.environ.get("KZL_REQUIRE_SERVICES") == "1":
        return  # CI: every lane runs; a missing service fails (pytest_sessionstart, the fixtures)
    problems = _lane_problems()
    for item in items:
        for lane in LANES:
            if lane in problems and item.get_closest_marker(lane):
                item.add_marker(pytest.mark.skip(reason=f"[{lane} lane] {problems[lane]}"))
                _SKIPPED_LANES[lane].append(item.nodeid)
                break


def pytest_terminal_summary(terminalreporter):
    if not _SKIPPED_LANES:
        return
    terminalreporter.section("lanes skipped here (they run in CI: .ci/run)")
    for lane, nodeids in _SKIPPED_LANES.items():
        terminalreporter.write_line(f"{lane}: {len(nodeids)} test(s)")
        for nodeid in nodeids:
            terminalreporter.write_line(f"  {nodeid}")


def _services_problems() -> list[str]:
    from django.conf import settings

    problems = []
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        problems.append(f"the database is {settings.DATABASES['default']['ENGINE']}, not PostgreSQL (set DATABASE_URL)")
    if not settings.REDIS_URL:
        problems.append("REDIS_URL is not set")
    else:
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
        except redis.RedisError as exc:
            problems.append(f"Redis at {settings.REDIS_URL} does not answer: {exc}")
    return problems


def _compile_messages() -> None:
    """The interface's translations, compiled as `make messages` does (msgfmt), when a .po is newer
    than its .mo: a test run straight from pytest reads the same catalogs as `make test`."""
    import subprocess
    from pathlib import Path

    for po in (Path(__file__).resolve().parent.parent / "locale").glob("*/LC_MESSAGES/*.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            subprocess.run(["msgfmt", "--check-format", "-o", str(mo), str(po)], check=True)


def pytest_sessionstart(session):
    _compile_messages()
    if os.environ.get("KZL_REQUIRE_SERVICES") == "1":
        problems = _services_problems()
        if problems:
            pytest.exit("KZL_REQUIRE_SERVICES=1 but " + "; ".join(problems), returncode=3)


def pytest_report_header(config):
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    lines = [f"kzlearn: database={engine} redis={settings.REDIS_URL or 'unset (jobs in process)'}"]
    if os.environ.get("KZL_REQUIRE_SERVICES") != "1":
        problems = _lane_problems()
        lines += [f"kzlearn: {lane} lane skipped here: {why}" for lane, why in problems.items() if lane != "services"]
    return lines


@pytest.fixture
def services_required():
    """Skip (locally) or fail (CI) a test that needs real PostgreSQL and Redis."""
    problems = _services_problems()
    if problems:
        if os.environ.get("KZL_REQUIRE_SERVICES") == "1":
            pytest.fail("; ".join(problems))
        pytest.skip("needs PostgreSQL and Redis: " + "; ".join(problems))


# --- the real seeds, loaded once per run ---------------------------------------------------------
# Loading seeds/ (and generating the bank from it) takes seconds; many tests only need the result.
# The first test that asks builds it for real (load_seeds, question_bank_generate) and the rows it
# added are kept in memory; later tests get the same rows back by bulk insert, same primary keys.
# Tests of the loader and the generator themselves still call them directly.
_SNAPSHOTS: dict[str, tuple[tuple[list[tuple[type, list[dict]]], dict[type, list[str]]], object]] = {}


def _models():
    from django.apps import apps

    return [m for m in apps.get_models(include_auto_created=True) if not m._meta.proxy and m._meta.managed]


def _insert_order(models: list[type]) -> tuple[list[type], dict[type, list[str]]]:
    """Models ordered so that every foreign key points at a model inserted before it, and the
    nullable foreign keys that close a cycle (Question.current_version -> QuestionVersion ->
    Question): those are inserted empty and set once every row is in."""
    ordered: list[type] = []
    pending = list(models)
    later: dict[type, list[str]] = {}

    def unmet(model, *, nullable: bool) -> list:
        return [
            f
            for f in model._meta.concrete_fields
            if f.is_relation and f.related_model is not model and f.related_model in pending and (nullable or not f.null)
        ]

    while pending:
        batch = [m for m in pending if not unmet(m, nullable=True)]
        if not batch:
            # A cycle: break it at the models whose unmet keys are all nullable.
            batch = [m for m in pending if not unmet(m, nullable=False)]
            if not batch:
                raise RuntimeError(f"foreign key cycle among {pending}")
            for m in batch:
                later[m] = [f.attname for f in unmet(m, nullable=True)]
        ordered += batch
        pending = [m for m in pending if m not in batch]
    return ordered, later


def _build_or_restore(name: str, build):
    from django.core.management.color import no_style
    from django.db import connection

    if name in _SNAPSHOTS:
        (tables, later), result = _SNAPSHOTS[name]
        for model, rows in tables:
            deferred = later.get(model, [])
            model.objects.bulk_create([model(**{**row, **dict.fromkeys(deferred)}) for row in rows])
        for model, rows in tables:
            if later.get(model):
                model.objects.bulk_update([model(**row) for row in rows], later[model], batch_size=1000)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(no_style(), [model for model, _ in tables]):
                cursor.execute(sql)
        return result
    before = {m: m.objects.count() for m in _models()}
    result = build()
    added = [m for m in _models() if m.objects.count() > before.get(m, 0)]
    grown = [m.__name__ for m in added if before.get(m, 0)]
    if grown:
        raise RuntimeError(f"snapshot {name!r}: tables that were not empty grew ({grown}); build it from an empty database")
    order, later = _insert_order(added)
    tables = [(m, list(m.objects.values(*[f.attname for f in m._meta.concrete_fields]))) for m in order]
    _SNAPSHOTS[name] = ((tables, later), result)
    return result


@pytest.fixture
def seeds(db):
    """The real seeds (seeds/kazakhstan-2022) in the database, as `load_seeds` leaves them."""
    import io

    from django.core.management import call_command

    _build_or_restore("seeds", lambda: call_command("load_seeds", stdout=io.StringIO()))


@pytest.fixture
def seeds_with_bank(db):
    """The real seeds and the question bank generated from them; returns the generation report."""
    import io

    from django.core.management import call_command

    from quizzes.bank.services import question_bank_generate

    def build():
        call_command("load_seeds", stdout=io.StringIO())
        return question_bank_generate()

    return _build_or_restore("seeds_with_bank", build)


@pytest.fixture
def seeds_with_scenarios(db):
    """The real seeds and the scenarios generated from them; returns the generation report."""
    import io

    from django.core.management import call_command

    from quizzes.scenarios.services import scenario_bank_generate

    def build():
        call_command("load_seeds", stdout=io.StringIO())
        return scenario_bank_generate()

    return _build_or_restore("seeds_with_scenarios", build)


@pytest.fixture(autouse=True)
def _language_reset():
    """Each test ends back in LANGUAGE_CODE: a test client's request in Russian activates it for the thread
    (LocaleMiddleware leaves it so), and the next test, in any folder, would read Russian."""
    yield
    from django.utils import translation

    translation.deactivate()
