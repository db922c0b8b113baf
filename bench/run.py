"""`make bench`: run every benchmark, print the tables, write them into README.md."""

from __future__ import annotations

import os
import platform
import re
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import generation, load, scoring  # noqa: E402

START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, {date.today().isoformat()}"


def use_bench_key() -> None:
    """The benchmarks run with DEBUG off, as in production, where the settings refuse to start
    without DJANGO_SECRET_KEY: a fresh random key per run (gunicorn and the worker inherit it)."""
    import secrets

    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))


def use_bench_database() -> None:
    """Benchmarks write; never into the dev database. PostgreSQL: a `<name>_bench` database, made
    afresh for each run. SQLite: a file of its own."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        import psycopg

        base, name = url.rsplit("/", 1)
        bench = f"{name}_bench"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{bench}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{bench}"')
        os.environ["DATABASE_URL"] = f"{base}/{bench}"
    else:
        (ROOT / "bench" / "results").mkdir(exist_ok=True)
        (ROOT / "bench" / "results" / "bench.sqlite3").unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'bench' / 'results' / 'bench.sqlite3'}"


def main() -> int:
    use_bench_key()
    use_bench_database()
    sections = [("Question bank generation", generation.table(generation.run()))]
    sections.append(("Background scoring (Celery)", scoring.table(scoring.run())))
    sections.append(("A class of 300 on one quiz (load)", load.table(load.run())))
    body = "\n\n".join(f"### {title}\n\n{text}" for title, text in sections)
    block = f"{START}\nLatest run: {machine()}.\n\n{body}\n{END}"
    print(block)
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if START in text:
        text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: block, text, flags=re.S)
    else:
        text += f"\n## Benchmarks\n\n`make bench` runs `bench/` and rewrites this section.\n\n{block}\n"
    readme.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
