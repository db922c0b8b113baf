"""'What happened next' scenarios: paths written as data, checked and assembled here (PURE: no ORM).

A scenario path lives in an episode's data files (`scenarios:`, format in
quizzes/dataset/schema/dataset.schema.json, guide in docs/scenarios.md). Nothing about its content
is in Python: this module only

- reads a path into a `ScenarioSpec` (`spec_from_raw`),
- checks it against the event data (`scenario_check`, `scenarios_check`): every rule has a code
  (RULES) and every problem names the rule and the step, so the loader, the generator and the
  admin report the same thing,
- assembles the drafts the services save (`scenario_assemble`): the step's date and the briefing
  come from the timeline (the events of the dataset's link chains between the previous step and
  this one), never from hand-written text.

Dating: an event's date span (date .. date_end) covers every source's dating of it (the dataset's
convention), so "surely before" means before under every source; where the order rests on a
source's words rather than dates, the dataset's links carry that passage.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import random
import re
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from quizzes.dates import SaidDate, date_label, date_span_label
from quizzes.generation.audit import place
from quizzes.generation.facts import EventFact, Evidence, Facts, dangling_quotes
from quizzes.said import Said, _, joined, ngettext
from quizzes.sources.kinds import kind_words, source_name

SCENARIO_GENERATOR_VERSION = "2.0"
# A shown quote that names no actor stands alone only from this length (rule short-quote).
MIN_STANDALONE_WORDS = 12
LETTERS = "abcd"
OPTION_KINDS = ("happened", "later", "did_not_happen")

# Every rule the checker enforces, by code; docs/scenarios.md explains each.
RULES = {
    "shape": "a step has 3 or 4 options with distinct ids and texts, exactly one of them what happened",
    "unknown-ref": "every event, dispute and topic a path names exists in the dataset",
    "dating": "the answer comes after everything briefed, and every 'later' option after the answer, under every source's dating",
    "contested-order": "an event whose date the sources dispute is never a key or a 'later' option outside a step about that dispute",
    "briefing": "the briefing lists every event of the dataset's chains between the previous step and this one, and nothing after the step",
    "unintroduced": "no option names an actor or place the learner has not met yet, unless it is the answer",
    "negation": "no option is the negation or a rewording of another",
    "reused-answer": "no step's answer is the answer of another step, and no option repeats one already explained in the path",
    "duplicate-step": "no step is duplicated across scenarios",
    "spoiler": "title, intro, prompt and briefing never state the answer of this or a later step",
    "evidence": "the answer and each 'later' option cite passages about their events; every option is explained and cites evidence",
    "refutation": "a wrong option is refuted by evidence, never only by the claim of an interested party",
    "both-accounts": "a contested point shows at least two accounts, each with who gives it",
    "generator-text": "no generator working (slugs, placeholders, template phrases) in learner text",
    "branch": "a branch follows a wrong option and asks a new question, not the parent's again",
    "feedback-spoiler": "no option feedback, account, reveal or reflection states the answer of a step played after it",
    "option-shape": "the options are of one kind and one shape: same grammatical start, similar length, none a non-answer",
    "prompt-hint": "the prompt names nothing that only the answer fits (a content word the key shares with no wrong option)",
    "step-date": "learner text before the answer names no date after the step's date (the briefing's 'now')",
    "comparison": "a 'so far' figure compared with another figure states the date of each",
    "untraced": "every number and date in learner text appears in a quote the step cites or the learner has been shown",
    "distractor-overlap": "no two wrong options are variations of one idea (most of their content words shared)",
    "unqualified-key": (
        "the key is not the only option without an exclusion or qualifier ('alone', 'with no', 'while', 'instead'), "
        "nor a superset of another option"
    ),
    "earlier-text": "no earlier learner text (briefings, feedback, reveals, reflections) names what only the key says",
    "fragment-evidence": "a bibliographic or footnote fragment is never evidence alone, only with its sentence",
    "moment": (
        "a step's moment is not after the earliest day any source gives for its answer: the briefing holds only events "
        "every source places no later than that day"
    ),
    "our-reading": "a day read from a weekday or from context is written as ours ('Thursday (our reading: 6 January)')",
    "contested-date": "a day the sources dispute is never written as a plain fact: give the range or say who dates it",
    "open-prompt": "a prompt that allows 'no one' or 'nothing' ('who, if anyone') offers that answer as an option",
    "dangling-quote": "a quote that opens by pointing back ('the decision', 'he', 'this') is shown with what it points to",
    "abbreviation": "an abbreviation is spelled out where the learner first reads it",
    "short-quote": (
        "a quote shown with the reveal, an account or the key names who acts (a person, organisation or group), is a "
        f"whole sentence, states a figure or is at least {MIN_STANDALONE_WORDS} words long: "
        "a fragment ('restored price controls') shows no one doing anything"
    ),
    "account-quotes": "an account cites a quote, and every source its line names is quoted in that line",
    "no-source": "a 'no source reports X' statement holds: no source has a sentence with every content word of X",
    "path-dates": (
        "along every path, branches included, the step dates never go backwards: a branch lies between its parent and the next main step"
    ),
    "source-names": (
        "two different sources a path cites are never shown under one name (outlet, author and kind, or kind: "
        "quizzes.sources.names): the learner must tell whose quote it is"
    ),
}

# Phrases of machine-made or unfinished text; learner text must read as written by a teacher.
_GENERATOR_TEXT = re.compile(
    r"(\{\{|\}\}|\{[a-z_]+\}|\bTODO\b|\bFIXME\b|\bXXX\b|\bslug\b|\bdistractor\b|\bevent:[a-z]|\bdataset\b|\bgenerator\b|"
    r"\bthe data (?:says|puts|has)\b|this did happen, but later|those who chose|for those who|"
    r"the next question for|\bcounterfactual\b|\bkeyed\b|\boption [a-d]\b)",
    re.IGNORECASE,
)
_NEGATIONS = {
    "not",
    "no",
    "never",
    "without",
    "doesn't",
    "don't",
    "didn't",
    "does",
    "do",
    "did",
    "refuses",
    "refused",
    "rejects",
    "declines",
    "fails",
    "stays",
    "remains",
    "nothing",
    "neither",
    "nor",
}
_STOP = {
    "the",
    "a",
    "an",
    "of",
    "to",
    "in",
    "on",
    "and",
    "or",
    "for",
    "with",
    "by",
    "at",
    "as",
    "its",
    "his",
    "her",
    "their",
    "that",
    "this",
    "is",
    "are",
    "was",
    "were",
    "be",
    "it",
    "from",
    "into",
    "than",
    "more",
    "had",
    "has",
    "have",
    "been",
    "would",
    "will",
    "could",
    "they",
    "them",
    "him",
    "what",
    "which",
    "who",
    "then",
    "also",
}


# --- the path as data -------------------------------------------------------------------------


@dataclass(frozen=True)
class OptionSpec:
    id: str
    text: str
    kind: str  # happened (the key), later (happened, but after the answer), did_not_happen
    explanation: str
    evidence: tuple[Evidence, ...]
    events: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccountSpec:
    by: str  # who gives this account, as the learner reads it
    text: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class StepSpec:
    key: str
    prompt: str
    options: tuple[OptionSpec, ...]
    reveal: str
    reveal_evidence: tuple[Evidence, ...]
    kind: str = "next"  # next, or dispute: a step about a point the sources disagree on
    dispute: str | None = None
    accounts: tuple[AccountSpec, ...] = ()
    also_known: tuple[str, ...] = ()  # events briefed in addition to the chain events
    reflection: str = ""
    branches: tuple[BranchSpec, ...] = ()

    @property
    def answer(self) -> OptionSpec | None:
        keyed = [o for o in self.options if o.kind == "happened"]
        return keyed[0] if len(keyed) == 1 else None

    @property
    def answer_events(self) -> tuple[str, ...]:
        return self.answer.events if self.answer else ()


@dataclass(frozen=True)
class BranchSpec:
    """A follow-up played only by learners who chose option `on`: a new question that follows from that choice."""

    on: str
    step: StepSpec


@dataclass(frozen=True)
class ScenarioSpec:
    slug: str
    title: str
    intro: str
    topics: tuple[str, ...]
    start: tuple[str, ...]  # events the learner knows when the path opens
    steps: tuple[StepSpec, ...]
    position: int = 0
    file: str = ""


@dataclass(frozen=True)
class Problem:
    rule: str
    scenario: str
    step: str | None
    message: str

    def __str__(self) -> str:
        return str(self.said())

    def said(self) -> Said:
        """The problem as one sentence of ours, "[rule] scenario step key: message", translated where shown."""
        where = _("step %(step)s", step=self.step) if self.step else _("(scenario)")
        return joined(
            "[%(rule)s] %(scenario)s %(where)s: %(message)s", rule=self.rule, scenario=self.scenario, where=where, message=self.message
        )


# The parts of a step a problem can name, said in the curator's language where the problem is shown.
PARTS = {
    "prompt": _("prompt"),
    "briefing": _("briefing"),
    "title": _("title"),
    "intro": _("intro"),
    "reveal": _("reveal"),
    "reflection": _("reflection"),
    "key": _("key option"),
}


def part(name: str) -> Said | str:
    """A part of a step as a problem names it: "prompt", "option b", "option b explanation", "account by X"."""
    if name in PARTS:
        return PARTS[name]
    if m := re.fullmatch(r"account by (.+)", name, re.S):
        return _("account by %(by)s", by=m.group(1))
    return place(name)  # options and their explanations are named as in a question


class ScenarioInvalid(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


Locate = Callable[[str, str, int], Evidence]  # (source slug, quote, occurrence) -> evidence; raises ValueError


def _evidence(raw: list | None, locate: Locate) -> tuple[Evidence, ...]:
    return tuple(locate(e["source"], e["quote"], e.get("occurrence", 1)) for e in raw or [])


def _step_from_raw(raw: dict, locate: Locate) -> StepSpec:
    options = tuple(
        OptionSpec(
            id=str(o["id"]),
            text=o["text"].strip(),
            kind=o["kind"],
            explanation=o.get("explanation", "").strip(),
            evidence=_evidence(o.get("evidence"), locate),
            events=tuple(o.get("events", [])),
        )
        for o in raw.get("options", [])
    )
    return StepSpec(
        key=raw["key"],
        prompt=raw["prompt"].strip(),
        options=options,
        reveal=raw.get("reveal", "").strip(),
        reveal_evidence=_evidence(raw.get("reveal_evidence"), locate),
        kind=raw.get("kind", "next"),
        dispute=raw.get("dispute"),
        accounts=tuple(
            AccountSpec(a["by"], a.get("text", "").strip(), _evidence(a.get("evidence"), locate)) for a in raw.get("accounts", [])
        ),
        also_known=tuple(raw.get("also_known", [])),
        reflection=raw.get("reflection", "").strip(),
        branches=tuple(BranchSpec(str(b["if_chosen"]), _step_from_raw(b["step"], locate)) for b in raw.get("branches", [])),
    )


def spec_from_raw(raw: dict, locate: Locate, *, position: int = 0, file: str = "") -> ScenarioSpec:
    """A scenario path as written in a data file (already schema-valid), its quotes located."""
    return ScenarioSpec(
        slug=raw["slug"],
        title=raw["title"].strip(),
        intro=raw["intro"].strip(),
        topics=tuple(raw.get("topics", [])),
        start=tuple(raw.get("start", [])),
        steps=tuple(_step_from_raw(s, locate) for s in raw["steps"]),
        position=raw.get("position", position),
        file=file,
    )


# --- dates as shown ---------------------------------------------------------------------------


def event_date_label(ev: EventFact) -> str:
    """'5 January 2022', 'between 4 and 6 January 2022', 'January 2022', '2019'; 'probably 18 January 2022' for a
    day worked out rather than stated."""
    return ev.when_label


def step_date_label(known: list[EventFact], when: date) -> str:
    """The step's date as precisely as the events that fix it: a day, a span of days when they are known only within
    one ('between 4 and 6 January 2022'), or their month or year. A day no source states
    (worked out, read from a weekday or from context) keeps the events' own label, 'Thursday (our reading: 6 January
    2022)', or 'probably 6 January 2022' when they read it differently."""
    fixing = [e for e in known if e.latest == when]
    if not fixing:  # the moment is the answer's earliest day, before the latest day of what is known
        return date_label(when)
    if all(e.hedged and e.exact_day for e in fixing):
        labels = {e.when_label for e in fixing}
        return labels.pop() if len(labels) == 1 else f"probably {date_label(when)}"
    if all(e.date_end for e in fixing):
        # what fixes the moment is a span of days: the step is somewhere in it, not on its last day
        return date_span_label(max(e.earliest for e in fixing), when)
    if any(e.precision == "day" for e in fixing):
        return date_label(when)
    if any(e.precision == "month" for e in fixing):
        return date_label(when, "month")
    return date_label(when, "year")


