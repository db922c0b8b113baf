"""A day the curator worked out (`date_inferred: true`) stays marked as such in the database and in every
label a learner reads: the app never shows a date as stated when no source states it."""

from __future__ import annotations

from pathlib import Path

from quizzes.dataset.reader import dataset_read
from quizzes.models import Event
from quizzes.progress.selectors import event_date_label

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def test_worked_out_days_are_loaded_as_such_and_shown_hedged(seeds):
    marked = {
        slug
        for folder in SEEDS.iterdir()
        if (folder / "data").is_dir()
        for slug, item in dataset_read(folder).items["events"].items()
        if item.data.get("date_inferred")
    }
    assert marked, "the seeds hold at least one worked-out day (otherwise this test proves nothing)"
    stored = set(Event.objects.filter(date_inferred=True).values_list("slug", flat=True))
    assert stored == marked
    for event in Event.objects.all():
        assert event_date_label(event).startswith("probably ") == (event.slug in marked), event.slug
