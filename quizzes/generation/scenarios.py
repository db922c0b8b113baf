"""'What happened next' scenarios from the event data (PURE: no ORM, deterministic).

A scenario is a curated path (`ScenarioSpec`, at the end of this module) through events the
sources put in order. The generator turns each path into drafts and checks every rule on the way:

- A step's date is the last day any event in its briefing may have happened (`EventFact.latest`),
  so the briefing draws only on events surely on or before it; the event asked about may not have
  happened surely before it, and no later answer of the same path is ever briefed.
- A main step's answer happened after the step before it: the dates say so with certainty, or a
  chain of links (led_to, followed_by, in_response_to) does, or the spec quotes the passage that
  says so. A follow-up (branch) step with its own prompt asks something narrower and is exempt.
- A wrong option is a real event that surely happened after the answer (its explanation says when
  and cites it), or a counterfactual whose explanation cites what did happen instead.
- Every option, briefing and reveal cites passages; a passage that also bears on a later answer of
  the same path is never shown early.

A broken spec raises `ScenarioSpecError` naming the scenario and the rule; `scenarios_generate`
collects those instead of failing, so one stale path never blocks the others.
"""

from __future__ import annotations

import hashlib
import random
from collections import deque
from dataclasses import dataclass, field
from datetime import date

from quizzes.dates import date_label, date_span_label
from quizzes.generation.facts import EventFact, Evidence, Facts

SCENARIO_GENERATOR_VERSION = "1.0"
NEXT = "What happened next?"
LETTERS = "abcd"
BRIEFING_EVENTS = 6  # the most recent known events a briefing lists
EVENT_OPTION_PASSAGES = 2

Cite = tuple[str, str]  # (source slug, a fragment of the quote): one passage of the dataset


class ScenarioSpecError(ValueError):
    """A curated path breaks a rule against the current event data."""


# --- specs ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counterfactual:
    """A plausible development that did not happen; the explanation cites what did instead."""

    key: str
    text: str
    explanation: str
    evidence: tuple[Cite, ...]


@dataclass(frozen=True)
class StepSpec:
    event: str  # the answer: what happened next
    distractors: tuple[str | Counterfactual, ...]  # event slugs (surely later events) or counterfactuals
    also_known: tuple[str, ...] = ()  # events added to the briefing from this step on
    after: str | None = None  # the known event this one follows; default: the previous main step's answer
    order_evidence: tuple[Cite, ...] = ()  # passages stating the order where the data has no link or sure dates
    prompt: str = NEXT
    answer_text: str | None = None  # the right option's text; default: the event's title
    reveal: str | None = None  # default: the event's title, date and summary
    reveal_extra: tuple[Cite, ...] = ()
    # Passages a curator read and found not to give away a later answer, although the data ties
    # them to one (say, a link quoting the earlier event only).
    cleared: tuple[Cite, ...] = ()
    reflection: str = ""
    branch: Branch | None = None


@dataclass(frozen=True)
class Branch:
    """A follow-up step played only by learners who chose the counterfactual `on` at the parent step."""

    on: str
    step: StepSpec


@dataclass(frozen=True)
class ScenarioSpec:
    slug: str
    title: str
    intro: str
    topics: tuple[str, ...]
    context: tuple[str, ...]  # events known from the first step
    steps: tuple[StepSpec, ...]


# --- drafts -----------------------------------------------------------------------------------


@dataclass
class ScenarioOptionDraft:
    id: str
    text: str
    explanation: str
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
    branch_of: str | None = None  # the parent step's key
    branch_option: str = ""

    @property
    def all_evidence(self) -> list[Evidence]:
        return _dedupe([*self.briefing_evidence, *self.reveal_evidence, *(e for o in self.options for e in o.evidence)])


@dataclass
class ScenarioDraft:
    key: str
    slug: str
    title: str
    intro: str
    topics: list[str]
    position: int
    steps: list[StepDraft]

    @property
    def main_steps(self) -> list[StepDraft]:
        return [s for s in self.steps if s.branch_of is None]


@dataclass
class GenerationResult:
    drafts: list[ScenarioDraft] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


# --- dates as shown ---------------------------------------------------------------------------


def event_date_label(ev: EventFact) -> str:
    """'5 January 2022', 'between 4 and 6 January 2022', 'January 2022', '2019'."""
    return date_span_label(ev.date, ev.date_end, ev.precision)


def _when(ev: EventFact) -> str:
    label = event_date_label(ev)
    return label if label.startswith("between") else f"in {label}" if ev.precision != "day" else f"on {label}"


def step_date_label(known: list[EventFact], when: date) -> str:
    """The step's date as precisely as the events that fix it: a day, or their month or year."""
    fixing = [e for e in known if e.latest == when]
    if any(e.precision == "day" or e.date_end for e in fixing):
        return date_label(when)
    if any(e.precision == "month" for e in fixing):
        return date_label(when, "month")
    return date_label(when, "year")


# --- the event graph --------------------------------------------------------------------------