# --- the timeline -----------------------------------------------------------------------------


class Timeline:
    """Events in order: by sure dates, or by the dataset's links (a source saying one came after or because of another)."""

    def __init__(self, facts: Facts):
        self.facts = facts
        self.events = facts.events
        self.after: dict[str, set[str]] = {}
        self.before: dict[str, set[str]] = {}
        for link in facts.links:
            first, then = (link.target, link.source) if link.kind == "in_response_to" else (link.source, link.target)
            self.after.setdefault(first, set()).add(then)
            self.before.setdefault(then, set()).add(first)
        self.order_disputes = [(d.slug, set(d.events)) for d in facts.disputes.values() if "order" in d.contests]
        self._names = self._entity_names()
        slugs = [s for pool in (facts.events, facts.entities, facts.disputes, facts.figures, facts.claims) for s in pool if "-" in s]
        self._slugs = (
            re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(slugs, key=len, reverse=True))) + r")(?![\w-])") if slugs else None
        )

    def _reach(self, start: Iterable[str], graph: dict[str, set[str]]) -> set[str]:
        seen, queue = set(start), deque(start)
        while queue:
            for nxt in graph.get(queue.popleft(), ()):
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append(nxt)
        return seen

    def bearing(self, e: Evidence) -> set[str]:
        """The events a passage is evidence for, directly or as a link's evidence (both ends)."""
        out = {slug for slug, ev in self.events.items() if _overlaps(e, ev.evidence)}
        out |= {x for link in self.facts.links if _overlaps(e, link.evidence) for x in (link.source, link.target)}
        return out

    def linked_before(self, first: str, then: str) -> bool:
        return then in self._reach([first], self.after) - {first}

    def surely_before(self, first: str, then: str) -> bool:
        """True when every source's dating, or a link, puts `first` before `then`."""
        a, b = self.events[first], self.events[then]
        return a.latest < b.earliest or self.linked_before(first, then)

    def chain_between(self, known: set[str], target: set[str]) -> set[str]:
        """Events on a chain of links leading from something known to the target."""
        return (self._reach(known, self.after) & self._reach(target, self.before)) - known - target

    def ordered(self, slugs: Iterable[str]) -> list[str]:
        """Date and causal order: a linked event never before its cause, otherwise by date."""
        pending = sorted(set(slugs), key=lambda s: (self.events[s].earliest, self.events[s].latest, s))
        out: list[str] = []
        while pending:
            for s in pending:
                if not any(p != s and self.linked_before(p, s) for p in pending):
                    break
            else:
                s = pending[0]  # a cycle in the links: fall back to dates
            pending.remove(s)
            out.append(s)
        return out

    def slug_in(self, text: str) -> re.Match | None:
        """A dataset slug (event, entity, dispute, figure) showing in learner text."""
        return self._slugs.search(text) if self._slugs else None

    def _entity_names(self) -> dict[str, set[str]]:
        names: dict[str, set[str]] = {}
        for ent in self.facts.entities.values():
            found = set()
            for name in ent.names:
                bare = re.sub(r"\s*\(.*?\)", "", name).strip()
                if bare:
                    found.add(bare)
                found.update(m for m in re.findall(r"\(([A-Z]{2,})\)", name))
            if ent.kind == "person":
                found.update(re.sub(r"\s*\(.*?\)", "", n).split()[-1] for n in ent.names if n.split())
            names[ent.slug] = {n for n in found if len(n) >= 3 and n[0].isupper()}
        return names

    def named(self, text: str) -> set[str]:
        """The entities (people, organisations, places) a text names."""
        return {slug for slug, names in self._names.items() if any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text) for n in names)}


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9’']+", text.lower().replace("’", "'"))


def _stem(word: str) -> str:
    """A crude stem: plural and past/progressive endings off ('claimed', 'claims' -> 'claim'), then six letters."""
    if len(word) > 4:
        if word.endswith("ies"):
            word = word[:-3] + "y"
        elif word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        if word.endswith("ed") and len(word) > 5:
            word = word[:-2]
        elif word.endswith("ing") and len(word) > 6:
            word = word[:-3]
    return word[:6]


def _content(text: str) -> set[str]:
    return {_stem(w) for w in _words(text) if w not in _STOP and w not in _NEGATIONS and len(w) > 2}


_DENIAL = re.compile(r"^(?:no one|nobody|nothing|none|neither)\b|\b(?:not|never|no|refused|rejected|declined|did not|didn't)\b", re.I)


def negation_pair(a: str, b: str) -> bool:
    """Whether one option denies what the other says ('claimed to lead part of them' / 'No one claimed to lead any
    part of them'; 'voted to send a contingent' / 'refused to send any soldiers'): exactly one of them denies, and at
    least half of the denying one's content words, and two at least, are the other's."""
    if bool(_DENIAL.search(a)) == bool(_DENIAL.search(b)):
        return False
    denying, other = (_content(a), _content(b)) if _DENIAL.search(a) else (_content(b), _content(a))
    denying -= {"any", "one", "anyone", "nobody"}
    shared = denying & other
    return len(shared) >= 2 and len(shared) >= len(denying) / 2


def _covers(e: Evidence, account: Iterable[Evidence]) -> bool:
    """Whether a shown passage quotes nearly all (90 %) of one of an account's passages: it then states that account.
    (A shorter fragment of a long account passage may quote a fact the account merely mentions.)"""
    return any(a.source == e.source and min(a.end, e.end) - max(a.start, e.start) >= 0.9 * (a.end - a.start) for a in account)


def _overlaps(e: Evidence, others: Iterable[Evidence]) -> bool:
    return any(o.source == e.source and o.start < e.end and e.start < o.end for o in others)


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december")
_MONTH = "(" + "|".join(_MONTHS) + ")"
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\b|\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\d)", re.IGNORECASE)
_UNITS = {w: i for i, w in enumerate(("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"))}
_UNITS.update(
    {
        w: 11 + i
        for i, w in enumerate(("eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"))
    }
)
_TENS = {w: 10 * (i + 2) for i, w in enumerate(("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"))}
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
_NUMBER_TOKEN = re.compile(r"\d[\d,]*(?:\.\d+)?|[a-z]+(?:-[a-z]+)?|[^\w\s]", re.IGNORECASE)
# Counting words a teacher uses about the sources themselves ("one decision", "two accounts") are not facts to trace.
_UNTRACED_OK = {1, 2}
# Non-answers: an option that says nothing happened is the odd one out among actions.
_NON_ANSWER = re.compile(
    r"^(?:nothing|no one|nobody|none)\b|\bnothing (?:happened|changed)\b|\b(?:did|said|changed) nothing\b"
    r"|\bstayed the same\b|\bno change\b",
    re.IGNORECASE,
)
_PRONOUNS = {"he", "she", "they", "it", "we", "i"}
# Words that set an option's form apart: a reason, a hedge. The key must not be the only one with, or without, one.
# words that restrict or exclude: a key that alone has none is the unrestricted (superset) option
_QUALIFIERS = re.compile(r"\b(alone|only|no|without|while|instead|but|except|rather than|not)\b", re.IGNORECASE)
# a bare bibliographic fragment ("The Guardian, January 18, 2022", "13. Ibid.")
_FRAGMENT = re.compile(
    r"^\s*(?:\d{1,3}[.)]?\s*)?(?:[A-Z][\w'’&.-]*\s*){1,6},?\s*(?:\(?\d{1,2}\s+)?(?:January|February|March|April|May|June|July|August|"
    r"September|October|November|December)(?:\s+\d{1,2})?,?\s*\d{4}\)?\.?\s*$|^\s*\d{1,3}[.)]?\s*(?:Ibid|Op\. cit)\.?\s*$"
)
_FORM_MARKERS = ("since", "because", "depending on", "part of", "by one count", "some of", "at least")
_UNDATED = re.compile(r"\bundated\b|\bno date\b|\bnot dated\b|\bwithout (?:a date|saying when)\b|\bdoes not say when\b", re.IGNORECASE)
_DATE_WORDS = re.compile(rf"{_DAY_MONTH.pattern}|\b(?:19|20)\d\d\b", re.IGNORECASE)


