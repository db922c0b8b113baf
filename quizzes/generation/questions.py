"""Question templates (PURE: facts in, drafts out; deterministic for a given seed).

Truth is built into how options are chosen, not checked afterwards, and the item-writing rules
that quizzes.generation.audit checks are followed by construction:
- a date is asked only when a source states it outright (not from a weekday, not from a
  footnote), no source gives a different one and no dispute is about it; a date distractor is a
  day on which the event surely did not happen;
- an ordering set only holds such explicitly dated events, surely ordered, each event in few sets,
  all from one period (all background or all the episode's own days: Facts.one_period), so that no
  event's place follows from its being years older than the others;
- a number is asked as one source's (or speaker's) figure, attributed once, and only when the
  quote shows that number; figures the sources give differently are asked as "what does X
  give?", with the reason the versions may differ where the data records it;
- claims stay in their claimant's mouth; the historical-thinking templates (fact or claim,
  corroboration, sourcing, why figures differ) live in quizzes.generation.thinking;
- the key's position is balanced over each template's items (questions_generate).
"""

from __future__ import annotations

import hashlib
import math
import random
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date, timedelta
from decimal import Decimal

from quizzes.dates import date_label
from quizzes.generation.audit import (
    DEMONYMS,
    LOWER_BOUNDS,
    UPPER_BOUNDS,
    bank_giveaways,
    check_stem_names_in_evidence,
    citation_line,
    invented_figure_in_sources,
    item_dangling_quotes,
    number_in,
    number_sentences,
    same_giver,
    simple_ratio,
)
from quizzes.generation.drafts import OptionDraft, QuestionDraft
from quizzes.generation.facts import EntityFact, EventFact, Evidence, Facts, FigureFact, ReportFact
from quizzes.qtypes import QTYPES

LETTERS = "abcdefgh"
STOPWORDS = {"the", "of", "a", "an", "and", "in", "to", "for", "on", "at", "as", "by", "from", "with", "s"}
QUALIFIER_WORDS = {
    "exact": "",
    "about": "about ",
    "at_least": "at least ",
    "more_than": "more than ",
    "over": "over ",
    "nearly": "nearly ",
    "less_than": "less than ",
}
# Templates taken out of generation because they could not meet the item-writing bar; their
# questions are retired by question_bank_generate with this reason (docs/question-bank.md).
RETIRED_TEMPLATES = {
    "who-said": "speaker questions drew distractors who said the same or were named in the stem",
    "match-said": "speaker questions drew distractors who said the same or were named in the stem",
    "tf-claim": "swapped speakers made false statements about who said what",
    "who-role": "role questions could not match distractors by gender, nationality and standing",
    "match-role": "role questions could not match distractors by gender, nationality and standing",
    "what-on": "dated many events only from weekdays or spans the sources leave open",
    "before": "distractors were ruled out only because they happened later",
    "cause": "distractors were ruled out only because they happened later",
    "response": "distractors were ruled out only because they happened later",
    "where": "too few places to draw plausible distractors from",
    "which-source": "replaced by 'which sources agree' (sources-agree)",
    "disputed": "every item had the same answer; replaced by sources-agree and figures-differ",
}
FOOTNOTE = re.compile(r"https?://|^\s*\d+\s+\S", re.M)
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


# --- formatting ------------------------------------------------------------------------------


def fmt_date(d: date, precision: str = "day") -> str:
    return date_label(d, precision)


def fmt_event_date(ev: EventFact) -> str:
    return ev.when_label


def fmt_number(n: Decimal) -> str:
    n = Decimal(n)
    if n == n.to_integral_value():
        return f"{int(n):,}"
    return f"{n.normalize():,f}"


def singular(unit: str) -> str:
    """The unit for a count of one: 'people' -> 'person', 'demonstrators' -> 'demonstrator'."""
    words = unit.split()
    last = words[-1] if words else unit
    if last == "people":
        last = "person"
    elif last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    return " ".join([*words[:-1], last])


def fmt_count(n: Decimal, unit: str) -> str:
    return f"one {singular(unit)}" if n == 1 else f"{fmt_number(n)} {unit}"


def option_count(n: Decimal, unit: str) -> str:
    """A count as a figure option: always in digits, like the other options ("1 region", "2 regions")."""
    return f"1 {singular(unit)}" if n == 1 else f"{fmt_number(n)} {unit}"


def fmt_report(report: ReportFact, unit: str) -> str:
    if report.value is None and report.high is not None:
        number = f"{fmt_number(report.low)} to {fmt_number(report.high)}"
    elif report.number == 1:
        return f"{QUALIFIER_WORDS.get(report.qualifier, '')}one {singular(unit)}"
    else:
        number = fmt_number(report.number)
    return f"{QUALIFIER_WORDS.get(report.qualifier, '')}{number} {unit}"


