"""The scenario checker and assembler on the real seeds, without a database: every rule passes on the
episode's paths and fails on a counter-example made from them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest

from quizzes.dataset.reader import DatasetInvalid, dataset_read, scenario_specs
from quizzes.generation.facts import EventFact, Evidence
from quizzes.generation.from_dataset import facts_from_dataset
from quizzes.generation.scenarios import (
    RULES,
    OptionSpec,
    ScenarioSpec,
    StepSpec,
    key_position,
    scenario_check,
    scenarios_check,
    scenarios_generate,
)

SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "kazakhstan-2022"


@pytest.fixture(scope="module")
def world():
    dataset = dataset_read(SEEDS)
    facts = facts_from_dataset(dataset)
    specs = {s.slug: s for s in scenario_specs(dataset)}
    return dataset, facts, specs


def _step(spec: ScenarioSpec, key: str) -> StepSpec:
    return next(s for st in spec.steps for s in (st, *(b.step for b in st.branches)) if s.key == key)


def _with_step(spec: ScenarioSpec, key: str, **changes) -> ScenarioSpec:
    steps = tuple(dataclasses.replace(s, **changes) if s.key == key else s for s in spec.steps)
    return dataclasses.replace(spec, steps=steps)


def _option(step: StepSpec, oid: str, **changes) -> tuple[OptionSpec, ...]:
    return tuple(dataclasses.replace(o, **changes) if o.id == oid else o for o in step.options)


def _rules(facts, spec) -> set[str]:
    return {p.rule for p in scenario_check(facts, spec)}


def test_the_episode_paths_break_no_rule(world):
    _, facts, specs = world
    assert len(specs) >= 4
    assert scenarios_check(facts, specs.values()) == []
    for spec in specs.values():
        assert len(spec.steps) >= 3
        assert any(s.kind == "dispute" for st in spec.steps for s in (st, *(b.step for b in st.branches))), spec.slug
    assert any(st.branches for spec in specs.values() for st in spec.steps)


def test_assembly_is_deterministic_and_shuffles_the_key(world):
    _, facts, specs = world
    one = scenarios_generate(facts, specs.values(), seed=0)
    again = scenarios_generate(facts, specs.values(), seed=0)
    assert one.problems == [] and [dataclasses.asdict(d) for d in one.drafts] == [dataclasses.asdict(d) for d in again.drafts]
    keys = [s.correct for d in one.drafts for s in d.steps]
    assert len(set(keys)) >= 3  # the key's position is not predictable


def test_briefings_list_the_chain_between_steps_in_causal_order(world):
    _, facts, specs = world
    draft = next(d for d in scenarios_generate(facts, specs.values()).drafts if d.slug == "fuel-to-emergency")
    appeal = next(s for s in draft.steps if s.key == "appeal-abroad")
    # regional emergency -> buildings targeted -> appeal: both links of the chain are briefed, in order
    assert appeal.known_events.index("regional-state-of-emergency") < appeal.known_events.index("administration-buildings-targeted")
    assert "tokayev-appeals-to-csto" not in appeal.known_events
    for d in scenarios_generate(facts, specs.values()).drafts:
        for s in d.steps:
            assert all(facts.events[e].latest <= s.date for e in s.known_events), (d.slug, s.key)


# --- every rule fails on a counter-example -----------------------------------------------------


def test_every_rule_has_a_counter_example_below():
    tested = {name.removeprefix("test_rule_").replace("_", "-") for name in globals() if name.startswith("test_rule_")}
    assert tested == set(RULES)


def test_rule_shape(world):
    _, facts, specs = world
    spec = specs["fuel-to-emergency"]
    step = _step(spec, "people-react")
    assert "shape" in _rules(facts, _with_step(spec, "people-react", options=_option(step, "protests", kind="later")))


def test_rule_unknown_ref(world):
    _, facts, specs = world
    spec = specs["fuel-to-emergency"]
    step = _step(spec, "people-react")
    assert "unknown-ref" in _rules(
        facts, _with_step(spec, "people-react", options=_option(step, "largest-city", events=("no-such-event",)))
    )


def test_rule_dating(world):
    _, facts, specs = world
    spec = specs["fuel-to-emergency"]
    step = _step(spec, "appeal-abroad")
    # a "later" option that some source dates before the answer (dismissal reported 5-6 January)
    later = _option(step, "internet", events=("massimov-dismissed",))
    assert "dating" in _rules(facts, _with_step(spec, "appeal-abroad", options=later))
    # a briefed event that may have happened after the answer
    assert "dating" in _rules(facts, _with_step(spec, "appeal-abroad", also_known=("csto-deployment-announced",)))


def test_rule_contested_order(world):
    _, facts, specs = world
    spec = specs["csto-intervention"]
    # the sources order the appeal and the announcement differently: not a key outside a step about that dispute
    assert "contested-order" in _rules(facts, _with_step(spec, "alliance-decides", kind="next"))


def test_rule_briefing(world):
    _, facts, specs = world
    spec = dataclasses.replace(specs["csto-intervention"], start=())
    assert "briefing" in _rules(facts, spec)


def test_rule_unintroduced(world):
    _, facts, specs = world
    spec = specs["fuel-to-emergency"]
    step = _step(spec, "people-react")
    leaky = _option(step, "largest-city", text="In the largest city, where the CSTO had troops")
    assert "unintroduced" in _rules(facts, _with_step(spec, "people-react", options=leaky))


def test_rule_negation(world):
    _, facts, specs = world
    spec = specs["fuel-to-emergency"]
    step = _step(spec, "people-react")
    pair = _option(step, "largest-city", text="Not in the oil towns of the west")
    assert "negation" in _rules(facts, _with_step(spec, "people-react", options=pair))


def test_rule_reused_answer(world):
    _, facts, specs = world
    spec = specs["almaty"]
    first = _step(spec, "night-operation")
    twice = _option(_step(spec, "retake-the-city"), "operations", events=first.answer_events)
    assert "reused-answer" in _rules(facts, _with_step(spec, "retake-the-city", options=twice))


def test_rule_duplicate_step(world):
    _, facts, specs = world
    copy = dataclasses.replace(specs["almaty"], slug="almaty-copy")
    problems = scenarios_check(facts, [specs["almaty"], copy])
    assert "duplicate-step" in {p.rule for p in problems}


def test_rule_spoiler(world):
    _, facts, specs = world
    spec = specs["almaty"]
    step = _step(spec, "night-operation")
    told = "Large numbers of riot police entered the city after midnight. What happened next?"
    assert "spoiler" in _rules(facts, _with_step(spec, "night-operation", prompt=told))
    assert "spoiler" in _rules(facts, dataclasses.replace(spec, title="Riot police enter Almaty; gunfire heard"))
    assert step.prompt != told


def test_spoiler_title_word_only_the_key_has(world):
    """Review round 1: 'A price rise in the west' pointed at the only option naming the west."""
    _, facts, specs = world
    spec = specs["fuel-to-emergency"]
    assert "spoiler" not in _rules(facts, spec)
    hinted = dataclasses.replace(spec, title="A price rise in the west: how far would the government bend?")
    problems = [p for p in scenario_check(facts, hinted) if p.rule == "spoiler"]
    assert problems and "west" in str(problems[0])


def test_contested_order_government_fall(world):
    """Review round 1: the government's fall keyed as 'next' after the 6 January price announcement,
    though Meduza has it in the same act as the restored price controls, before 5 January."""
    _, facts, specs = world
    spec = specs["fuel-to-emergency"]
    assert _step(spec, "government-goes").kind == "dispute"
    as_next = _with_step(spec, "government-goes", kind="next", dispute=None)
    assert "contested-order" in _rules(facts, as_next)


def test_rule_evidence(world):
    _, facts, specs = world
    spec = specs["almaty"]
    step = _step(spec, "night-operation")
    other = _step(specs["csto-intervention"], "first-in").options[0].evidence  # evidence about something else
    assert "evidence" in _rules(facts, _with_step(spec, "night-operation", options=_option(step, "police-enter", evidence=other)))


def test_rule_refutation(world):
    _, facts, specs = world
    spec = specs["almaty"]
    step = _step(spec, "no-surrender")
    # refuted only by Tokayev's own words: an interested party's claim
    own_words = _step(spec, "no-surrender").accounts[0].evidence
    assert "refutation" in _rules(facts, _with_step(spec, "no-surrender", options=_option(step, "demands-met", evidence=own_words)))


def test_rule_both_accounts(world):
    _, facts, specs = world
    spec = specs["aftermath"]
    step = _step(spec, "detentions")
    assert "both-accounts" in _rules(facts, _with_step(spec, "detentions", accounts=step.accounts[:1]))


def test_rule_generator_text(world):
    _, facts, specs = world
    spec = specs["almaty"]
    for text in (
        "What happened: {answer}.",
        "This did happen, but later.",
        "See riot-police-enter-almaty.",
        "Whom he could have talked to is the next question for those who chose this.",
    ):
        assert "generator-text" in _rules(facts, _with_step(spec, "night-operation", reveal=text)), text


def test_rule_branch(world):
    _, facts, specs = world
    spec = specs["fuel-to-emergency"]
    parent = _step(spec, "government-goes")
    branch = parent.branches[0]
    on_key = dataclasses.replace(branch, on="cabinet")
    assert "branch" in _rules(facts, _with_step(spec, "government-goes", branches=(on_key,)))
    same_question = dataclasses.replace(branch, step=dataclasses.replace(branch.step, prompt=parent.prompt))
    assert "branch" in _rules(facts, _with_step(spec, "government-goes", branches=(same_question,)))


# --- the loader reports a broken path with file, item, rule and reason --------------------------


def test_load_reports_a_broken_path_by_file_item_and_rule(tmp_path):
    seeds = tmp_path / "episode"
    shutil.copytree(SEEDS, seeds)
    path = seeds / "data" / "scenarios.yaml"
    text = path.read_text(encoding="utf-8")
    assert "City officials went to the burned building" in text
    path.write_text(
        text.replace(
            "text: City officials went to the burned building to negotiate with the crowd",
            "text: City officials asked the CSTO to negotiate",
        ),
        encoding="utf-8",
    )
    with pytest.raises(DatasetInvalid) as exc:
        dataset_read(seeds)
    errors = [str(e) for e in exc.value.errors]
    assert any(e.startswith("data/scenarios.yaml: scenarios (slug: almaty) step night-operation: [unintroduced]") for e in errors), errors


# --- rules from blind review r2 (issue 17): each fails on a counter-example ------------------------


def test_rule_feedback_spoiler(world):
    """r2: an option's feedback stated the answer of the branch step it leads to."""
    _, facts, specs = world
    spec = specs["fuel-to-emergency"]
    parent = _step(spec, "government-goes")
    branch_key = parent.branches[0].step.answer
    told = _option(parent, "talks", explanation=f"No. But {branch_key.text.lower()}.")
    problems = [p for p in scenario_check(facts, _with_step(spec, "government-goes", options=told)) if p.rule == "feedback-spoiler"]
    assert problems and problems[0].step == "government-goes" and "who-leads" in problems[0].message
    # a reveal that answers the next main step
    almaty = specs["almaty"]
    nxt = _step(almaty, "retake-the-city").answer
    revealed = _with_step(almaty, "night-operation", reveal=_step(almaty, "night-operation").reveal + " Then " + nxt.text.lower() + ".")
    assert "feedback-spoiler" in _rules(facts, revealed)


