"""The match-date template (quizzes/generation/matching.py) and its linter rule (pure, no DB).

Facts are built by hand: which events may be paired with a date, what the key is, how the left-hand
items are ordered, and that the linter's matching rule flags each flaw it names.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from itertools import permutations

import pytest

from quizzes.generation.audit import audit_bank, audit_quiz, check_matching, quiz_conflict
from quizzes.generation.drafts import OptionDraft, QuestionDraft
from quizzes.generation.facts import DisputeFact, EventFact, Evidence, Facts, SourceFact
from quizzes.generation.matching import t_match_date
from quizzes.generation.questions import fmt_date, questions_generate

MONTH = "March"
TITLES = [
    "Mill owners announce a wage cut",
    "Weavers walk out of the mills",
    "Strikers march to the town hall",
    "The mayor calls a meeting",
    "Police guard the mill gates",
    "An agreement restores the old wages",
    "Work starts again at the mills",
    "The union holds a victory parade",
]


def _event(i: int, day: int, title: str | None = None, quote: str | None = None) -> EventFact:
    title = title or TITLES[i]
    quote = quote if quote is not None else f"On {MONTH} {day}, {title.lower()}."
    return EventFact(
        slug=f"e{i}",
        title=title,
        summary=title,
        date=date(1923, 3, day),
        precision="day",
        topics=("strike",),
        # Two sources report each event: a date item is asked only about events of the story (date_salient).
        evidence=(Evidence(passage_id=None, source="courier", quote=quote), Evidence(passage_id=None, source="gazette", quote=quote)),
    )


def facts_of(*events: EventFact, disputes: dict | None = None) -> Facts:
    return Facts(
        collection="test",
        sources={
            "courier": SourceFact(slug="courier", label="Courier", outlet="The Valley Courier", author=None, published_on=None),
            "gazette": SourceFact(slug="gazette", label="Gazette", outlet="The Marsh Gazette", author=None, published_on=None),
        },
        events={e.slug: e for e in events},
        disputes=disputes or {},
    )


def eight_days() -> Facts:
    return facts_of(*(_event(i, 2 + 2 * i) for i in range(8)))


def by_id(q: QuestionDraft) -> dict[str, OptionDraft]:
    return {o.id: o for o in q.options}


def test_each_event_is_keyed_to_the_day_its_quote_states():
    facts = eight_days()
    items = list(t_match_date(facts, 0))
    assert len(items) == 2  # 8 events: two sets of four, each event in one set only
    seen = [f for q in items for f in q.fact_ids]
    assert len(seen) == len(set(seen)) == 8
    titles = {e.title: e for e in facts.events.values()}
    for q in items:
        assert q.qtype == "matching" and q.template == "match-date"
        options = by_id(q)
        prompts = [o for o in q.options if o.side == "prompt"]
        choices = [o for o in q.options if o.side == "choice"]
        assert len(prompts) == 4 and len(choices) == 5  # one spare date
        for p, c in q.answer["pairs"].items():
            event = titles[options[p].text]
            assert options[c].text == fmt_date(event.date)
            assert options[p].evidence == event.evidence
        # The spare date is nobody's in the set, and the right-hand dates are in calendar order.
        keyed = set(q.answer["pairs"].values())
        spare = [c for c in choices if c.id not in keyed]
        assert len(spare) == 1 and spare[0].text not in {fmt_date(titles[o.text].date) for o in prompts}
        assert [c.text for c in choices] == [fmt_date(d) for d in sorted(date(1923, 3, int(c.text.split()[0])) for c in choices)]
        assert check_matching(q) == []
    assert audit_bank(items, facts) == []


def test_thin_data_make_nothing_and_a_third_event_makes_one_item():
    assert list(t_match_date(facts_of(_event(0, 2), _event(1, 4)), 0)) == []
    assert len(list(t_match_date(facts_of(_event(0, 2), _event(1, 4), _event(2, 6)), 0))) == 1


def test_events_on_one_day_are_never_in_one_set():
    # Four events, two of them on the same day: only three distinct dates, so one set of three.
    facts = facts_of(_event(0, 2), _event(1, 4), _event(2, 4), _event(3, 8))
    (item,) = t_match_date(facts, 0)
    dates = [facts.events[f.split(":")[1]].date for f in item.fact_ids]
    assert len(dates) == 3 == len(set(dates))


@pytest.mark.parametrize(
    "odd",
    [
        _event(3, 8, title="Strikers meet on 8 March"),  # the title names its date
        _event(3, 8, title="A strike of 1923 begins"),  # ... or a year
        _event(3, 8, quote="Strikers met that week."),  # no quote states the date
        _event(3, 8, quote="On March 8 or March 9, strikers met."),  # a quote gives another day too
        dataclasses.replace(_event(3, 8), date_end=date(1923, 3, 9)),  # a span, not a day
    ],
)
def test_an_event_whose_date_is_not_stated_outright_or_is_in_its_title_is_left_out(odd):
    facts = facts_of(_event(0, 2), _event(1, 4), _event(2, 6), odd)
    (item,) = t_match_date(facts, 0)
    assert "event:e3" not in item.fact_ids and len(item.fact_ids) == 3


def test_a_disputed_event_is_left_out():
    facts = facts_of(
        _event(0, 2),
        _event(1, 4),
        _event(2, 6),
        _event(3, 8),
        disputes={"d": DisputeFact(slug="d", question="When did they meet?", accounts=(), events=("e3",))},
    )
    (item,) = t_match_date(facts, 0)
    assert "event:e3" not in item.fact_ids


@pytest.mark.parametrize("seed", range(12))
def test_left_hand_items_never_follow_the_calendar(seed):
    for q in t_match_date(eight_days(), seed):
        choices = [o.id for o in q.options if o.side == "choice"]
        order = [choices.index(c) for c in q.answer["pairs"].values()]
        assert order != sorted(order) and order != sorted(order, reverse=True), q.key


def test_the_item_is_deterministic_and_registered():
    facts = eight_days()
    a = [(q.key, [(o.id, o.text) for o in q.options], q.answer) for q in t_match_date(facts, 3)]
    b = [(q.key, [(o.id, o.text) for o in q.options], q.answer) for q in t_match_date(facts, 3)]
    assert a == b
    # Registered: the bank has the template's items, less those the per-event cap of date items drops.
    in_bank = {q.key for q in questions_generate(facts) if q.template == "match-date"}
    assert in_bank and in_bank <= {q.key for q in t_match_date(facts, 0)}


def _good() -> QuestionDraft:
    return next(iter(t_match_date(eight_days(), 0)))


def test_the_linter_flags_each_matching_flaw():
    def found(q: QuestionDraft) -> set[str]:
        return {f.detail for f in check_matching(q)}

    q = _good()
    # No spare right-hand item: the last pair follows by elimination.
    spare = next(o.id for o in q.options if o.side == "choice" and o.id not in q.answer["pairs"].values())
    no_spare = dataclasses.replace(q, options=[o for o in q.options if o.id != spare])
    assert any("elimination" in d for d in found(no_spare))
    # Left-hand items in the order of their keys.
    prompts = [o for o in q.options if o.side == "prompt"]
    choices = [o for o in q.options if o.side == "choice"]
    in_order = sorted(prompts, key=lambda p: [c.id for c in choices].index(q.answer["pairs"][p.id]))
    assert any("order of their keys" in d for d in found(dataclasses.replace(q, options=in_order + choices)))
    # A left-hand item naming a date.
    dated = [dataclasses.replace(prompts[0], text=prompts[0].text + " in March"), *prompts[1:]]
    assert {f.rule for f in check_matching(dataclasses.replace(q, options=dated + choices))} >= {"stem-key-overlap"}
    # A long right-hand item; a pair whose quote gives another date.
    long = [dataclasses.replace(choices[0], text="In the second week of March 1923"), *choices[1:]]
    assert any("longer than" in d for d in found(dataclasses.replace(q, options=prompts + long)))
    wrong_quote = [
        dataclasses.replace(prompts[0], evidence=(Evidence(passage_id=None, source="courier", quote="On March 30, nothing."),)),
        *prompts[1:],
    ]
    assert {f.rule for f in check_matching(dataclasses.replace(q, options=wrong_quote + choices))} == {"evidence-support"}
    # Two pairs: too few.
    two = dataclasses.replace(q, answer={"pairs": dict(list(q.answer["pairs"].items())[:2])}, options=prompts[:2] + choices)
    assert any("pairs" in d for d in found(two))
    # A clean item: nothing.
    assert check_matching(q) == []


def test_quiz_assembly_keeps_a_matching_item_apart_from_items_on_its_events_or_naming_a_pair():
    facts = eight_days()
    bank = questions_generate(facts)
    match = next(q for q in bank if q.template == "match-date")
    events = set(match.fact_ids)
    same = [q for q in bank if q is not match and set(q.fact_ids) & events]
    assert same and all(quiz_conflict(match, q).startswith("same fact") for q in same)
    # An item on other facts whose feedback states one pair (the event and its date) gives it away.
    left, right = next((by_id(match)[p].text, by_id(match)[c].text) for p, c in match.answer["pairs"].items())
    other = next(q for q in bank if not set(q.fact_ids) & events)
    telling = dataclasses.replace(other, explanation=f"Recall that “{left}” came on {right}.")
    assert "names a pair" in quiz_conflict(telling, match)
    assert quiz_conflict(other, match) == ""
    assert {f.rule for f in audit_quiz([match, telling])} == {"quiz-giveaway"}


def test_spare_date_is_one_or_two_days_from_a_keyed_date():
    for q in t_match_date(eight_days(), 5):
        options = by_id(q)
        keyed = {options[c].text for c in q.answer["pairs"].values()}
        spare = next(o.text for o in q.options if o.side == "choice" and o.text not in keyed)
        day = datetime.strptime(spare, "%d %B %Y").date()
        assert any(0 < abs((day - datetime.strptime(t, "%d %B %Y").date()).days) <= 2 for t in keyed)


def test_every_arrangement_of_three_left_hand_items_but_two_is_allowed():
    # The linter's order rule is exactly "not the calendar, not its reverse": 4 of the 6 orders of three.
    facts = facts_of(_event(0, 2), _event(1, 4), _event(2, 6))
    (q,) = t_match_date(facts, 0)
    prompts = [o for o in q.options if o.side == "prompt"]
    choices = [o for o in q.options if o.side == "choice"]
    flagged = 0
    for perm in permutations(prompts):
        if any("order of their keys" in f.detail for f in check_matching(dataclasses.replace(q, options=[*perm, *choices]))):
            flagged += 1
    assert flagged == 2