def quoted(text: str) -> str:
    return f"“{text.rstrip('.')}”"


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def measure_phrase(measure: str, unit: str = "") -> str:
    """A figure's measure as the object of "for": a count takes "the number of" ("the number of
    eateries broken into ...": its unit's noun is in it, or it starts with a plural); any other
    measure takes "the" ("the population of Almaty", "the price of liquefied gas")."""
    text = phrase(measure)
    words = [w.lower() for w in re.findall(r"[A-Za-z-]+", text)]
    unit_noun = unit.split()[-1].lower() if unit.split() else ""
    if unit_noun in words or any(w.endswith("s") and not w.endswith("ss") for w in words[:2]):
        return f"the number of {text}"
    return f"the {text}"


def phrase(text: str) -> str:
    """A noun phrase from the data for the middle of a sentence: first letter lowered unless the
    first word is a name or a proper adjective; parentheses and 'according to ...' tails dropped
    (the question attributes the figure itself)."""
    text = re.split(r",? according to ", text, flags=re.I)[0]
    text = re.sub(r"\s*\([^)]*\)", "", text).strip()
    first = text.split()[0] if text else ""
    if re.fullmatch(rf"(?:{DEMONYMS})", first.lower()) or (first[1:] and first[1:] != first[1:].lower()):
        return text
    return text[:1].lower() + text[1:]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if w not in STOPWORDS and len(w) > 2}


def _rng(seed: int, key: str) -> random.Random:
    return random.Random(int(hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()[:16], 16))


def _mentions(text: str, names: Iterable[str]) -> bool:
    return any(re.search(rf"\b{re.escape(n)}\b", text, re.I) for n in names if len(n) > 2)


def and_list(items: list[str]) -> str:
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


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
        fixed_order=not shuffle or order is not None,
    )


def _dedupe(evidence: Iterable[Evidence]) -> list[Evidence]:
    return list({(e.source, e.start, e.end): e for e in evidence}.values())


# --- which dates a question may rest on -----------------------------------------------------


def disputed_events(facts: Facts) -> set[str]:
    """Events some dispute is about: their dates or details are contested, never asked as fact."""
    return {slug for d in facts.disputes.values() for slug in d.events}


def _dates_stated(quote: str, precision: str) -> set[tuple[int, ...]]:
    """The dates a quote states outright at the precision: (year,), (year, month) or (month, day)."""
    if FOOTNOTE.search(quote):
        return set()  # a footnote's date is a cited article's, not the event's
    months = MONTHS.split("|")
    if precision == "day":
        found = {(months.index(m) + 1, int(d)) for m, d in re.findall(rf"\b({MONTHS}) (\d{{1,2}})\b", quote)}
        found |= {(months.index(m) + 1, int(d)) for d, m in re.findall(rf"\b(\d{{1,2}}) ({MONTHS})\b", quote)}
        return found
    if precision == "month":
        return {(int(y), months.index(m) + 1) for m, y in re.findall(rf"\b({MONTHS}) (\d{{4}})\b", quote)}
    return {(int(y),) for y in re.findall(r"\b(1[89]\d\d|20\d\d)\b", quote)}


def dating_evidence(ev: EventFact, facts: Facts) -> list[Evidence]:
    """The quotes that state the event's date outright; empty when none does, when any of its
    quotes states another date at that precision, or when a dispute is about the event."""
    if not (ev.date_end is None or ev.date_end == ev.date) or ev.slug in disputed_events(facts):
        return []
    want = {"day": (ev.date.month, ev.date.day), "month": (ev.date.year, ev.date.month), "year": (ev.date.year,)}[ev.precision]
    stating = []
    for e in ev.evidence:
        found = _dates_stated(e.quote, ev.precision)
        if found - {want}:
            return []
        if want in found:
            stating.append(e)
    return stating


# An event worth a date question is one the episode treats as part of its story: at least this many
# sources report it, or the dataset's links tie it into a cause and effect. The day of a side event one
# article mentions in passing (an arrest after the crisis, a statement from afar) teaches nothing.
MIN_DATE_SOURCES = 2


def date_salient(ev: EventFact, linked: set[str]) -> bool:
    """Whether the event's date is worth asking: reported by MIN_DATE_SOURCES sources, or one of the
    `linked` events (those of the data's links)."""
    return len(ev.sources) >= MIN_DATE_SOURCES or ev.slug in linked


