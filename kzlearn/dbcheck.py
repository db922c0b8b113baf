"""The database settings this workload needs, checked (docs/operations.md#database).

PostgreSQL only (the embedded SQLite default has none of these knobs): JIT off, work_mem at least
WORK_MEM_MIN, autovacuum on, and no index on the tables that grow with learners that another index
already covers (its columns a prefix of the other's, same operator classes). Used by the
`db_check` command (exit status 1 on a problem) and as a Django system check tagged `database`
(`manage.py check --database default`, and before `migrate`), where problems are warnings.
"""

from __future__ import annotations

from django.core import checks

WORK_MEM_MIN_KB = 16 * 1024
# The tables that grow with every learner's work: a redundant index there costs writes and space at scale.
GROWING_TABLES = (
    "quizzes_attempt",
    "quizzes_response",
    "quizzes_scenariorun",
    "quizzes_prediction",
    "quizzes_reviewcard",
    "quizzes_topicmastery",
    "quizzes_enrolment",
    "quizzes_versionstatistic",
    "quizzes_ltiscore",
)

_REDUNDANT_SQL = """
WITH idx AS (
    SELECT c.relname AS tbl, ic.relname AS name, i.indkey::text AS cols, i.indclass::text AS ops, i.indisunique AS uniq,
           i.indpred IS NOT NULL AS partial, i.indexprs IS NOT NULL AS expr
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relname = ANY(%s)
)
SELECT DISTINCT ON (a.tbl, a.name) a.tbl, a.name, b.name FROM idx a JOIN idx b ON a.tbl = b.tbl AND a.name <> b.name
WHERE NOT (a.partial OR b.partial OR a.expr OR b.expr OR a.uniq)
  AND (b.cols = a.cols OR b.cols LIKE a.cols || ' %%') AND (b.ops = a.ops OR b.ops LIKE a.ops || ' %%')
  AND (b.cols <> a.cols OR b.uniq OR a.name > b.name)
ORDER BY 1, 2
"""


def _kb(value: str) -> int:
    units = {"kB": 1, "MB": 1024, "GB": 1024 * 1024, "TB": 1024 * 1024 * 1024}
    for unit, factor in units.items():
        if value.endswith(unit):
            return int(value[: -len(unit)]) * factor
    return int(value) // 1024  # bytes


def database_report(connection) -> list[tuple[str, str, str, bool]]:
    """[(what, found, wanted, ok)] for the database behind `connection`; empty when not PostgreSQL."""
    if connection.vendor != "postgresql":
        return []
    rows = []
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        jit = cursor.fetchone()[0]
        rows.append(("jit", jit, "off", jit == "off"))
        cursor.execute("SHOW work_mem")
        work_mem = cursor.fetchone()[0]
        rows.append(("work_mem", work_mem, f"at least {WORK_MEM_MIN_KB // 1024}MB", _kb(work_mem) >= WORK_MEM_MIN_KB))
        cursor.execute("SHOW autovacuum")
        autovacuum = cursor.fetchone()[0]
        rows.append(("autovacuum", autovacuum, "on", autovacuum == "on"))
        cursor.execute(_REDUNDANT_SQL, [list(GROWING_TABLES)])
        redundant = [f"{tbl}.{name} (covered by {other})" for tbl, name, other in cursor.fetchall()]
    rows.append(("redundant indexes", ", ".join(redundant) or "none", "none", not redundant))
    return rows


def database_settings_check(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """System check (tag `database`): a warning per database setting this workload needs and lacks."""
    from django.db import connections

    messages: list[checks.CheckMessage] = []
    for alias in databases or ():
        for what, found, wanted, ok in database_report(connections[alias]):
            if not ok:
                messages.append(
                    checks.Warning(
                        f"PostgreSQL {what} is {found}; this app wants {wanted}.",
                        hint="See docs/operations.md#database (KZL_PG_OPTIONS, postgresql.conf).",
                        id="kzlearn.W101",
                    )
                )
    return messages
