"""Historical-thinking templates (PURE): sourcing and corroboration, not only recall.

After the Stanford History Education Group's reading-like-a-historian skills:
- fact-or-claim: is a statement something the sources establish, or one party’s claim?
  Claims come only from data that gives a speaker-free wording (`neutral`) for an interested
  party's claim no source states as fact; facts are events that at least two sources report in
  their own voice, with no dispute about them.
- sources-agree: which of the sources report an event (corroboration), from the evidence each
  source gives for it.
- source-kind: what kind of text a source is (live report, analysis, think-tank paper, ...), from
  source metadata that quotes the text, and what such a text can and cannot know.
- figures-differ: why might two versions of a figure differ (date, scope, who counted), from the
  figure's `differ` data; the options are the three generic reasons.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator

from quizzes.generation.audit import (
    ATTRIBUTED,
    BACKGROUND,
    MIN_WRONG_REASONS,
    PRODUCER_KINDS,
    SOURCE_KIND_LABELS,
    citation_line,
    content_words,
    headline_style,
    own_voice_sentences,
    quote_states,
)
from quizzes.generation.drafts import QuestionDraft
from quizzes.generation.facts import EventFact, Evidence, Facts, SourceFact
from quizzes.generation.questions import (
    Option,
    _choice,
    _dedupe,
    _rng,
    and_list,
    attribution_verb,
    cap,
    disputed_events,
    fmt_report,
    hash_rank,
    measure_phrase,
    quoted,
    report_attribution,
)

# A quote that attributes what it reports to someone else does not establish it as fact (audit.ATTRIBUTED).
REPORT_WORDS = re.compile(r"\b(?:reports?|reportedly|rumou?rs?|says?|said|claims?|calls?)\b", re.I)

FACT = "An established fact: several sources report it in their own words"
CLAIM = "A claim: the sources attribute it to the person or body that made it"

# Kinds of source, what a learner should know about each, and the kinds offered against each: the
# nearest genre always among them, every label defined so that no two overlap (a live report is
# updated, a news report is not; a think-tank paper is by a research institute, the journalist's
# analysis by a journalist), and a kind defined by its producer never offered as wrong for a text
# that does not name its producer (audit.SOURCE_KIND_*).
KINDS = {
    "live-report": (
        SOURCE_KIND_LABELS["live-report"],
        "A live report is written as events unfold: it is close to them in time, but it passes on first reports and "
        "figures that may not have been checked yet.",
        ("news-report", "analysis"),
    ),
    "news-report": (
        SOURCE_KIND_LABELS["news-report"],
        "A news report tells what happened from its own and others’ reporting; it can only be as good as the "
        "reports and people it relies on.",
        (),
    ),
    "analysis": (
        SOURCE_KIND_LABELS["analysis"],
        "An analysis interprets events for its readers: it gives context and argument, and mixes reported facts "
        "with the writer’s own judgement.",
        ("news-report", "live-report"),
    ),
    "think-tank-paper": (
        SOURCE_KIND_LABELS["think-tank-paper"],
        "A think-tank paper is written at some distance from the events: it can compare many reports and versions, "
        "but it usually relies on what others reported.",
        ("journalist-analysis", "news-report"),
    ),
    "journalist-analysis": (
        SOURCE_KIND_LABELS["journalist-analysis"],
        "A journalist’s analysis interprets events for a newspaper’s or magazine’s readers.",
        (),
    ),
    "student-paper": (SOURCE_KIND_LABELS["student-paper"], "A student paper is written for study, from other published reports.", ()),
    "reposted-report": (
        SOURCE_KIND_LABELS["reposted-report"],
        "A reposted report copies another outlet’s reporting: who wrote it first, and when, may be unclear.",
        (),
    ),
}
REASONS = {
    "date": "They were counted at different times",
    "scope": "They may not count the same places or things",
    "counter": "They were counted by different people or bodies",
}
# figures-differ needs MIN_WRONG_REASONS wrong reasons, each ruled out by a quoted sentence (the
# figure's `differ.not_reasons`); with fewer, the key follows from the wording, so no item.
# Events and claims tagged BACKGROUND (earlier years) are no side's version of the episode, so
# they are not asked as fact-or-claim.


def _own_quotes(ev: EventFact) -> list[Evidence]:
    """Own-voice quotes (no "said", "reportedly" ...) that each, by themselves, state the whole of
    the event's statement (a full sentence; a headline-style title is none): a quote sharing one
    keyword, or half of them, is not cited for it; a citation line states nothing."""
    if not ev.statement or headline_style(ev.statement):
        return []
    return [e for e in ev.evidence if not ATTRIBUTED.search(e.quote) and quote_states(e.quote, ev.statement)]


def _unattributed_sources(ev: EventFact) -> list[str]:
    """Sources with an own-voice quote that plainly says what the title says."""
    return sorted({e.source for e in _own_quotes(ev)})


def established_events(facts: Facts) -> list[EventFact]:
    """Events at least two sources report in their own voice, with no dispute about them and no
    claim about them: what the sources establish."""
    disputed = disputed_events(facts)
    claimed = {slug for c in facts.claims.values() for slug in c.about}
    out = [
        ev
        for ev in facts.events.values()
        if BACKGROUND not in ev.topics
        and len(_unattributed_sources(ev)) >= 2
        and ev.slug not in disputed | claimed
        and not REPORT_WORDS.search(ev.title)
    ]
    return sorted(out, key=lambda e: (-len(_unattributed_sources(e)), e.slug))


def t_fact_or_claim(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Fact or claim? Episode statements only (no background), at most two claims per fact."""
    # Which claims are kept under the cap goes by a stable hash, not by slug (which would always
    # cut the same end of the alphabet).
    claims = sorted(
        (c for c in facts.claims.values() if c.askable and BACKGROUND not in c.topics),
        key=lambda c: hash_rank(f"fact-or-claim:claim/{c.slug}"),
    )
    events = established_events(facts)[: len(claims)]
    # At most twice as many claims as facts; the options' order goes by a stable hash of the item
    # (balanced over the template), so the key's position says nothing.
    claims = sorted(claims[: 2 * len(events)], key=lambda c: c.slug)
    stem = "Do the sources present this as an established fact or as one party’s claim: {}?"
    for claim in claims:
        # "An established fact" would be defensible too if a source says it in its own voice.
        if own_voice_sentences(facts, claim.neutral):
            continue
        who = facts.entities[claim.claimant].subject
        why = (
            f"A claim. According to {who}, {claim.statement.rstrip('.')}. The sources report this as {who}’s claim; "
            "none of them states it as established fact."
        )
        yield _choice(
            key=f"fact-or-claim:claim/{claim.slug}",
            template="fact-or-claim",
            qtype="single",
            stem=stem.format(quoted(claim.neutral)),
            correct=[(CLAIM, why, claim.evidence)],
            wrong=[(FACT, f"No. {why}", ())],
            seed=seed,
            explanation=why,
            evidence=claim.evidence,
            fact_ids=[f"claim:{claim.slug}"],
            topics=[*claim.topics, *facts.topic_for("sources")],
            difficulty=0.5,
        )
    for ev in events:
        own = _own_quotes(ev)
        cites = and_list([facts.sources[e.source].citation for e in own])
        why = f"An established fact. {cap(cites)} state it in their own words, attributing it to no one; no source disputes it."
        yield _choice(
            key=f"fact-or-claim:event/{ev.slug}",
            template="fact-or-claim",
            qtype="single",
            stem=stem.format(quoted(ev.statement)),
            correct=[(FACT, why, tuple(own))],
            wrong=[(CLAIM, f"No. {why}", ())],
            seed=seed,
            explanation=why,
            evidence=own,
            fact_ids=[f"event:{ev.slug}"],
            topics=[*ev.topics, *facts.topic_for("sources")],
            difficulty=0.45,
        )