def test_rule_option_shape(world):
    _, facts, specs = world
    spec = specs["fuel-to-emergency"]
    step = _step(spec, "price-concession")
    # one option in another grammatical shape (the others all begin "They ...")
    odd = _option(step, "diesel", text="Diesel went up to make up for a cheaper gas price")
    assert "option-shape" in _rules(facts, _with_step(spec, "price-concession", options=odd))
    # the key much longer and more specific than any wrong option
    long_key = _option(
        step,
        "cut",
        text="They brought the price back down to its old level or lower, first in one region and then across the whole country by decree",
    )
    assert "option-shape" in _rules(facts, _with_step(spec, "price-concession", options=long_key))
    # a non-answer
    none = _option(step, "wages", text="They did nothing and waited")
    assert "option-shape" in _rules(facts, _with_step(spec, "price-concession", options=none))


def test_rule_prompt_hint(world):
    _, facts, specs = world
    spec = specs["almaty"]
    step = _step(spec, "retake-the-city")
    assert "prompt-hint" not in _rules(facts, spec)
    hinted = "Which forces went into action across the city over the next days?"
    assert "prompt-hint" in _rules(facts, _with_step(spec, "retake-the-city", prompt=hinted))
    assert step.prompt != hinted
    # a word in another form is the same word: 'claim' in the prompt, 'claimed' in the key (a branch)
    fuel = specs["fuel-to-emergency"]
    parent = _step(fuel, "government-goes")
    branch = parent.branches[0]
    asked = dataclasses.replace(branch, step=dataclasses.replace(branch.step, prompt="Did anyone claim to lead the protests?"))
    assert "prompt-hint" in _rules(facts, _with_step(fuel, "government-goes", branches=(asked,)))


