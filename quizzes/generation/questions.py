"""Question templates (PURE: facts in, drafts out; deterministic for a given seed).

Truth is built into how options are chosen, not checked afterwards:
- a date distractor is a day on which the event surely did not happen (its date is exact);
- a "what happened on D" distractor is an event whose whole possible span excludes D;
- a "what led to X" distractor happened surely after X, so it cannot have caused it;
- an ordering set only holds events whose possible spans do not overlap;
- a "who is described as R" distractor holds no role resembling R;
- a "who said S" distractor made no claim about the same events and is not named in S;
- a "sources disagree" distractor is another source's version of the figure, or a number no
  source gave; claims are always put in their claimant's mouth, never stated as fact.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal

from quizzes.generation.drafts import OptionDraft, QuestionDraft
from quizzes.generation.facts import ClaimFact, EntityFact, EventFact, Evidence, Facts, ReportFact

LETTERS = "abcdefgh"
STOPWORDS = {"the", "of", "a", "an", "and", "in", "to", "for", "on", "at", "as", "by", "from", "with", "s"}
NOT_SETTLEMENT = re.compile(r"airport|residence|akimat|embassy|office|building|western|eastern|region", re.I)
QUALIFIER_WORDS = {
    "exact": "",
    "about": "about ",
    "at_least": "at least ",
    "more_than": "more than ",
    "over": "over ",
    "nearly": "nearly ",
    "less_than": "less than ",
}


# --- formatting ------------------------------------------------------------------------------


def fmt_date(d: date, precision: str = "day") -> str:
    if precision == "year":
        return str(d.year)
    if precision == "month":
        return d.strftime("%B %Y")
    return f"{d.day} {d.strftime('%B %Y')}"


def fmt_event_date(ev: EventFact) -> str:
    if ev.date_end and ev.date_end != ev.date:
        return f"between {fmt_date(ev.date)} and {fmt_date(ev.date_end)}"
    return fmt_date(ev.date, ev.precision)


def fmt_number(n: Decimal) -> str:
    n = Decimal(n)
    if n == n.to_integral_value():
        return f"{int(n):,}"
    return f"{n.normalize():,f}"


def fmt_report(report: ReportFact, unit: str) -> str:
    if report.value is None and report.high is not None:
        number = f"{fmt_number(report.low)} to {fmt_number(report.high)}"
    else:
        number = fmt_number(report.number)
    return f"{QUALIFIER_WORDS.get(report.qualifier, '')}{number} {unit}"


def quoted(text: str) -> str:
    return f"“{text.rstrip('.')}”"


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if w not in STOPWORDS and len(w) > 2}


def _rng(seed: int, key: str) -> random.Random:
    return random.Random(int(hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()[:16], 16))


def _mentions(text: str, names: Iterable[str]) -> bool:
    return any(re.search(rf"\b{re.escape(n)}\b", text, re.I) for n in names if len(n) > 2)


# --- building drafts -------------------------------------------------------------------------

Option = tuple[str, str, tuple[Evidence, ...]]  # text, explanation, evidence


def _choice(
    *,
    key: str,
    template: str,
    qtype: str,
    stem: str,
    correct: list[Option],
    wrong: list[Option],
    seed: int,
    explanation: str,
    evidence: Iterable[Evidence],
    fact_ids: list[str],
    topics: Iterable[str],
    difficulty: float,
    multi: bool = False,
    shuffle: bool = True,
    order: list[int] | None = None,
) -> QuestionDraft:
    """A choice question. `order` (indices into wrong, -1 for the single correct option) fixes the
    display order; otherwise options are shuffled by the seed, or kept as given."""
    entries = [(o, True) for o in correct] + [(o, False) for o in wrong]
    if order is not None:
        entries = [(correct[0], True) if i == -1 else (wrong[i], False) for i in order]
    elif shuffle:
        _rng(seed, key).shuffle(entries)
    options = [
        OptionDraft(id=LETTERS[i], text=text, correct=ok, explanation=why, evidence=tuple(ev))
        for i, ((text, why, ev), ok) in enumerate(entries)
    ]
    ids = [o.id for o in options if o.correct]
    return QuestionDraft(
        key=key,
        template=template,
        qtype=qtype,
        stem=stem,
        options=options,
        answer={"correct": sorted(ids)} if multi else {"correct": ids[0]},
        explanation=explanation,
        evidence=_dedupe(evidence),
        fact_ids=fact_ids,
        topics=sorted(set(topics)),
        difficulty=round(min(max(difficulty, 0.05), 0.95), 2),
        answer_texts=[o[0] for o in correct],
    )


def _dedupe(evidence: Iterable[Evidence]) -> list[Evidence]:
    return list({(e.source, e.start, e.end): e for e in evidence}.values())


def _events_2022(facts: Facts) -> list[EventFact]:
    return sorted((e for e in facts.events.values() if e.date.year == 2022), key=lambda e: (e.earliest, e.slug))


def _exact_events(facts: Facts) -> list[EventFact]:
    return [e for e in _events_2022(facts) if e.exact_day]


def _nearest(events: list[EventFact], anchor: date, k: int, rng: random.Random) -> list[EventFact]:
    """k events nearest in time to anchor (ties broken by the seeded rng): plausible distractors."""
    ranked = sorted(events, key=lambda e: (abs((e.earliest - anchor).days), rng.random()))
    return ranked[:k]


def _event_option(ev: EventFact, why: str) -> Option:
    return (ev.title, why, ev.evidence)


# --- templates -------------------------------------------------------------------------------


def t_when(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Date: when did an exactly dated event happen? Distractors: nearby days (or years)."""
    for ev in facts.events.values():
        if ev.date_end is not None or ev.precision == "month":
            continue
        key = f"when:event/{ev.slug}"
        rng = _rng(seed, key)
        if ev.precision == "day":
            offsets = rng.sample([-3, -2, -1, 1, 2, 3], 3)
            wrong_dates = [ev.date + timedelta(days=o) for o in offsets]
            stem = f"On what date did this happen: {quoted(ev.title)}?"
        else:
            offsets = rng.sample([-4, -3, -2, -1, 1, 2, 3, 4], 3)
            wrong_dates = [ev.date.replace(year=ev.date.year + o) for o in offsets]
            stem = f"In what year did this happen: {quoted(ev.title)}?"
        right = fmt_date(ev.date, ev.precision)
        wrong = [
            (fmt_date(d, ev.precision), f"Not {fmt_date(d, ev.precision)}: the sources date this to {right}.", ev.evidence)
            for d in sorted(wrong_dates)
        ]
        correct = [(right, f"Yes: {ev.summary}", ev.evidence)]
        # Dates are listed in calendar order, the right one in its place among them.
        n_before = sum(d < ev.date for d in wrong_dates)
        yield _choice(
            key=key,
            template="when",
            qtype="date",
            stem=stem,
            correct=correct,
            wrong=wrong,
            seed=seed,
            shuffle=False,
            order=list(range(n_before)) + [-1] + list(range(n_before, 3)),
            explanation=f"{ev.summary} The sources date it to {right}.",
            evidence=ev.evidence,
            fact_ids=[f"event:{ev.slug}"],
            topics=ev.topics,
            difficulty=0.55 if ev.precision == "day" else 0.4,
        )