def dated_events(facts: Facts) -> list[tuple[EventFact, list[Evidence]]]:
    """Events a date question may be asked about, with the quotes that date them, by date: dated
    outright by a quote (dating_evidence) and part of the episode's story (date_salient)."""
    linked = {slug for link in facts.links for slug in (link.source, link.target)}
    out = [(ev, dating_evidence(ev, facts)) for ev in facts.events.values() if date_salient(ev, linked)]
    return sorted(((ev, q) for ev, q in out if q), key=lambda p: (p[0].earliest, p[0].slug))


def recall_kinds(dated: list[tuple[EventFact, list[Evidence]]]) -> dict[str, str]:
    """Which one recall item each dated event gets, "when" (its date) or "tf-date" (true or false on a
    day): a day asked both ways repeats one fact. Day events take the two in turn, in the order of a
    stable hash (so both kinds stay in the bank in equal numbers, and each template balances its own
    keys); a year is asked by "when" only."""
    kinds = {ev.slug: "when" for ev, _ in dated if ev.precision == "year"}
    days = sorted((ev.slug for ev, _ in dated if ev.precision == "day"), key=hash_rank)
    kinds.update({slug: RECALL_DATE_TEMPLATES[i % 2] for i, slug in enumerate(days)})
    return kinds


def _cites(facts: Facts, evidence: Iterable[Evidence]) -> str:
    return and_list([facts.sources[e.source].citation for e in evidence if e.source in facts.sources])


def _dating_sentence(facts: Facts, quotes: list[Evidence], ev: EventFact) -> str:
    cites = _cites(facts, quotes)
    verb = "date" if " and " in cites else "dates"
    return f"{cap(cites)} {verb} this to {fmt_date(ev.date, ev.precision)}."


# --- templates -------------------------------------------------------------------------------


def t_when(facts: Facts, seed: int, only: set[str] | None = None) -> Iterator[QuestionDraft]:
    """Date: when did an explicitly dated event happen? The key's position is balanced over the items
    (`only`: over these keys, the items a bank kept); the other options are nearby days (or years), in
    calendar order."""
    dated = dated_events(facts)
    kinds = recall_kinds(dated)
    events = [(ev, q) for ev, q in dated if kinds.get(ev.slug) == "when" and (only is None or f"when:event/{ev.slug}" in only)]
    # The key's position goes by a stable hash of the item (balanced, but no rotation in bank order).
    keys, shift = [f"when:event/{ev.slug}" for ev, _ in events], _rng(seed, "when").randrange(4)
    where = positions_without_cycle(keys, 4, shift=shift)
    if 1 < len(keys) < 4 and all(0 < p < 3 for p in where.values()):
        # Too few to balance: still some key the earliest or latest option (audit date-rank).
        where = positions_without_cycle(keys, 4, shift=shift + 2)
    for ev, quotes in events:
        key = f"when:event/{ev.slug}"
        # The options are four days (years) in a row and the key's rank among them is balanced over the
        # items: neither a middle date nor a date set apart by a gap gives the key away.
        n_before = where[key]
        before = list(range(1, n_before + 1))
        after = list(range(1, 4 - n_before))
        if ev.precision == "day":
            wrong_dates = [ev.date - timedelta(days=o) for o in reversed(before)] + [ev.date + timedelta(days=o) for o in after]
            stem = f"On what date did this happen: {quoted(ev.title)}?"
        else:
            wrong_dates = [ev.date.replace(year=ev.date.year - o) for o in reversed(before)]
            wrong_dates += [ev.date.replace(year=ev.date.year + o) for o in after]
            stem = f"In what year did this happen: {quoted(ev.title)}?"
        right = fmt_date(ev.date, ev.precision)
        dating = _dating_sentence(facts, quotes, ev)
        wrong = [(fmt_date(d, ev.precision), f"No. {dating}", tuple(quotes)) for d in wrong_dates]
        yield _choice(
            key=key,
            template="when",
            qtype="date",
            stem=stem,
            correct=[(right, f"Yes. {dating}", tuple(quotes))],
            wrong=wrong,
            seed=seed,
            shuffle=False,
            order=list(range(n_before)) + [-1] + list(range(n_before, 3)),
            explanation=dating,
            evidence=[*quotes, *ev.evidence],
            fact_ids=[f"event:{ev.slug}"],
            topics=ev.topics,
            difficulty=0.55 if ev.precision == "day" else 0.4,
        )


