"""`bank_figures` prints questions per type per collection from the episode files, and rewrites the
table between its markers in a markdown file (the README's figures come from it)."""

from __future__ import annotations

from collections import Counter
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from quizzes.dataset.reader import dataset_read
from quizzes.generation.bank import questions_generate_reported
from quizzes.generation.from_dataset import facts_from_dataset
from quizzes.management.commands.bank_figures import END, START, TYPES

ROOT = Path(__file__).resolve().parents[2]
MEDIUM = ROOT / "tests" / "fixtures" / "episodes" / "medium"
TINY = ROOT / "tests" / "fixtures" / "episodes" / "tiny"


def test_the_table_gives_each_collections_counts_per_type_and_rewrites_only_between_the_markers(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\nbefore\n{START}\nold figures\n{END}\nafter\n", encoding="utf-8")
    call_command("bank_figures", str(TINY), str(MEDIUM), "--write", str(readme), stdout=StringIO())
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# Title\n\nbefore\n") and text.endswith(f"{END}\nafter\n") and "old figures" not in text
    for folder in (TINY, MEDIUM):
        dataset = dataset_read(folder)
        drafts, _ = questions_generate_reported(facts_from_dataset(dataset))
        types = Counter(d.qtype for d in drafts)
        row = next(line for line in text.splitlines() if line.startswith(f"| {dataset.collection.slug} (invented, tests only) |"))
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[1 : 1 + len(TYPES)] == [str(types.get(t, 0)) for t in TYPES]
        assert cells[len(TYPES) + 2 : len(TYPES) + 4] == [str(len(drafts)), str(len(types))]
    medium_row = next(line for line in text.splitlines() if "medium-test-episode" in line)
    assert medium_row.split("|")[len(TYPES) + 5].strip() == "1"  # one scenario path


def test_a_file_without_the_markers_is_refused_in_one_sentence(tmp_path):
    plain = tmp_path / "notes.md"
    plain.write_text("no markers\n", encoding="utf-8")
    with pytest.raises(CommandError, match="no <!-- bank-figures:start -->"):
        call_command("bank_figures", str(TINY), "--write", str(plain), stdout=StringIO())
    assert plain.read_text(encoding="utf-8") == "no markers\n"