class _World:
    """Indexes over the facts: passages by fragment, the events each passage bears on, and order."""

    def __init__(self, facts: Facts):
        self.facts = facts
        self.events = facts.events
        self.passages: dict[tuple[str, int, int], Evidence] = {}
        self.bears_on: dict[tuple[str, int, int], set[str]] = {}
        for ev in facts.events.values():
            self._index(ev.evidence, {ev.slug})
        for link in facts.links:
            self._index(link.evidence, {link.source, link.target})
        for claim in facts.claims.values():
            self._index(claim.evidence, set(claim.about))
        for fig in facts.figures.values():
            for report in fig.reports:
                self._index(report.evidence, {fig.event} if fig.event else set())
        for dispute in facts.disputes.values():  # an account concerns the dispute, not each of its events
            for account in dispute.accounts:
                self._index(account.evidence, set())
        for ent in facts.entities.values():
            self._index(ent.evidence, set())
            for role in ent.roles:
                self._index(role.evidence, set())
        self.successors: dict[str, list[tuple[str, object]]] = {}
        for link in facts.links:
            before, after = (link.target, link.source) if link.kind == "in_response_to" else (link.source, link.target)
            self.successors.setdefault(before, []).append((after, link))

    def _index(self, evidence, events: set[str]) -> None:
        for e in evidence:
            key = (e.source, e.start, e.end)
            self.passages.setdefault(key, e)
            self.bears_on.setdefault(key, set()).update(events)

    def bearing(self, e: Evidence) -> set[str]:
        """The events a passage bears on: those of every cited passage it overlaps, except passages
        strictly containing it (a fragment need not say what the longer quote around it says)."""
        return set().union(
            *(
                events
                for (s, a, b), events in self.bears_on.items()
                if s == e.source and a < e.end and e.start < b and not (a <= e.start and e.end <= b and (a, b) != (e.start, e.end))
            )
        )

    def event(self, slug: str, scenario: str) -> EventFact:
        if slug not in self.events:
            raise ScenarioSpecError(f"{scenario}: unknown event {slug!r}")
        return self.events[slug]

    def cite(self, cite: Cite, scenario: str) -> Evidence:
        source, fragment = cite
        found = [e for (s, _, _), e in self.passages.items() if s == source and fragment in e.quote]
        if not found:
            raise ScenarioSpecError(f"{scenario}: no passage of {source} contains {fragment!r}")
        return min(found, key=lambda e: (len(e.quote), e.start))

    def link_path(self, before: str, after: str) -> list | None:
        """The shortest chain of links putting `after` after `before`, or None."""
        queue, seen = deque([(before, [])]), {before}
        while queue:
            slug, path = queue.popleft()
            for nxt, link in sorted(self.successors.get(slug, []), key=lambda p: p[0]):
                if nxt == after:
                    return [*path, link]
                if nxt not in seen:
                    seen.add(nxt)
                    queue.append((nxt, [*path, link]))
        return None

    def ordered(self, before: str, after: str) -> tuple[bool, list]:
        """Whether the data puts `after` after `before`: (surely by dates, []) or (True, the links)."""
        if self.events[after].earliest > self.events[before].latest:
            return True, []
        path = self.link_path(before, after)
        return (path is not None), (path or [])

    def contemporary(self, e: Evidence) -> tuple:
        """Sort key: passages from reports written at the time (undated live reports) first, then by
        publication date, then the shortest: a briefing should read as news, not hindsight."""
        published = self.facts.sources[e.source].published_on if e.source in self.facts.sources else None
        return (published is not None, published or date.min, len(e.quote), e.source, e.start)

    def sorted_evidence(self, ev: EventFact) -> list[Evidence]:
        """The event's passages, one source at a time in turn (so a few quotes cover several sources)."""
        by_source: dict[str, list[Evidence]] = {}
        for e in sorted(ev.evidence, key=lambda e: (e.source, e.start)):
            by_source.setdefault(e.source, []).append(e)
        lists = [by_source[s] for s in sorted(by_source)]
        return [e for i in range(max(map(len, lists), default=0)) for lst in lists if i < len(lst) for e in [lst[i]]]


def _dedupe(evidence) -> list[Evidence]:
    """Distinct passages in order, leaving out any that lies inside another one listed."""
    unique = list({(e.source, e.start, e.end): e for e in evidence}.values())
    return [e for e in unique if not any(o is not e and o.source == e.source and o.start <= e.start and e.end <= o.end for o in unique)]


def _rng(seed: int, key: str) -> random.Random:
    return random.Random(int(hashlib.sha256(f"{seed}:{key}".encode()).hexdigest()[:16], 16))


# --- generation -------------------------------------------------------------------------------


@dataclass
class _State:
    known: list[str]
    previous: str | None  # the last main step's answer


def _briefing(
    world: _World, known: list[EventFact], first: list[str], when: date, hidden: set[str]
) -> tuple[str, list[str], list[Evidence]]:
    """Up to BRIEFING_EVENTS known events (those named in `first`, then the most recent), listed in
    order, each with a passage that bears on nothing after the step date nor on anything the step
    or a later step reveals; an event without such a passage is left out."""
    by_recency = sorted(known, key=lambda e: (e.latest, e.earliest, e.slug), reverse=True)
    chosen = sorted(
        [e for e in known if e.slug in first] + [e for e in by_recency if e.slug not in first], key=lambda e: e.slug not in first
    )  # stable: `first` ones, then by recency
    lines, slugs, evidence = [], [], []
    for ev in chosen:
        usable = sorted((e for e in ev.evidence if _safe(world, e, when, hidden)), key=world.contemporary)
        fresh = [e for e in usable if not any(o.source == e.source and o.start < e.end and e.start < o.end for o in evidence)]
        if usable and len(slugs) < BRIEFING_EVENTS:
            slugs.append(ev.slug)
            evidence.append((fresh or usable)[0])
    order = sorted(range(len(slugs)), key=lambda i: (world.events[slugs[i]].latest, world.events[slugs[i]].earliest, slugs[i]))
    slugs, evidence = [slugs[i] for i in order], [evidence[i] for i in order]
    for slug in slugs:
        ev = world.events[slug]
        lines.append(f"• {event_date_label(ev)[0].upper()}{event_date_label(ev)[1:]}: {ev.title.rstrip('.')}.")
    text = "The latest developments, as the sources report them:\n" + "\n".join(lines)
    return text, slugs, evidence


def _safe(world: _World, e: Evidence, when: date, hidden: set[str]) -> bool:
    bears = world.bearing(e)
    return not bears & hidden and all(world.events[s].latest <= when for s in bears if s in world.events)


def _unspoiled(world: _World, evidence, later: set[str], what: str, *, cleared: set = frozenset(), strict: bool = False) -> list[Evidence]:
    """The passages that do not bear on a later answer (unless a curator cleared them); with
    `strict`, all of them must pass, since the text shown cites every one."""
    evidence = _dedupe(evidence)
    kept = [e for e in evidence if (e.source, e.start, e.end) in cleared or not world.bearing(e) & later]
    if not kept or (strict and len(kept) < len(evidence)):
        spoiling = [e.quote[:60] for e in evidence if e not in kept]
        raise ScenarioSpecError(f"{what}: passages that bear on a later answer of the path: {spoiling}")
    return kept


def _event_option(
    world: _World, spec: ScenarioSpec, answer: EventFact, slug: str, later: set[str], known: set[str]
) -> tuple[str, str, list[Evidence], str]:
    ev = world.event(slug, spec.slug)
    if slug in known or slug == answer.slug:
        raise ScenarioSpecError(f"{spec.slug}/{answer.slug}: distractor {slug} is already known or is the answer")
    if slug in later:
        raise ScenarioSpecError(f"{spec.slug}/{answer.slug}: distractor {slug} is a later answer of the same path")
    surely, links = world.ordered(answer.slug, slug)
    if not surely:
        raise ScenarioSpecError(f"{spec.slug}/{answer.slug}: distractor {slug} is not surely after the answer")
    if links:
        why = f"This did happen, but later: the sources place it after “{answer.title.rstrip('.')}”."
        evidence = [*world.sorted_evidence(ev)[:1], *(link.evidence[0] for link in links)]
    else:
        why = f"This did happen, but later: {_when(ev)}."
        evidence = world.sorted_evidence(ev)[:EVENT_OPTION_PASSAGES]
    return ev.title, why, _unspoiled(world, evidence, later, f"{spec.slug}/{answer.slug}/{slug}"), f"event:{slug}"