def t_true_false(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """True/false on an explicitly dated day: as many true as false items, by a stable hash."""
    # True and false are balanced over a stable hash of each item, and never step through a cycle in
    # bank (key) order (True, False, True ...): a learner who spots it needs no knowledge.
    dated = dated_events(facts)
    kinds = recall_kinds(dated)
    events = sorted(((ev, q) for ev, q in dated if kinds.get(ev.slug) == "tf-date"), key=lambda p: f"tf-date:event/{p[0].slug}")
    where = positions_without_cycle([f"tf-date:event/{ev.slug}" for ev, _ in events], 2, shift=_rng(seed, "tf-date").randrange(2))
    for ev, quotes in events:
        key = f"tf-date:event/{ev.slug}"
        rng = _rng(seed, key)
        truth = where[key] == 0
        shown = ev.date if truth else ev.date + timedelta(days=rng.choice([-2, -1, 1, 2]))
        dating = _dating_sentence(facts, quotes, ev)
        verdict = "True" if truth else f"False: not {fmt_date(shown)}"
        yield _true_false(
            key,
            "tf-date",
            f"Is it true that this happened on {fmt_date(shown)}: {quoted(ev.title)}?",
            truth,
            f"{verdict}. {dating}",
            [*quotes, *ev.evidence],
            [f"event:{ev.slug}"],
            ev.topics,
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


def display_order(chain: list[EventFact], rng: random.Random) -> list[EventFact]:
    """The order an ordering item shows its events in: drawn by the item's stable hash from the
    arrangements that are neither the key's order nor its reverse (latest first is no puzzle)."""
    from itertools import permutations

    key, backwards = list(chain), list(reversed(chain))
    arrangements = [list(p) for p in permutations(chain) if list(p) not in (key, backwards)]
    return rng.choice(arrangements) if arrangements else key


def t_ordering(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Chronology: put 3 or 4 explicitly dated events of one period in order; every pair is surely ordered, and
    no event is in more than three sets, so the sets do not repeat each other."""
    dated = dated_events(facts)
    quotes = {ev.slug: q for ev, q in dated}
    events = [ev for ev, _ in dated]
    rng = _rng(seed, "ordering")
    seen: set[tuple[str, ...]] = set()
    uses: Counter[str] = Counter()
    for _ in range(400):
        if len(events) < 3:
            return
        size = rng.choice([3, 4])
        free = [e for e in events if uses[e.slug] < 3]
        if len(free) < size:
            break
        start = rng.randrange(len(free))
        chain = [free[start]]
        candidates = free[start + 1 :]
        rng.shuffle(candidates)
        for ev in sorted(candidates[: size * 3], key=lambda e: e.earliest):
            if chain[-1].surely_before(ev) and facts.one_period([*chain, ev]):
                chain.append(ev)
            if len(chain) == size:
                break
        ids = tuple(e.slug for e in chain)
        if len(chain) < 3 or ids in seen:
            continue
        seen.add(ids)
        uses.update(ids)
        key = "order:" + "+".join(f"event/{s}" for s in ids)
        shown = display_order(chain, _rng(seed, key))
        item_ids = {e.slug: f"e{i + 1}" for i, e in enumerate(shown)}
        yield QuestionDraft(
            key=key,
            template="order",
            qtype="ordering",
            stem="Put these events in the order they happened, earliest first:",
            options=[
                OptionDraft(
                    id=item_ids[e.slug],
                    text=e.title,
                    explanation=_dating_sentence(facts, quotes[e.slug], e),
                    evidence=tuple(quotes[e.slug]),
                )
                for e in shown
            ],
            answer={"order": [item_ids[e.slug] for e in chain]},
            explanation=" Then ".join(f"{quoted(e.title)} ({fmt_event_date(e)})." for e in chain),
            evidence=[ev for e in chain for ev in quotes[e.slug][:1]],
            fact_ids=[f"event:{e.slug}" for e in chain],
            topics=sorted({t for e in chain for t in e.topics}),
            difficulty=round(0.45 + 0.08 * len(chain), 2),
            fixed_order=True,
        )
        if len(seen) >= 12:
            break


def report_attribution(facts: Facts, report: ReportFact) -> str:
    """Who gives a figure, said once: 'Meduza', or 'Tokayev, as quoted in Therese Askarbek’s report'."""
    citations = and_list([facts.sources[s].citation for s in report.sources if s in facts.sources])
    if report.reported_by:
        return f"{entity_subject(facts.entities[report.reported_by])} (as reported in {citations})"
    return citations


def plural_subject(subject: str) -> bool:
    """Whether a subject is a plural common noun ("spokespeople for the airport", "officials"),
    judged by its head word as the data writes it (a name such as "Reuters" starts upper-case)."""
    head = subject.split()[0] if subject.split() else ""
    return head[:1].islower() and (head.endswith(("people", "men", "women")) or (head.endswith("s") and not head.endswith("ss")))


def gives(subject: str, *, many: bool = False) -> str:
    """'give' for a plural subject (a plural common noun, or `many`: a list of sources), else 'gives'."""
    return "give" if many or plural_subject(subject) else "gives"


def does(report: ReportFact, who: str) -> str:
    """'do' or 'does', agreeing with a report's attribution."""
    return "do" if attribution_verb(report, who) == "give" else "does"


def attribution_verb(report: ReportFact, who: str) -> str:
    """The verb 'give' agreeing with a report's attribution (several sources without a speaker are plural)."""
    return gives(who, many=not report.reported_by and len(report.sources) > 1)


def entity_subject(entity: EntityFact) -> str:
    """An entity as a sentence's subject; a descriptive name ("Senior aide to the prosecutor
    general") is not a proper name, so it takes the indefinite article and a lower-case start."""
    long_words = [w for w in re.findall(r"[A-Za-z’'-]+", entity.name) if len(w) >= 4]
    if entity.kind == "person" and any(w[0].islower() for w in long_words):
        text = entity.name[:1].lower() + entity.name[1:]
        return ("an " if text[0] in "aeiou" else "a ") + text
    return entity.subject


def _askable(fig: FigureFact, report: ReportFact) -> bool:
    """A report a number may be asked from: one number, written in its quote; a unit that gives
    nothing away."""
    if report.value is None and report.high is not None:
        return False
    if re.search(r"\d|=|\(", fig.unit):
        return False
    return number_in(report.number, " ".join(e.quote for e in report.evidence))


def _figure_versions(facts: Facts, fig: FigureFact) -> str:
    return "; ".join(f"{report_attribution(facts, r)}: {fmt_report(r, fig.unit)}" for r in fig.reports)


def _quantity(fig: FigureFact) -> tuple[str, frozenset[tuple[str, str]], frozenset[tuple[str | None, str | None]]]:
    """What a figure counts, whatever its unit: two figures from the same quotes, by the same
    speaker, of the same measure but for its ", in <unit>" tail are one quantity converted."""
    measure = re.split(r",\s+in\s+", fig.measure)[0].strip().lower()
    quotes = frozenset((e.source, e.quote) for r in fig.reports for e in r.evidence)
    speakers = frozenset((r.reported_by, r.as_of) for r in fig.reports)
    return (measure, quotes, speakers)


def bare_lower_bound(report: ReportFact) -> bool:
    """'At least one ...': the number says only that it happened, it is no figure to learn."""
    return report.qualifier in ("at_least", "more_than", "over") and report.number is not None and report.number <= 1


def t_number(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Numeric: the number a source gave for a figure the sources do not dispute; one item per
    quantity (a conversion into another unit is no second item), never a bare "at least one"."""
    asked: set[tuple[str, frozenset[tuple[str, str]], frozenset[tuple[str | None, str | None]]]] = set()

    def first_stated(fig: FigureFact) -> tuple[int, str]:
        # Of a quantity's conversions, ask the one the quote states first (the other is the
        # reporter's conversion, "450 pounds, about 600 dollars").
        quote = " ".join(e.quote for r in fig.reports for e in r.evidence)
        spots = [m.start() for r in fig.reports for m in re.finditer(re.escape(fmt_number(r.number)), quote)]
        return (min(spots, default=len(quote)), fig.slug)

    for fig in sorted(facts.figures.values(), key=first_stated):
        if fig.contested:
            continue
        report = next((r for r in fig.reports if _askable(fig, r)), None)
        if report is None or bare_lower_bound(report) or _quantity(fig) in asked:
            continue
        asked.add(_quantity(fig))
        key = f"number:figure/{fig.slug}"
        who = report_attribution(facts, report)
        tolerance = float(report.number) * 0.05 if report.qualifier in ("about", "nearly") else 0
        explanation = f"{cap(who)} {attribution_verb(report, who)} {fmt_report(report, fig.unit)}."
        same = [report_attribution(facts, r) for r in fig.reports if r is not report]
        if same:
            explanation += f" {cap(and_list(same))} {'give' if len(same) > 1 or ' and ' in same[0] else 'gives'} the same figure."
        yield QuestionDraft(
            key=key,
            template="number",
            qtype="numeric",
            stem=f"What figure {does(report, who)} {who} give for {measure_phrase(fig.measure, fig.unit)}?",
            options=[],
            answer={"value": float(report.number), "tolerance": round(tolerance, 2), "unit": fig.unit, "qualifier": report.qualifier},
            explanation=explanation,
            evidence=_dedupe(e for r in fig.reports for e in r.evidence),
            fact_ids=[f"figure:{fig.slug}"],
            topics=sorted(fig.topics),
            difficulty=0.7,
            answer_texts=[fmt_number(report.number)],
        )


def _magnitudes(values: set[Decimal], key: Decimal, rng: random.Random, qualifier: str = "exact") -> list[Decimal]:
    """Plausible numbers no source gave, nearest the key first: round figures (1, 1.5, 2, 2.5, 4,
    6, 7, 8 times a power of ten) that are no simple multiple or fraction of a reported number
    (no doubles, halves or tenfolds) and never within a quarter of one ("nearly 10,000" would make
    9,000 defensible); small counts take their neighbours."""
    if key < 10:
        near = [key + 1, key + 2, key - 1, key + 3, key - 2]
        if qualifier in LOWER_BOUNDS:
            near = [c for c in near if c > key]
        elif qualifier in UPPER_BOUNDS:
            near = [c for c in near if c < key]
        return [c for c in near if c > 0 and c not in values]
    out: set[Decimal] = set()
    top = len(str(int(max(values))))
    for power in range(max(0, len(str(int(key))) - 2), top + 1):
        for m in ("1", "1.5", "2", "2.5", "4", "6", "7", "8"):
            c = (Decimal(m) * Decimal(10) ** power).to_integral_value()
            if c <= 0 or c in values or any(abs(c - w) < w / 4 for w in values) or any(simple_ratio(c, w) for w in values):
                continue
            out.add(c)
    # A bound the key implies is no wrong option: "more than 800" holds if "more than 3,000" does.
    if qualifier in LOWER_BOUNDS:
        out = {c for c in out if c > key}
    elif qualifier in UPPER_BOUNDS:
        out = {c for c in out if c < key}
    ranked = sorted(out, key=lambda c: (abs(math.log(float(c) / float(key))), c))[:3]
    rng.shuffle(ranked)
    return ranked


# The framing that says the figures count one thing: only for a figure whose reports count one scope.
DISAGREE_FRAMING = "The sources give more than one figure for"


def t_sources_disagree(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Sources disagree: what figure does THIS source give, where the versions differ? The other
    versions are distractors, and the explanation says why they may differ where the data says."""
    for fig in facts.figures.values():
        if not fig.contested:
            continue
        explanation = f"The versions: {_figure_versions(facts, fig)}."
        if fig.differ.get("because"):
            explanation += " " + fig.differ["because"]
        for i, report in enumerate(fig.reports):
            key = f"disagree:figure/{fig.slug}#{i}"
            # "What figure does X give?" has two right answers when X (the same source, and speaker)
            # gives another figure of the same measure too: the stem names no moment to tell them apart.
            if any(r is not report and r.number != report.number and same_giver(report, r) for r in fig.reports):
                continue
            rng = _rng(seed, key)
            right_text = cap(fmt_report(report, fig.unit))
            wrong: list[Option] = []
            for r in fig.reports:
                text = cap(fmt_report(r, fig.unit))
                if text != right_text and text not in [w[0] for w in wrong]:
                    by = report_attribution(facts, r)
                    wrong.append((text, f"No. That is the figure {by} {attribution_verb(r, by)}.", r.evidence))
            numbers = {r.number for r in fig.reports}
            hedge = QUALIFIER_WORDS.get(report.qualifier, "")
            for n in _magnitudes(numbers, report.number, rng, report.qualifier):
                if len(wrong) >= 3:
                    break
                if invented_figure_in_sources(n, facts):
                    continue  # a number some source writes (of anything) is not offered as one no source gives
                # A made-up figure is hedged like the key ("about 8,000" beside "about 10,000").
                wrong.append(
                    (
                        cap(hedge + option_count(n, fig.unit)),
                        f"No. No source gives this figure for {measure_phrase(fig.measure, fig.unit)}.",
                        (),
                    )
                )
            if len(wrong) < 2:
                continue
            who = report_attribution(facts, report)
            # "More than one figure" only for figures the data says count the same scope; otherwise the
            # plain question, and the explanation says why they differ (r10).
            measure = measure_phrase(fig.measure, fig.unit)
            stem = (
                f"{DISAGREE_FRAMING} {measure}. What figure {does(report, who)} {who} give?"
                if fig.one_scope
                else f"What figure {does(report, who)} {who} give for {measure}?"
            )
            yield _choice(
                key=key,
                template="disagree",
                qtype="sources_disagree",
                stem=stem,
                correct=[(right_text, f"Yes. That is the figure {who} {attribution_verb(report, who)}.", report.evidence)],
                wrong=wrong[:3],
                seed=seed,
                explanation=explanation,
                evidence=[*report.evidence, *(e for r in fig.reports for e in r.evidence)],
                fact_ids=[f"figure:{fig.slug}"],
                topics=[*fig.topics, *facts.topic_for("sources")],
                difficulty=0.75,
            )


def hash_rank(key: str) -> str:
    """A stable, order-free sort key: items ranked by it show no pattern in bank order."""
    return hashlib.sha256(key.encode()).hexdigest()


def cycles(positions: list[int], n: int) -> bool:
    """Whether key positions, in bank order, step through a fixed cycle (a, b, c, d, a ... or a, b, a, b ...):
    the same rule as the audit's key-rotation check."""
    if len(positions) < 4:
        return False
    steps = Counter((b - a) % n for a, b in zip(positions, positions[1:], strict=False))
    step, count = steps.most_common(1)[0]
    return step != 0 and count >= 0.8 * (len(positions) - 1)


def positions_without_cycle(keys: list[str], n: int, *, shift: int) -> dict[str, int]:
    """Key position per item: every position equally often, assigned by a stable hash of the item's key,
    re-drawn with a salt while the positions in bank (key) order would step through a cycle."""
    where: dict[str, int] = {}
    for salt in range(64):
        ranked = sorted(keys, key=lambda k: hash_rank(f"{salt}:{k}" if salt else k))
        where = {k: (i + shift) % n for i, k in enumerate(ranked)}
        if not cycles([where[k] for k in sorted(keys)], n):
            break
    return where


def balance_key_positions(drafts: list[QuestionDraft]) -> None:
    """Move each single-key item's key so that, over a template's items with the same number of
    options, it sits in every position equally often; positions go by a stable hash of the item's
    key, so they do not rotate in bank order (items with a meaningful order keep it)."""
    groups: dict[tuple[str, int], list[QuestionDraft]] = {}
    for d in sorted(drafts, key=lambda d: hash_rank(d.key)):
        keyed = [o for o in d.options if o.correct]
        if d.fixed_order or not QTYPES[d.qtype].single_key or len(keyed) != 1:
            continue
        groups.setdefault((d.template, len(d.options)), []).append(d)
    for (template, n), items in groups.items():
        where = positions_without_cycle([d.key for d in items], n, shift=_rng(0, template).randrange(n))
        for d in items:
            key_option = next(o for o in d.options if o.correct)
            others = [o for o in d.options if not o.correct]
            others.insert(where[d.key], key_option)
            for letter, o in zip(LETTERS, others, strict=False):
                o.id = letter
            d.options = others
            d.answer = {"correct": key_option.id}


TEMPLATES: list[Callable[[Facts, int], Iterable[QuestionDraft]]] = [
    t_when,
    t_number,
    t_sources_disagree,
    t_true_false,
    t_ordering,
]


def questions_generate(facts: Facts, *, seed: int = 0) -> list[QuestionDraft]:
    """Every question the templates can draw from the facts, sorted by key (keys are unique), with
    the key's position balanced over each template's items."""
    # The historical-thinking templates build on this module's helpers, hence the late import.
    from quizzes.generation.matching import MATCHING_TEMPLATES
    from quizzes.generation.thinking import THINKING_TEMPLATES

    drafts: dict[str, QuestionDraft] = {}
    for template in [*TEMPLATES, *THINKING_TEMPLATES, *MATCHING_TEMPLATES]:
        for draft in template(facts, seed):
            drafts.setdefault(draft.key, draft)
    return bank_rules_apply([drafts[k] for k in sorted(drafts)], facts, seed=seed)


def bank_rules_apply(drafts: list[QuestionDraft], facts: Facts, *, seed: int = 0) -> list[QuestionDraft]:
    """The rules that hold over the whole bank, after every template has run: no citation line as
    evidence (an item left with none is dropped), every body or speaker the stem names named by a
    quote, no quote pointing back to what it does not show, one number item per source sentence, date
    items per event, no item whose key (figure, year, date) another item prints before it is answered,
    and the key's position (a date window's place around the key too) balanced per template."""
    out = [d for d in (drop_citation_evidence(d) for d in drafts) if d.evidence]
    out = [d for d in out if not check_stem_names_in_evidence(d, facts) and not item_dangling_quotes(d)]
    out = one_number_per_sentence(out, facts)
    out = date_items_per_event(out)
    given = bank_giveaways(out)
    out = [d for d in out if d.key not in given]
    # The date window's place around the key is balanced over the items the bank keeps, not over those
    # the rules above dropped: else every kept key may sit inside its window, never earliest or latest (r11).
    redone = {d.key: drop_citation_evidence(d) for d in t_when(facts, seed, only={d.key for d in out if d.template == "when"})}
    out = [redone.get(d.key, d) for d in out]
    balance_key_positions(out)
    return out


# Templates that ask an event's date, recall first: a day asked two ways (its date, and whether it was
# that day) repeats one fact, and an event in many date items teaches its day and nothing else: one
# recall item and at most two sets per event, and no two sets sharing two events.
RECALL_DATE_TEMPLATES = ("when", "tf-date")
# Sets of events, the stricter first (a matching set needs days, an ordering set takes years too).
SET_DATE_TEMPLATES = ("match-date", "order")
DATE_TEMPLATES = (*RECALL_DATE_TEMPLATES, *SET_DATE_TEMPLATES)
MAX_DATE_ITEMS_PER_EVENT = 3


def _date_events(d: QuestionDraft) -> list[str]:
    return [f for f in d.fact_ids if f.startswith("event:")] if d.template in DATE_TEMPLATES else []


def _fit_sets(sets: list[QuestionDraft], uses: Counter[str], first: str) -> list[QuestionDraft]:
    """The sets kept, taken one at a time while their events have room and no kept set shares two of
    their events (two sets on one pair of events repeat a comparison): the template with the fewest
    kept so far, `first` on a tie, then by key."""
    events = {d.key: set(_date_events(d)) for d in sets}
    kept: Counter[str] = Counter()
    left, out = list(sets), list[QuestionDraft]()
    while fits := [
        d
        for d in left
        if all(uses[f] < MAX_DATE_ITEMS_PER_EVENT for f in events[d.key]) and all(len(events[k.key] & events[d.key]) < 2 for k in out)
    ]:
        pick = min(fits, key=lambda d: (kept[d.template], d.template != first, d.key))
        kept[pick.template] += 1
        uses.update(events[pick.key])
        left.remove(pick)
        out.append(pick)
    return out


def date_items_per_event(drafts: list[QuestionDraft]) -> list[QuestionDraft]:
    """At most MAX_DATE_ITEMS_PER_EVENT date items of any template per event: its one recall item
    (recall_kinds), then matching and ordering sets, each kept only while every event it shows has
    room. Items of other templates pass untouched."""
    uses: Counter[str] = Counter()
    for d in drafts:
        if d.template in RECALL_DATE_TEMPLATES:
            uses.update(_date_events(d))
    # Then the sets, one at a time: of those whose events all have room, one of the template with the
    # fewest kept so far, so a bank keeps both kinds of set where its events allow. Which kind goes
    # first decides what fits after it: both orders are tried, and the one keeping more kinds (then
    # more sets) wins.
    sets = sorted((d for d in drafts if d.template in SET_DATE_TEMPLATES), key=lambda d: d.key)
    choices = [_fit_sets(sets, Counter(uses), first) for first in SET_DATE_TEMPLATES]
    best = {d.key for d in max(choices, key=lambda kept: (len({d.template for d in kept}), len(kept)))}
    return [d for d in drafts if d.template not in SET_DATE_TEMPLATES or d.key in best]


def drop_citation_evidence(d: QuestionDraft) -> QuestionDraft:
    """A reference-list or footnote line shows nothing: it is never cited as evidence."""
    d.evidence = [e for e in d.evidence if not citation_line(e.quote)]
    for o in d.options:
        o.evidence = tuple(e for e in o.evidence if not citation_line(e.quote))
    return d


# Which number items keep a sentence when two read it: figures compared across sources first.
NUMBER_PRIORITY = {"disagree": 0, "number": 1}


def one_number_per_sentence(drafts: list[QuestionDraft], facts: Facts) -> list[QuestionDraft]:
    """At most one number item per source sentence (two quantities from one sentence give each
    other away or test one reading): the first by template priority, then by key, keeps it."""
    taken: set[tuple[str, int]] = set()
    dropped: set[str] = set()
    values: set[float] = set()
    for d in sorted(drafts, key=lambda d: (NUMBER_PRIORITY.get(d.template, 9), d.key)):
        spots = number_sentences(d, facts)
        value = d.answer.get("value") if d.qtype == "numeric" else None
        # Two number items with one answer figure invite a mix-up (or repeat each other).
        if spots & taken or (value is not None and value in values):
            dropped.add(d.key)
            continue
        taken |= spots
        if value is not None:
            values.add(value)
    return [d for d in drafts if d.key not in dropped]