def test_rule_step_date(world):
    _, facts, specs = world
    spec = specs["almaty"]
    draft = next(d for d in scenarios_generate(facts, [spec]).drafts)
    first = draft.steps[0]
    after = first.date.replace(day=first.date.day + 2)
    late = f"By {after.day} January, what had the authorities done in Almaty?"
    problems = [p for p in scenario_check(facts, _with_step(spec, "night-operation", prompt=late)) if p.rule == "step-date"]
    assert problems and problems[0].step == "night-operation"
    # the title and intro are read before the first step too
    titled = dataclasses.replace(spec, title=f"Almaty, 5 to {after.day} January")
    assert "step-date" in _rules(facts, titled)


def test_rule_comparison(world):
    """r2: 26 killed 'so far' set against 225 with no time between them."""
    _, facts, specs = world
    spec = specs["aftermath"]
    bare = 'The IESS paper counts 26 killed "so far"; Askarbek’s report counts 225.'
    assert "comparison" in _rules(facts, _with_step(spec, "detentions", reveal=bare))
    dated = 'The IESS paper (10 February, without saying when it counted) has 26 killed "so far"; Askarbek\'s report of 27 January has 225.'
    assert "comparison" not in _rules(facts, _with_step(spec, "detentions", reveal=dated))


def test_rule_untraced(world):
    _, facts, specs = world
    spec = specs["almaty"]
    step = _step(spec, "night-operation")
    invented = _option(step, "negotiate", explanation="No. About 400 officers went in instead.")
    problems = [p for p in scenario_check(facts, _with_step(spec, "night-operation", options=invented)) if p.rule == "untraced"]
    assert problems and "400" in problems[0].message
    # a weekday turned into a date the calendar does not give
    step2 = _step(spec, "retake-the-city")
    wrong_day = _option(step2, "operations", explanation="Yes, from Thursday (9 January), says the IESS paper.")
    assert "untraced" in _rules(facts, _with_step(spec, "retake-the-city", options=wrong_day))
    right_day = _option(step2, "operations", explanation="Yes, from Thursday (6 January), says the IESS paper.")
    assert "untraced" not in _rules(facts, _with_step(spec, "retake-the-city", options=right_day))