def day_months(text: str) -> set[tuple[int, int]]:
    """(month, day) of every 'N Month' or 'Month N' in a text."""
    out = set()
    for m in _DAY_MONTH.finditer(text):
        day, month = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        out.add((_MONTHS.index(month.lower()) + 1, int(day)))
    return out


def numbers(text: str) -> set[float]:
    """Every figure a text states, in digits or in words ('3,337', 'nearly ten thousand', 'five hundred'), days of dates excluded."""
    text = _DAY_MONTH.sub(" ", text)
    out: set[float] = set()
    total = current = 0
    in_words = False

    def flush() -> None:
        nonlocal total, current, in_words
        if in_words:
            out.add(float(total + current))
        total = current = 0
        in_words = False

    prev = ""
    for tok in _NUMBER_TOKEN.findall(text):
        low, word_before = tok.lower(), prev
        prev = low
        if tok[0].isdigit():
            flush()
            with contextlib.suppress(ValueError):
                out.add(float(tok.replace(",", "").rstrip(".")))
            continue
        parts = low.split("-")
        if all(p in _UNITS or p in _TENS for p in parts):
            current += sum(_UNITS.get(p, 0) + _TENS.get(p, 0) for p in parts)
            in_words = True
        elif low in _SCALES and (in_words or word_before == "a"):
            in_words = True
            current = max(current, 1) * _SCALES[low]
            if _SCALES[low] >= 1000:
                total, current = total + current, 0
        elif low == "and" and in_words:
            continue
        else:
            flush()
    flush()
    return out


def _shape(text: str) -> str:
    """The grammatical start of an option: one pronoun, 'that', a figure, a past-tense verb, or a noun phrase."""
    words = _words(text)
    first = words[0] if words else ""
    if words[:2] == ["no", "one"]:  # 'No one ...' answers 'who, if anyone': a noun phrase, not a figure
        return "noun phrase"
    if first in _PRONOUNS or first == "that":
        return first
    head = words[:3]
    if any(w[:1].isdigit() or numbers(w) or w in ("dozens", "hundreds", "thousands", "millions", "hundred", "thousand") for w in head):
        return "figure"
    if first.endswith("ed") and text[:1].isupper() and first not in ("armed", "united"):
        return "verb"
    return "noun phrase"


# --- the checker ------------------------------------------------------------------------------


@dataclass
class _Known:
    events: list[str]
    texts: list[str]  # everything the learner has read so far
    date: date | None
    answers: list[str] = field(default_factory=list)
    quotes: list[str] = field(default_factory=list)  # every quote the learner has been shown
    grouped: tuple[str, ...] = ()  # the previous step's disputed answer: its events stay one line in the briefing