def _step(
    world: _World, spec: ScenarioSpec, step: StepSpec, state: _State, *, key: str, later: set[str], seed: int
) -> tuple[StepDraft, dict[str, str]]:
    """One step's draft, and the option ids of its counterfactuals by key (for branches)."""
    where = f"{spec.slug}/{key}"
    answer = world.event(step.event, spec.slug)
    known = list(dict.fromkeys([*state.known, *step.also_known]))
    known_facts = [world.event(s, spec.slug) for s in known]
    if not known_facts:
        raise ScenarioSpecError(f"{where}: nothing is known before the first step")
    when = max(e.latest for e in known_facts)
    if step.event in known or set(known) & later:
        raise ScenarioSpecError(f"{where}: the briefing would give away this or a later answer")
    if answer.latest < when:
        raise ScenarioSpecError(f"{where}: {step.event} surely happened before the step date {when}")
    anchor = step.after or state.previous
    order_evidence = [world.cite(c, spec.slug) for c in step.order_evidence]
    link_evidence: list[Evidence] = []
    if step.prompt == NEXT:
        if anchor is None or anchor not in known:
            raise ScenarioSpecError(f"{where}: 'what happened next' needs a known event to follow ({anchor!r})")
        surely, links = world.ordered(anchor, step.event)
        if not surely and not order_evidence:
            raise ScenarioSpecError(f"{where}: nothing in the data puts {step.event} after {anchor}")
        link_evidence = [link.evidence[0] for link in links]
    label = step_date_label(known_facts, when)
    hidden = {step.event, *later, *(d for d in step.distractors if isinstance(d, str))}
    first = [*step.also_known, *([state.previous] if state.previous else [])]
    briefing, briefed, briefing_evidence = _briefing(world, known_facts, first, when, hidden)
    cleared = {(e.source, e.start, e.end) for e in (world.cite(c, spec.slug) for c in step.cleared)}
    own = world.sorted_evidence(answer)
    if step.reveal is None:  # the summary cites every passage of the event, so all must be shown
        own = _unspoiled(world, own, later, f"{where} (write a reveal)", cleared=cleared, strict=True)
    else:
        own = _unspoiled(world, own, later, where, cleared=cleared)
    extras = [*link_evidence, *order_evidence, *(world.cite(c, spec.slug) for c in step.reveal_extra)]
    reveal_evidence = _dedupe([*own, *_unspoiled(world, extras, later, where, cleared=cleared)] if extras else own)
    options = [
        (
            step.answer_text or answer.title,
            f"This is what happened ({event_date_label(answer)}).",
            reveal_evidence[:EVENT_OPTION_PASSAGES],
            "",
            f"event:{answer.slug}",
        )
    ]
    for d in step.distractors:
        if isinstance(d, Counterfactual):
            evidence = _unspoiled(
                world, [world.cite(c, spec.slug) for c in d.evidence], later, f"{where}/{d.key}", cleared=cleared, strict=True
            )
            options.append((d.text, d.explanation, evidence, d.key, ""))
        else:
            text, why, evidence, fact = _event_option(world, spec, answer, d, later, set(known))
            options.append((text, why, evidence, "", fact))
    if not 3 <= len(options) <= 4:
        raise ScenarioSpecError(f"{where}: {len(options)} options (3 or 4 wanted)")
    if len({o[0] for o in options}) != len(options):
        raise ScenarioSpecError(f"{where}: two options read the same")
    _rng(seed, f"{spec.slug}:{key}").shuffle(options)
    drafts = [ScenarioOptionDraft(LETTERS[i], text, why, tuple(ev)) for i, (text, why, ev, _, _) in enumerate(options)]
    correct = next(LETTERS[i] for i, o in enumerate(options) if o[4] == f"event:{answer.slug}" and o[3] == "")
    reveal = step.reveal or f"{answer.title.rstrip('.')} ({event_date_label(answer)}). {answer.summary}"
    draft = StepDraft(
        key=key,
        position=0,
        date=when,
        date_label=label,
        briefing=briefing,
        known_events=briefed,
        briefing_evidence=briefing_evidence,
        prompt=step.prompt,
        options=drafts,
        correct=correct,
        next_event=answer.slug,
        reveal=reveal,
        reveal_evidence=reveal_evidence,
        reflection=step.reflection,
        fact_ids=[f"event:{answer.slug}", *sorted(o[4] for o in options if o[4] and o[4] != f"event:{answer.slug}")],
    )
    return draft, {o[3]: LETTERS[i] for i, o in enumerate(options) if o[3]}


def scenario_generate(facts: Facts, spec: ScenarioSpec, *, position: int, seed: int = 0, world: _World | None = None) -> ScenarioDraft:
    """The drafts of one curated path; raises ScenarioSpecError if the data no longer supports it."""
    world = world or _World(facts)
    for slug in spec.context:
        world.event(slug, spec.slug)
    answers = [s.event for s in spec.steps]
    if len(set(answers)) != len(answers):
        raise ScenarioSpecError(f"{spec.slug}: an event is asked about twice")
    state = _State(known=list(spec.context), previous=None)
    steps: list[StepDraft] = []
    for i, step in enumerate(spec.steps):
        later = set(answers[i + 1 :])
        draft, counterfactuals = _step(world, spec, step, state, key=step.event, later=later, seed=seed)
        steps.append(draft)
        if step.branch:
            if step.branch.on not in counterfactuals:
                raise ScenarioSpecError(f"{spec.slug}/{step.event}: the branch follows no counterfactual {step.branch.on!r}")
            follow = _State(known=[*state.known, *step.also_known, step.event], previous=step.event)
            bdraft, _ = _step(world, spec, step.branch.step, follow, key=f"{step.event}/{step.branch.on}", later=later, seed=seed)
            bdraft.branch_of, bdraft.branch_option = draft.key, counterfactuals[step.branch.on]
            if bdraft.next_event in answers:
                raise ScenarioSpecError(f"{spec.slug}/{bdraft.key}: a follow-up may not reveal an answer of the path")
            steps.append(bdraft)
        state = _State(known=list(dict.fromkeys([*state.known, *step.also_known, step.event])), previous=step.event)
    for n, draft in enumerate(steps, start=1):
        draft.position = n
    dates = [s.date for s in steps]
    if dates != sorted(dates):
        raise ScenarioSpecError(f"{spec.slug}: step dates go backwards")
    return ScenarioDraft(
        key=f"path:{spec.slug}",
        slug=spec.slug,
        title=spec.title,
        intro=spec.intro,
        topics=list(spec.topics),
        position=position,
        steps=steps,
    )


def scenarios_generate(facts: Facts, *, seed: int = 0, specs: tuple[ScenarioSpec, ...] | None = None) -> GenerationResult:
    """Drafts for every curated path the data supports, and one line per path it does not."""
    world = _World(facts)
    result = GenerationResult()
    for position, spec in enumerate(SCENARIOS if specs is None else specs, start=1):
        try:
            result.drafts.append(scenario_generate(facts, spec, position=position, seed=seed, world=world))
        except ScenarioSpecError as exc:
            result.problems.append(str(exc))
    return result


