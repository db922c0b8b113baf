"""The sweep: every question the generator draws from the real seeds obeys every rule.

Form: capitalised stem ending in "?" or ":", no empty or placeholder text, unique options in
parallel form. Truth, re-checked here independently of how the templates chose their options:
each wrong option is really wrong, no answer text gives itself away in the stem, claims are
always attributed, every number is one a source gave, and every quote is verbatim.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from quizzes.dataset.reader import dataset_read
from quizzes.dates import parse_fuzzy_date
from quizzes.generation.drafts import CHOICE_TYPES
from quizzes.generation.from_dataset import facts_from_dataset
from quizzes.generation.questions import fmt_date, questions_generate

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "kazakhstan-2022"
PLACEHOLDER = re.compile(r"\b(TODO|TBD|None|nan|null|undefined|lorem)\b|\{\w*\}|\?\?")


@pytest.fixture(scope="module")
def world():
    dataset = dataset_read(SEEDS)
    facts = facts_from_dataset(dataset)
    return dataset, facts, questions_generate(facts, seed=0)


def test_bank_size_and_every_type(world):
    _, _, bank = world
    types = Counter(q.qtype for q in bank)
    assert len(bank) >= 250
    assert set(types) == {
        "single",
        "multi",
        "true_false",
        "numeric",
        "date",
        "ordering",
        "matching",
        "attribution",
        "sources_disagree",
        "cause_effect",
    }


def test_generation_is_deterministic_and_keys_are_unique(world):
    _, facts, bank = world
    again = questions_generate(facts, seed=0)
    assert [(q.key, q.stem, [o.text for o in q.options], q.answer) for q in bank] == [
        (q.key, q.stem, [o.text for o in q.options], q.answer) for q in again
    ]
    assert len({q.key for q in bank}) == len(bank)


def test_form(world):
    _, _, bank = world
    for q in bank:
        assert q.stem[0].isupper() or q.stem[0] in '“"', q.key
        assert q.stem.rstrip().endswith(("?", ":")), q.key
        texts = [q.stem, q.explanation, *(o.text for o in q.options)]
        assert all(t and t.strip() for t in texts), q.key
        assert not any(PLACEHOLDER.search(t) for t in texts), q.key
        assert 0 < q.difficulty < 1
        assert q.evidence, f"{q.key} cites no evidence"
        assert q.topics, q.key
        if q.qtype in CHOICE_TYPES:
            lowered = [o.text.strip().lower() for o in q.options]
            assert len(set(lowered)) == len(lowered), f"{q.key}: duplicate options"
            ids = {o.id for o in q.options}
            correct = q.answer["correct"]
            assert (set(correct) if isinstance(correct, list) else {correct}) <= ids
            assert [o.id for o in q.options if o.correct] == (sorted(correct) if isinstance(correct, list) else [correct])
            assert 2 <= len(q.options) <= 5


def test_no_giveaway(world):
    _, _, bank = world
    for q in bank:
        for text in q.answer_texts:
            if q.qtype == "true_false" or len(text) < 4:
                continue
            assert text.lower() not in q.stem.lower(), f"{q.key}: the answer {text!r} is in the stem"


def test_options_are_parallel_in_form(world):
    _, facts, bank = world
    titles = {e.title for e in facts.events.values()}
    names = {e.name: e.kind for e in facts.entities.values()}
    for q in bank:
        texts = [o.text for o in q.options]
        if q.template in ("what-on", "before", "cause", "response"):
            assert set(texts) <= titles, q.key
        elif q.template in ("who-role", "who-said"):
            kinds = {names[t] for t in texts}
            assert len(kinds) == 1 or kinds <= {"organisation", "country", "group"}, f"{q.key}: {kinds}"
        elif q.qtype == "date":
            assert all(re.fullmatch(r"(\d{1,2} \w+ )?\d{4}", t) for t in texts), q.key


def test_every_quote_is_verbatim(world):
    dataset, _, bank = world
    for q in bank:
        for ev in q.all_evidence:
            assert dataset.sources[ev.source].text[ev.start : ev.end] == ev.quote


def _event_by_title(facts):
    by_title = {}
    for e in facts.events.values():
        by_title.setdefault(e.title, []).append(e)
    return by_title


def test_wrong_options_are_really_wrong(world):
    """Independent re-check of each template's truth rule against the facts."""
    _, facts, bank = world
    by_title = _event_by_title(facts)
    entity_by_name = {e.name: e for e in facts.entities.values()}
    checked = Counter()
    for q in bank:
        ids = [f.split(":", 1)[1] for f in q.fact_ids]
        wrong = [o for o in q.options if not o.correct]
        if q.template == "when":
            ev = facts.events[ids[0]]
            assert ev.date_end is None and ev.precision in ("day", "year")
            assert all(o.text != fmt_date(ev.date, ev.precision) for o in wrong)
            assert [o.text for o in q.options if o.correct] == [fmt_date(ev.date, ev.precision)]
        elif q.template == "what-on":
            day = facts.events[ids[0]].date
            for o in wrong:
                assert all(e.latest < day or e.earliest > day for e in by_title[o.text]), (q.key, o.text)
        elif q.template == "before":
            anchor = facts.events[ids[0]]
            for o in q.options:
                for e in by_title[o.text]:
                    assert e.surely_before(anchor) if o.correct else anchor.surely_before(e), (q.key, o.text)
        elif q.template in ("cause", "response"):
            later = facts.events[ids[1] if q.template == "cause" else ids[0]]
            for o in wrong:
                assert all(later.surely_before(e) for e in by_title[o.text]), (q.key, o.text)
        elif q.template == "order":
            events = [facts.events[i] for i in ids]
            assert all(a.surely_before(b) for a, b in zip(events, events[1:], strict=False))
            shown = {o.id: o.text for o in q.options}
            assert [shown[i] for i in q.answer["order"]] == [e.title for e in events]
        elif q.template == "who-said":
            claim = facts.claims[ids[0]]
            for o in wrong:
                other = entity_by_name[o.text]
                assert other.slug != claim.claimant
                assert not any(set(c.about) & set(claim.about) for c in facts.claims.values() if c.claimant == other.slug)
        elif q.template == "tf-claim":
            claim = facts.claims[ids[0]]
            claimant = facts.entities[claim.claimant]
            said_by_claimant = f" {claimant.subject} said that" in q.stem
            assert (q.answer["correct"] == "a") == said_by_claimant, q.key
        elif q.template == "tf-date":
            ev = facts.events[ids[0]]
            assert (q.answer["correct"] == "a") == (f"happened on {fmt_date(ev.date)}:" in q.stem), q.key
        elif q.template == "number":
            fig = facts.figures[ids[0]]
            assert q.answer["value"] in {float(r.number) for r in fig.reports}
        elif q.template == "disagree":
            fig = facts.figures[ids[0]]
            assert fig.contested
        elif q.template == "who-role":
            person = facts.entities[ids[0]]
            assert [o.text for o in q.options if o.correct] == [person.name]
        else:
            continue
        checked[q.template] += 1
    assert set(checked) >= {"when", "what-on", "before", "order", "who-said", "tf-claim", "tf-date", "number", "disagree"}


def test_claims_are_always_attributed(world):
    _, facts, bank = world
    for q in bank:
        if any(f.startswith("claim:") for f in q.fact_ids):
            text = q.stem + " " + q.explanation
            assert re.search(r"\bsaid\b|According to|according to", text), q.key


def test_dates_in_stems_match_the_data(world):
    _, facts, bank = world
    for q in bank:
        if q.template == "what-on":
            ev = facts.events[q.fact_ids[0].split(":", 1)[1]]
            assert parse_fuzzy_date(ev.date.isoformat()).precision == "day"
            assert fmt_date(ev.date) in q.stem
