"""The event data as plain, immutable facts (PURE: no ORM).

Generators take a `Facts` and return drafts; `quizzes.events.selectors.facts_load` builds one from
the database, and tests build them by hand.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from quizzes.dates import MONTHS, FuzzyDate, SaidSpan, date_span_label

# With no span given for a collection, the events of one set (an ordering) lie within this many days of each other.
ONE_PERIOD_DAYS = 366

# A claim's `neutral_kind` that a "fact or claim?" item may ask (docs/episodes.md).
PROPOSITION = "proposition"

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _states_day(quote: str, day: dt.date) -> bool:
    """Whether the quote names the day itself ('5 January', 'January 5'), not only its weekday."""
    month = MONTHS["en"][day.month - 1]
    return bool(re.search(rf"\b({day.day} {month}|{month} {day.day})\b", quote))


def opening_words(text: str, n: int = 6) -> str:
    """The first n words of a text, without trailing punctuation: names an untitled, unsigned article."""
    return " ".join(text.split()[:n]).rstrip(",.;:")


INSTITUTION_HEADS = {
    "Institute",
    "Institution",
    "Organisation",
    "Organization",
    "Centre",
    "Center",
    "Council",
    "Ministry",
    "Office",
    "Foundation",
}


@dataclass(frozen=True, kw_only=True)
class Evidence:
    passage_id: int | None
    source: str  # source slug
    quote: str
    start: int = 0
    end: int = 0


# A quote that opens by pointing back to something it does not name, after an optional sequence word
# ("Second, the move ..."): a demonstrative ("the decision", "this", "such"). The scenarios' rule.
_SEQUENCE = r"^\W*(?:(?:first|second|third|finally|however|but|and|also|then|so|yet|still|moreover)\W+)?"
DANGLING = re.compile(_SEQUENCE + r"(?:the decision|the move|the measure|the step|this|these|those|such)\b", re.IGNORECASE)
# The bank's (r10): also a pronoun ("he", "they"), "the city" / "the country", or a bare conjunction ("and
# declared ..."). Scenarios keep DANGLING until their quotes are extended (13 would fail on the Kazakhstan data).
ANAPHORIC = re.compile(
    r"^\W*(?:and|but|or|which|who|whose)\b|"
    + _SEQUENCE
    + r"(?:the decision|the move|the measure|the step|the city|the town|the capital|the country|this|these|those|such"
    r"|he|she|they|him|them|his|her|their)\b",
    re.IGNORECASE,
)


def dangling_quotes(evidence: Iterable[Evidence], pattern: re.Pattern[str] = DANGLING) -> list[str]:
    """Quotes that open by pointing back ('Second, the decision ...', 'He claimed ...', 'The city’s police
    chief ...', 'and declared ...') with no quote just before them, from the same source, that says what
    they point to. Scenarios (rule dangling-quote) and the bank (audit_bank, the generator) both use it."""
    out, prev = [], None
    for e in evidence:
        joined = prev is not None and prev.source == e.source and prev.end <= e.start <= prev.end + 3
        if pattern.match(e.quote) and not joined:
            out.append(e.quote)
        prev = e
    return out


@dataclass(frozen=True, kw_only=True)
class SourceFact:
    slug: str
    label: str
    outlet: str | None
    author: str | None
    published_on: date | None
    title: str | None = None
    kind: str = ""  # live-report, news-report, analysis, think-tank-paper, ... ("" unknown)
    opening: str = ""  # the text's first words: how to name an article with no outlet, author or title
    kind_evidence: tuple[Evidence, ...] = ()  # the passage that shows the kind
    text: str = field(default="", repr=False)  # the whole text: to check what a source does not say

    @property
    def name(self) -> str:
        """The article itself, for a learner: its outlet and title, its author, or its opening words."""
        if self.title and self.outlet:
            return f"the article “{self.title}” from {self.citation}"
        if self.title:
            return f"the article “{self.title}”"
        if self.author:
            return f"{self.author}’s article"
        return f"the unsigned article beginning “{self.opening}…”"

    @property
    def citation(self) -> str:
        """How a question names the source: its outlet, author or title where the text gives one;
        otherwise its opening words (never our editorial label, which may give an answer away)."""
        if self.outlet:
            # An institution's name takes the article: "the Institute for East Strategic Studies".
            return f"the {self.outlet}" if self.outlet.split()[0] in INSTITUTION_HEADS else self.outlet
        if self.author:
            return f"{self.author}’s report"
        if self.title:
            return f"the article “{self.title}”"
        if self.opening:
            return f"the unsigned article beginning “{self.opening}…”"
        return f"the unsigned article ({self.label})"


@dataclass(frozen=True, kw_only=True)
class Role:
    title: str
    evidence: tuple[Evidence, ...]

    @property
    def core(self) -> str:
        """The role without its parenthetical detail, lower-cased: for comparing roles."""
        return self.title.split("(")[0].strip().strip('"“”').lower()


@dataclass(frozen=True, kw_only=True)
class EntityFact:
    slug: str
    name: str
    kind: str
    aliases: tuple[str, ...] = ()
    roles: tuple[Role, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    place_kind: str = ""  # for kind "place": settlement, region or site, as the dataset says

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)

    @property
    def subject(self) -> str:
        """The name as the subject of a sentence: 'the European Union', 'Meduza', 'Tokayev'."""
        institutional = {
            "ministry",
            "department",
            "union",
            "organization",
            "organisation",
            "office",
            "council",
            "committee",
            "service",
            "government",
            "parliament",
            "institute",
            "kremlin",
            "duma",
            "commission",
        }
        words = {w.lower().strip(".,") for w in self.name.split()}
        if (
            self.kind in ("organisation", "group")
            and not self.name.startswith("The ")
            and (words & institutional or self.name == "White House")
        ):
            return f"the {self.name}"
        return self.name


@dataclass(frozen=True, kw_only=True)
class EventFact:
    slug: str
    title: str
    summary: str
    # dt.date, not date: inside this class `date` names the field, which would shadow the type.
    date: dt.date
    precision: str  # day, month, year
    date_end: dt.date | None = None
    place: str | None = None
    actors: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    # A full declarative sentence the sources establish ("" none): a headline-style title is no statement.
    statement: str = ""
    inferred: bool = False  # the day is worked out, not stated: shown with its hedge everywhere
    # The source's own time expression when the day is read from context, not stated ("Around 1 a.m." in a report
    # of the evening before): shown with the day as ours, "Around 1 a.m. (our reading: 6 January 2022)".
    said: str = ""

    @property
    def sources(self) -> tuple[str, ...]:
        """The sources that report the event (its evidence's), in order."""
        return tuple(dict.fromkeys(e.source for e in self.evidence))

    @property
    def earliest(self) -> dt.date:
        return self.date

    @property
    def latest(self) -> dt.date:
        """Last day the event may have happened, given its precision and date_end."""
        return self.date_end or FuzzyDate(self.date, self.precision).last_day

    @property
    def exact_day(self) -> bool:
        return self.precision == "day" and self.date_end is None

    def surely_before(self, other: EventFact) -> bool:
        return self.latest < other.earliest

    @property
    def weekday_only(self) -> str:
        """The weekday ('Wednesday') when the sources give this day only as its weekday, read against the
        article's date; '' when a quote states the day itself, or the day is a span, or no quote names it."""
        if self.precision != "day" or self.date_end or self.inferred:
            return ""
        name = WEEKDAYS[self.date.weekday()]
        quotes = [e.quote for e in self.evidence]
        if any(_states_day(q, self.date) for q in quotes):
            return ""
        return name if any(re.search(rf"\b{name}\b", q) for q in quotes) else ""

    @property
    def span_weekdays(self) -> tuple[str, ...]:
        """For a span of days, the weekdays its bounds are read from: a bound no quote states as a day, whose weekday a
        quote names ('Later on Wednesday' for 5 January). Such a span is our reading and says so."""
        if self.precision != "day" or not self.date_end or self.inferred:
            return ()
        quotes = [e.quote for e in self.evidence]
        out = []
        for bound in (self.date, self.date_end):
            name = WEEKDAYS[bound.weekday()]
            if not any(_states_day(q, bound) for q in quotes) and any(re.search(rf"\b{name}\b", q) for q in quotes):
                out.append(name)
        return tuple(dict.fromkeys(out))

    @property
    def when_label(self) -> str:
        """'5 January 2022', 'between 4 and 6 January 2022', 'January 2022', '2019'; for a day the sources do not
        state, the source's own words with the day marked as ours: 'between 5 and 6 January 2022 (our reading of
        “Wednesday”)' for a span with a bound read from a weekday, 'Wednesday (our reading: 5 January 2022)' for a
        day given only as its weekday, 'Around 1 a.m. (our reading: 6 January 2022)' for a day read from context
        (`said`), 'probably 18 January 2022' for a day worked out otherwise. Every text that shows an event's date
        shows it this way, so the learner sees how it is known and never takes our conversion for the source's."""
        label = date_span_label(self.date, self.date_end, self.precision)
        if self.said:
            return f"{self.said} (our reading: {label})"
        if self.inferred:
            return f"probably {label}"
        weekday = self.weekday_only
        if weekday:
            return f"{weekday} (our reading: {label})"
        read = self.span_weekdays
        return f"{label} (our reading of “{'” and “'.join(read)}”)" if read else label

    @property
    def when_said(self) -> SaidSpan:
        """when_label for a message of ours (a scenario rule's): shown in the message's language."""
        said = self.said or ("" if self.inferred else self.weekday_only)
        probably = bool(self.inferred) and not self.said
        return SaidSpan(
            self.when_label, self.date, self.date_end, self.precision, said=said, probably=probably, read_from=self.span_weekdays
        )

    @property
    def day_derived(self) -> bool:
        """The day is read from context, not stated: no quote names the day itself or its weekday (a clock time after
        a night, "the same day"), and the data gives neither `said` nor `inferred`. False for a span, a month or a
        year and an event without quotes. Shown in a scenario, such a day needs `date_said` (rule our-reading)."""
        if self.precision != "day" or self.date_end or self.inferred or self.said or not self.evidence:
            return False
        return not self.weekday_only and not any(_states_day(e.quote, self.date) for e in self.evidence)

    @property
    def hedged(self) -> bool:
        """Whether the day shown is our reading of the sources, not a day a source states."""
        return bool(self.said or self.inferred or self.weekday_only)


@dataclass(frozen=True, kw_only=True)
class ReportFact:
    value: Decimal | None
    low: Decimal | None
    high: Decimal | None
    qualifier: str
    reported_by: str | None  # entity slug
    as_of: date | None
    evidence: tuple[Evidence, ...]

    @property
    def number(self) -> Decimal:
        """The value, or the low bound of a range (the dataset reader refuses a report with neither)."""
        number = self.value if self.value is not None else self.low
        if number is None:
            raise ValueError("a figure report needs a value or a low bound")
        return number

    @property
    def sources(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(e.source for e in self.evidence))


@dataclass(frozen=True, kw_only=True)
class FigureFact:
    slug: str
    measure: str
    unit: str
    reports: tuple[ReportFact, ...]
    event: str | None = None
    topics: tuple[str, ...] = ()
    # {"reasons": [...], "because": str, "not_because": [str, ...]} where the data explains the gap
    differ: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    @property
    def contested(self) -> bool:
        return len({(r.value, r.low, r.high) for r in self.reports}) > 1

    @property
    def one_scope(self) -> bool:
        """Whether the data says the reports count the same scope (place, period, population): it explains
        why they differ (`differ` reasons) and scope is not among the reasons. Unknown counts as not."""
        reasons = self.differ.get("reasons") or []
        return bool(reasons) and "scope" not in reasons


@dataclass(frozen=True, kw_only=True)
class ClaimFact:
    slug: str
    claimant: str  # entity slug
    statement: str
    date: date | None = None
    about: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    evidence: tuple[Evidence, ...] = ()
    neutral: str = ""  # speaker-free headline, only for an interested party's unestablished claim
    # What `neutral` is (curator-set, required with it): "proposition" (checkable: asked as fact or claim)
    # or "characterisation" (a label or judgement: its wording alone says "claim", so never asked).
    neutral_kind: str = ""

    @property
    def askable(self) -> str:
        """The statement a 'fact or claim?' item may ask ("" none): a checkable proposition only."""
        return self.neutral if self.neutral_kind == PROPOSITION else ""


@dataclass(frozen=True, kw_only=True)
class LinkFact:
    source: str  # event slug ("from")
    target: str  # event slug ("to")
    kind: str  # led_to, in_response_to, followed_by
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, kw_only=True)
class AccountFact:
    account: str
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True, kw_only=True)
class DisputeFact:
    slug: str
    question: str
    accounts: tuple[AccountFact, ...]
    events: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    contests: tuple[str, ...] = ()  # what the accounts disagree on: date, figure, fact, interpretation