# --- the curated paths ------------------------------------------------------------------------
# Each answer follows the one before it by sure dates or by the dataset's links (the generator
# checks); wrong options are events surely later than the answer, or counterfactuals refuted by
# the passages they cite. Reflections only ask; they state nothing the step's evidence does not.

CF = Counterfactual
IESS, MEDUZA, ANALYSIS = "iess-behind-the-unrest", "meduza-uprising", "tokayev-shoot-to-kill-analysis"
ASKARBEK, REPORT = "askarbek-bloody-january", "russian-help-report"

_WHAT_IDIOCY = (ANALYSIS, "What idiocy")
_NO_TALKS = (IESS, "On Friday evening, Tokayev in a TV speech")
_VIDEO_REST = (ASKARBEK, "I am currently taking deserved rest")
_VIDEO_PENSIONER = (ASKARBEK, "In 2019 I handed over my powers")

SCENARIOS: tuple[ScenarioSpec, ...] = (
    ScenarioSpec(
        slug="before-the-storm",
        title="Before the storm: from Nazarbayev's resignation to the price protests",
        intro=(
            "You start in March 2019 and move forward to the first week of January 2022. At each step, read what the "
            "sources report had happened by then, predict what happened next and say how sure you are. Then see what "
            "did happen, with the evidence."
        ),
        topics=("background", "fuel-prices", "protests"),
        context=("kazakhstan-independence-1991", "zhanaozen-shootings-2011", "nazarbayev-resigns-presidency-2019"),
        steps=(
            StepSpec(
                event="astana-renamed-nur-sultan-2019",
                after="nazarbayev-resigns-presidency-2019",
                distractors=(
                    CF(
                        "comeback",
                        "Nazarbayev takes back the presidency",
                        "No: Tokayev, not Nazarbayev, was elected president in 2019; a report calls him only the second "
                        "person to lead Kazakhstan since it declared independence in 1991.",
                        ((REPORT, "President Tokayev is only the second person"), (REPORT, "His election, in 2019, was")),
                    ),
                    "nazarbayev-removed-from-security-council",
                    "tokayev-criticises-nazarbayev",
                ),
                reflection=(
                    "Tokayev named the capital after his predecessor on his first day as acting president. What "
                    "does that suggest about the balance of power between the two men in 2019?"
                ),
            ),
            StepSpec(
                event="renaming-protests-2019",
                distractors=(
                    CF(
                        "no-objection",
                        "The renaming passes without public objection",
                        "No: according to the 7 January analysis, the decision sparked protests, which the government easily subdued.",
                        ((ANALYSIS, "The decision sparked protests"),),
                    ),
                    "protests-begin-in-western-kazakhstan",
                    "taldykorgan-nazarbayev-monument-toppled",
                ),
                reflection=(
                    "The 7 January analysis says the government “easily subdued” these protests. Keep that in mind: "
                    "what would make the protests of January 2022 different?"
                ),
            ),
            StepSpec(
                event="lpg-price-rise",
                also_known=("tokayev-elected-president-2019",),
                distractors=(
                    CF(
                        "cheaper",
                        "The government cuts fuel prices to win support",
                        "No: the price of liquefied gas doubled; the IESS article says it rose from 60 to 120 tenge from 1 January 2022.",
                        ((IESS, "From January 1, 2022, the price of liquefied gas"),),
                    ),
                    "mamin-government-leaves-office",
                    "nationwide-state-of-emergency-and-curfew",
                ),
                reflection=(
                    "The IESS article dates the rise to 1 January; another report ties the doubling to Sunday "
                    "2 January, when the protests began. Why might two reports of the same price rise differ by a "
                    "day?"
                ),
            ),
            StepSpec(
                event="tokayev-facebook-appeal-for-calm",
                after="protests-begin-in-western-kazakhstan",
                also_known=("protests-begin-in-western-kazakhstan",),
                distractors=(
                    CF(
                        "defends",
                        "Tokayev defends the price rise as necessary",
                        "No: according to the IESS article, early in the protests Tokayev urged calm on Facebook and "
                        "promised that the government would soon reduce the price of liquefied gas.",
                        ((IESS, "He also promised that the government would soon reduce the price"),),
                    ),
                    "riot-police-enter-almaty",
                    "officials-stop-using-name-nur-sultan",
                ),
            ),
            StepSpec(
                event="gas-price-reduction-announced-jan-6",
                also_known=("protests-spread-across-country", "mangystau-lpg-price-cut", "regional-state-of-emergency"),
                distractors=(
                    CF(
                        "subsidies",
                        "The government keeps the higher price and offers drivers subsidies instead",
                        "No: according to the IESS article, on 6 January the government officially announced that "
                        "liquefied gas and diesel would return to their previous price, fixed for 180 days.",
                        ((IESS, "officially announced on January 6"),),
                    ),
                    "tokayev-shoot-to-kill-address",
                    "kyrgyz-parliament-approves-troops",
                ),
                reveal_extra=((ANALYSIS, "In Mangystau, where the protests began, on January 4"),),
                reflection=(
                    "The 7 January analysis dates a price cut in Mangystau to 4 January; the IESS article dates the "
                    "government's announcement to 6 January. Two decisions, or one told differently? What would "
                    "you need to find out?"
                ),
            ),
        ),
    ),
    ScenarioSpec(
        slug="fuel-to-emergency",
        title="From the fuel price rise to a nationwide emergency",
        intro=(
            "It is the start of January 2022 in Kazakhstan. Follow the first week as the sources report it: at each "
            "step, read what had happened by then, predict what happened next and say how sure you are."
        ),
        topics=("fuel-prices", "protests", "state-response"),
        context=("lpg-price-rise",),
        steps=(
            StepSpec(
                event="protests-begin-in-western-kazakhstan",
                after="lpg-price-rise",
                distractors=(
                    CF(
                        "reversed",
                        "The government reverses the price rise the same day",
                        "No: protests began on 2 January. The earliest price cut the sources date came on 4 January, when "
                        "the authorities in Mangystau cut the LPG price (according to the 7 January analysis).",
                        (
                            (MEDUZA, "Demonstrations began in Kazakhstan on January 2"),
                            (ANALYSIS, "In Mangystau, where the protests began, on January 4"),
                        ),
                    ),
                    "almaty-akimat-stormed",
                    "tokayev-appeals-to-csto",
                ),
                reveal=(
                    "Protests begin in western Kazakhstan (2 January 2022). Demonstrations over the doubled fuel "
                    "prices began on 2 January in the west: the 7 January analysis says in Mangystau, in the oil "
                    "regions; the IESS article names Aktau and Zhanaozen among the first cities. Meduza calls western "
                    "Kazakhstan a “monoregion” built almost entirely around the oil industry."
                ),
                reflection=(
                    "Meduza describes western Kazakhstan as a “monoregion” built almost entirely around the oil "
                    "industry. Why might a fuel price rise be felt hardest there?"
                ),
            ),
            StepSpec(
                event="protests-spread-across-country",
                distractors=(
                    CF(
                        "fade",
                        "The protests stay in the oil towns of the west and fade",
                        "No: the IESS article says the protests soon spread to other parts of the country, including "
                        "Almaty and Nur-Sultan; Therese Askarbek's report says they were mostly focused in Almaty.",
                        (
                            (IESS, "which soon were extended to other parts of the country"),
                            (ASKARBEK, "The protests quickly spread to other parts of the country"),
                        ),
                    ),
                    "riot-police-enter-almaty",
                    "kyrgyz-parliament-approves-troops",
                ),
            ),
            StepSpec(
                event="regional-state-of-emergency",
                also_known=("mangystau-lpg-price-cut",),
                distractors=(
                    CF(
                        "calm",
                        "The protests die down after the price cut in Mangystau",
                        "No: the protests went on (“But the protests have continued”, Meduza), and a state of emergency was "
                        "declared in several regions: three according to Meduza, two provinces (Mangystau and Almaty) "
                        "according to the IESS article.",
                        (
                            (MEDUZA, "But the protests have continued"),
                            (MEDUZA, "declared a state of emergency in three different regions"),
                            (IESS, "the government declared a state of emergency in the two provinces"),
                        ),
                    ),
                    "security-operations-in-almaty",
                    "tokayev-shoot-to-kill-address",
                ),
                reflection="Meduza says three regions, the IESS article two provinces. What would you need to decide between them?",
                branch=Branch(
                    on="calm",
                    step=StepSpec(
                        event="protests-turn-against-nazarbayev",
                        prompt="A closer look: the price cut did not end the protests. What did they become, according to the sources?",
                        distractors=(
                            CF(
                                "diesel",
                                "A campaign for cheaper diesel, and nothing else",
                                "No: the IESS article says that after the liquefied gas problem was resolved, the protests turned "
                                "against Nazarbayev and his family; a report says they had broadened to other political "
                                "grievances.",
                                (
                                    (IESS, "after the liquefied gas problem was resolved"),
                                    (REPORT, "have broadened to include other political grievances"),
                                ),
                            ),
                            CF(
                                "ablyazov",
                                "A movement led by the opposition figure Mukhtar Ablyazov",
                                "Not as the sources tell it: the IESS article reports that Ablyazov, an opposition figure living "
                                "outside Kazakhstan, claimed on TV to lead part of the protests, but that Western reporters at the "
                                "protests said they had no leader.",
                                (
                                    (IESS, "claims to be the leader of part of the protests"),
                                    (IESS, "stated that the demonstrations have had no leader"),
                                ),
                            ),
                        ),
                        answer_text="Protests against Nazarbayev and his family",
                        reflection=(
                            "The IESS article dates the turn against Nazarbayev to after the gas price problem was "
                            "resolved. What does that suggest the protests were about?"
                        ),
                    ),
                ),
            ),
            StepSpec(
                event="nationwide-state-of-emergency-and-curfew",
                also_known=("administration-buildings-targeted", "almaty-akimat-stormed"),
                order_evidence=((MEDUZA, "Updates: Kazakhstan has declared a nationwide state of emergency"),),
                distractors=(
                    CF(
                        "lifted",
                        "The regional state of emergency is lifted as the streets calm down",
                        "No: the state of emergency was extended to the whole country, with an overnight curfew and a ban "
                        "on mass gatherings.",
                        (
                            (MEDUZA, "Updates: Kazakhstan has declared a nationwide state of emergency"),
                            (REPORT, "The president has imposed a nationwide state of emergency"),
                        ),
                    ),
                    "officials-stop-using-name-nur-sultan",
                    "nazarbayev-video-address",
                ),
                reflection=(
                    "A curfew and a ban on mass gatherings: what do such measures change for protesters, and for "
                    "reporters trying to find out what is happening?"
                ),
            ),
            StepSpec(
                event="tokayev-friday-tv-speech",
                also_known=("internet-shutdown", "tokayev-appeals-to-csto", "riot-police-enter-almaty"),
                distractors=(
                    CF(
                        "talks",
                        "Tokayev announces talks with representatives of the protesters",
                        "No: according to the IESS article, in his TV speech on Friday evening Tokayev said that no talks "
                        "would be held with the insurgents.",
                        (_NO_TALKS,),
                    ),
                    CF(
                        "offline",
                        "Tokayev says the internet will stay cut off until the unrest is over",
                        "No: according to the IESS article, he said the internet would soon be connected in some areas.",
                        (_NO_TALKS,),
                    ),
                    "shutov-arrested",
                ),
                reflection=(
                    "Tokayev said the internet would soon return in some areas. How does cutting the internet "
                    "shape what reporters, and we, can know about those days?"
                ),
            ),
        ),
    ),
    ScenarioSpec(
        slug="almaty-4-to-7-january",
        title="Almaty, 4 to 7 January",
        intro=(
            "Follow Almaty from 4 to 7 January 2022 as the sources report it: at each step, read what was known by "
            "then, predict what happened next and say how sure you are."
        ),
        topics=("violence-in-almaty", "state-response"),
        context=("lpg-price-rise", "protests-begin-in-western-kazakhstan"),
        steps=(
            StepSpec(
                event="protests-spread-across-country",
                after="protests-begin-in-western-kazakhstan",
                distractors=(
                    CF(
                        "west-only",
                        "The protests stay in the west, far from Almaty",
                        "No: Therese Askarbek's report says the protests quickly spread to other parts of the country but "
                        "were mostly focused in Almaty; Meduza says they were most heated there.",
                        (
                            (ASKARBEK, "The protests quickly spread to other parts of the country"),
                            (MEDUZA, "Demonstrations here have been the most heated"),
                        ),
                    ),
                    "tokayev-appeals-to-csto",
                    "gas-price-reduction-announced-jan-6",
                ),
            ),
            StepSpec(
                event="almaty-stun-grenades-and-tear-gas",
                also_known=("mangystau-lpg-price-cut",),
                cleared=((ANALYSIS, "Government efforts on the evening of January 4"),),
                distractors=(
                    CF(
                        "peaceful",
                        "Police stay away and the Almaty protests pass off peacefully",
                        "No: according to the 7 January analysis, on the evening of 4 January the authorities tried to "
                        "disperse protesters in Almaty with stun grenades and tear gas; another report says police fired "
                        "stun grenades at protesters on Wednesday, 5 January.",
                        (
                            (ANALYSIS, "Government efforts on the evening of January 4"),
                            (REPORT, "Police fired stun grenades at protesters on Wednesday"),
                        ),
                    ),
                    "us-calls-kazakhstan-valuable-partner",
                    "kyrgyz-parliament-approves-troops",
                ),
                reflection=(
                    "The two reports date this to different days: the evening of 4 January, or Wednesday 5 January. "
                    "Does the day matter for understanding what came next?"
                ),
            ),
            StepSpec(
                event="almaty-night-crossfire",
                distractors=(
                    CF(
                        "truce",
                        "Protesters and police agree a truce for the night",
                        "No: according to Therese Askarbek's report, on the night from 4 to 5 January people who stayed were "
                        "caught in crossfire between the police, who used rubber and regular bullets, and non-state armed "
                        "groups.",
                        ((ASKARBEK, "caught in the crossfire"),),
                    ),
                    "uk-statement",
                    "blinken-tileuberdi-call",
                ),
            ),
            StepSpec(
                event="security-operations-in-almaty",
                also_known=(
                    "almaty-airport-seized",
                    "almaty-akimat-stormed",
                    "almaty-presidential-residence-seized",
                    "tokayev-vows-extreme-response",
                ),
                distractors=(
                    CF(
                        "barracks",
                        "The army refuses to take part and stays in its barracks",
                        "No: according to the IESS article, from Thursday many images were published of military "
                        "operations in Almaty, including police, special forces and even the army.",
                        ((IESS, "including police, Special Forces and even the army"),),
                    ),
                    "officials-stop-using-name-nur-sultan",
                    "nazarbayev-video-address",
                ),
                reflection=(
                    "Almaty's deputy mayor called it an “anti-terrorist operation”. What does that name say about how "
                    "the authorities saw the people in the streets?"
                ),
            ),
            StepSpec(
                event="tokayev-shoot-to-kill-address",
                also_known=("tokayev-appeals-to-csto", "csto-deployment-announced"),
                distractors=(
                    CF(
                        "negotiate",
                        "Tokayev accepts international calls to negotiate with the protesters",
                        "No: on 7 January he dismissed calls from abroad for negotiations: “What idiocy. What kind of "
                        "negotiations can you have with criminals?”",
                        (_WHAT_IDIOCY,),
                    ),
                    "shutov-arrested",
                ),
                reflection=(
                    "The 7 January analysis quotes Tokayev saying security forces would “shoot to kill without "
                    "warning”; Therese Askarbek's report says he ordered troops to shoot to kill protesters. "
                    "Compare the wording in the evidence: against whom was the order directed?"
                ),
            ),
        ),
    ),
    ScenarioSpec(
        slug="nazarbayev-hold-on-power",
        title="The end of Nazarbayev's hold on power",
        intro=(
            "Nursultan Nazarbayev resigned as president in 2019 but kept a powerful national security role. Follow "
            "January 2022 as the sources report it, and predict each next move."
        ),
        topics=("power-struggle", "state-response"),
        context=(
            "nazarbayev-resigns-presidency-2019",
            "astana-renamed-nur-sultan-2019",
            "tokayev-elected-president-2019",
            "lpg-price-rise",
            "protests-begin-in-western-kazakhstan",
        ),
        steps=(
            StepSpec(
                event="mangystau-lpg-price-cut",
                after="protests-begin-in-western-kazakhstan",
                distractors=(
                    CF(
                        "no-concession",
                        "The government refuses any concession on the gas price",
                        "No: according to the 7 January analysis, on 4 January the authorities in Mangystau cut the LPG "
                        "price to below its level before the rise.",
                        ((ANALYSIS, "In Mangystau, where the protests began, on January 4"),),
                    ),
                    "mamin-government-leaves-office",
                    "almaty-akimat-stormed",
                ),
                reveal_extra=((IESS, "officially announced on January 6"),),
                reflection="The government answered the first protests with a price cut. Would that be enough? Keep your answer in mind.",
            ),
            StepSpec(
                event="nazarbayev-removed-from-security-council",
                distractors=(
                    CF(
                        "handback",
                        "Tokayev steps down and hands power back to Nazarbayev",
                        "No: Tokayev removed Nazarbayev from his lifetime post as chairman of the Security Council and took "
                        "over the chairmanship himself.",
                        (
                            (MEDUZA, "has removed Nursultan Nazarbayev from his lifetime post"),
                            (IESS, "Following the decision, Tokayev took over the chairmanship"),
                        ),
                    ),
                    "gas-price-reduction-announced-jan-6",
                    "tokayev-friday-tv-speech",
                ),
                reflection="Why might removing Nazarbayev from the Security Council be meant to calm the protests?",
            ),
            StepSpec(
                event="tokayev-appeals-to-csto",
                also_known=("tokayev-vows-extreme-response", "almaty-akimat-stormed"),
                distractors=(
                    CF(
                        "mediation",
                        "Tokayev asks the European Union to mediate talks with the protesters",
                        "No: he appealed to the Russian-led Collective Security Treaty Organization for military "
                        "assistance, saying “terrorist gangs” who “trained abroad” posed a grave threat.",
                        ((MEDUZA, "In a second televised address, President Tokayev announced"),),
                    ),
                    "tokayev-shoot-to-kill-address",
                    "shutov-arrested",
                ),
            ),
            StepSpec(
                event="officials-stop-using-name-nur-sultan",
                also_known=("massimov-dismissed", "security-chiefs-fired", "mamin-government-leaves-office"),
                distractors=(
                    CF(
                        "reinstated",
                        "Massimov is reinstated as head of the National Security Committee",
                        "No: according to Therese Askarbek's report, Tokayev fired and detained Karim Massimov.",
                        ((ASKARBEK, "He fired and detained Karim Massimov"),),
                    ),
                    "shutov-arrested",
                ),
                reveal_extra=((ANALYSIS, "could only mean one of two things"), (ANALYSIS, "Either Tokayev is “cleaning house”")),
                reflection=(
                    "Paolo Sorbello, quoted in the 7 January analysis, said the summoning of the CSTO and the "
                    "dismissal of the head of the KNB “could only mean one of two things”: Tokayev “cleaning house”, "
                    "or Tokayev having lost control of the military. Which reading does this step support?"
                ),
            ),
            StepSpec(
                event="nazarbayev-video-address",
                also_known=("nazarbayev-departure-rumours",),
                distractors=(
                    CF(
                        "moscow",
                        "Nazarbayev is shown to have fled to Moscow",
                        "No: in a video address Nazarbayev said he was resting in the capital of Kazakhstan and had “not "
                        "gone anywhere”; the IESS article notes that talk of his transfer to Moscow was denied by other "
                        "media.",
                        (_VIDEO_REST, (IESS, "which were denied by some other media outlets")),
                    ),
                    CF(
                        "comeback",
                        "Nazarbayev announces he is returning to politics to restore order",
                        "No: in his video address he said he had handed over his powers to Tokayev in 2019 and had been a pensioner since.",
                        (_VIDEO_PENSIONER,),
                    ),
                ),
                reflection=(
                    "On 7 January the reports that Nazarbayev had left the country were unconfirmed. How much "
                    "weight would you have given them, and why?"
                ),
            ),
        ),
    ),
    ScenarioSpec(
        slug="csto-intervention",
        title="The CSTO intervention",
        intro=("Kazakhstan, 4 January 2022. Follow what its government did as the protests grew, and how its allies and others answered."),
        topics=("csto-intervention", "international-reactions"),
        context=("lpg-price-rise", "protests-begin-in-western-kazakhstan", "mangystau-lpg-price-cut"),
        steps=(
            StepSpec(
                event="administration-buildings-targeted",
                after="mangystau-lpg-price-cut",
                distractors=(
                    CF(
                        "home",
                        "Protesters accept the price cut and go home",
                        "No: according to Meduza, beginning early on 5 January demonstrators tried to seize administration "
                        "buildings in major cities.",
                        ((MEDUZA, "Beginning early on January 5, demonstrators started"),),
                    ),
                    "riot-police-enter-almaty",
                    "gas-price-reduction-announced-jan-6",
                ),
            ),
            StepSpec(
                event="tokayev-appeals-to-csto",
                cleared=((IESS, "trained abroad, and formally requested"), (REPORT, "In a televised speech in the early hours")),
                also_known=(
                    "regional-state-of-emergency",
                    "nazarbayev-removed-from-security-council",
                    "tokayev-vows-extreme-response",
                    "almaty-akimat-stormed",
                ),
                distractors=(
                    CF(
                        "un",
                        "Tokayev asks the United Nations to send peacekeepers",
                        "No: he appealed to the Russian-led Collective Security Treaty Organization, saying foreign help was "
                        "needed to “overcome this terrorist threat”.",
                        (
                            (MEDUZA, "In a second televised address, President Tokayev announced"),
                            (MEDUZA, "overcome this terrorist threat"),
                        ),
                    ),
                    "tokayev-shoot-to-kill-address",
                    "officials-stop-using-name-nur-sultan",
                ),
                reflection=(
                    "Tokayev said the rioters were “terrorist gangs” who had “trained abroad”. What evidence would "
                    "you want to see before accepting this account?"
                ),
            ),
            StepSpec(
                event="csto-deployment-announced",
                also_known=(
                    "nationwide-state-of-emergency-and-curfew",
                    "peskov-says-kazakhstan-can-resolve-problems",
                    "russian-foreign-ministry-calls-for-peaceful-solution",
                ),
                distractors=(
                    CF(
                        "russia-out",
                        "Russia holds back, saying Kazakhstan can solve its problems on its own",
                        "No: Kremlin spokesman Dmitry Peskov did express confidence that Kazakhstan could resolve its "
                        "problems on its own, but the alliance answered the appeal: its chairman, Armenian Prime Minister "
                        "Nikol Pashinyan, announced it would send peacekeepers.",
                        ((MEDUZA, "our Kazakhstani friends can resolve"), (MEDUZA, "In a post on Facebook")),
                    ),
                    "tokayev-friday-tv-speech",
                    "shutov-arrested",
                ),
                reflection=(
                    "One report says Pashinyan announced it on Wednesday, the IESS article on Thursday. Why might "
                    "live reports and later analyses disagree on such details?"
                ),
                branch=Branch(
                    on="russia-out",
                    step=StepSpec(
                        event="kalashnikov-backs-csto-response",
                        after="tokayev-appeals-to-csto",
                        prompt="A closer look: how did Moscow answer Tokayev's appeal?",
                        distractors=(
                            CF(
                                "internal",
                                "Russia's Foreign Ministry called the unrest purely Kazakhstan's internal affair",
                                "No: according to the 7 January analysis, the Russian Foreign Ministry called the events an "
                                "attempt “inspired from the outside” to undermine the state by force.",
                                ((ANALYSIS, "inspired from the outside"),),
                            ),
                            CF(
                                "solidarity",
                                "Moscow welcomed displays of solidarity with the Kazakh protesters",
                                "No: according to Meduza, Moscow police arrested a man picketing outside Kazakhstan's embassy, and "
                                "reportedly received orders to arrest anyone in the city centre carrying signs or symbols "
                                "representing Kazakhstan.",
                                ((MEDUZA, "Moscow police arrested a man picketing"), (MEDUZA, "Moscow police have reportedly received")),
                            ),
                        ),
                        reveal=(
                            "Leonid Kalashnikov, who chairs the State Duma's committee on the Commonwealth of Independent "
                            "States, said Russia was obliged to respond to Kazakhstan's appeal to the CSTO, and that he "
                            "believed the Kazakh authorities would not let “anti-Russian forces” come to power. The Kremlin's "
                            "spokesman, Dmitry Peskov, struck a different note (Meduza does not say when): he was confident "
                            "that “our Kazakhstani friends can resolve their domestic problems on their own.”"
                        ),
                        reveal_extra=((MEDUZA, "our Kazakhstani friends can resolve"),),
                        reflection=(
                            "Two Russian voices, two messages. Why might a member of parliament and the Kremlin's "
                            "spokesman say different things?"
                        ),
                    ),
                ),
            ),
            StepSpec(
                event="csto-troops-arrive",
                also_known=("kalashnikov-backs-csto-response", "russia-prepares-military-flight"),
                distractors=(
                    CF(
                        "observers",
                        "The CSTO sends observers but no troops",
                        "No: CSTO troops were deployed. Therese Askarbek's report gives roughly three thousand Russian "
                        "soldiers, alongside troops from Belarus, Armenia, Tajikistan and Kyrgyzstan.",
                        ((ASKARBEK, "Approximately three thousand Russian soldiers"),),
                    ),
                    CF(
                        "russia-alone",
                        "Only Russia sends troops; the other members refuse",
                        "No: according to the IESS article the Russian troops were followed by Tajik and Armenian troops, "
                        "and Kyrgyzstan was the last country to agree to send troops.",
                        (
                            (IESS, "Shortly afterwards, the Russian troops, followed by Tajik"),
                            (IESS, "Kyrgyzstan was the last country that agreed"),
                        ),
                    ),
                    "nazarbayev-video-address",
                ),
                reflection=(
                    "Tokayev described the deployment as a “counter-terrorist operation”. Why might a government "
                    "choose such words for bringing in foreign troops?"
                ),
            ),
            StepSpec(
                event="white-house-questions-csto-invitation",
                also_known=("kyrgyz-protests-against-csto-mission", "kyrgyz-parliament-approves-troops"),
                distractors=(
                    CF(
                        "welcome",
                        "The United States welcomes the deployment as a legitimate invitation",
                        "No: according to the IESS article, the White House said it had “questions about the nature of this "
                        "request and whether it was a legitimate invitation or not”.",
                        ((IESS, "We have questions about the nature of this request"),),
                    ),
                    CF(
                        "indefinite",
                        "Russia says its troops will stay in Kazakhstan indefinitely",
                        "No: the CSTO's chairman, Nikol Pashinyan, said the alliance would send its forces “for a limited period of time”.",
                        ((REPORT, "for a limited period of time"),),
                    ),
                ),
                reflection=(
                    "Kyrgyz citizens protested against joining the mission, and the White House questioned the "
                    "invitation. Whose view of the intervention do the sources give most space to?"
                ),
            ),
        ),
    ),
    ScenarioSpec(
        slug="competing-accounts",
        title="Crackdown and aftermath: the accounts that compete",
        intro=(
            "Kazakhstan, 4 January 2022. As the unrest grows, officials, protesters and outside observers tell very "
            "different stories. Predict what happened next, and at each step notice who is telling it."
        ),
        topics=("aftermath", "detentions", "comparing-sources"),
        context=("lpg-price-rise", "protests-begin-in-western-kazakhstan", "mangystau-lpg-price-cut"),
        steps=(
            StepSpec(
                event="almaty-akimat-stormed",
                after="mangystau-lpg-price-cut",
                cleared=((MEDUZA, "residence. Fires have started in both buildings"),),
                distractors=(
                    CF(
                        "sit-in",
                        "Protesters hold a peaceful sit-in outside Almaty's city hall and disperse at night",
                        "No: protesters stormed the city administration building (the akimat); videos showed smoke rising "
                        "from it while gunfire could be heard, and Meduza says fires started in it.",
                        ((REPORT, "before eventually storming it"), (MEDUZA, "Fires have started in both buildings")),
                    ),
                    "almaty-anti-terrorist-operation-announced",
                    "blinken-tileuberdi-call",
                ),
                reflection=(
                    "Therese Askarbek's report says the burned-down akimat became a symbol of Qandy Qantar, “Bloody "
                    "January”. Why do some events become symbols?"
                ),
            ),
            StepSpec(
                event="riot-police-enter-almaty",
                also_known=("almaty-airport-seized", "tokayev-vows-extreme-response", "nazarbayev-removed-from-security-council"),
                distractors=(
                    CF(
                        "withdraw",
                        "Police withdraw from Almaty and leave the city to the protesters",
                        "No: past midnight on Thursday, 6 January, large numbers of riot police entered Almaty, and "
                        "eyewitnesses shared videos with the sounds of automatic gunfire (Meduza).",
                        ((MEDUZA, "Past midnight on Thursday, local time, large numbers of riot police"),),
                    ),
                    "kyrgyz-parliament-approves-troops",
                    "officials-stop-using-name-nur-sultan",
                ),
                reveal_extra=((MEDUZA, "In a national address on Wednesday, Tokayev vowed"),),
                reflection=(
                    "Tokayev had vowed an “extreme” police response against “crowds of bandit-like elements”. Whose "
                    "words are these, and what do they tell you about how the state saw the crowds?"
                ),
            ),
            StepSpec(
                event="tokayev-shoot-to-kill-address",
                also_known=(
                    "security-force-casualties-reported",
                    "eu-calls-for-restraint",
                    "us-state-department-urges-restraint",
                    "blinken-tileuberdi-call",
                ),
                distractors=(
                    CF(
                        "talks",
                        "Tokayev agrees to talks with the protesters, as the EU and the US urged",
                        "No: on 7 January Tokayev dismissed calls from abroad for negotiations: “What idiocy. What kind of "
                        "negotiations can you have with criminals?”",
                        (_WHAT_IDIOCY,),
                    ),
                    CF(
                        "apology",
                        "Tokayev apologises and blames the fuel price rise for the unrest",
                        "No: he spoke of “bandits and terrorists, local and foreign” who “should be destroyed”, and blamed "
                        "“so-called free media outlets” for fanning the unrest.",
                        ((ANALYSIS, "Bandits and terrorists, who should be destroyed"), (ANALYSIS, "so-called free media outlets")),
                    ),
                ),
                reveal_extra=((REPORT, "The interior ministry released figures"),),
                reflection=(
                    "Kazakhstan's Foreign Ministry counted police and soldiers killed and injured; one report notes "
                    "there were no equivalent reports about protesters. Why might early casualty figures be "
                    "one-sided?"
                ),
                branch=Branch(
                    on="talks",
                    step=StepSpec(
                        event="tokayev-friday-tv-speech",
                        prompt=(
                            "A closer look: in a TV speech on Friday evening, 7 January (according to the IESS article), "
                            "what did Tokayev say about talks?"
                        ),
                        answer_text="That no talks would be held with the insurgents, and that order would soon return",
                        distractors=(
                            CF(
                                "mediation",
                                "That talks would open under international mediation",
                                "No: according to the IESS article, he said no talks would be held with the insurgents.",
                                (_NO_TALKS,),
                            ),
                            CF(
                                "wait",
                                "That talks would wait until the internet was back",
                                "No: he said no talks would be held with the insurgents, and that the internet would soon be "
                                "connected in some areas.",
                                (_NO_TALKS,),
                            ),
                        ),
                        reflection=(
                            "The EU and the US had called for restraint. Why might a government reject talks so firmly, and in public?"
                        ),
                    ),
                ),
            ),
            StepSpec(
                event="shutov-arrested",
                also_known=(
                    "russian-foreign-ministry-blames-outside-forces",
                    "xi-jinping-message-to-tokayev",
                    "journalist-reported-killed",
                    "kyrgyz-parliament-approves-troops",
                ),
                distractors=(
                    CF(
                        "amnesty",
                        "The authorities free everyone detained during the unrest",
                        "No: according to Therese Askarbek's report, a senior aide to the prosecutor general said 3,337 "
                        "people had been released while over a thousand were under arrest.",
                        ((ASKARBEK, "3,337 offenders were released"),),
                    ),
                    CF(
                        "fair",
                        "Released detainees say they were treated fairly in custody",
                        "No: according to Therese Askarbek's report, released detainees said they had suffered prolonged "
                        "interrogation, beating, torture and pressure to confess.",
                        ((ASKARBEK, "prolonged interrogation, beating, torture"),),
                    ),
                ),
                reflection=(
                    "Shutov's account of beatings is his own: Therese Askarbek's report writes “He claimed”. How "
                    "would you check an account like this?"
                ),
            ),
            StepSpec(
                event="nazarbayev-video-address",
                also_known=("nazarbayev-departure-rumours", "officials-stop-using-name-nur-sultan"),
                distractors=(
                    CF(
                        "treatment",
                        "Nazarbayev confirms he has gone abroad for medical treatment",
                        "No: in his video address he said he was resting in the capital of Kazakhstan and had “not gone anywhere”.",
                        (_VIDEO_REST,),
                    ),
                    CF(
                        "resist",
                        "Nazarbayev calls on his supporters to resist Tokayev",
                        "No: he said he had handed over his powers to Tokayev in 2019 and had been a pensioner since.",
                        (_VIDEO_PENSIONER,),
                    ),
                ),
                reflection=(
                    "Nazarbayev's denial answered rumours that had circulated for days. Whom do you trust more here, "
                    "the rumours or his own account? What else would you want to know?"
                ),
            ),
        ),
    ),
)
