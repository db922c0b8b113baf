"""The scenario generator on the real seeds, without a database: size, determinism, truth rules."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from quizzes.dataset.reader import dataset_read
from quizzes.generation.from_dataset import facts_from_dataset
from quizzes.generation.scenarios import (
    NEXT,
    SCENARIOS,
    Counterfactual,
    ScenarioSpecError,
    scenario_generate,
    scenarios_generate,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "kazakhstan-2022"
# How step texts name each source: a reveal or explanation that names one must quote it.
NAMES = {
    "meduza-uprising": r"\bMeduza\b",
    "iess-behind-the-unrest": r"\bIESS\b",
    "tokayev-shoot-to-kill-analysis": r"7 January analysis",
    "askarbek-bloody-january": r"\bAskarbek",
    "russian-help-report": r"calls for Russian help over protest",
}


@pytest.fixture(scope="module")
def world():
    dataset = dataset_read(SEEDS)
    facts = facts_from_dataset(dataset)
    return dataset, facts, scenarios_generate(facts, seed=0)


def test_six_paths_of_five_main_steps_and_no_problem(world):
    _, _, result = world
    assert result.problems == []
    assert len(result.drafts) >= 6
    assert all(len(d.main_steps) >= 5 for d in result.drafts)
    assert sum(s.branch_of is not None for d in result.drafts for s in d.steps) >= 1


def test_generation_is_deterministic(world):
    _, facts, result = world
    again = scenarios_generate(facts, seed=0)
    assert [dataclasses.asdict(d) for d in again.drafts] == [dataclasses.asdict(d) for d in result.drafts]
    other = scenarios_generate(facts, seed=7)
    assert [[s.key for s in d.steps] for d in other.drafts] == [[s.key for s in d.steps] for d in result.drafts]


def test_every_quote_is_verbatim_and_every_option_explained(world):
    dataset, _, result = world
    for d in result.drafts:
        for s in d.steps:
            assert s.reveal_evidence and s.reveal.strip() and s.briefing_evidence, s.key
            assert 3 <= len(s.options) <= 4 and len({o.text for o in s.options}) == len(s.options), s.key
            assert [o.id for o in s.options].count(s.correct) == 1, s.key
            for o in s.options:
                assert o.explanation.strip() and o.evidence, (s.key, o.text)
            for e in s.all_evidence:
                assert dataset.sources[e.source].text[e.start : e.end] == e.quote, (s.key, e.quote)


def test_no_briefing_knows_the_future(world):
    """Checked from the facts, not from how the generator chose: every briefed event and every
    event a briefing passage is evidence for is dated surely on or before the step, and no
    briefing names the answer of its own or of a later step."""
    _, facts, result = world
    cites: dict[tuple, set[str]] = {}
    for ev in facts.events.values():
        for e in ev.evidence:
            cites.setdefault((e.source, e.start, e.end), set()).add(ev.slug)
    for d in result.drafts:
        answers = [s.next_event for s in d.main_steps]
        for s in d.steps:
            later = set(answers[answers.index(s.next_event) :]) if s.branch_of is None else {s.next_event}
            for slug in s.known_events:
                assert facts.events[slug].latest <= s.date, (s.key, slug)
            for e in s.briefing_evidence:
                for slug in cites.get((e.source, e.start, e.end), set()):
                    assert facts.events[slug].latest <= s.date, (s.key, slug, e.quote)
                    assert slug not in later, (s.key, slug)
            assert not set(s.known_events) & later, s.key
            assert facts.events[s.next_event].latest >= s.date, s.key
        assert [s.date for s in d.steps] == sorted(s.date for s in d.steps)


def test_wrong_event_options_surely_came_later(world):
    _, facts, result = world
    titles = {ev.title: ev for ev in facts.events.values()}
    for d in result.drafts:
        for s in d.steps:
            answer = facts.events[s.next_event]
            for o in s.options:
                if o.id != s.correct and o.text in titles and o.explanation.startswith("This did happen, but later"):
                    ev = titles[o.text]
                    linked = "the sources place it after" in o.explanation
                    assert linked or ev.earliest > answer.latest, (s.key, o.text)


def test_sources_named_are_sources_quoted(world):
    _, _, result = world
    for d in result.drafts:
        for s in d.steps:
            texts = [(s.reveal, s.reveal_evidence)] + [(o.explanation, o.evidence) for o in s.options]
            for text, evidence in texts:
                for source, pattern in NAMES.items():
                    if re.search(pattern, text):
                        assert source in {e.source for e in evidence}, (s.key, source, text[:80])


def test_main_steps_ask_what_happened_next_and_briefings_list_known_events(world):
    _, _, result = world
    for d in result.drafts:
        assert all(s.prompt == NEXT for s in d.main_steps)
        for s in d.steps:
            assert s.briefing.count("\n• ") == len(s.known_events) >= 1, s.key


def _spec(slug: str):
    return next(s for s in SCENARIOS if s.slug == slug)


def test_a_spoiling_distractor_is_refused(world):
    """A wrong option may not be the answer of a later step of the same path."""
    _, facts, _ = world
    spec = _spec("fuel-to-emergency")
    first = dataclasses.replace(spec.steps[0], distractors=(*spec.steps[0].distractors[:1], "protests-spread-across-country"))
    with pytest.raises(ScenarioSpecError, match="later answer"):
        scenario_generate(facts, dataclasses.replace(spec, steps=(first, *spec.steps[1:])), position=1)


def test_an_unordered_step_is_refused(world):
    """'What happened next' needs the data to put the answer after the step before it."""
    _, facts, _ = world
    spec = _spec("csto-intervention")
    # The airport seizure and the storming of buildings are both dated 5 January, with no link between them.
    swapped = dataclasses.replace(spec.steps[1], event="almaty-airport-seized", also_known=(), cleared=())
    with pytest.raises(ScenarioSpecError, match="puts almaty-airport-seized after"):
        scenario_generate(facts, dataclasses.replace(spec, steps=(spec.steps[0], swapped, *spec.steps[2:])), position=1)


def test_a_distractor_that_may_have_come_first_is_refused(world):
    _, facts, _ = world
    spec = _spec("csto-intervention")
    step = dataclasses.replace(spec.steps[0], distractors=(*spec.steps[0].distractors[:1], "almaty-akimat-stormed"))
    with pytest.raises(ScenarioSpecError, match="not surely after"):
        scenario_generate(facts, dataclasses.replace(spec, steps=(step, *spec.steps[1:])), position=1)


def test_a_counterfactual_citing_a_missing_passage_is_refused(world):
    _, facts, _ = world
    spec = _spec("csto-intervention")
    bad = Counterfactual("x", "Nothing happens", "No.", (("meduza-uprising", "this sentence is in no source"),))
    step = dataclasses.replace(spec.steps[0], distractors=(bad, *spec.steps[0].distractors[1:]))
    with pytest.raises(ScenarioSpecError, match="no passage"):
        scenario_generate(facts, dataclasses.replace(spec, steps=(step, *spec.steps[1:])), position=1)
