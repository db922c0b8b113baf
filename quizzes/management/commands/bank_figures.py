"""Questions per type per collection, from the episode files (no database): the figures in the README
and docs/question-bank.md come from here, never typed by hand."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils.translation import gettext, gettext_lazy

from quizzes.dataset.reader import DatasetInvalid, dataset_read
from quizzes.generation.bank import questions_generate_reported
from quizzes.generation.from_dataset import facts_from_dataset
from quizzes.i18n import translated
from quizzes.management.base import Command as BaseCommand
from quizzes.management.commands.load_seeds import episode_folders
from quizzes.qtypes import QTYPES

START, END = "<!-- bank-figures:start -->", "<!-- bank-figures:end -->"
# Column order: the generator's types, recall first (each type's figures_column in quizzes/qtypes/).
TYPES = tuple(t.name for t in sorted(QTYPES.values(), key=lambda t: t.figures_column) if t.figures_column)


def figures_table(folders: list[Path], *, seed: int = 0) -> str:
    """A markdown table: per collection, its questions per type, scenario paths and templates that made nothing."""
    rows = []
    for folder in folders:
        dataset = dataset_read(folder)
        drafts, outcomes = questions_generate_reported(facts_from_dataset(dataset), seed=seed)
        types = Counter(d.qtype for d in drafts)
        meta = dataset.collection
        name = meta.slug if meta else folder.name
        if "tests" in folder.resolve().parts:
            name += " (invented, tests only)"
        skipped = ", ".join(o.template for o in outcomes if not o.made) or "none"
        cells = [str(types.get(t, 0)) for t in TYPES]
        extra = sorted(set(types) - set(TYPES))
        cells.append(", ".join(f"{t} {types[t]}" for t in extra) or "")
        scenarios = len(dataset.items.get("scenarios", {}))
        rows.append(f"| {name} | {' | '.join(cells)} | {len(drafts)} | {len(types)} | {scenarios} | {skipped} |")
    head = f"| Collection | {' | '.join(TYPES)} | other | total | types | scenarios | templates that made nothing |"
    rule = "|---" * (len(TYPES) + 6) + "|"
    note = f"Generated on {date.today().isoformat()} with seed {seed} by `python manage.py bank_figures` (from the episode files)."
    return "\n".join([note, "", head, rule, *rows])


class Command(BaseCommand):
    help = gettext_lazy(
        "Print questions per type per collection, generated from episode folders (default: every episode under "
        "KZL_SEEDS_ROOT); with --write FILE, replace the table between the bank-figures markers in FILE."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "folders", nargs="*", type=Path, help=gettext_lazy("Episode folders (collection.yaml, sources.yaml, sources/, data/).")
        )
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument(
            "--write", type=Path, action="append", default=[], help=gettext_lazy("A markdown file with the markers to rewrite.")
        )

    def handle(self, *args, folders=(), seed=0, write=(), **options):
        folders = list(folders) or episode_folders(Path(settings.KZL_SEEDS_ROOT))
        try:
            table = figures_table(folders, seed=seed)
        except DatasetInvalid as exc:
            raise CommandError(gettext("An episode does not load: %(problems)s") % {"problems": exc.render(translated)}) from exc
        for path in write:
            text = path.read_text(encoding="utf-8")
            if START not in text or END not in text:
                raise CommandError(
                    gettext("%(path)s has no %(start)s ... %(end)s markers to write the table between.")
                    % {"path": path, "start": START, "end": END}
                )
            text = re.sub(re.escape(START) + ".*?" + re.escape(END), lambda _: f"{START}\n{table}\n{END}", text, flags=re.S)
            path.write_text(text, encoding="utf-8")
            self.stdout.write(gettext("Wrote the table into %(path)s.") % {"path": path})
        if not write:
            self.stdout.write(table)
