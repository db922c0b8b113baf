"""Benchmark: generating the question bank from the seeds. Prints a table; returns the figures.

Run through `make bench` (which sets up Django); the figures go into the README.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kzlearn.settings")


def run() -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from quizzes.bank.services import question_bank_generate
    from quizzes.dataset.reader import dataset_read
    from quizzes.generation.from_dataset import facts_from_dataset
    from quizzes.generation.questions import questions_generate

    started = time.perf_counter()
    dataset = dataset_read(ROOT / "seeds" / "kazakhstan-2022")
    read_s = time.perf_counter() - started
    facts = facts_from_dataset(dataset)
    timings = []
    for _ in range(5):
        t = time.perf_counter()
        drafts = questions_generate(facts, seed=0)
        timings.append(time.perf_counter() - t)

    call_command("migrate", verbosity=0)
    call_command("load_seeds", stdout=open(os.devnull, "w"))  # noqa: SIM115
    from quizzes.models import Question

    Question.objects.all().delete()
    t = time.perf_counter()
    question_bank_generate()
    first_s = time.perf_counter() - t
    t = time.perf_counter()
    question_bank_generate()
    rerun_s = time.perf_counter() - t
    return {
        "questions": len(drafts),
        "by_type": dict(sorted(Counter(d.qtype for d in drafts).items())),
        "read_validate_s": read_s,
        "generate_median_s": statistics.median(timings),
        "db_first_s": first_s,
        "db_rerun_s": rerun_s,
        "database": connection.vendor,
    }


def table(r: dict) -> str:
    lines = [
        "| Measure | Figure |",
        "|---|---|",
        f"| Read and validate the seeds | {r['read_validate_s'] * 1000:.0f} ms |",
        f"| Generate the whole bank (pure, median of 5) | {r['generate_median_s'] * 1000:.0f} ms (target < 2 s) |",
        f"| Generate and save to {r['database']}, first run | {r['db_first_s']:.2f} s |",
        f"| Re-run (nothing changes) | {r['db_rerun_s']:.2f} s |",
        f"| Questions | {r['questions']} |",
    ]
    lines += [f"| ↳ {t} | {n} |" for t, n in r["by_type"].items()]
    return "\n".join(lines)


if __name__ == "__main__":
    print(table(run()))