@dataclass(kw_only=True)
class Facts:
    """One collection's facts: generators draw answers and distractors from these only."""

    collection: str = ""
    # The span the collection is about (collection.yaml `dates`); None: every event counts.
    date_from: date | None = None
    date_to: date | None = None
    # purpose -> topic slug, from topics.yaml `generated_for` ("people", "sources").
    topics_for: dict[str, str] = field(default_factory=dict)
    sources: dict[str, SourceFact] = field(default_factory=dict)
    entities: dict[str, EntityFact] = field(default_factory=dict)
    events: dict[str, EventFact] = field(default_factory=dict)
    figures: dict[str, FigureFact] = field(default_factory=dict)
    claims: dict[str, ClaimFact] = field(default_factory=dict)
    links: list[LinkFact] = field(default_factory=list)
    disputes: dict[str, DisputeFact] = field(default_factory=dict)

    def topic_for(self, purpose: str) -> list[str]:
        """The topic the dataset gives to questions of this purpose, as a list (empty: none)."""
        return [self.topics_for[purpose]] if purpose in self.topics_for else []

    def in_period(self, event: EventFact) -> bool:
        """Whether the event falls in the collection's span (background events do not)."""
        return (self.date_from is None or event.date >= self.date_from) and (self.date_to is None or event.date <= self.date_to)

    def period(self, event: EventFact) -> str:
        """Which period of the episode the event lies in: 'before' its span (background), 'in' it, or 'after' it."""
        if self.date_from is not None and event.date < self.date_from:
            return "before"
        if self.date_to is not None and event.date > self.date_to:
            return "after"
        return "in"

    def one_period(self, events: list[EventFact]) -> bool:
        """Whether a set of events lies within one period, so that no event's place in the set follows from its being
        background (years before) or the episode's present: all on one side of the collection's span, and, with no
        span given, within ONE_PERIOD_DAYS of each other."""
        if len({self.period(e) for e in events}) > 1:
            return False
        if self.date_from is None and self.date_to is None and events:
            return (max(e.latest for e in events) - min(e.earliest for e in events)).days <= ONE_PERIOD_DAYS
        return True
