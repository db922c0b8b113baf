"""Which real services to use: `python -m kzlearn.probe env run|test` prints shell exports.

- An explicit DATABASE_URL / REDIS_URL always wins.
- `run`: Redis on 127.0.0.1:6379 is used when reachable (worker and beat start); the database
  stays SQLite unless DATABASE_URL is set.
- `test`: PostgreSQL on 127.0.0.1:5432 and Redis on 127.0.0.1:6379 are used when reachable.
- KZL_REQUIRE_SERVICES=1 (CI): a missing PostgreSQL or Redis is an error, never a fallback.
"""

from __future__ import annotations

import os
import shlex
import socket
import sys
from urllib.parse import urlparse

LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/kzlearn"
LOCAL_REDIS_RUN = "redis://127.0.0.1:6379/0"
LOCAL_REDIS_TEST = "redis://127.0.0.1:6379/15"


def reachable(url: str, default_port: int, timeout: float = 1.0) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname or "127.0.0.1", parsed.port or default_port), timeout=timeout):
            return True
    except OSError:
        return False


def choose(mode: str, environ: dict[str, str]) -> tuple[dict[str, str], list[str]]:
    """Return (variables to export, problems); problems are fatal only when services are required."""
    required = environ.get("KZL_REQUIRE_SERVICES") == "1"
    exports: dict[str, str] = {}
    problems: list[str] = []

    database = environ.get("DATABASE_URL") or (LOCAL_POSTGRES if mode == "test" or required else "")
    if database.startswith("postgres"):
        if reachable(database, 5432):
            exports["DATABASE_URL"] = database
        elif required or environ.get("DATABASE_URL"):
            problems.append(f"PostgreSQL is not reachable at {database}")
    elif required:
        problems.append("KZL_REQUIRE_SERVICES=1 needs DATABASE_URL to point at PostgreSQL")

    redis_url = environ.get("REDIS_URL") or (LOCAL_REDIS_TEST if mode == "test" else LOCAL_REDIS_RUN)
    if reachable(redis_url, 6379):
        exports["REDIS_URL"] = redis_url
    elif required or environ.get("REDIS_URL"):
        problems.append(f"Redis is not reachable at {redis_url}")
    return exports, problems


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] != "env" or argv[2] not in ("run", "test"):
        print("usage: python -m kzlearn.probe env run|test", file=sys.stderr)
        return 2
    exports, problems = choose(argv[2], dict(os.environ))
    for problem in problems:
        print(f"kzlearn: {problem}", file=sys.stderr)
    if problems and (os.environ.get("KZL_REQUIRE_SERVICES") == "1" or argv[2] == "run"):
        return 1
    print("\n".join(f"export {k}={shlex.quote(v)}" for k, v in exports.items()))
    db = "PostgreSQL" if "DATABASE_URL" in exports else "SQLite (embedded default)"
    jobs = "Celery on Redis" if "REDIS_URL" in exports else "in process (no Redis reachable)"
    print(f"kzlearn: database {db}; jobs {jobs}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