def test_figures_and_dates_are_read_from_words_and_digits():
    from quizzes.generation.scenarios import day_months, numbers

    assert numbers("nearly ten thousand detained; 3,337 released; some five hundred; 26 so far") == {10000, 3337, 500, 26}
    assert numbers("sixty-five; one decision") == {65, 1}
    assert day_months("on 2 January and January 5, 2022, then 10 February") == {(1, 2), (1, 5), (2, 10)}
    assert numbers("on January 5, 2022") == {2022}


# --- rules from blind review r3 --------------------------------------------------------------------


def test_a_distractor_explained_earlier_is_not_reused(world):
    """r3: the CSTO step's 'internet' option repeated a distractor already explained as 'later' two steps before."""
    _, facts, specs = world
    spec = specs["fuel-to-emergency"]
    earlier = _step(spec, "government-goes").options[-1]
    step = _step(spec, "appeal-abroad")
    again = _option(step, "mediators", text=earlier.text)
    problems = [p for p in scenario_check(facts, _with_step(spec, "appeal-abroad", options=again)) if p.rule == "reused-answer"]
    assert problems and problems[0].step == "appeal-abroad" and "government-goes" in problems[0].message


def test_a_later_option_needs_a_prompt_that_asks_next(world):
    """r3: 'in these days' made an option rejected as 'later' defensible."""
    _, facts, specs = world
    spec = specs["fuel-to-emergency"]
    step = _step(spec, "appeal-abroad")
    assert any(o.kind == "later" for o in step.options) and "next" in step.prompt
    period = step.prompt.replace("What did Tokayev do next?", "What did Tokayev do in these days?")
    assert "dating" in _rules(facts, _with_step(spec, "appeal-abroad", prompt=period))