def _briefed(tl: Timeline, spec: ScenarioSpec, step: StepSpec, known: _Known, previous: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """(the events the briefing lists, in order; the events new to it)."""
    target = set(step.answer_events)
    start = set(spec.start) if not previous and not known.date else set()
    chain = tl.chain_between(set(known.events), target) if target else set()
    new = set(step.also_known) | start | chain
    new -= set(known.events)
    shown = new | set(previous)
    return tl.ordered(shown), tl.ordered(new)


def _contested_with(tl: Timeline, step: StepSpec) -> set[str]:
    """For a step about a dispute over a day or an order: that dispute's events (the sources date or order them
    differently, so none of them fixes the step's moment); otherwise nothing."""
    d = tl.facts.disputes.get(step.dispute or "") if step.kind == "dispute" else None
    return set(d.events) if d and {"date", "order"} & set(d.contests) else set()


def answer_floor(tl: Timeline, step: StepSpec) -> date | None:
    """The earliest day any source gives for the step's answer (its events dated to a day or a span of days); None
    when the sources give only a month or a year. The step's moment may not lie after it."""
    days = [tl.events[a].earliest for a in step.answer_events if a in tl.events and tl.events[a].precision == "day"]
    return min(days) if days else None


def briefing_text(tl: Timeline, slugs: list[str], grouped: tuple[str, ...] = ()) -> str:
    """One line per event; the events of a disputed answer the learner has just seen (`grouped`: the sources leave
    open whether they are one event or several) stay one attributed, uncertain line, never a settled sequence."""
    lines = []
    disputed_days = {e for d in tl.facts.disputes.values() if "date" in d.contests for e in d.events}
    together = [s for s in slugs if s in grouped] if len(grouped) > 1 else []
    for slug in slugs:
        if together and slug == together[0]:
            evs = [tl.events[s] for s in together]
            first, last = min(e.earliest for e in evs), max(e.latest for e in evs)
            label = date_span_label(first, last if last != first else None)
            titles = " ".join(f"{e.title.rstrip('.')}." for e in evs)
            lines.append(
                f"• {label[0].upper()}{label[1:]}, as the sources tell it (they differ on the dates and on whether these "
                f"were one decision or several): {titles}"
            )
            continue
        if slug in together:
            continue
        ev = tl.events[slug]
        label = event_date_label(ev)
        if ev.date_end and slug in disputed_days:
            why = _day_doubt(tl, slug)
            label = f"{label[:-1]}; {why})" if label.endswith(")") else f"{label} ({why})"
        lines.append(f"• {label[0].upper()}{label[1:]}: {ev.title.rstrip('.')}.")
    return "What the sources report so far:\n" + "\n".join(lines)


def _day_doubt(tl: Timeline, slug: str) -> str:
    """Why a briefed event's day is a span: 'the sources differ on the day' only where the accounts of a dispute over
    its day quote two or more sources about it; one source's own statements at odds make 'the source is unclear on
    the day' (blind review r9: a request 'in the early hours of Thursday' confirmed 'later on Wednesday')."""
    ev = tl.events[slug]
    sources = {
        e.source
        for d in tl.facts.disputes.values()
        if "date" in d.contests and slug in d.events
        for a in d.accounts
        for e in a.evidence
        if _overlaps(e, ev.evidence)
    }
    if len(sources) > 1:
        return "the sources differ on the day"
    return "the source is unclear on the day" if sources else "the day is unclear"


def _label(tl: Timeline, known: _Known, shown: list[str], when: date) -> str:
    return step_date_label([tl.events[s] for s in {*known.events, *shown}], when)


def _check_step(
    tl: Timeline,
    spec: ScenarioSpec,
    step: StepSpec,
    known: _Known,
    later_answers: set[str],
    previous: tuple[str, ...],
    problems: list[Problem],
    *,
    parent: StepSpec | None = None,
    ceiling: date | None = None,
) -> tuple[list[str], date | None, str, str]:
    """Check one step; return (events briefed, step date, briefing text, date label). A branch's `ceiling` is the
    next main step's date: what the branch inherits from its parent (known before it, and known at that step too)
    does not carry its moment past it; only what the branch itself briefs can."""

    def bad(rule: str, message: str) -> None:
        problems.append(Problem(rule, spec.slug, step.key, message))

    facts = tl.facts
    ids = [o.id for o in step.options]
    if not 3 <= len(step.options) <= 4:
        bad("shape", ngettext("%(n)d option; write 3 or 4", "%(n)d options; write 3 or 4", len(step.options)))
    if len(set(ids)) != len(ids) or len({o.text.lower() for o in step.options}) != len(ids):
        bad("shape", _("two options share an id or a text"))
    if sum(o.kind == "happened" for o in step.options) != 1:
        bad("shape", _("exactly one option must be what happened (kind: happened)"))
    if not step.prompt.endswith("?"):
        bad("shape", _("the prompt must be a question"))
    for slug in [*step.also_known, *(s for o in step.options for s in o.events)]:
        if slug not in tl.events:
            bad("unknown-ref", _("unknown event %(slug)s", slug=repr(slug)))
    if any(s not in tl.events for s in [*step.also_known, *(s for o in step.options for s in o.events)]):
        return [], None, "", ""
    for o in step.options:
        if o.kind in ("happened", "later") and not o.events:
            bad("evidence", _("option %(id)s (%(kind)s) names no event", id=o.id, kind=o.kind))
    answer = step.answer
    answers = set(step.answer_events)

    # the briefing
    shown, new = _briefed(tl, spec, step, known, previous)
    all_known = [*known.events, *new]
    if not all_known:
        bad("briefing", _("nothing is known before this step: list events under start or also_known"))
        return [], None, "", ""
    when = max(tl.events[s].latest for s in all_known)
    capped = parent is not None and ceiling is not None and when > ceiling
    if parent is not None and ceiling is not None and when > ceiling:
        # somewhere between the parent's moment and the next main step's, unless the branch's own briefing is later
        when = max([ceiling, *(tl.events[s].latest for s in new)])
    if known.date and when < known.date:
        when = known.date
    text = briefing_text(tl, shown, known.grouped) if shown else ""
    floor = answer_floor(tl, step)
    own = _contested_with(tl, step)
    # a known event some source may date after the answer's earliest day, unless a source orders it before the answer
    # (a link), or it belongs to the disputed day or order the step is about
    late = sorted(
        s
        for s in all_known
        if floor is not None and tl.events[s].latest > floor and s not in own and not any(tl.linked_before(s, a) for a in answers)
    )
    if late or (floor is not None and known.date is not None and known.date > floor):
        bad(
            "moment",
            _(
                "the step's moment (%(moment)s) is after %(floor)s, the earliest day a source gives for the answer; known by then,"
                " though a source may date them later: %(late)s. Ask from an earlier moment, or ask about the package"
                " ('what else did he do?') instead of keying one of them as next",
                moment=SaidDate(when),
                floor=SaidDate(floor or when),
                late=late or _("the previous step"),
            ),
        )
    elif floor is not None and when > floor:
        when = floor  # every later-dated known event is ordered before the answer: the moment is the answer's earliest day
    for s in new:
        if tl.events[s].day_derived:
            bad(
                "our-reading",
                _(
                    "%(event)s is dated %(day)s from context (no quote states the day or its weekday): give the source's "
                    "words in date_said (and date_inferred), shown as '... (our reading: D Month)'",
                    event=s,
                    day=SaidDate(tl.events[s].date),
                ),
            )
        if s in answers or s in later_answers:
            bad("spoiler", _("the briefing would list %(event)s, the answer of this or a later step", event=s))
        for a in answers if step.kind == "next" else ():
            if not tl.surely_before(s, a):
                bad(
                    "dating",
                    _(
                        "%(event)s (%(when)s) is briefed but is not surely before the answer %(answer)s (%(answer_when)s)"
                        " under every source's dating",
                        event=s,
                        when=tl.events[s].when_said,
                        answer=a,
                        answer_when=tl.events[a].when_said,
                    ),
                )
    if step.kind == "dispute" and answers:
        for s in new:
            if not any(tl.surely_before(s, a) for a in answers):
                bad(
                    "dating",
                    _("%(event)s is briefed but is not surely before any of the answer's events under every source's dating", event=s),
                )
    involved = set(all_known) | {e for o in step.options for e in o.events}
    if step.kind != "dispute":
        for slug, events in tl.order_disputes:
            keyed = (answers | {e for o in step.options if o.kind == "later" for e in o.events}) & events
            if keyed and len(involved & events) > 1:
                bad(
                    "contested-order",
                    _(
                        "the sources disagree on the order of %(events)s (%(slug)s): make this a step about that dispute",
                        events=sorted(involved & events),
                        slug=slug,
                    ),
                )
    for a in answers:
        for k in known.answers:
            if a in tl.events and k in tl.events and tl.events[a].latest < tl.events[k].earliest:
                bad(
                    "dating",
                    _("the answer %(answer)s surely happened before %(known)s, which the learner already knows", answer=a, known=k),
                )
    if known.date:
        skipped = [
            s
            for s in tl.chain_between(set(known.events), answers) - set(all_known)
            if tl.events[s].latest <= when and s not in later_answers
        ]
        if skipped:
            bad("briefing", _("the briefing leaves out events between the previous step and this one: %(events)s", events=sorted(skipped)))

    # dating of the key and the 'later' options
    if step.kind == "dispute" and answers and max(tl.events[a].latest for a in answers) < when:
        bad("dating", _("every event of the answer surely happened before the step date %(date)s", date=SaidDate(when)))
    for a in answers if step.kind == "next" else ():
        ev = tl.events[a]
        if ev.latest < when:
            bad(
                "dating",
                _(
                    "the answer %(answer)s (%(when)s) surely happened before the step date %(date)s",
                    answer=a,
                    when=ev.when_said,
                    date=SaidDate(when),
                ),
            )
        if a in known.events:
            bad("reused-answer", _("%(event)s is already known from an earlier step", event=a))
    if any(o.kind == "later" for o in step.options) and not re.search(r"\b(next|first)\b", step.prompt, re.IGNORECASE):
        bad("dating", _("a 'later' option is wrong only if the prompt asks what happened next (or first): ask so, or drop the option"))
    for o in step.options:
        if o.kind != "later":
            continue
        for s in o.events:
            if s in all_known or s in answers:
                bad("dating", _("option %(id)s: %(event)s is already known or is the answer, not later", id=o.id, event=s))
            elif not all(tl.surely_before(a, s) for a in answers):
                bad("dating", _("option %(id)s: %(event)s is not surely after the answer under every source's dating", id=o.id, event=s))

    # evidence, refutations and accounts
    # A party to the events (an actor of any event the step involves) is interested: its own claim cannot refute.
    actors = {a for slug in involved for a in tl.events[slug].actors}
    claim_passages = [e for c in facts.claims.values() if c.claimant in actors for e in c.evidence]
    for o in step.options:
        if not o.explanation or not o.evidence:
            bad("evidence", _("option %(id)s needs an explanation and evidence", id=o.id))
            continue
        if o.events:
            about = [e for s in o.events for e in tl.events[s].evidence] + [
                e for link in facts.links if link.source in o.events or link.target in o.events for e in link.evidence
            ]
            if not any(_overlaps(e, about) for e in o.evidence):
                bad("evidence", _("option %(id)s: no cited passage is about %(events)s", id=o.id, events=", ".join(o.events)))
        if o.kind == "did_not_happen" and all(_overlaps(e, claim_passages) for e in o.evidence):
            bad("refutation", _("option %(id)s is refuted only by quoting a party's own claim: quote what a source reports", id=o.id))
    if not step.reveal or not step.reveal_evidence:
        bad("evidence", _("the reveal needs text and evidence"))
    accounts_ev = {d.slug: [list(a.evidence) for a in d.accounts] for d in facts.disputes.values()}
    if step.kind == "dispute":
        if step.dispute not in facts.disputes:
            bad("unknown-ref", _("unknown dispute %(slug)s", slug=repr(step.dispute)))
        else:
            covered = {
                i for i, acc in enumerate(accounts_ev[step.dispute]) for a in step.accounts if any(_overlaps(e, acc) for e in a.evidence)
            }
            if len(covered) < 2:
                bad(
                    "both-accounts",
                    _(
                        "a step about %(slug)s shows %(n)d of its accounts with their evidence; show at least two",
                        slug=step.dispute,
                        n=len(covered),
                    ),
                )
    shown_ev = [e for o in step.options for e in o.evidence] + list(step.reveal_evidence) + [e for a in step.accounts for e in a.evidence]
    for slug, groups in accounts_ev.items():
        touched = {i for i, acc in enumerate(groups) if any(_covers(e, acc) for e in shown_ev)}
        if len(touched) == 1:
            shown_accounts = {i for i, acc in enumerate(groups) for a in step.accounts if any(_overlaps(e, acc) for e in a.evidence)}
            if len(shown_accounts) < 2:
                bad(
                    "both-accounts",
                    _("the step quotes one side of the disputed point %(slug)s: show the other account(s) too (accounts:)", slug=slug),
                )
    for a in step.accounts:
        if not a.by.strip() or not a.evidence:
            bad("both-accounts", _("every account says who gives it (by) and quotes it"))

    # what the options may name
    seen_text = " ".join([*known.texts, text, step.prompt])
    introduced = tl.named(seen_text) | {p for s in all_known for p in [tl.events[s].place] if p}
    for o in step.options:
        if o.kind == "happened":
            continue
        strangers = tl.named(o.text) - introduced
        if strangers:
            names = ", ".join(sorted(facts.entities[s].name for s in strangers))
            bad("unintroduced", _("option %(id)s names %(names)s, whom the learner has not met yet", id=o.id, names=names))
    # negation pairs and rewordings
    for i, a in enumerate(step.options):
        for b in step.options[i + 1 :]:
            ca, cb = _content(a.text), _content(b.text)
            if ca and cb and (ca == cb or len(ca & cb) / len(ca | cb) >= 0.75):
                bad("negation", _("options %(a)s and %(b)s say the same thing, one the negation of the other", a=a.id, b=b.id))
    for first, then in ((x, y) for i, x in enumerate(step.options) for y in step.options[i + 1 :]):
        if negation_pair(first.text, then.text):
            bad("negation", _("options %(a)s and %(b)s are an either/or pair: one denies what the other says", a=first.id, b=then.id))

    # wrong options that are variations of one idea
    wrongs = [o for o in step.options if o is not answer]
    for i, a in enumerate(wrongs):
        for b in wrongs[i + 1 :]:
            ca, cb = _content(a.text), _content(b.text)
            shared = (ca & cb) - set.intersection(*(_content(o.text) for o in step.options))  # not the frame all options share
            if ca and cb and len(shared) >= 2 and len(shared) / min(len(ca), len(cb)) >= 0.5:
                bad(
                    "distractor-overlap",
                    _(
                        "wrong options %(a)s and %(b)s share %(words)s: one idea twice, write a distinct alternative",
                        a=a.id,
                        b=b.id,
                        words=sorted(shared),
                    ),
                )
    # the key alone unrestricted: every wrong option excludes or qualifies something, or the key contains another
    if answer and len(wrongs) >= 2:
        if not _QUALIFIERS.search(answer.text) and all(_QUALIFIERS.search(o.text) for o in wrongs):
            bad(
                "unqualified-key",
                _("every wrong option restricts or excludes ('alone', 'no', 'while' ...) and the answer does not: the key is the superset"),
            )
        ck = _content(answer.text)
        for o in wrongs:
            co = _content(o.text) - {w for w in _content(o.text) if _QUALIFIERS.fullmatch(w)}
            if len(co) >= 2 and co < ck:
                bad("unqualified-key", _("the answer contains everything option %(id)s says and more: the key is a superset", id=o.id))
    # earlier learner text (feedback, reveals, reflections, briefings; not the title and intro, which the spoiler
    # rule reads) that names what only the key says, and none of what the wrong options say, singles out the key
    if answer and len(step.options) > 1:

        def said_only_by(o: OptionSpec) -> set[str]:
            return _content(o.text) - set().union(*(_content(x.text) for x in step.options if x is not o))

        own = said_only_by(answer)
        for earlier in known.texts[2:]:
            words = _content(earlier)
            if own and own <= words and not any(said_only_by(o) and said_only_by(o) <= words for o in step.options if o is not answer):
                bad(
                    "earlier-text",
                    _(
                        "earlier learner text (%(text)s...) names %(words)s, which only the answer says",
                        text=repr(earlier[:60]),
                        words=sorted(own),
                    ),
                )
                break
    for o in step.options:
        for e in o.evidence:
            if _FRAGMENT.match(e.quote):
                bad(
                    "fragment-evidence",
                    _("option %(id)s cites a bare reference (%(quote)s): quote the sentence it belongs to", id=o.id, quote=repr(e.quote)),
                )
    for e in step.reveal_evidence:
        if _FRAGMENT.match(e.quote):
            bad(
                "fragment-evidence",
                _("the reveal cites a bare reference (%(quote)s): quote the sentence it belongs to", quote=repr(e.quote)),
            )

    # spoilers: the answer stated before the learner predicts
    if answer:
        others = set().union(*(_content(o.text) for o in step.options if o is not answer)) if len(step.options) > 1 else set()
        telling = _content(answer.text) - others
        for name, where in (("prompt", step.prompt), ("briefing", text)):
            if telling and telling <= _content(where):
                bad("spoiler", _("the %(part)s states the answer (%(answer)s)", part=part(name), answer=repr(answer.text)))
        for a in answers:
            title = tl.events[a].title.lower().rstrip(".")
            for name, where in (("prompt", step.prompt), ("briefing", text), ("title", spec.title), ("intro", spec.intro)):
                if title in where.lower():
                    bad("spoiler", _("the %(part)s names the answer's event (%(title)s)", part=part(name), title=repr(tl.events[a].title)))

        def own_words(o: OptionSpec) -> set[str]:
            return _content(o.text) - set().union(set(), *(_content(x.text) for x in step.options if x is not o))

        for name, where in (("title", spec.title), ("intro", spec.intro)):
            said = _content(where)
            # an intro that names every option alike (the alliance's members, say) points at none of them
            all_named = all(own_words(o) and own_words(o) <= said for o in step.options if o is not answer)
            if telling and telling <= said and not all_named:
                bad(
                    "spoiler",
                    _("the scenario's %(part)s states this step's answer (%(answer)s)", part=part(name), answer=repr(answer.text)),
                )
        # the title is read before every step: one word of the key that no wrong option shares points at the key
        hint = telling & _content(spec.title)
        if hint:
            bad(
                "spoiler",
                _("the scenario's title shares %(words)s with this step's answer and with none of its wrong options", words=sorted(hint)),
            )

    # the options' kind and shape: the answer is never the odd one out
    if answer and len(step.options) > 1:
        wrong_opts = [o for o in step.options if o is not answer]
        shapes = {o.id: _shape(o.text) for o in step.options}
        if len(set(shapes.values())) > 1:
            described = ", ".join(f"{i}: {v}" for i, v in shapes.items())
            bad("option-shape", _("the options begin in different shapes (%(shapes)s): write each in the answer's shape", shapes=described))
        lengths = {o.id: len(_words(o.text)) for o in step.options}
        longest_wrong = max(lengths[o.id] for o in wrong_opts)
        if lengths[answer.id] > 1.5 * longest_wrong and lengths[answer.id] - longest_wrong >= 3:
            bad(
                "option-shape",
                _(
                    "the answer has %(n)d words, the longest wrong option %(longest)d: the key stands out",
                    n=lengths[answer.id],
                    longest=longest_wrong,
                ),
            )
        if max(lengths.values()) > 2.2 * max(1, min(lengths.values())):
            bad(
                "option-shape",
                _(
                    "option lengths run from %(low)d to %(high)d words: write them alike",
                    low=min(lengths.values()),
                    high=max(lengths.values()),
                ),
            )
        # the key alone hedged ('part of', 'depending on'), or alone without the clause every wrong option has ('since ...')
        for marker in _FORM_MARKERS:
            has = {o.id: bool(re.search(rf"\b{marker}\b", o.text, re.IGNORECASE)) for o in step.options}
            if has[answer.id] and not any(has[o.id] for o in wrong_opts):
                bad("option-shape", _("only the answer says %(marker)s: write the wrong options alike or drop it", marker=repr(marker)))
            elif not has[answer.id] and len(wrong_opts) >= 2 and all(has[o.id] for o in wrong_opts):
                bad(
                    "option-shape",
                    _("every wrong option says %(marker)s and the answer does not: the key is the odd one out", marker=repr(marker)),
                )
        open_prompt = bool(_OPEN_PROMPT.search(step.prompt))
        if open_prompt and not any(_NOBODY.search(o.text) for o in step.options):
            bad("open-prompt", _("the prompt allows 'no one' or 'nothing' ('if anyone'): offer that answer as an option"))
        for o in step.options:
            if _NON_ANSWER.search(o.text) and not (open_prompt and _NOBODY.search(o.text)):
                bad(
                    "option-shape", _("option %(id)s is a non-answer (%(text)s): offer a choice the actors had", id=o.id, text=repr(o.text))
                )
        # the prompt names the key's category only the key fits
        hint = (_content(step.prompt) & _content(answer.text)) - set().union(*(_content(o.text) for o in wrong_opts))
        if hint:
            bad("prompt-hint", _("the prompt shares %(words)s with the answer and with no wrong option", words=sorted(hint)))

    # the step's 'now': nothing the learner reads before answering is dated after it
    for m, d in sorted(day_months(step.prompt)):
        try:
            named = date(when.year, m, d)
        except ValueError:
            continue
        if named > when:
            bad("step-date", _("the prompt names %(named)s, after the step's date %(date)s", named=SaidDate(named), date=SaidDate(when)))
    for y in re.findall(r"\b(?:19|20)\d\d\b", step.prompt):
        if int(y) > when.year:
            bad("step-date", _("the prompt names %(named)s, after the step's date %(date)s", named=y, date=SaidDate(when)))

    # figures and dates: traceable to quotes, and compared with their dates
    feedback = [
        *((f"option {o.id} explanation", o.explanation) for o in step.options),
        *((f"account by {a.by}", f"{a.by} {a.text}") for a in step.accounts),
        ("reveal", step.reveal),
        ("reflection", step.reflection),
    ]
    for name, value in feedback:
        if "so far" in value.lower() and len({n for n in numbers(value) if n not in _UNTRACED_OK and not 1900 <= n <= 2100}) >= 2:
            dated = len(_DATE_WORDS.findall(value)) + (1 if _UNDATED.search(value) else 0)
            if dated < 2:
                bad("comparison", _("the %(part)s compares a 'so far' figure with another without the date of each", part=part(name)))
    cited = [
        e.quote
        for e in [*(e for o in step.options for e in o.evidence), *step.reveal_evidence, *(e for a in step.accounts for e in a.evidence)]
    ]
    briefed = [e.quote for s in {*known.events, *shown} for e in tl.events[s].evidence]
    pool = " ".join([*known.quotes, *cited, *briefed])
    allowed_numbers = numbers(pool) | {float(y) for y in re.findall(r"\b(?:19|20)\d\d\b", pool)}
    allowed_dates = day_months(pool)
    # what the learner is shown besides quotes: each cited source's date and label, the briefing's dates
    for e in [*(e for o in step.options for e in o.evidence), *step.reveal_evidence, *(e for a in step.accounts for e in a.evidence)]:
        src = facts.sources.get(e.source)
        if src and src.published_on:
            allowed_dates.add((src.published_on.month, src.published_on.day))
            allowed_numbers.add(float(src.published_on.year))
        if src:
            allowed_dates |= day_months(src.label)
    for s in {*known.events, *shown}:
        ev = tl.events[s]
        allowed_numbers.add(float(ev.date.year))
        if ev.exact_day:
            allowed_dates.add((ev.date.month, ev.date.day))
    stated = [o for o in step.options if o.kind != "did_not_happen"]  # a wrong option asserts nothing
    for name, value in [("prompt", step.prompt), *((f"option {o.id}", o.text) for o in stated), *feedback]:
        bare = re.sub(r"“[^”]*”|\"[^\"]*\"", " ", value)  # words quoted from a source are traced by their evidence
        missing_dates = sorted(day_months(bare) - allowed_dates - _weekday_dates(bare, pool, when))
        missing = sorted(n for n in numbers(bare) if n not in allowed_numbers and n not in _UNTRACED_OK)
        if missing_dates:
            bad(
                "untraced",
                _(
                    "the %(part)s names %(dates)s, which no quote shown states",
                    part=part(name),
                    dates=", ".join(f"{d} {_MONTHS[m - 1].title()}" for m, d in missing_dates),
                ),
            )
        if missing:
            bad(
                "untraced",
                _(
                    "the %(part)s states %(numbers)s, which no quote shown states",
                    part=part(name),
                    numbers=", ".join(f"{n:g}" for n in missing),
                ),
            )

    # learner text
    for name, value in [
        ("prompt", step.prompt),
        ("reveal", step.reveal),
        ("reflection", step.reflection),
        *((f"option {o.id}", o.text) for o in step.options),
        *((f"option {o.id} explanation", o.explanation) for o in step.options),
        *((f"account by {a.by}", f"{a.by} {a.text}") for a in step.accounts),
    ]:
        m = _GENERATOR_TEXT.search(value) or tl.slug_in(value)
        if m:
            bad("generator-text", _("the %(part)s reads like generator working: %(text)s", part=part(name), text=repr(m.group(0))))

    # days: our readings marked, disputed days never plain, quotes that show their point on their own
    for name, value in [
        ("prompt", step.prompt),
        ("reveal", step.reveal),
        ("reflection", step.reflection),
        *((f"option {o.id}", o.text) for o in step.options),
        *((f"option {o.id} explanation", o.explanation) for o in step.options),
        *((f"account by {a.by}", f"{a.by}: {a.text}") for a in step.accounts),
    ]:
        for gloss in unmarked_readings(value):
            bad(
                "our-reading",
                _(
                    "the %(part)s writes %(gloss)s: mark the day as ours, 'Thursday (our reading: 6 January)'",
                    part=part(name),
                    gloss=repr(gloss),
                ),
            )
        for sentence in contested_days(tl, value) if not name.startswith("account") else ():
            bad("contested-date", _("the %(part)s gives a disputed day as fact: %(sentence)s", part=part(name), sentence=repr(sentence)))
    for name, evidence in [
        ("reveal", step.reveal_evidence),
        *((f"option {o.id}", o.evidence) for o in step.options),
        *((f"account by {a.by}", a.evidence) for a in step.accounts),
    ]:
        for quote in dangling_quotes(evidence):
            bad(
                "dangling-quote",
                _(
                    "the %(part)s quotes %(quote)s, which points back to something not shown: quote its antecedent",
                    part=part(name),
                    quote=repr(quote[:60]),
                ),
            )

    # what a quote, an account and a negative statement must show
    key_evidence = step.answer.evidence if step.answer else ()
    for name, evidence in [
        ("reveal", step.reveal_evidence),
        ("key", key_evidence),
        *((f"account by {a.by}", a.evidence) for a in step.accounts),
    ]:
        for quote in short_quotes(facts, evidence):
            bad(
                "short-quote",
                _("the %(part)s quotes %(quote)s, which names no one who acts: quote the whole clause", part=part(name), quote=repr(quote)),
            )
    for account in step.accounts:
        for day in unstated_days(facts, account) if facts.sources else ():
            bad(
                "our-reading",
                _(
                    "the account by %(by)s gives %(day)s, which its sources do not write as a day: mark it as ours, "
                    "'… Thursday (our reading: 6 January)'",
                    by=repr(account.by),
                    day=day,
                ),
            )
        if not account.evidence:
            bad("account-quotes", _("the account by %(by)s quotes nothing", by=repr(account.by)))
        for slug in unquoted_sources(facts, account):
            bad("account-quotes", _("the account by %(by)s names %(source)s but quotes none of it", by=repr(account.by), source=slug))
    for name, value in [("reveal", step.reveal), *((f"option {o.id} explanation", o.explanation) for o in step.options)]:
        for negative, slug in contradicted_negatives(facts, value):
            bad(
                "no-source",
                _(
                    "the %(part)s says no source reports %(said)s, but %(source)s does: say what it reports and why the option still fails",
                    part=part(name),
                    said=repr(negative),
                    source=slug,
                ),
            )

    # branches
    if parent is not None and (_content(step.prompt) == _content(parent.prompt) or step.prompt == parent.prompt):
        bad("branch", _("a branch asks the parent's question again: ask a new question that follows from the choice"))
    for b in step.branches:
        chosen = next((o for o in step.options if o.id == b.on), None)
        if chosen is None or chosen.kind == "happened":
            problems.append(
                Problem(
                    "branch",
                    spec.slug,
                    b.step.key,
                    _("the branch follows option %(option)s, which is not a wrong option of %(step)s", option=repr(b.on), step=step.key),
                )
            )
    label = _label(tl, known, shown, when)
    if capped and when == ceiling and known.date is not None:
        label = date_span_label(known.date, when if when != known.date else None)
    # the step's date label quotes a source's time ('Before “past midnight on Thursday”'): from the key's own quote it
    # times the answer for the learner (blind review r9)
    key_quotes = " ".join(e.quote for e in (step.answer.evidence if step.answer else ())).lower()
    for phrase in re.findall(r"“([^”]+)”", label):
        if " ".join(phrase.lower().split()) in " ".join(key_quotes.split()):
            bad("spoiler", _("the step's date label quotes %(phrase)s from the answer's evidence", phrase=repr(phrase)))
    return shown, when, text, label


def scenario_check(facts: Facts, spec: ScenarioSpec, *, timeline: Timeline | None = None) -> list[Problem]:
    """Every rule broken by one path (an empty list when it is sound)."""
    tl = timeline or Timeline(facts)
    problems: list[Problem] = []
    _walk(tl, spec, problems)
    for name, slugs in shared_source_names(tl, spec).items():
        problems.append(
            Problem(
                "source-names",
                spec.slug,
                None,
                _("sources %(sources)s are all shown as %(name)s", sources=", ".join(slugs), name=repr(name)),
            )
        )
    return problems


def shown_source_name(outlet: str | None, kind: str, author: str | None) -> str:
    """The name a scenario shows for a source, in English (quizzes.sources.names.neutral_source_name says the same
    name in the viewer's language): quizzes.sources.kinds.source_name."""
    return source_name(outlet, kind, author)


def shared_source_names(tl: Timeline, spec: ScenarioSpec) -> dict[str, list[str]]:
    """Names shown for more than one source the path may show a quote of (its steps' evidence, branches included,
    and its events' evidence, which briefings quote): name -> the sources' slugs."""
    steps = [s for st in spec.steps for s in (st, *(b.step for b in st.branches))]
    events = {*spec.start, *(e for s in steps for e in s.also_known), *(e for s in steps for o in s.options for e in o.events)}
    cited = {e.source for s in steps for e in _step_evidence(s)}
    cited |= {e.source for ev in events if ev in tl.events for e in tl.events[ev].evidence}
    by_name: dict[str, list[str]] = {}
    for slug in sorted(cited):
        src = tl.facts.sources.get(slug)
        if src:
            by_name.setdefault(shown_source_name(src.outlet, src.kind, src.author), []).append(slug)
    return {name: slugs for name, slugs in by_name.items() if len(slugs) > 1}


def _walk(
    tl: Timeline, spec: ScenarioSpec, problems: list[Problem]
) -> list[tuple[StepSpec, StepSpec | None, list[str], date | None, str, str]]:
    """Check the path step by step; return each step with its parent, briefed events, date and briefing."""
    for slug in spec.start:
        if slug not in tl.events:
            problems.append(Problem("unknown-ref", spec.slug, None, _("unknown event %(slug)s under start", slug=repr(slug))))
    for name, value in (("title", spec.title), ("intro", spec.intro)):
        m = _GENERATOR_TEXT.search(value) or tl.slug_in(value)
        if m:
            problems.append(
                Problem(
                    "generator-text",
                    spec.slug,
                    None,
                    _("the %(part)s reads like generator working: %(text)s", part=part(name), text=repr(m.group(0))),
                )
            )
        for sentence in contested_days(tl, value):
            problems.append(
                Problem(
                    "contested-date",
                    spec.slug,
                    None,
                    _("the %(part)s gives a disputed day as fact: %(sentence)s", part=part(name), sentence=repr(sentence)),
                )
            )
        for gloss in unmarked_readings(value):
            problems.append(
                Problem(
                    "our-reading",
                    spec.slug,
                    None,
                    _("the %(part)s writes %(gloss)s: mark the day as ours", part=part(name), gloss=repr(gloss)),
                )
            )
    all_steps = [s for st in spec.steps for s in (st, *(b.step for b in st.branches))]
    keys = [s.key for s in all_steps]
    for k in {k for k in keys if keys.count(k) > 1}:
        problems.append(Problem("shape", spec.slug, k, _("two steps share this key")))
    seen_options: list[tuple[set[str], str]] = []
    for s in all_steps:
        for o in s.options:
            words = _content(o.text)
            for earlier, where in seen_options:
                if words and earlier and len(words & earlier) / len(words | earlier) >= 0.75 and where != s.key:
                    problems.append(
                        Problem(
                            "reused-answer", spec.slug, s.key, _("option %(id)s repeats an option of step %(step)s", id=o.id, step=where)
                        )
                    )
                    break
        seen_options.extend((_content(o.text), s.key) for o in s.options)
    seen_answers: dict[str, str] = {}
    for s in all_steps:
        for a in s.answer_events:
            if a in seen_answers:
                problems.append(
                    Problem(
                        "reused-answer",
                        spec.slug,
                        s.key,
                        _("%(event)s is already the answer of step %(step)s", event=a, step=seen_answers[a]),
                    )
                )
            seen_answers.setdefault(a, s.key)
    known = _Known(events=[], texts=[spec.title, spec.intro], date=None)
    previous: tuple[str, ...] = ()
    out: list[tuple[StepSpec, StepSpec | None, list[str], date | None, str, str]] = []
    pending: list[
        tuple[StepSpec, _Known, set[str], tuple[str, ...], StepSpec]
    ] = []  # branches, checked once the next main step's date is known
    for i, step in enumerate(spec.steps):
        later = {a for s in spec.steps[i + 1 :] for a in s.answer_events}
        shown, when, text, label = _check_step(tl, spec, step, known, later, previous, problems)
        for b, bknown, blater, bprevious, parent in pending:
            out.append((b, parent, *_check_step(tl, spec, b, bknown, blater, bprevious, problems, parent=parent, ceiling=when)))
        pending = []
        out.append((step, None, shown, when, text, label))
        answers = [a for a in step.answer_events if a in tl.events]
        if when is None:
            continue
        new_known = list(dict.fromkeys([*known.events, *shown, *step.also_known, *answers]))
        seen = [
            text,
            step.prompt,
            step.reveal,
            *(o.text for o in step.options if o.kind == "happened"),
            *(a.by + " " + a.text for a in step.accounts),
            # everything else shown after the answer: every option's feedback, the reflection
            *(o.explanation for o in step.options),
            step.reflection,
        ]
        quotes = [*known.quotes, *(e.quote for e in _step_evidence(step)), *(e.quote for s in shown for e in tl.events[s].evidence)]
        for b in step.branches:
            grouped = tuple(answers) if step.kind == "dispute" and len(answers) > 1 else ()
            bknown = _Known(events=new_known, texts=[*known.texts, *seen], date=when, quotes=quotes, grouped=grouped)
            pending.append((b.step, bknown, later, tuple(answers) or previous, step))
        if i == 0:
            _check_opening(tl, spec, step, shown, when, quotes, problems)
        known = _Known(
            events=new_known,
            texts=[*known.texts, *seen],
            date=when,
            answers=[*known.answers, *answers],
            quotes=quotes,
            grouped=tuple(answers) if step.kind == "dispute" and len(answers) > 1 else (),
        )
        previous = tuple(answers) or previous
    for b, bknown, blater, bprevious, parent in pending:
        out.append((b, parent, *_check_step(tl, spec, b, bknown, blater, bprevious, problems, parent=parent)))
    _check_path_dates(spec, out, problems)
    _check_feedback_spoilers(tl, spec, problems)
    # abbreviations spelled out where the learner first reads them, in the order the path is read
    reading = [spec.title, spec.intro]
    for st, *_middle, briefing, _last in out:
        reading += [briefing, st.prompt, *(o.text for o in st.options), *(o.explanation for o in st.options)]
        reading += [*(f"{a.by}: {a.text}" for a in st.accounts), st.reveal, st.reflection]
    for abbr in unexplained_abbreviations(reading):
        problems.append(
            Problem(
                "abbreviation",
                spec.slug,
                None,
                _("%(abbr)s is used before it is spelled out: write 'the full name (%(short)s)' first", abbr=repr(abbr), short=abbr),
            )
        )
    return out


def _check_path_dates(
    spec: ScenarioSpec, walked: list[tuple[StepSpec, StepSpec | None, list[str], date | None, str, str]], problems: list[Problem]
) -> None:
    """Rule path-dates: the main steps' dates never go backwards, and a branch lies between its parent and the next
    main step (the learner plays parent, branch, next step)."""
    dates = {st.key: when for st, _p, _s, when, _t, _l in walked}
    mains = [st for st, parent, *_rest in walked if parent is None]
    for i, st in enumerate(mains):
        after = mains[i + 1 : i + 2]
        paths = [[st, *after], *([st, b.step, *after] for b in st.branches)]
        for path in paths:
            for a, b in itertools.pairwise(path):
                da, db = dates.get(a.key), dates.get(b.key)
                if da is not None and db is not None and db < da:
                    problems.append(
                        Problem(
                            "path-dates",
                            spec.slug,
                            b.key,
                            _(
                                "the step's date %(date)s is before %(earlier)s, the date of step %(step)s played before it",
                                date=SaidDate(db),
                                earlier=SaidDate(da),
                                step=a.key,
                            ),
                        )
                    )


_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_DATE = re.compile(rf"\b({'|'.join(_WEEKDAYS)})\W{{1,3}}our reading:\s*(\d{{1,2}})\s+{_MONTH}\b", re.IGNORECASE)
# a prompt that allows the answer 'no one' or 'nothing'
_OPEN_PROMPT = re.compile(r"\bif (?:anyone|anybody|anything|any|at all)\b", re.IGNORECASE)
_NOBODY = re.compile(r"^(?:no one|nobody|none|nothing|no\b)", re.IGNORECASE)
# a quote that opens by pointing back to something before it
_ACRONYM = re.compile(r"\b[A-Z]{2,6}\b")
# abbreviations every reader knows
_KNOWN_ABBREVIATIONS = {"TV", "US", "USA", "UK", "UN", "EU", "AM", "PM"}
_HEDGE = re.compile(
    r"\b(?:between|whether|differ\w*|disput\w*|contest\w*|according to|puts?|dates?|reports?|paper|analysis|says|said|account\w*"
    r"|our reading|probably)\b",
    re.IGNORECASE,
)


def _weekday_dates(text: str, pool: str, when: date) -> set[tuple[int, int]]:
    """Dates written openly as a quoted weekday's date ('on Thursday (6 January)'): the weekday is in a quote shown,
    the calendar agrees, and the day lies within a week of the step's date. The inference is shown, not hidden."""
    out = set()
    quoted = pool.lower()
    for m in _WEEKDAY_DATE.finditer(text):
        weekday, day, month = m.group(1).lower(), int(m.group(2)), _MONTHS.index(m.group(3).lower()) + 1
        try:
            named = date(when.year, month, day)
        except ValueError:
            continue
        if weekday in quoted and _WEEKDAYS[named.weekday()] == weekday and abs((named - when).days) <= 7:
            out.add((month, day))
    return out


def unmarked_readings(text: str) -> list[str]:
    """Days written next to a weekday ('Friday evening, 7 January', 'Thursday (6 January)') without saying that the
    day is our reading of the weekday; words in quotation marks are the source's and are left alone."""
    bare = re.sub(r"“[^”]*”|\"[^\"]*\"", " ", text)
    out = []
    for m in re.finditer(rf"\b(?:{'|'.join(_WEEKDAYS)})\b", bare, re.IGNORECASE):
        tail = bare[m.end() : m.end() + 45]
        d = _DAY_MONTH.search(tail)
        if d and len(tail[: d.start()].split()) <= 3 and "our reading" not in tail[: d.start()].lower():
            out.append(m.group(0) + tail[: d.end()])
    return out


def contested_days(tl: Timeline, text: str) -> list[str]:
    """Sentences that give a plain day (a date or a weekday) for an event whose day the sources dispute (a dispute
    contesting [date], the event dated to a span covering every source's day), naming it by
    most of its title's words, without a range, an attribution or 'our reading'."""
    out = []
    for d in tl.facts.disputes.values():
        if "date" not in d.contests:
            continue
        for slug in d.events:
            ev = tl.events.get(slug)
            words = _content(ev.title) if ev and ev.date_end else set()  # a single day is every source's day
            for sentence in re.split(r"(?<=[.;:!?])\s+", text):
                said = _content(sentence)
                dated = day_months(sentence) or re.search(rf"\b(?:{'|'.join(_WEEKDAYS)})\b", sentence, re.IGNORECASE)
                if words and len(words & said) * 2 >= len(words) and dated and not _HEDGE.search(sentence):
                    out.append(sentence.strip())
    return out


def unexplained_abbreviations(texts: Iterable[str]) -> list[str]:
    """Abbreviations ('LPG', 'CSTO') whose first use, in reading order, neither follows its expansion '... (LPG)' nor
    is followed by one 'LPG (...)'; quotation marks do not excuse it (a quote is read too)."""
    seen: set[str] = set()
    out = []
    for text in texts:
        for m in _ACRONYM.finditer(text):
            abbr = m.group(0)
            if abbr in seen or abbr in _KNOWN_ABBREVIATIONS:
                continue
            seen.add(abbr)
            before, after = text[max(0, m.start() - 1) : m.start()], text[m.end() : m.end() + 2]
            if not (before == "(" or after.startswith(" (")):
                out.append(abbr)
    return out


_WHOLE_SENTENCE = re.compile(r"^[“\"‘]?[A-Z0-9].*[.!?][”\"’]?$", re.S)


def short_quotes(facts: Facts, evidence: Iterable[Evidence]) -> list[str]:
    """Fragments (not a whole sentence, no figure) shorter than MIN_STANDALONE_WORDS that name no person, organisation or group:
    on their own they show no one doing anything ('restored price controls', 'with nearly ten thousand detained')."""
    names = [n for e in facts.entities.values() if e.kind in ("person", "organisation", "group") for n in e.names]
    return [
        e.quote
        for e in evidence
        if len(e.quote.split()) < MIN_STANDALONE_WORDS
        and not _WHOLE_SENTENCE.match(e.quote)
        and not numbers(e.quote)  # a count ('with nearly ten thousand detained') shows its figure; its giver is the account's
        and not any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", e.quote) for n in names)
    ]


def source_mentions(facts: Facts) -> dict[str, list[str]]:
    """How learner text names each source: its outlet, the outlet's initials ('IESS'), its author's surname, and its
    kind's words when no other source is of that kind ('the analysis', 'the live report')."""
    kinds = [s.kind for s in facts.sources.values()]
    out: dict[str, list[str]] = {}
    for slug, src in facts.sources.items():
        names = []
        if src.outlet:
            names.append(src.outlet)
            initials = "".join(w[0] for w in src.outlet.split() if w[:1].isupper())
            if len(initials) >= 2:
                names.append(initials)
        if src.author and len(src.author.split()) <= 3:
            names.append(src.author.split()[-1])
        if src.kind and kinds.count(src.kind) == 1:
            names.append(kind_words(src.kind))
        out[slug] = names
    return out


def unquoted_sources(facts: Facts, account: AccountSpec) -> list[str]:
    """The sources an account's line names ('… reported in the IESS paper, and the analysis …') of which it quotes
    nothing: the learner cannot see that source say it."""
    line = f"{account.by}: {account.text}"
    quoted = {e.source for e in account.evidence}
    return [
        slug
        for slug, names in source_mentions(facts).items()
        if slug not in quoted and any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", line, re.IGNORECASE) for n in names)
    ]


def unstated_days(facts: Facts, account: AccountSpec) -> list[str]:
    """Days an account's descriptor gives ('covers events up to early 6 January') that none of the sources it quotes or
    names writes as a day: read from a weekday or from context, so they are ours and must say so ('our reading')."""
    if re.search(r"\bour reading\b|\bprobably\b", account.by, re.IGNORECASE):
        return []
    mentions = source_mentions(facts)
    sources = {e.source for e in account.evidence} | {
        slug for slug, names in mentions.items() if any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", account.by, re.I) for n in names)
    }
    known = [facts.sources[s] for s in sources if s in facts.sources]
    # the days its text writes, and its date of publication (from its header, however written: '10 Feb 2022')
    stated = set().union(*(day_months(src.text) for src in known)) | {
        (src.published_on.month, src.published_on.day) for src in known if src.published_on
    }
    return [f"{d} {_MONTHS[m - 1].title()}" for m, d in sorted(day_months(account.by) - stated)]


_NO_SOURCE = re.compile(
    r"\bno (?:source|other source|article|report)s? (?:reports?|mentions?|says?|describes?|speaks? of|gives?)\s+([^.;:()]+)", re.IGNORECASE
)
_DENIES = re.compile(r"\b(?:no|not|never|without|nor|neither|denied|deny|denies)\b|n't\b", re.IGNORECASE)
_VAGUE = {"thi", "that", "any", "anyth", "such", "it", "either", "one", "so"}


def contradicted_negatives(facts: Facts, text: str) -> list[tuple[str, str]]:
    """'No source reports X' statements that a source contradicts: some sentence of its text holds every content word of
    X (crudely stemmed) and no negation. ('No source reports this' names nothing to check.) Returns (X, source slug) pairs."""
    out = []
    for m in _NO_SOURCE.finditer(text):
        said = m.group(1).strip()
        words = _content(said) - _VAGUE
        if not words:
            continue
        for slug, src in facts.sources.items():
            sentences = re.split(r"(?<=[.!?])\s+|\n+", src.text)
            # a sentence that negates ('no talks would be held') bears the statement out
            if any(words <= _content(x) and not _DENIES.search(x) for x in sentences):
                out.append((said, slug))
                break
    return out


def _step_evidence(step: StepSpec) -> list[Evidence]:
    return [*(e for o in step.options for e in o.evidence), *step.reveal_evidence, *(e for a in step.accounts for e in a.evidence)]


def _check_opening(
    tl: Timeline, spec: ScenarioSpec, first: StepSpec, shown: list[str], when: date, quotes: list[str], problems: list[Problem]
) -> None:
    """The title and intro are read before the first step: no date after it, every figure and date traceable."""
    opening = [tl.events[s] for s in [*spec.start, *shown] if s in tl.events]
    pool = " ".join([*quotes, *(e.quote for ev in opening for e in ev.evidence)])
    allowed_numbers = numbers(pool) | {float(y) for y in re.findall(r"\b(?:19|20)\d\d\b", pool)} | {float(ev.date.year) for ev in opening}
    allowed_dates = day_months(pool) | {(ev.date.month, ev.date.day) for ev in opening if ev.exact_day}
    for name, value in (("title", spec.title), ("intro", spec.intro)):
        for m, d in sorted(day_months(value)):
            try:
                named = date(when.year, m, d)
            except ValueError:
                continue
            if named > when:
                problems.append(
                    Problem(
                        "step-date",
                        spec.slug,
                        None,
                        _(
                            "the %(part)s names %(named)s, after the first step's date %(date)s",
                            part=part(name),
                            named=SaidDate(named),
                            date=SaidDate(when),
                        ),
                    )
                )
        for y in re.findall(r"\b(?:19|20)\d\d\b", value):
            if int(y) > when.year:
                problems.append(
                    Problem(
                        "step-date",
                        spec.slug,
                        None,
                        _(
                            "the %(part)s names %(named)s, after the first step's date %(date)s",
                            part=part(name),
                            named=y,
                            date=SaidDate(when),
                        ),
                    )
                )
        bare = re.sub(r"“[^”]*”|\"[^\"]*\"", " ", value)
        missing_dates = sorted(day_months(bare) - allowed_dates)
        missing = sorted(n for n in numbers(bare) if n not in allowed_numbers and n not in _UNTRACED_OK)
        if missing_dates or missing:
            what = [f"{d} {_MONTHS[m - 1].title()}" for m, d in missing_dates] + [f"{n:g}" for n in missing]
            problems.append(
                Problem(
                    "untraced",
                    spec.slug,
                    None,
                    _("the %(part)s states %(what)s, which no quote of the opening states", part=part(name), what=", ".join(what)),
                )
            )


def _check_feedback_spoilers(tl: Timeline, spec: ScenarioSpec, problems: list[Problem]) -> None:
    """What a learner reads after answering a step (each option's feedback, the accounts, the reveal, the reflection)
    must not give away the answer of a step played after it: its branches and every later step."""
    played: list[tuple[StepSpec, list[StepSpec]]] = []
    for i, st in enumerate(spec.steps):
        rest = [s for later in spec.steps[i + 1 :] for s in (later, *(b.step for b in later.branches))]
        played.append((st, [*(b.step for b in st.branches), *rest]))
        played.extend((b.step, rest) for b in st.branches)
    for step, later in played:
        texts = [
            *((f"option {o.id} explanation", o.explanation) for o in step.options),
            *((f"account by {a.by}", a.text) for a in step.accounts),
            # The name an account goes by is read too: a source named by what it reports gives that away.
            *((f"account by {a.by}", a.by) for a in step.accounts),
            ("reveal", step.reveal),
            ("reflection", step.reflection),
        ]
        for nxt in later:
            key = nxt.answer
            if key is None:
                continue
            telling = _content(key.text) - set().union(set(), *(_content(o.text) for o in nxt.options if o is not key))
            titles = [tl.events[a].title.lower().rstrip(".") for a in key.events if a in tl.events]
            for name, value in texts:
                hit = telling & _content(value)
                if (telling and len(hit) >= max(2, -(-3 * len(telling) // 5))) or any(t in value.lower() for t in titles):
                    problems.append(
                        Problem(
                            "feedback-spoiler",
                            spec.slug,
                            step.key,
                            _(
                                "the %(part)s gives away the answer of step %(step)s (%(answer)s; shares %(words)s)",
                                part=part(name),
                                step=nxt.key,
                                answer=repr(key.text),
                                words=sorted(hit),
                            ),
                        )
                    )


def scenarios_check(facts: Facts, specs: Iterable[ScenarioSpec]) -> list[Problem]:
    """Every rule broken by a collection's paths, including duplicates across scenarios."""
    tl = Timeline(facts)
    specs = list(specs)
    problems: list[Problem] = []
    slugs = [s.slug for s in specs]
    for slug in {s for s in slugs if slugs.count(s) > 1}:
        problems.append(Problem("shape", slug, None, _("two scenarios share this slug")))
    owner: dict[tuple, tuple[str, str]] = {}
    for spec in specs:
        problems += scenario_check(facts, spec, timeline=tl)
        for step in (s for st in spec.steps for s in (st, *(b.step for b in st.branches))):
            for sig in {("answer", a) for a in step.answer_events} | {("prompt", step.prompt.lower())}:
                if sig in owner and owner[sig][0] != spec.slug:
                    what = _("its answer %(event)s", event=sig[1]) if sig[0] == "answer" else _("its prompt")
                    problems.append(
                        Problem(
                            "duplicate-step",
                            spec.slug,
                            step.key,
                            _(
                                "%(what)s repeats step %(step)s of scenario %(scenario)s",
                                what=what,
                                step=owner[sig][1],
                                scenario=owner[sig][0],
                            ),
                        )
                    )
                owner.setdefault(sig, (spec.slug, step.key))
    return problems


# --- drafts -----------------------------------------------------------------------------------


@dataclass
class ScenarioOptionDraft:
    id: str
    text: str
    explanation: str
    evidence: tuple[Evidence, ...]
    kind: str = "did_not_happen"
    events: tuple[str, ...] = ()


@dataclass
class AccountDraft:
    by: str
    text: str
    evidence: tuple[Evidence, ...]


@dataclass
class StepDraft:
    key: str
    position: int
    date: date
    date_label: str
    briefing: str
    known_events: list[str]
    briefing_evidence: list[Evidence]
    prompt: str
    options: list[ScenarioOptionDraft]
    correct: str
    next_event: str
    reveal: str
    reveal_evidence: list[Evidence]
    reflection: str
    fact_ids: list[str]
    kind: str = "next"
    dispute: str = ""
    accounts: list[AccountDraft] = field(default_factory=list)
    also_known: list[str] = field(default_factory=list)
    branch_of: str | None = None  # the parent step's key
    branch_option: str = ""

    @property
    def all_evidence(self) -> list[Evidence]:
        return [
            *self.briefing_evidence,
            *self.reveal_evidence,
            *(e for o in self.options for e in o.evidence),
            *(e for a in self.accounts for e in a.evidence),
        ]


@dataclass
class ScenarioDraft:
    key: str
    slug: str
    title: str
    intro: str
    topics: list[str]
    position: int
    steps: list[StepDraft]
    start: list[str] = field(default_factory=list)

    @property
    def main_steps(self) -> list[StepDraft]:
        return [s for s in self.steps if s.branch_of is None]


@dataclass
class GenerationResult:
    drafts: list[ScenarioDraft] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _rng(seed: int, key: str) -> random.Random:
    return random.Random(int(hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()[:16], 16))


def key_position(seed: int, scenario: str, step: str, n_options: int, used: dict[int, int]) -> int:
    """The key's place as shown (the player keeps the stored order): the least-used place in this scenario so far,
    ties broken by a stable hash of the step, so key positions stay balanced within each scenario."""
    fewest = min(used.get(i, 0) for i in range(n_options))
    free = [i for i in range(n_options) if used.get(i, 0) == fewest]
    return free[int(hashlib.sha256(f"{seed}:{scenario}:{step}:key".encode()).hexdigest(), 16) % len(free)]


def _briefing_evidence(tl: Timeline, shown: list[str], hidden: set[str], when: date) -> list[Evidence]:
    """One passage per briefed event that bears on nothing hidden (answers of this or a later step, the options'
    events) nor on anything after the step date, through the events or links it is evidence for."""
    out: list[Evidence] = []
    for slug in shown:
        usable = [
            e for e in tl.events[slug].evidence if not (tl.bearing(e) & hidden) and all(tl.events[b].latest <= when for b in tl.bearing(e))
        ]
        if usable:
            out.append(min(usable, key=lambda e: (len(e.quote), e.source, e.start)))
    return out


def _step_draft(
    tl: Timeline,
    spec: ScenarioSpec,
    step: StepSpec,
    shown: list[str],
    when: date,
    text: str,
    label: str,
    seed: int,
    later: set[str],
    at: int,
) -> tuple[StepDraft, dict[str, str]]:
    rng = _rng(seed, f"{spec.slug}:{step.key}")
    others = [o for o in step.options if o.kind != "happened"]
    rng.shuffle(others)
    keyed = [o for o in step.options if o.kind == "happened"]
    options = [*others[:at], *keyed, *others[at:]]
    relabel = {o.id: LETTERS[i] for i, o in enumerate(options)}
    answer = step.answer
    assert answer is not None  # checked before assembling
    hidden = {s for o in step.options for s in o.events} | later
    draft = StepDraft(
        key=step.key,
        position=0,
        date=when,
        date_label=label,
        briefing=text,
        known_events=shown,
        briefing_evidence=_briefing_evidence(tl, shown, hidden, when),
        prompt=step.prompt,
        options=[ScenarioOptionDraft(relabel[o.id], o.text, o.explanation, o.evidence, o.kind, o.events) for o in options],
        correct=relabel[answer.id],
        next_event=answer.events[0],
        reveal=step.reveal,
        reveal_evidence=list(step.reveal_evidence),
        reflection=step.reflection,
        fact_ids=[f"event:{s}" for o in step.options for s in o.events],
        kind=step.kind,
        dispute=step.dispute or "",
        accounts=[AccountDraft(a.by, a.text, a.evidence) for a in step.accounts],
        also_known=list(step.also_known),
    )
    return draft, relabel


def scenario_assemble(facts: Facts, spec: ScenarioSpec, *, seed: int = 0, timeline: Timeline | None = None) -> ScenarioDraft:
    """The drafts of one path, its briefings built from the timeline; raises ScenarioInvalid if a rule is broken."""
    tl = timeline or Timeline(facts)
    problems: list[Problem] = []
    walked = _walk(tl, spec, problems)
    if problems:
        raise ScenarioInvalid(problems)
    steps: list[StepDraft] = []
    relabels: dict[str, dict[str, str]] = {}
    main_index = {st.key: i for i, st in enumerate(spec.steps)}
    main_index.update({b.step.key: i + 1 for i, st in enumerate(spec.steps) for b in st.branches})
    used: dict[int, int] = {}
    for step, parent, shown, when, text, label in walked:
        assert when is not None
        later = {a for st in spec.steps[main_index.get(step.key, 0) :] for a in st.answer_events}
        at = key_position(seed, spec.slug, step.key, len(step.options), used)
        used[at] = used.get(at, 0) + 1
        draft, relabels[step.key] = _step_draft(tl, spec, step, shown, when, text, label, seed, later, at)
        if parent is not None:
            on = next(b.on for b in parent.branches if b.step is step)
            draft.branch_of, draft.branch_option = parent.key, relabels[parent.key][on]
        steps.append(draft)
    for n, draft in enumerate(steps, start=1):
        draft.position = n
    return ScenarioDraft(
        key=f"path:{spec.slug}",
        slug=spec.slug,
        title=spec.title,
        intro=spec.intro,
        topics=list(spec.topics),
        position=spec.position,
        steps=steps,
        start=list(spec.start),
    )


def scenarios_generate(facts: Facts, specs: Iterable[ScenarioSpec], *, seed: int = 0) -> GenerationResult:
    """Drafts for every sound path, and one line per broken rule of the others."""
    specs = list(specs)
    tl = Timeline(facts)
    result = GenerationResult()
    broken = {p.scenario for p in scenarios_check(facts, specs)}
    for p in scenarios_check(facts, specs):
        result.problems.append(p.said())
    for spec in specs:
        if spec.slug in broken:
            continue
        result.drafts.append(scenario_assemble(facts, spec, seed=seed, timeline=tl))
    return result