def _settlements(facts: Facts) -> dict[str, EntityFact]:
    used = {e.place for e in facts.events.values() if e.place}
    return {
        s: ent for s, ent in facts.entities.items() if ent.kind == "place" and s in used and not NOT_SETTLEMENT.search(" ".join(ent.names))
    }


def t_where(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Single choice: in which city did an event happen? Skipped when the title names a place."""
    cities = _settlements(facts)
    all_place_names = [n for ent in facts.entities.values() if ent.kind in ("place", "country") for n in ent.names]
    for ev in facts.events.values():
        if ev.place not in cities or _mentions(ev.title, all_place_names) or len(cities) < 4:
            continue
        key = f"where:event/{ev.slug}"
        rng = _rng(seed, key)
        place = cities[ev.place]
        others = rng.sample(sorted(s for s in cities if s != ev.place), 3)
        wrong = [(cities[s].name, f"Not {cities[s].name}: the sources place this in {place.name}.", ev.evidence) for s in others]
        yield _choice(
            key=key,
            template="where",
            qtype="single",
            stem=f"Where did this happen: {quoted(ev.title)}?",
            correct=[(place.name, f"Yes: {ev.summary}", ev.evidence)],
            wrong=wrong,
            seed=seed,
            explanation=ev.summary,
            evidence=ev.evidence,
            fact_ids=[f"event:{ev.slug}", f"entity:{ev.place}"],
            topics=ev.topics,
            difficulty=0.45,
        )


def _roles_clash(core: str, other_cores: Iterable[str]) -> bool:
    words = _words(core)
    return any(core in o or o in core or len(words & _words(o)) >= 2 or (words and words == _words(o)) for o in other_cores)


def t_who_role(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Single choice: who is described with this role? Distractors hold no similar role."""
    people = [e for e in facts.entities.values() if e.kind == "person" and e.roles]
    for person in people:
        for i, role in enumerate(person.roles):
            if _mentions(role.title, person.names):
                continue
            pool = [
                p
                for p in people
                if p.slug != person.slug and not _roles_clash(role.core, [r.core for r in p.roles]) and not _mentions(role.title, p.names)
            ]
            if len(pool) < 3:
                continue
            key = f"who-role:entity/{person.slug}#{i}"
            rng = _rng(seed, key)
            chosen = rng.sample(sorted(pool, key=lambda p: p.slug), 3)
            title = role.title.strip()
            wrong = [(p.name, f"Not {p.name}: the sources describe {p.name} as {p.roles[0].title}.", p.roles[0].evidence) for p in chosen]
            yield _choice(
                key=key,
                template="who-role",
                qtype="single",
                stem=f"Who do the sources describe this way: {quoted(title.strip(chr(34) + '“”'))}?",
                correct=[(person.name, f"Yes: {person.name}, {title}.", role.evidence)],
                wrong=wrong,
                seed=seed,
                explanation=f"The sources describe {person.name} as {title}.",
                evidence=role.evidence,
                fact_ids=[f"entity:{person.slug}"],
                topics=["background"],
                difficulty=0.35,
            )


def t_what_on_date(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Single choice: which of these happened on day D? Distractors surely did not happen on D."""
    events = _events_2022(facts)
    for ev in _exact_events(facts):
        key = f"what-on:event/{ev.slug}"
        rng = _rng(seed, key)
        pool = [o for o in events if o.latest < ev.date or o.earliest > ev.date]
        if len(pool) < 3:
            continue
        chosen = _nearest(pool, ev.date, 3, rng)
        wrong = [_event_option(o, f"Not this one: the sources date it {fmt_event_date(o)}.") for o in chosen]
        yield _choice(
            key=key,
            template="what-on",
            qtype="single",
            stem=f"Which of these happened on {fmt_date(ev.date)}?",
            correct=[_event_option(ev, f"Yes: {ev.summary}")],
            wrong=wrong,
            seed=seed,
            explanation=f"{ev.summary} ({fmt_date(ev.date)})",
            evidence=ev.evidence,
            fact_ids=[f"event:{ev.slug}"] + [f"event:{o.slug}" for o in chosen],
            topics=ev.topics,
            difficulty=0.6,
        )


def t_before(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Multiple select: which of these happened before the anchor event?"""
    events = _events_2022(facts)
    for anchor in _exact_events(facts):
        before = [e for e in events if e.surely_before(anchor)]
        after = [e for e in events if anchor.surely_before(e)]
        if len(before) < 2 or len(after) < 2:
            continue
        key = f"before:event/{anchor.slug}"
        rng = _rng(seed, key)
        n_right = rng.choice([2, 3]) if len(before) >= 3 else 2
        right = _nearest(before, anchor.date, n_right + 2, rng)[:n_right]
        wrong = _nearest(after, anchor.date, 2, rng)
        yield _choice(
            key=key,
            template="before",
            qtype="multi",
            multi=True,
            stem=f"Which of these happened before this: {quoted(anchor.title)}? Select all that apply:",
            correct=[_event_option(e, f"Yes: dated {fmt_event_date(e)}, before {fmt_date(anchor.date)}.") for e in right],
            wrong=[_event_option(e, f"No: dated {fmt_event_date(e)}, after {fmt_date(anchor.date)}.") for e in wrong],
            seed=seed,
            explanation=f"{quoted(anchor.title)} happened on {fmt_date(anchor.date)}.",
            evidence=anchor.evidence,
            fact_ids=[f"event:{e.slug}" for e in [anchor, *right, *wrong]],
            topics=anchor.topics,
            difficulty=0.65,
        )


def _claims_by_claimant(facts: Facts) -> dict[str, list[ClaimFact]]:
    by_claimant: dict[str, list[ClaimFact]] = {}
    for c in facts.claims.values():
        by_claimant.setdefault(c.claimant, []).append(c)
    return by_claimant


def _claim_distractors(facts: Facts, claim: ClaimFact, by_claimant: dict[str, list[ClaimFact]]) -> list[EntityFact]:
    """Entities who made claims, none about the same events, none named in the statement."""
    claimant = facts.entities[claim.claimant]
    group = {"person"} if claimant.kind == "person" else {"organisation", "country", "group"}
    out = []
    for slug, claims in by_claimant.items():
        ent = facts.entities[slug]
        if slug == claim.claimant or ent.kind not in group or _mentions(claim.statement, ent.names):
            continue
        if any(set(c.about) & set(claim.about) for c in claims):
            continue
        out.append(ent)
    return sorted(out, key=lambda e: e.slug)


def t_attribution(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Attribution: who said this? The claim stays in someone's mouth in every option."""
    by_claimant = _claims_by_claimant(facts)
    for claim in facts.claims.values():
        claimant = facts.entities[claim.claimant]
        if _mentions(claim.statement, claimant.names):
            continue
        pool = _claim_distractors(facts, claim, by_claimant)
        if len(pool) < 3:
            continue
        key = f"who-said:claim/{claim.slug}"
        chosen = _rng(seed, key).sample(pool, 3)
        wrong = [(e.name, f"Not {e.name}: the sources attribute this to {claimant.name}.", claim.evidence) for e in chosen]
        yield _choice(
            key=key,
            template="who-said",
            qtype="attribution",
            stem=f"According to the sources, who said that {claim.statement.rstrip('.')}?",
            correct=[(claimant.name, f"Yes: {claimant.name} said this.", claim.evidence)],
            wrong=wrong,
            seed=seed,
            explanation=f"According to {claimant.subject}, {claim.statement.rstrip('.')}.",
            evidence=claim.evidence,
            fact_ids=[f"claim:{claim.slug}"],
            topics=claim.topics,
            difficulty=0.5,
        )


def _report_attribution(facts: Facts, report: ReportFact) -> str:
    citations = " and ".join(facts.sources[s].citation for s in report.sources if s in facts.sources)
    if report.reported_by:
        return f"{facts.entities[report.reported_by].subject} (as reported by {citations})"
    return citations


def t_number(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Numeric: the number a given source reported for a figure."""
    for fig in facts.figures.values():
        for i, report in enumerate(fig.reports):
            if report.value is None and report.high is not None:
                continue  # a range has no single number to type
            key = f"number:figure/{fig.slug}#{i}"
            who = _report_attribution(facts, report)
            tolerance = float(report.number) * 0.05 if report.qualifier in ("about", "nearly") else 0
            others = [f"{_report_attribution(facts, r)}: {fmt_report(r, fig.unit)}" for j, r in enumerate(fig.reports) if j != i]
            explanation = f"According to {who}: {fmt_report(report, fig.unit)}."
            if others:
                explanation += " Other sources give other figures: " + "; ".join(others) + "."
            yield QuestionDraft(
                key=key,
                template="number",
                qtype="numeric",
                stem=f"According to {who}, what number was given for {quoted(fig.measure[0].lower() + fig.measure[1:])} (in {fig.unit})?",
                options=[],
                answer={"value": float(report.number), "tolerance": round(tolerance, 2), "unit": fig.unit, "qualifier": report.qualifier},
                explanation=explanation,
                evidence=list(report.evidence),
                fact_ids=[f"figure:{fig.slug}"],
                topics=sorted(fig.topics),
                difficulty=0.7,
                answer_texts=[fmt_number(report.number)],
            )


def _magnitudes(values: set[Decimal], rng: random.Random) -> list[Decimal]:
    """Plausible numbers no source gave: halves, doubles and tenfolds of the reported ones."""
    out = []
    for v in sorted(values):
        for factor in (Decimal(2), Decimal("0.5"), Decimal(10), Decimal(3)):
            c = (v * factor).to_integral_value()
            if c > 0 and c not in values and c not in out:
                out.append(c)
    rng.shuffle(out)
    return out


def t_sources_disagree(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Sources disagree: what figure did THIS source give, when other sources gave others?"""
    for fig in facts.figures.values():
        if not fig.contested:
            continue
        versions = [f"{_report_attribution(facts, r)}: {fmt_report(r, fig.unit)}" for r in fig.reports]
        explanation = f"The sources differ on {fig.measure[0].lower() + fig.measure[1:]}. " + "; ".join(versions) + "."
        for i, report in enumerate(fig.reports):
            key = f"disagree:figure/{fig.slug}#{i}"
            rng = _rng(seed, key)
            right_text = fmt_report(report, fig.unit)
            wrong: list[Option] = []
            for r in fig.reports:
                text = fmt_report(r, fig.unit)
                if text != right_text and text not in [w[0] for w in wrong]:
                    wrong.append((text, f"That is the figure from {_report_attribution(facts, r)}, not this source.", r.evidence))
            numbers = {r.number for r in fig.reports}
            for n in _magnitudes(numbers, rng):
                if len(wrong) >= 3:
                    break
                wrong.append((f"{fmt_number(n)} {fig.unit}", "No source gives this figure.", ()))
            if len(wrong) < 2:
                continue
            yield _choice(
                key=key,
                template="disagree",
                qtype="sources_disagree",
                stem=f"Sources give different figures for {quoted(fig.measure[0].lower() + fig.measure[1:])}. "
                f"What figure does {_report_attribution(facts, report)} give?",
                correct=[(right_text, f"Yes: {right_text}.", report.evidence)],
                wrong=wrong[:3],
                seed=seed,
                explanation=explanation,
                evidence=[e for r in fig.reports for e in r.evidence],
                fact_ids=[f"figure:{fig.slug}"],
                topics=[*fig.topics, "comparing-sources"],
                difficulty=0.75,
            )
    for dispute in facts.disputes.values():
        key = f"disputed:dispute/{dispute.slug}"
        accounts = "; ".join(a.account.rstrip(".") for a in dispute.accounts)
        all_evidence = tuple(e for a in dispute.accounts for e in a.evidence)
        yield _choice(
            key=key,
            template="disputed",
            qtype="sources_disagree",
            shuffle=False,
            stem=f"Do the sources all give the same answer to this question: {quoted(dispute.question.rstrip('?'))}?",
            correct=[("No, their accounts differ", f"Right: {accounts}.", all_evidence)],
            wrong=[("Yes, they agree", "No: the accounts differ.", ())],
            seed=seed,
            explanation=f"The accounts differ. {accounts}.",
            evidence=all_evidence,
            fact_ids=[f"dispute:{dispute.slug}"],
            topics=[*dispute.topics, "comparing-sources"],
            difficulty=0.3,
        )


def t_true_false(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """True/false: a real fact, or the same fact with one element changed (the date, or who said it)."""
    for ev in _exact_events(facts):
        key = f"tf-date:event/{ev.slug}"
        rng = _rng(seed, key)
        right = fmt_date(ev.date)
        if rng.random() < 0.5:
            shown, truth = right, True
        else:
            shown, truth = fmt_date(ev.date + timedelta(days=rng.choice([-2, -1, 1, 2]))), False
        yield _true_false(
            key,
            "tf-date",
            f"Is it true that this happened on {shown}: {quoted(ev.title)}?",
            truth,
            f"{'True' if truth else 'False'}: the sources date this to {right}. {ev.summary}",
            ev.evidence,
            [f"event:{ev.slug}"],
            ev.topics,
            seed,
        )
    by_claimant = _claims_by_claimant(facts)
    for claim in facts.claims.values():
        key = f"tf-claim:claim/{claim.slug}"
        rng = _rng(seed, key)
        claimant = facts.entities[claim.claimant]
        pool = _claim_distractors(facts, claim, by_claimant)
        if rng.random() < 0.5 or not pool or _mentions(claim.statement, claimant.names):
            speaker, truth = claimant, True
        else:
            speaker, truth = rng.choice(pool), False
        if _mentions(claim.statement, speaker.names):
            continue
        yield _true_false(
            key,
            "tf-claim",
            f"Is it true that {speaker.subject} said that {claim.statement.rstrip('.')}?",
            truth,
            f"{'True' if truth else 'False'}: according to the sources it was {claimant.name} who said this.",
            claim.evidence,
            [f"claim:{claim.slug}"],
            claim.topics,
            seed,
        )


def _true_false(key, template, stem, truth, explanation, evidence, fact_ids, topics, seed) -> QuestionDraft:
    """Options always read True, False (a/b), whichever is right, so their order gives nothing away."""
    draft = _choice(
        key=key,
        template=template,
        qtype="true_false",
        stem=stem,
        shuffle=False,
        correct=[("True", explanation, tuple(evidence))],
        wrong=[("False", explanation, tuple(evidence))],
        seed=seed,
        explanation=explanation,
        evidence=evidence,
        fact_ids=fact_ids,
        topics=topics,
        difficulty=0.4 if truth else 0.5,
    )
    if not truth:
        for option in draft.options:
            option.correct = option.text == "False"
        draft.answer = {"correct": "b"}
        draft.answer_texts = ["False"]
    return draft


def t_ordering(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Chronology: put 3 to 5 events in order; every pair is surely ordered."""
    events = [e for e in _events_2022(facts) if e.precision == "day"]
    rng = _rng(seed, "ordering")
    seen: set[tuple[str, ...]] = set()
    for _ in range(400):
        size = rng.choice([3, 4, 4, 5])
        start = rng.randrange(len(events))
        chain = [events[start]]
        candidates = events[start + 1 :]
        rng.shuffle(candidates)
        for ev in sorted(candidates[: size * 3], key=lambda e: e.earliest):
            if chain[-1].surely_before(ev):
                chain.append(ev)
            if len(chain) == size:
                break
        ids = tuple(e.slug for e in chain)
        if len(chain) < 3 or ids in seen:
            continue
        seen.add(ids)
        key = "order:" + "+".join(f"event/{s}" for s in ids)
        shown = list(chain)
        _rng(seed, key).shuffle(shown)
        if shown == chain:
            shown.reverse()
        item_ids = {e.slug: f"e{i + 1}" for i, e in enumerate(shown)}
        yield QuestionDraft(
            key=key,
            template="order",
            qtype="ordering",
            stem="Put these events in the order they happened, earliest first:",
            options=[
                OptionDraft(id=item_ids[e.slug], text=e.title, explanation=f"Dated {fmt_event_date(e)}.", evidence=e.evidence)
                for e in shown
            ],
            answer={"order": [item_ids[e.slug] for e in chain]},
            explanation=" Then ".join(f"{quoted(e.title)} ({fmt_event_date(e)})." for e in chain),
            evidence=[ev for e in chain for ev in e.evidence[:1]],
            fact_ids=[f"event:{e.slug}" for e in chain],
            topics=sorted({t for e in chain for t in e.topics}),
            difficulty=round(0.45 + 0.08 * len(chain), 2),
        )
        if len(seen) >= 40:
            break


def _matching(
    key: str, template: str, stem: str, pairs: list[tuple[str, str, tuple[Evidence, ...]]], fact_ids, topics, seed: int, difficulty: float
) -> QuestionDraft:
    rng = _rng(seed, key)
    choices = list(range(len(pairs)))
    rng.shuffle(choices)
    prompts = [OptionDraft(id=f"p{i + 1}", text=left, side="prompt", evidence=ev) for i, (left, _, ev) in enumerate(pairs)]
    choice_opts = [OptionDraft(id=f"c{n + 1}", text=pairs[i][1], side="choice") for n, i in enumerate(choices)]
    by_index = {i: f"c{n + 1}" for n, i in enumerate(choices)}
    return QuestionDraft(
        key=key,
        template=template,
        qtype="matching",
        stem=stem,
        options=prompts + choice_opts,
        answer={"pairs": {f"p{i + 1}": by_index[i] for i in range(len(pairs))}},
        explanation=" ".join(f"{left}: {right}." for left, right, _ in pairs),
        evidence=[e for _, _, ev in pairs for e in ev[:1]],
        fact_ids=fact_ids,
        topics=sorted(set(topics)),
        difficulty=difficulty,
    )


def t_matching(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Matching: people to their roles; speakers to what they said."""
    people = sorted((e for e in facts.entities.values() if e.kind == "person" and e.roles), key=lambda e: e.slug)
    rng = _rng(seed, "match-role")
    seen: set[tuple[str, ...]] = set()
    for _ in range(60):
        group: list[EntityFact] = []
        for p in rng.sample(people, len(people)):
            role = p.roles[0]
            if _mentions(role.title, [n for q in people for n in q.names]):
                continue
            if any(
                _roles_clash(role.core, [r.core for r in q.roles]) or _roles_clash(q.roles[0].core, [r.core for r in p.roles])
                for q in group
            ):
                continue
            group.append(p)
            if len(group) == 4:
                break
        ids = tuple(sorted(p.slug for p in group))
        if len(group) < 4 or ids in seen:
            continue
        seen.add(ids)
        group.sort(key=lambda p: p.slug)
        yield _matching(
            "match-role:" + "+".join(f"entity/{s}" for s in ids),
            "match-role",
            "Match each person to the role the sources give them:",
            [(p.name, p.roles[0].title, p.roles[0].evidence) for p in group],
            [f"entity:{s}" for s in ids],
            ["background"],
            seed,
            0.5,
        )
        if len(seen) >= 12:
            break
    claims = sorted(facts.claims.values(), key=lambda c: c.slug)
    rng = _rng(seed, "match-said")
    seen = set()
    for _ in range(80):
        group_c: list[ClaimFact] = []
        for c in rng.sample(claims, len(claims)):
            if c.claimant in {g.claimant for g in group_c} or len(c.statement) > 160:
                continue
            names = [n for g in [*group_c, c] for n in facts.entities[g.claimant].names]
            if any(_mentions(g.statement, names) for g in [*group_c, c]):
                continue
            if any(set(g.about) & set(c.about) for g in group_c):
                continue
            group_c.append(c)
            if len(group_c) == 3:
                break
        ids = tuple(sorted(c.slug for c in group_c))
        if len(group_c) < 3 or ids in seen:
            continue
        seen.add(ids)
        group_c.sort(key=lambda c: c.slug)
        yield _matching(
            "match-said:" + "+".join(f"claim/{s}" for s in ids),
            "match-said",
            "Match each speaker to what, according to the sources, they said:",
            [(facts.entities[c.claimant].name, cap(c.statement.rstrip(".")), c.evidence) for c in group_c],
            [f"claim:{s}" for s in ids],
            [t for c in group_c for t in c.topics],
            seed,
            0.55,
        )
        if len(seen) >= 15:
            break


def t_cause_effect(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Cause and effect, from the links: distractors happened surely later, so cannot be the cause."""
    events = _events_2022(facts)
    linked: dict[str, set[str]] = {}
    for link in facts.links:
        linked.setdefault(link.source, set()).add(link.target)
        linked.setdefault(link.target, set()).add(link.source)
    for link in facts.links:
        if link.kind == "led_to":
            effect, cause = facts.events[link.target], facts.events[link.source]
            stem, answer, after = f"What led to this: {quoted(effect.title)}?", cause, effect
            key = f"cause:link/{link.source}>{link.target}"
        elif link.kind == "in_response_to":
            response, trigger = facts.events[link.source], facts.events[link.target]
            stem, answer, after = f"What was this a response to: {quoted(response.title)}?", trigger, response
            key = f"response:link/{link.source}>{link.target}"
        else:
            continue
        pool = [e for e in events if after.surely_before(e) and e.slug not in linked.get(after.slug, set())]
        if len(pool) < 3:
            continue
        chosen = _nearest(pool, after.latest, 3, _rng(seed, key))
        wrong = [_event_option(e, f"Not this: it happened later ({fmt_event_date(e)}), so it cannot explain it.") for e in chosen]
        yield _choice(
            key=key,
            template=key.split(":")[0],
            qtype="cause_effect",
            stem=stem,
            correct=[_event_option(answer, f"Yes: {answer.summary}")],
            wrong=wrong,
            seed=seed,
            explanation=f"{quoted(answer.title)} ({fmt_event_date(answer)}) → {quoted(after.title)}.",
            evidence=link.evidence,
            fact_ids=[f"event:{link.source}", f"event:{link.target}"],
            topics=[*answer.topics, *after.topics],
            difficulty=0.6,
        )


def t_which_source(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Attribution (outlet): which source reports an event that only one source reports?"""
    for ev in facts.events.values():
        sources = {e.source for e in ev.evidence}
        if len(sources) != 1 or len(facts.sources) < 4:
            continue
        [source] = sources
        key = f"which-source:event/{ev.slug}"
        others = _rng(seed, key).sample(sorted(s for s in facts.sources if s != source), 3)
        cite = facts.sources[source].citation
        yield _choice(
            key=key,
            template="which-source",
            qtype="attribution",
            stem=f"Which of these sources reports this: {quoted(ev.title)}?",
            correct=[(cap(cite), f"Yes: {ev.summary}", ev.evidence)],
            wrong=[(cap(facts.sources[s].citation), "This source does not report it.", ()) for s in others],
            seed=seed,
            explanation=f"Only {cite} reports this among the sources: {ev.summary}",
            evidence=ev.evidence,
            fact_ids=[f"event:{ev.slug}"],
            topics=[*ev.topics, "comparing-sources"],
            difficulty=0.7,
        )


TEMPLATES: list[Callable[[Facts, int], Iterable[QuestionDraft]]] = [
    t_when,
    t_where,
    t_who_role,
    t_what_on_date,
    t_before,
    t_attribution,
    t_number,
    t_sources_disagree,
    t_true_false,
    t_ordering,
    t_matching,
    t_cause_effect,
    t_which_source,
]


def questions_generate(facts: Facts, *, seed: int = 0) -> list[QuestionDraft]:
    """Every question the templates can draw from the facts, sorted by key (keys are unique)."""
    drafts: dict[str, QuestionDraft] = {}
    for template in TEMPLATES:
        for draft in template(facts, seed):
            drafts.setdefault(draft.key, draft)
    return [drafts[k] for k in sorted(drafts)]