def test_the_key_is_not_the_only_option_with_or_without_a_reason_or_hedge(world):
    """r3: 'part of them' only in the key; a 'since ...' reason in every option but the key."""
    _, facts, specs = world
    spec = specs["csto-intervention"]
    step = _step(spec, "first-in")
    key = step.answer
    assert key is not None and "option-shape" not in _rules(facts, spec)
    hedged = _option(step, key.id, text="Troops from Russia, since Russia led the alliance")
    assert "option-shape" in _rules(facts, _with_step(spec, "first-in", options=hedged))
    reasons = tuple(dataclasses.replace(o, text=f"{o.text}, since it was nearest") if o is not key else o for o in step.options)
    assert "option-shape" in _rules(facts, _with_step(spec, "first-in", options=reasons))


def test_a_disputed_answer_stays_one_uncertain_line_in_the_next_briefing(world):
    """r3: after a step saying the price cuts may be one decision or several, the next briefing listed three
    separate, dated events: it settled what the sources leave open."""
    _, facts, specs = world
    draft = next(d for d in scenarios_generate(facts, specs.values()).drafts if d.slug == "fuel-to-emergency")
    after = next(s for s in draft.steps if s.key == "government-goes")
    cut = _step(specs["fuel-to-emergency"], "price-concession").answer_events
    assert len(cut) > 1 and set(cut) <= set(after.known_events)
    lines = [line for line in after.briefing.splitlines() if line.startswith("•")]
    together = [line for line in lines if all(facts.events[e].title.rstrip(".") in line for e in cut)]
    assert len(together) == 1 and "differ" in together[0]
    assert len(lines) == len(after.known_events) - len(cut) + 1


def test_rule_distractor_overlap(world):
    """r4 almaty 1: two wrong options that are one idea (talking to the crowd) leave the key the odd one out."""
    _, facts, specs = world
    spec = specs["almaty"]
    step = _step(spec, "night-operation")
    assert "distractor-overlap" not in _rules(facts, spec)
    wrong = [o for o in step.options if o is not step.answer]
    twins = _option(step, wrong[0].id, text="The mayor went to the square to negotiate with the crowds")
    twins = tuple(
        dataclasses.replace(o, text="The governor went to the square to negotiate with the protesters") if o.id == wrong[1].id else o
        for o in twins
    )
    assert "distractor-overlap" in _rules(facts, _with_step(spec, "night-operation", options=twins))


def test_rule_unqualified_key(world):
    """r4 almaty 2: every wrong option excludes something ('alone', 'with no'), the key lists everyone."""
    _, facts, specs = world
    spec = specs["almaty"]
    step = _step(spec, "retake-the-city")
    assert "unqualified-key" not in _rules(facts, spec)
    wrong = [o for o in step.options if o is not step.answer]
    texts = {
        wrong[0].id: "Police alone, while the army stayed in its barracks",
        wrong[1].id: "Police and foreign soldiers, with no Kazakh troops",
    }
    excluding = tuple(dataclasses.replace(o, text=texts[o.id]) if o.id in texts else o for o in step.options)
    assert "unqualified-key" in _rules(facts, _with_step(spec, "retake-the-city", options=excluding))
    # the key a superset of one wrong option
    subset = _option(step, wrong[0].id, text="Armed operations by police")
    assert "unqualified-key" in _rules(facts, _with_step(spec, "retake-the-city", options=subset))


def test_rule_earlier_text(world):
    """r4 csto 2: the reflection before the step names the actor only the key names ('the alliance Russia leads')."""
    _, facts, specs = world
    spec = specs["csto-intervention"]
    assert "earlier-text" not in _rules(facts, spec)
    leaking = _with_step(spec, "alliance-decides", reflection="Why would the alliance Russia leads agree to send troops?")
    assert "earlier-text" in _rules(facts, leaking)
    # a reflection naming every option alike singles out none
    alike = _with_step(spec, "alliance-decides", reflection="Russia, Belarus, Armenia and Tajikistan all had troops to send. Who would?")
    assert "earlier-text" not in _rules(facts, alike)


