"""load_seeds: validates first, loads atomically and idempotently, fails cleanly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.core import serializers
from django.core.management import CommandError, call_command

from quizzes.dataset import services
from quizzes.dataset.reader import dataset_read
from quizzes.models import Claim, Event, EventLink, Figure, Passage, Source
from tests.dataset.conftest import mini_data, write_seeds

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def snapshot() -> str:
    """Every content row, with its many-to-many sets, in a stable order."""
    models = list(apps.get_app_config("quizzes").get_models())
    return serializers.serialize("json", [obj for m in models for obj in m.objects.order_by("pk")])


def load(folder) -> str:
    from io import StringIO

    out = StringIO()
    call_command("load_seeds", str(folder), stdout=out)
    return out.getvalue()


def test_load_creates_everything_with_exact_offsets(mini_seeds):
    output = load(mini_seeds)
    assert "Loaded." in output
    assert (Event.objects.count(), Figure.objects.count(), Claim.objects.count(), EventLink.objects.count()) == (2, 1, 1, 1)
    for passage in Passage.objects.select_related("source"):
        assert passage.source.text[passage.start : passage.end] == passage.quote
    claim = Claim.objects.get()
    assert str(claim) == "According to Kassym-Jomart Tokayev, “terrorist gangs” had trained abroad"
    report = Figure.objects.get().reports.get()
    assert (report.as_of.isoformat(), report.as_of_precision, report.display_value) == ("2022-01-01", "month", "33 police cars")


def test_second_run_changes_nothing(mini_seeds):
    load(mini_seeds)
    before = snapshot()
    output = load(mini_seeds)
    assert "Already up to date: nothing changed." in output
    assert snapshot() == before


def test_edited_file_updates_in_place_and_removed_items_are_retired(tmp_path):
    folder = write_seeds(tmp_path / "s", mini_data())
    load(folder)
    event_pk = Event.objects.get(slug="protests-begin").pk
    data = mini_data()
    data["events.yaml"]["events"][0]["title"] = "Protests start in Zhanaozen"
    data["claims.yaml"]["claims"] = []
    write_seeds(folder, data)
    output = load(folder)
    event = Event.objects.get(slug="protests-begin")
    assert (event.pk, event.title) == (event_pk, "Protests start in Zhanaozen")
    # the dropped claim is retired, never deleted: something (a question, a learner's answer) may point at it
    claim = Claim.objects.get()
    assert claim.retired_at is not None
    assert "events: 0 created, 1 updated, 1 unchanged, 0 retired, 0 deleted" in output
    assert "claims: 0 created, 0 updated, 0 unchanged, 1 retired, 0 deleted" in output
    # its passage stays, cited by the retired claim
    assert Passage.objects.filter(quote__startswith="“Terrorist gangs”").exists()
    # and it comes back in place when a later version lists it again
    write_seeds(folder, mini_data())
    load(folder)
    assert Claim.objects.get().pk == claim.pk and Claim.objects.get().retired_at is None


@pytest.mark.parametrize(
    "breakage, expected",
    [
        (lambda d: d["events.yaml"]["events"][0].update(place="atlantis"), "unknown entity (place) 'atlantis'"),
        (lambda d: d["links.yaml"]["links"][0]["evidence"][0].update(quote="words that are not there"), "quote not found verbatim"),
        (lambda d: d["events.yaml"]["events"][1].update(date="2022-02-30"), "not a real calendar date"),
        (lambda d: d["figures.yaml"]["figures"].append(dict(d["figures.yaml"]["figures"][0])), "duplicate slug 'police-cars-burned'"),
    ],
)
def test_broken_data_fails_cleanly_and_changes_nothing(tmp_path, breakage, expected, capsys):
    folder = write_seeds(tmp_path / "s", mini_data())
    load(folder)
    before = snapshot()
    data = mini_data()
    data["events.yaml"]["events"][0]["title"] = "A change that must not land"
    breakage(data)
    write_seeds(folder, data)
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("load_seeds", str(folder))
    assert expected in capsys.readouterr().err
    assert snapshot() == before


def test_malformed_file_fails_cleanly(mini_seeds, capsys):
    load(mini_seeds)
    before = snapshot()
    (mini_seeds / "data" / "events.yaml").write_text("events: [\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("load_seeds", str(mini_seeds))
    assert "data/events.yaml: (file): malformed YAML" in capsys.readouterr().err
    assert snapshot() == before


def test_a_failure_while_writing_rolls_everything_back(mini_seeds, monkeypatch):
    load(mini_seeds)
    before = snapshot()
    data = mini_data()
    data["events.yaml"]["events"][0]["title"] = "Written, then rolled back"
    write_seeds(mini_seeds, data)

    def explode(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services._Loader, "links", explode)  # after sources, entities and events were written
    with pytest.raises(RuntimeError):
        services.dataset_load(dataset=dataset_read(mini_seeds))
    assert snapshot() == before


def test_command_exits_non_zero_on_a_broken_copy(tmp_path):
    data = mini_data()
    data["claims.yaml"]["claims"][0]["claimant"] = "nobody"
    folder = write_seeds(tmp_path / "s", data)
    result = subprocess.run(
        [sys.executable, "manage.py", "load_seeds", "--check", str(folder)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 1
    assert "data/claims.yaml: claims gangs-trained-abroad: unknown entity (claimant) 'nobody'" in result.stderr


def test_the_real_seeds_load_and_reload_idempotently():
    load(ROOT / "seeds" / "kazakhstan-2022")
    dataset = dataset_read(ROOT / "seeds" / "kazakhstan-2022")
    assert Source.objects.count() == 5
    assert Event.objects.count() == len(dataset.items["events"])
    assert Passage.objects.count() == len(dataset.passages())
    before = snapshot()
    assert "nothing changed" in load(ROOT / "seeds" / "kazakhstan-2022")
    assert snapshot() == before


def test_a_topic_learners_have_mastery_on_is_kept_when_it_leaves_the_dataset(tmp_path):
    """Security finding M4: load_seeds after a topic's slug changed deleted learners' mastery rows."""
    from quizzes.models import Topic, TopicMastery
    from tests.factories import UserFactory

    data = mini_data()
    data["topics.yaml"]["topics"].append({"slug": "old-name", "name": "Old name"})
    folder = write_seeds(tmp_path / "s", data)
    load(folder)
    mastery = TopicMastery.objects.create(user=UserFactory(), topic=Topic.objects.get(slug="old-name"), answered=4, correct=3, points=3)
    data["topics.yaml"]["topics"][-1] = {"slug": "new-name", "name": "New name"}
    write_seeds(folder, data)
    load(folder)
    # The dropped topic is retired (hidden from new work), never deleted, so the mastery row stays.
    assert Topic.objects.get(slug="old-name").retired_at is not None
    assert TopicMastery.objects.filter(pk=mastery.pk, topic__slug="old-name").exists()
    assert Topic.objects.filter(slug="new-name").exists()