def _stem(word: str) -> str:
    return word.lower()[:5]


def _title_words(title: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[A-Za-z]{4,}", title)} - {"with", "from", "that", "this", "they", "their", "against"}


def may_report(text: str, title: str) -> bool:
    """Whether a source's text has a sentence sharing two of the title's content words: then the
    source may well report the event in words the data does not quote, and 'does not report it'
    cannot be keyed."""
    words = _title_words(title)
    if len(words) < 2:
        return True
    return any(len({_stem(w) for w in re.findall(r"[A-Za-z]{4,}", s)} & words) >= 2 for s in re.split(r"(?<=[.!?])\s+|\n", text))


def states(quotes: Iterable[Evidence], title: str) -> bool:
    """Whether a source's quotes (citation lines aside) state the whole of the title: every content
    word of it (one in five may be missing, for longer titles), never only half."""
    return quote_states(" ".join(q.quote for q in quotes if not citation_line(q.quote)), title)


def t_sources_agree(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Corroboration: which of the sources report this event? Keys are the sources that give
    evidence for it; at least two do and at least one does not."""
    if len(facts.sources) < 3:
        return
    disputed = disputed_events(facts)
    for ev in sorted(facts.events.values(), key=lambda e: e.slug):
        reporting = set(ev.sources)
        if not 2 <= len(reporting) < len(facts.sources) or ev.slug in disputed:
            continue
        if any(may_report(src.text, ev.title) for slug, src in facts.sources.items() if slug not in reporting):
            continue  # a source the data does not quote for it may still report it: no sure key
        if not all(states([e for e in ev.evidence if e.source == s], ev.title) for s in reporting):
            continue  # a quote that does not plainly say what the title says is no sure key either
        key = f"sources-agree:event/{ev.slug}"
        correct: list[Option] = []
        wrong: list[Option] = []
        for slug, src in sorted(facts.sources.items()):
            quotes = tuple(e for e in ev.evidence if e.source == slug)
            if quotes:
                correct.append((cap(src.citation), f"Yes. {cap(src.citation)} mentions it.", quotes))
            else:
                wrong.append((cap(src.citation), f"No. {cap(src.citation)} does not mention it.", ()))
        yield _choice(
            key=key,
            template="sources-agree",
            qtype="multi",
            multi=True,
            shuffle=False,
            stem=f"Which of these sources report this: {quoted(ev.title)}? Select all that apply:",
            correct=correct,
            wrong=wrong,
            seed=seed,
            order=None,
            explanation=f"{cap(and_list([c[0][:1].lower() + c[0][1:] if c[0].startswith('The ') else c[0] for c in correct]))} "
            f"report it: {len(correct)} of the {len(facts.sources)} sources agree on it.",
            evidence=[e for c in correct for e in c[2]],
            fact_ids=[f"event:{ev.slug}"],
            topics=[*ev.topics, *facts.topic_for("sources")],
            difficulty=0.6,
        )


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def neutral_name(src: SourceFact) -> str:
    """A source named without its producer (an "Institute for ... Studies" gives the kind away):
    its title, or else its opening words."""
    if src.title:
        return f"the text titled “{src.title}”"
    return f"the text beginning “{src.opening}…”"


def short_kind(label: str) -> str:
    """A kind's label without its defining tail: "A live report, updated as ..." -> "A live report"."""
    return label.split(",")[0]


def t_source_kind(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Sourcing: what kind of source is this? Only for sources whose kind the text shows, and only
    against kinds it cannot be mistaken for."""
    for slug, src in sorted(facts.sources.items()):
        if src.kind not in KINDS:
            continue
        label, could_know, offered = KINDS[src.kind]
        # A kind defined by who made it cannot be ruled out for a text that does not say who made it.
        others = [k for k in offered if k not in PRODUCER_KINDS or src.outlet or src.author]
        if len(others) < 2:
            continue
        no_evidence: tuple[Evidence, ...] = ()
        quotes = tuple(e for e in src.kind_evidence if e.quote)
        if not quotes:
            continue
        why = f"{cap(src.name)} is {_lower(label)}. {could_know}"
        yield _choice(
            key=f"source-kind:source/{slug}",
            template="source-kind",
            qtype="single",
            stem=f"What kind of source is {neutral_name(src)}?",
            correct=[(label, f"Yes. {could_know}", quotes)],
            wrong=[
                (KINDS[k][0], f"No. It is {_lower(short_kind(label))}, not {_lower(short_kind(KINDS[k][0]))}.", no_evidence)
                for k in others[:2]
            ],
            seed=seed,
            explanation=why,
            evidence=quotes,
            fact_ids=[f"source:{slug}"],
            topics=facts.topic_for("sources"),
            difficulty=0.5,
        )


def t_figures_differ(facts: Facts, seed: int) -> Iterator[QuestionDraft]:
    """Why might these figures differ? Multiple select over date, scope and who counted: keys are
    the reasons the data shows, wrong options the reasons it rules out and a different unit."""
    for fig in sorted(facts.figures.values(), key=lambda f: f.slug):
        differ = fig.differ
        if not fig.contested or not differ.get("reasons") or len(fig.reports) != 2:
            continue
        a, b = fig.reports
        first, second = (
            f"{who} {attribution_verb(r, who)} {fmt_report(r, fig.unit)}" for r in (a, b) for who in [report_attribution(facts, r)]
        )
        versions = f"{cap(first)}; {second}."
        evidence = _dedupe([*a.evidence, *b.evidence])
        because = differ["because"]
        correct = [(REASONS[r], f"Yes. {because}", tuple(evidence)) for r in differ["reasons"]]
        wrong = [(REASONS[r], f"No. {because}", tuple(evidence)) for r in differ.get("not_reasons", [])]
        if len(wrong) < MIN_WRONG_REASONS:
            continue  # no throwaway reasons: too few defensible wrong options, no item
        yield _choice(
            key=f"figures-differ:figure/{fig.slug}",
            template="figures-differ",
            qtype="multi",
            multi=True,
            shuffle=False,
            stem=f"{versions} Which of these could explain why their figures for {measure_phrase(fig.measure, fig.unit)} differ? "
            "Select all that apply:",
            correct=correct,
            wrong=wrong,
            seed=seed,
            explanation=because,
            evidence=evidence,
            fact_ids=[f"figure:{fig.slug}#differ"],
            topics=[*fig.topics, *facts.topic_for("sources")],
            difficulty=0.7,
        )


THINKING_TEMPLATES: list[Callable[[Facts, int], Iterable[QuestionDraft]]] = [
    t_fact_or_claim,
    t_sources_agree,
    t_source_kind,
    t_figures_differ,
]
THINKING = {"fact-or-claim", "sources-agree", "source-kind", "figures-differ", "disagree"}
_ = (Evidence, _rng, content_words)