def test_rule_fragment_evidence(world):
    """r4 aftermath 1: a bare bibliographic line ('The Guardian, January 18, 2022') cited as evidence for a date."""
    _, facts, specs = world
    spec = specs["aftermath"]
    step = _step(spec, "where-is-nazarbayev")
    assert "fragment-evidence" not in _rules(facts, spec)
    key = step.answer
    assert key is not None
    bare = dataclasses.replace(key.evidence[0], quote="The Guardian, January 18, 2022")
    fragment = _option(step, key.id, evidence=(*key.evidence, bare))
    assert "fragment-evidence" in _rules(facts, _with_step(spec, "where-is-nazarbayev", options=fragment))


def test_key_positions_are_balanced_within_each_scenario_as_shown(world):
    """The player shows options in the stored order, so the assembled order is what the learner sees: within a
    scenario no position holds the key more than once more than any other position it could hold."""
    _, facts, specs = world
    for draft in scenarios_generate(facts, specs.values()).drafts:
        counts = {}
        for st in draft.steps:
            counts[st.correct] = counts.get(st.correct, 0) + 1
        n = min(len(st.options) for st in draft.steps)
        places = [counts.get(letter, 0) for letter in "abcd"[:n]]
        assert max(counts.values()) - min(places) <= 1, (draft.slug, counts)
    # the least-used place wins; ties go by a stable hash
    assert key_position(0, "s", "x", 3, {0: 1, 1: 1}) == 2
    assert key_position(0, "s", "x", 4, {}) == key_position(0, "s", "x", 4, {})


def test_an_inferred_day_keeps_its_hedge_in_every_label(world):
    """r4 aftermath 2: a weekday worked out against a cited article's date is 'probably' that day in the step header
    and in every briefing line, not only in the step that explained it."""
    _, facts, specs = world
    inferred = [e for e in facts.events.values() if e.inferred]
    assert inferred
    for draft in scenarios_generate(facts, specs.values()).drafts:
        for st in draft.steps:
            for e in inferred:
                if e.slug in st.known_events:
                    assert "probably" in st.briefing.split(e.title.rstrip("."))[0].splitlines()[-1].lower(), (draft.slug, st.key)
                    if st.date == e.date and all(facts.events[k].inferred for k in st.known_events if facts.events[k].latest == st.date):
                        assert st.date_label.startswith("probably"), (draft.slug, st.key, st.date_label)


def test_a_day_the_sources_give_only_as_a_weekday_shows_that_weekday(world):
    """A reviewer could not tell '5 January' in a briefing was read off 'On Wednesday': every briefing line of
    such an event names the weekday with the day, 'Wednesday (5 January 2022)'."""
    _, facts, specs = world
    weekday_only = [e for e in facts.events.values() if e.weekday_only]
    assert weekday_only
    seen = 0
    for draft in scenarios_generate(facts, specs.values()).drafts:
        for st in draft.steps:
            for e in weekday_only:
                if e.slug in st.known_events and e.title.rstrip(".") in st.briefing:
                    line = st.briefing.split(e.title.rstrip("."))[0].splitlines()[-1]
                    assert f"{e.weekday_only} (" in line, (draft.slug, st.key, line)
                    seen += 1
    assert seen


def test_weekday_only_reads_the_quotes_not_the_calendar():
    def event(quote: str, day: dt.date, **kw) -> EventFact:
        evidence = (Evidence(passage_id=None, source="s", quote=quote),)
        return EventFact(slug="x", title="X", summary="", date=day, precision="day", evidence=evidence, **kw)

    wednesday = dt.date(2022, 1, 5)
    assert event("On Wednesday, he was fired.", wednesday).when_label == "Wednesday (5 January 2022)"
    # A quote that states the day itself needs no weekday; a weekday that is not this day's proves nothing.
    assert event("On Wednesday, 5 January, he was fired.", wednesday).when_label == "5 January 2022"
    assert event("On January 5 he was fired.", wednesday).when_label == "5 January 2022"
    assert event("On Thursday he was fired.", wednesday).when_label == "5 January 2022"
    assert event("He was fired.", wednesday).when_label == "5 January 2022"
    # A worked-out day keeps its hedge; a span or a month has no single weekday.
    assert event("On Wednesday, he was fired.", wednesday, inferred=True).when_label == "probably 5 January 2022"
    assert event("On Wednesday, he was fired.", wednesday, date_end=dt.date(2022, 1, 6)).when_label.startswith("between")
