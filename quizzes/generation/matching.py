"""Matching templates (PURE: facts in, drafts out; deterministic for a given seed).

match-date: "Match each event to the date the sources give for it". Built by the item-writing
rules of docs/question-bank.md:
- only events a quote dates to the day outright, undisputed and no quote giving another day
  (`dated_events`, the rule the date and ordering templates follow);
- 3 or 4 events with distinct dates, so every event has exactly one right date; each event is
  in one set only;
- no event title that names a month, a year or a number of days (the title would answer);
- the right-hand items are short dates in calendar order, plus one date no event of the set
  happened on, so the last pair does not follow by elimination;
- the events are listed in an order chosen by a stable hash, never in the order of their dates
  (nor its reverse), so their position gives no pair away;
- every event carries the quotes that date it; the explanation names each date's source.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta

from quizzes.generation.drafts import OptionDraft, QuestionDraft
from quizzes.generation.facts import EventFact, Evidence, Facts
from quizzes.generation.questions import MONTHS, _dating_sentence, _dedupe, _rng, dated_events, fmt_date, hash_rank, quoted

SET_SIZES = (4, 3)  # events per item, preferred first
# A title that names a date, a month, a year or a count of days answers its own pair.
# (Month names only capitalised: "strikers march" names no date.)
DATE_IN_TITLE = re.compile(rf"\b(?:{MONTHS})\b|\b\d{{4}}\b|\b\d{{1,2}}(?:st|nd|rd|th)?\b|\b(?i:day|days|week|weeks)\b")


def _monotone(order: list[int]) -> bool:
    """Whether positions follow the choices' (calendar) order, or its exact reverse."""
    return order == sorted(order) or order == sorted(order, reverse=True)


def _display_order(events: list[EventFact], key: str) -> list[EventFact]:
    """The events as listed to the learner: by a stable hash of the item, re-drawn with a salt while
    the list would follow the calendar (or its reverse) and so give the pairs away."""
    by_date = sorted(events, key=lambda e: e.date)
    shown = list(events)
    for salt in range(32):
        shown = sorted(events, key=lambda e: hash_rank(f"{salt}:{key}:{e.slug}"))
        if not _monotone([by_date.index(e) for e in shown]):
            break
    return shown


def _sets(events: list[tuple[EventFact, list[Evidence]]], seed: int) -> list[list[tuple[EventFact, list[Evidence]]]]:
    """Events grouped into sets of 3 or 4 with distinct dates, each event in one set only, the
    grouping by a stable hash (not the calendar, so a set spans the episode)."""
    pool = sorted(events, key=lambda p: hash_rank(f"{seed}:match-date:{p[0].slug}"))
    sets: list[list[tuple[EventFact, list[Evidence]]]] = []
    while len(pool) >= min(SET_SIZES):
        group: list[tuple[EventFact, list[Evidence]]] = []
        rest = []
        for pair in pool:
            if len(group) < max(SET_SIZES) and all(pair[0].date != g[0].date for g in group):
                group.append(pair)
            else:
                rest.append(pair)
        if len(group) < min(SET_SIZES):
            break
        sets.append(group)
        pool = rest
    return sets


def _spare_date(events: list[EventFact], key: str, seed: int) -> date:
    """A day none of the set's events happened on, one or two days from one of them."""
    taken = {e.date for e in events}
    rng = _rng(seed, f"{key}:spare")
    candidates = sorted({e.date + timedelta(days=d) for e in events for d in (-2, -1, 1, 2)} - taken)
    return rng.choice(candidates)


def t_match_date(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Matching: each of 3 or 4 explicitly dated events to the date the sources give for it."""
    eligible = [(ev, q) for ev, q in dated_events(facts) if ev.exact_day and not DATE_IN_TITLE.search(ev.title)]
    for group in _sets(eligible, seed):
        events = [ev for ev, _ in group]
        quotes = {ev.slug: q for ev, q in group}
        key = "match-date:" + "+".join(f"event/{s}" for s in sorted(e.slug for e in events))
        shown = _display_order(events, key)
        spare = _spare_date(events, key, seed)
        days = sorted([*(e.date for e in events), spare])
        choice_ids = {d: f"c{i + 1}" for i, d in enumerate(days)}
        prompt_ids = {e.slug: f"p{i + 1}" for i, e in enumerate(shown)}
        dating = {e.slug: _dating_sentence(facts, quotes[e.slug], e) for e in events}
        prompts = [
            OptionDraft(id=prompt_ids[e.slug], text=e.title, side="prompt", explanation=dating[e.slug], evidence=tuple(quotes[e.slug]))
            for e in shown
        ]
        choices = [OptionDraft(id=choice_ids[d], text=fmt_date(d), side="choice") for d in days]
        chronological = sorted(events, key=lambda e: e.date)
        yield QuestionDraft(
            key=key,
            template="match-date",
            qtype="matching",
            stem="Match each event to the date the sources give for it:",
            options=prompts + choices,
            answer={"pairs": {prompt_ids[e.slug]: choice_ids[e.date] for e in shown}},
            explanation=" ".join(f"{quoted(e.title)}: {fmt_date(e.date)}. {dating[e.slug]}" for e in chronological)
            + f" No event in this list happened on {fmt_date(spare)}.",
            evidence=_dedupe(q for e in chronological for q in quotes[e.slug]),
            fact_ids=[f"event:{e.slug}" for e in chronological],
            topics=sorted({t for e in events for t in e.topics}),
            difficulty=round(0.45 + 0.05 * len(events), 2),
            answer_texts=[fmt_date(e.date) for e in events],
            fixed_order=True,
        )


MATCHING_TEMPLATES: list[Callable[[Facts, int], Iterable[QuestionDraft]]] = [t_match_date]
