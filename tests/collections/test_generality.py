"""The generator works on any valid dataset (PURE: no database).

Two invented episodes (tests/fixtures/episodes/, plainly marked as test material) give a bank of
at least 8 question types that obeys every sweep rule; thin data skip templates cleanly, with a
reason; and the generator never raises and keeps the rules on random subsets of the real dataset.
"""

from __future__ import annotations

import copy
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizzes.dataset.reader import Dataset, dataset_read
from quizzes.generation.bank import questions_generate_reported
from quizzes.generation.from_dataset import facts_from_dataset
from tests.collections.sweep import sweep

ROOT = Path(__file__).resolve().parents[2]
EPISODES = ROOT / "tests" / "fixtures" / "episodes"
REAL = ROOT / "seeds" / "kazakhstan-2022"


def bank_of(dataset: Dataset, seed: int = 0):
    facts = facts_from_dataset(dataset)
    drafts, outcomes = questions_generate_reported(facts, seed=seed)
    return facts, drafts, outcomes


# 10 templates of 8 types: the real dataset and the medium episode (with a source whose kind its
# text shows, and an event two of its four sources report) give all 8; the tiny one (2 sources, no
# source kinds, neutral claims or undisputed figures) gives the 5 that need none of these.
# Since r7 an event is in one recall item and at most two sets, no two sets sharing two events
# (date_items_per_event): the medium episode's matching set leaves no ordering set room, so 7.
MIN_TYPES = {"tiny": 5, "medium": 7}


@pytest.mark.parametrize("name", ["tiny", "medium"])
def test_an_invented_episode_gives_a_bank_of_several_types_that_keeps_every_rule(name):
    dataset = dataset_read(EPISODES / name)
    facts, bank, outcomes = bank_of(dataset)
    types = Counter(q.qtype for q in bank)
    assert len(types) >= MIN_TYPES[name], types
    assert not [o for o in outcomes if o.error]
    sweep((dataset, facts, bank))
    # Topics the dataset marks for the generator, never a slug the code knows.
    sources = facts.topics_for["sources"]
    assert all(sources in q.topics for q in bank if q.qtype == "sources_disagree")


def test_the_tiny_episode_skips_what_it_cannot_make_and_says_why():
    _, _, outcomes = bank_of(dataset_read(EPISODES / "tiny"))
    by_name = {o.template: o for o in outcomes}
    assert by_name["sources_agree"].made == 0 and "3 sources" in by_name["sources_agree"].skipped
    assert by_name["number"].made == 0 and "do not dispute" in by_name["number"].skipped
    assert by_name["ordering"].made > 0 and not by_name["ordering"].skipped


def _subset(dataset: Dataset, keep: dict[str, set[str]]) -> Dataset:
    """The dataset with only the kept items of each kind, and nothing pointing at a dropped one
    (a valid dataset, as an author might write a smaller episode)."""
    items = {kind: {s: it for s, it in by_slug.items() if s in keep.get(kind, set(by_slug))} for kind, by_slug in dataset.items.items()}
    events, entities, figures = set(items["events"]), set(items["entities"]), set(items["figures"])
    items = copy.deepcopy(items)
    for it in items["events"].values():
        if it.data.get("place") not in entities:
            it.data.pop("place", None)
        it.data["actors"] = [a for a in it.data.get("actors", []) if a in entities]
    for it in items["figures"].values():
        if it.data.get("event") not in events:
            it.data.pop("event", None)
        if it.data.get("place") not in entities:
            it.data.pop("place", None)
        pairs = [(r, n) for r, n in zip(it.data["reports"], it.nested, strict=True)]
        for r, _ in pairs:
            if r.get("reported_by") not in entities:
                r.pop("reported_by", None)
    items["claims"] = {s: it for s, it in items["claims"].items() if it.data["claimant"] in entities}
    for it in items["claims"].values():
        it.data["about"] = [e for e in it.data.get("about", []) if e in events]
    items["links"] = {s: it for s, it in items["links"].items() if it.data["from"] in events and it.data["to"] in events}
    for it in items["disputes"].values():
        it.data["events"] = [e for e in it.data.get("events", []) if e in events]
        it.data["figures"] = [f for f in it.data.get("figures", []) if f in figures]
    return Dataset(sources=dataset.sources, items=items, collection=dataset.collection)


_REAL: list[Dataset] = []


def real_dataset() -> Dataset:
    if not _REAL:
        _REAL.append(dataset_read(REAL))
    return _REAL[0]


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_subsets_of_the_real_dataset_never_raise_and_keep_the_sweep_rules(data):
    real = real_dataset()
    keep = {}
    for kind in ("entities", "events", "figures", "claims", "disputes"):
        slugs = sorted(real.items[kind])
        keep[kind] = set(data.draw(st.lists(st.sampled_from(slugs), max_size=len(slugs), unique=True), label=kind))
    subset = _subset(real, keep)
    facts, bank, outcomes = bank_of(subset)  # seed 0: the sweep's determinism rule regenerates with it
    assert not [o.line() for o in outcomes if o.error]
    for o in outcomes:
        assert o.made or o.skipped, o.template
    sweep((subset, facts, bank))
