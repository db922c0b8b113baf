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
    BranchSpec,
    OptionSpec,
    ScenarioSpec,
    StepSpec,
    Timeline,
    _walk,
    briefing_text,
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
    tl = Timeline(facts)
    for d in scenarios_generate(facts, specs.values()).drafts:
        for s in d.steps:
            answer = next(o.events for o in s.options if o.kind == "happened")
            disputed = set(facts.disputes[s.dispute].events) if s.dispute else set()
            # a branch is played before the next main step: ordered before that step's answer will do (rule 'path-dates')
            after = next((m for m in d.steps if not m.branch_of and m.position > s.position), None) if s.branch_of else None
            ordered_before = [*answer, *(next(o.events for o in after.options if o.kind == "happened") if after else ())]
            # briefed after the step's moment only where a source orders it before the answer, or the step is about
            # the disputed day or order of that very event (rule 'moment')
            for e in s.known_events:
                ordered = any(tl.linked_before(e, a) for a in ordered_before) or e in disputed
                assert facts.events[e].latest <= s.date or ordered, (d.slug, s.key, e)
            assert all(s.date <= facts.events[a].earliest for a in answer if facts.events[a].precision == "day"), (d.slug, s.key)


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
    # r8 A/4 and C/3: an either/or pair, one option denying what another says ("claimed to lead part of them" /
    # "No one claimed to lead any part of them"; "voted to send a contingent" / "refused to send any soldiers")
    mini = _mini()
    step = _mini_step()
    assert "negation" not in _rules(mini, _mini_spec(step))
    for denial in ("No one was sent to the mill", "The town refused to send soldiers to the mill"):
        assert "negation" in _rules(mini, _mini_spec(dataclasses.replace(step, options=_option(step, "c", text=denial))))


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
    # a word in another form is the same word: 'figures' in the prompt, 'figure' in the key (a branch)
    fuel = specs["fuel-to-emergency"]
    parent = _step(fuel, "government-goes")
    branch = parent.branches[0]
    asked = dataclasses.replace(branch, step=dataclasses.replace(branch.step, prompt="Which opposition figures claimed to lead them?"))
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
    subset = _option(step, wrong[0].id, text="Police and the army")
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
                    line = st.briefing.split(e.title.rstrip("."))[0].splitlines()[-1]
                    # 'probably 18 January', or the source's own words with the day as ours (date_said)
                    hedge = f"{e.said} (our reading:" if e.said else "probably"
                    assert hedge.lower() in line.lower(), (draft.slug, st.key, line)
                    fixing = [facts.events[k] for k in st.known_events if facts.events[k].latest == st.date]
                    if st.date == e.date and fixing and all(f.inferred and not f.said for f in fixing):
                        assert st.date_label.startswith("probably"), (draft.slug, st.key, st.date_label)
                    if st.date == e.date and fixing and all(f.hedged for f in fixing):
                        assert "probably" in st.date_label or "our reading" in st.date_label, (draft.slug, st.key, st.date_label)


def test_a_day_the_sources_give_only_as_a_weekday_shows_that_weekday(world):
    """A reviewer could not tell '5 January' in a briefing was read off 'On Wednesday': every briefing line of
    such an event names the weekday with the day as ours, 'Wednesday (our reading: 5 January 2022)'."""
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
    assert event("On Wednesday, he was fired.", wednesday).when_label == "Wednesday (our reading: 5 January 2022)"
    # A quote that states the day itself needs no weekday; a weekday that is not this day's proves nothing.
    assert event("On Wednesday, 5 January, he was fired.", wednesday).when_label == "5 January 2022"
    assert event("On January 5 he was fired.", wednesday).when_label == "5 January 2022"
    assert event("On Thursday he was fired.", wednesday).when_label == "5 January 2022"
    assert event("He was fired.", wednesday).when_label == "5 January 2022"
    # A worked-out day keeps its hedge; a span or a month has no single weekday.
    assert event("On Wednesday, he was fired.", wednesday, inferred=True).when_label == "probably 5 January 2022"
    assert event("On Wednesday, he was fired.", wednesday, date_end=dt.date(2022, 1, 6)).when_label.startswith("between")


# --- round-7 rules on a synthetic mini-episode (nothing here is about Kazakhstan) ------------------

_TEXT = (
    "Workers at the mill went on strike on 1 March. "  # 0..47
    "Managers offered wage talks within days. "  # 47..88
    "On Friday the mayor resigned. "  # 88..117
    "First, some call it a surrender. Second, the decision widened the conflict. "  # 117..192
    "Soldiers were sent to the mill. "  # 192..223
)


def _ev(quote: str) -> Evidence:
    start = _TEXT.index(quote)
    return Evidence(passage_id=None, source="town-paper", quote=quote, start=start, end=start + len(quote))


def _mini(*, links=(), disputes=()) -> tuple:
    from quizzes.generation.facts import Facts, LinkFact

    def event(slug, title, day, quote, end=None):
        return EventFact(
            slug=slug,
            title=title,
            summary=title,
            date=day,
            precision="day",
            date_end=end,
            evidence=(_ev(quote),),
        )

    events = {
        "strike": event("strike", "Mill workers strike", dt.date(2030, 3, 1), "Workers at the mill went on strike on 1 March."),
        "wage-talks": event(
            "wage-talks", "Managers offer wage talks", dt.date(2030, 3, 2), "Managers offered wage talks within days.", dt.date(2030, 3, 4)
        ),
        "mayor-resigns": event("mayor-resigns", "The mayor resigns", dt.date(2030, 3, 1), "On Friday the mayor resigned."),
        "troops-sent": event("troops-sent", "Soldiers sent to the mill", dt.date(2030, 3, 6), "Soldiers were sent to the mill."),
    }
    # 1 March 2030 is a Friday: the quote gives only the weekday
    facts = Facts(
        events=events,
        links=[
            LinkFact(source=a, target=b, kind="followed_by", evidence=(_ev("Managers offered wage talks within days."),)) for a, b in links
        ],
        disputes={d.slug: d for d in disputes},
    )
    return facts


def _mini_step(key="next", answer="troops-sent", **changes) -> StepSpec:
    ev = {
        "troops-sent": _ev("Soldiers were sent to the mill."),
        "mayor-resigns": _ev("On Friday the mayor resigned."),
        "wage-talks": _ev("Managers offered wage talks within days."),
    }[answer]
    options = (
        OptionSpec("a", "Soldiers were sent to the mill", "happened", "Yes, soldiers came.", (ev,), (answer,)),
        OptionSpec("b", "Police were sent to the gates", "did_not_happen", "No, soldiers came.", (ev,)),
        OptionSpec("c", "Workers were sent back home", "did_not_happen", "No, soldiers came.", (ev,)),
    )
    step = StepSpec(key=key, prompt="What did the town do next?", options=options, reveal="Soldiers came.", reveal_evidence=(ev,))
    return dataclasses.replace(step, **changes)


def _mini_spec(*steps, start=("strike",), intro="A mill town in spring.") -> ScenarioSpec:
    return ScenarioSpec(slug="mill", title="A mill town", intro=intro, topics=(), start=start, steps=tuple(steps))


def test_rule_moment():
    """r7 WRONG_NEXT: a step's moment lay after the earliest day a source gives for its answer. Talks dated 2-4 March
    may be after the mayor's resignation (3 March): briefed before it, the step keys 'next' against some source."""
    facts = _mini()
    facts.events["mayor-resigns"] = dataclasses.replace(facts.events["mayor-resigns"], date=dt.date(2030, 3, 3))
    step = _mini_step(answer="mayor-resigns", also_known=("wage-talks",))
    assert "moment" in _rules(facts, _mini_spec(step))
    # a source ordering the talks before the resignation (a link) makes it sound; the moment is then the answer's day
    linked = _mini(links=[("wage-talks", "mayor-resigns")])
    linked.events["mayor-resigns"] = facts.events["mayor-resigns"]
    assert "moment" not in _rules(linked, _mini_spec(step))
    ((_, _, _, when, _, label),) = _walk(Timeline(linked), _mini_spec(step), [])
    assert when == dt.date(2030, 3, 3) and label == "3 March 2030"
    # a chain of links (a source's order) is briefed before the answer even where the dates overlap
    chain = _mini(links=[("strike", "wage-talks"), ("wage-talks", "mayor-resigns")])
    chain.events["mayor-resigns"] = facts.events["mayor-resigns"]
    assert "moment" not in _rules(chain, _mini_spec(_mini_step(answer="mayor-resigns")))


def test_rule_path_dates():
    """r9 DATE: a branch inherited its parent's answer's last possible day (talks dated 2-4 March) and was dated
    after the next main step (the mayor's resignation, 3 March, ordered after the talks by a link): the path read
    1 -> 4 -> 3 March. What a branch inherits does not carry it past the next main step; what it briefs itself can,
    and then the rule refuses the path."""
    facts = _mini(links=[("wage-talks", "mayor-resigns")])
    facts.events["mayor-resigns"] = dataclasses.replace(facts.events["mayor-resigns"], date=dt.date(2030, 3, 3))
    facts.events["troops-sent"] = dataclasses.replace(facts.events["troops-sent"], date=dt.date(2030, 3, 1), precision="month")
    aside = _mini_step("aside", prompt="Who sent help to the mill?")
    first = _mini_step("first", answer="wage-talks", branches=(BranchSpec(on="b", step=aside),))
    spec = _mini_spec(first, _mini_step("second", answer="mayor-resigns", prompt="What did the mayor do next?"))
    problems: list = []
    walked = _walk(Timeline(facts), spec, problems)
    dates = [(st.key, when, label) for st, _p, _s, when, _t, label in walked]
    assert [(k, w) for k, w, _ in dates] == [
        ("first", dt.date(2030, 3, 1)),
        ("aside", dt.date(2030, 3, 3)),
        ("second", dt.date(2030, 3, 3)),
    ]
    assert dates[1][2] == "between 1 and 3 March 2030"
    assert "path-dates" not in {p.rule for p in problems}
    # a branch briefing an event of 5 March lies after the next main step: refused
    facts.events["rally"] = dataclasses.replace(
        facts.events["strike"], slug="rally", title="A rally in the square", date=dt.date(2030, 3, 5)
    )
    late = dataclasses.replace(first, branches=(BranchSpec(on="b", step=dataclasses.replace(aside, also_known=("rally",))),))
    assert "path-dates" in _rules(facts, dataclasses.replace(spec, steps=(late, spec.steps[1])))


def test_rule_our_reading():
    """r7 DATE: 'Friday (1 March)' or 'dates it to Friday evening, 1 March' passed a weekday conversion off as the
    source's date."""
    facts = _mini()
    plain = _mini_step(reveal="The paper puts it on Friday evening, 1 March.")
    assert "our-reading" in _rules(facts, _mini_spec(plain))
    marked = _mini_step(reveal="The paper puts it on Friday evening (our reading: 1 March).")
    assert "our-reading" not in _rules(facts, _mini_spec(marked))
    assert "our-reading" in _rules(facts, _mini_spec(_mini_step(), intro="It began on Friday (1 March)."))
    # the event's own label: a weekday-only day and a day read from context are marked as ours everywhere
    assert facts.events["mayor-resigns"].when_label == "Friday (our reading: 1 March 2030)"
    said = dataclasses.replace(facts.events["troops-sent"], said="Around 1 a.m.", inferred=True)
    assert said.when_label == "Around 1 a.m. (our reading: 6 March 2030)"
    # a briefed day read from context (no quote states the day or its weekday) needs the source's words
    assert facts.events["troops-sent"].day_derived
    assert "our-reading" in _rules(facts, _mini_spec(_mini_step(), start=("troops-sent",)))
    facts.events["troops-sent"] = said
    assert "our-reading" not in _rules(facts, _mini_spec(_mini_step(), start=("troops-sent",)))


def test_rule_contested_date():
    """r7 CONTESTED_AS_FACT: a day one source gives (and another contradicts) stated as fact in an intro."""
    from quizzes.generation.facts import AccountFact, DisputeFact

    bulletin = Evidence(passage_id=None, source="mill-bulletin", quote="Talks were offered later.", start=0, end=25)
    paper = _ev("Managers offered wage talks within days.")
    talks_day = DisputeFact(
        slug="talks-day",
        question="When were talks offered?",
        accounts=(AccountFact(account="x", evidence=(paper,)), AccountFact(account="y", evidence=(bulletin,))),
        events=("wage-talks",),
        contests=("date",),
    )
    facts = _mini(disputes=[talks_day])
    facts.events["wage-talks"] = dataclasses.replace(facts.events["wage-talks"], evidence=(paper, bulletin))
    assert "contested-date" in _rules(facts, _mini_spec(_mini_step(), intro="Managers offered wage talks on 2 March."))
    assert "contested-date" not in _rules(
        facts, _mini_spec(_mini_step(), intro="Managers offered wage talks between 2 and 4 March; the sources differ on the day.")
    )
    # the briefing line says so too
    text = briefing_text(Timeline(facts), ["strike", "wage-talks"])
    assert "Between 2 and 4 March 2030 (the sources differ on the day): Managers offer wage talks." in text
    assert "1 March 2030 (the sources" not in text
    # r9: one source's own statements at odds are not sources differing
    alone = dataclasses.replace(
        talks_day, accounts=(AccountFact(account="x", evidence=(paper,)), AccountFact(account="y", evidence=(paper,)))
    )
    text = briefing_text(Timeline(_mini(disputes=[alone])), ["strike", "wage-talks"])
    assert "Between 2 and 4 March 2030 (the source is unclear on the day): Managers offer wage talks." in text


def test_rule_open_prompt():
    """r7 PEDAGOGY: 'Who, if anyone, ...?' without a 'no one' option, while most sources say no one."""
    facts = _mini()
    asked = _mini_step(prompt="Who, if anyone, was sent to the mill next?")
    assert "open-prompt" in _rules(facts, _mini_spec(asked))
    nobody = OptionSpec("c", "No one was sent to the mill", "did_not_happen", "No, soldiers came.", asked.options[0].evidence)
    offered = dataclasses.replace(asked, options=(*asked.options[:2], nobody))
    problems = scenario_check(facts, _mini_spec(offered))
    assert "open-prompt" not in {p.rule for p in problems}
    assert not [p for p in problems if p.rule == "option-shape" and "non-answer" in p.message]


def test_rule_dangling_quote():
    """r7 BAD_EVIDENCE: 'Second, the decision ...' quoted alone reads as about whatever the reveal is about."""
    facts = _mini()
    alone = _mini_step(reveal_evidence=(_ev("Second, the decision widened the conflict."),))
    assert "dangling-quote" in _rules(facts, _mini_spec(alone))
    joined = _mini_step(reveal_evidence=(_ev("First, some call it a surrender."), _ev("Second, the decision widened the conflict.")))
    assert "dangling-quote" not in _rules(facts, _mini_spec(joined))


def test_rule_abbreviation():
    """r7 LANGUAGE: 'LPG' in a briefing, never spelled out for the learner."""
    facts = _mini()
    bare = _mini_step(reveal="The MWU called the strike.")
    assert "abbreviation" in _rules(facts, _mini_spec(bare))
    spelled = _mini_step(reveal="The Mill Workers' Union (MWU) called the strike. The MWU won.")
    assert "abbreviation" not in _rules(facts, _mini_spec(spelled))


# --- rules from the eighth blind review ---------------------------------------------------------


def _mini_sources(facts):
    """Two named sources: the paper (whose text is _TEXT) and a bulletin."""
    from quizzes.generation.facts import SourceFact

    facts.sources = {
        "town-paper": SourceFact(slug="town-paper", label="Paper", outlet="Town Paper", author=None, published_on=None, text=_TEXT),
        "mill-bulletin": SourceFact(
            slug="mill-bulletin", label="Bulletin", outlet="Mill Bulletin", author=None, published_on=None, text="Police guarded the gates."
        ),
    }
    return facts


def test_rule_short_quote():
    """r8 BAD_EVIDENCE: a reveal quote 'restored price controls' shows neither who acted nor when."""
    facts = _mini()
    fragment = _mini_step(reveal_evidence=(_ev("sent to the mill"),))
    assert "short-quote" in _rules(facts, _mini_spec(fragment))
    whole = _mini_step(reveal_evidence=(_ev("Soldiers were sent to the mill."),))
    assert "short-quote" not in _rules(facts, _mini_spec(whole))
    # an account's and the key's quotes too
    key = dataclasses.replace(fragment.options[0], evidence=(_ev("went on strike"),))
    assert "short-quote" in _rules(facts, _mini_spec(_mini_step(options=(key, *fragment.options[1:]))))


def test_rule_account_quotes():
    """r8 BAD_EVIDENCE: an account naming the analysis quoted only another source; an account's claim had no quote."""
    from quizzes.generation.scenarios import AccountSpec

    facts = _mini_sources(_mini())
    quote = _ev("Soldiers were sent to the mill.")
    both = AccountSpec(by="The Town Paper and the Mill Bulletin", text="Soldiers came.", evidence=(quote,))
    problems = [p for p in scenario_check(facts, _mini_spec(_mini_step(accounts=(both,)))) if p.rule == "account-quotes"]
    assert len(problems) == 1 and "mill-bulletin" in problems[0].message
    one = AccountSpec(by="The Town Paper", text="Soldiers came.", evidence=(quote,))
    assert "account-quotes" not in _rules(facts, _mini_spec(_mini_step(accounts=(one,))))
    bare = AccountSpec(by="The Town Paper", text="Soldiers came.", evidence=())
    assert "account-quotes" in _rules(facts, _mini_spec(_mini_step(accounts=(bare,))))


def test_rule_no_source():
    """r8 BAD_EVIDENCE: 'No source reports volunteers', while a source does report volunteer forces."""
    facts = _mini_sources(_mini())
    step = _mini_step()
    wrong = _option(step, "b", explanation="No source reports police at the gates; soldiers came.")
    assert "no-source" in _rules(facts, _mini_spec(dataclasses.replace(step, options=wrong)))
    true = _option(step, "b", explanation="No source reports police in the town hall; soldiers came.")
    assert "no-source" not in _rules(facts, _mini_spec(dataclasses.replace(step, options=true)))
    # a source sentence that negates it bears the statement out
    facts.sources["mill-bulletin"] = dataclasses.replace(facts.sources["mill-bulletin"], text="No police guarded the gates.")
    assert "no-source" not in _rules(facts, _mini_spec(dataclasses.replace(step, options=wrong)))


def test_an_account_descriptor_marks_a_day_its_sources_do_not_write():
    """r8 DATE: 'Meduza's live report (covers events up to early 6 January)', a day read from 'past midnight on
    Thursday', unmarked in the account's descriptor."""
    from quizzes.generation.scenarios import AccountSpec

    facts = _mini_sources(_mini())
    quote = _ev("On Friday the mayor resigned.")

    def readings(by: str) -> list[str]:
        account = AccountSpec(by=by, text="The mayor resigned.", evidence=(quote,))
        problems = scenario_check(facts, _mini_spec(_mini_step(accounts=(account,))))
        return [p.message for p in problems if p.rule == "our-reading" and "account by" in p.message]

    assert readings("The Town Paper (covering events up to 2 March)")
    assert not readings("The Town Paper (covering events up to Saturday, our reading: 2 March)")
    assert not readings("The Town Paper (covering events up to 1 March)")  # the paper writes '1 March'


def test_a_step_known_only_within_a_span_of_days_is_dated_by_the_span():
    """r8 DATE: the header '6 January' of a branch whose events are known only within 4-6 January (the learner then
    went back to 5 January at the next step)."""
    from quizzes.generation.scenarios import step_date_label

    span = EventFact(slug="s", title="T", summary="T", date=dt.date(2030, 3, 4), date_end=dt.date(2030, 3, 6), precision="day")
    day = EventFact(
        slug="d", title="D", summary="D", date=dt.date(2030, 3, 6), precision="day", evidence=(_ev("On Friday the mayor resigned."),)
    )
    assert step_date_label([span], dt.date(2030, 3, 6)) == "between 4 and 6 March 2030"
    assert step_date_label([dataclasses.replace(day, evidence=())], dt.date(2030, 3, 6)) == "6 March 2030"


def test_a_step_date_label_never_quotes_the_answers_evidence():
    """r9 SPOILER: the label 'Before “past midnight on Thursday”' quoted the key's own sentence, timing the answer."""
    facts = _mini()
    step = _mini_step()
    facts.events["strike"] = dataclasses.replace(facts.events["strike"], said="Before “sent to the mill”", inferred=True)

    def label_spoilers() -> list[str]:
        return [p.message for p in scenario_check(facts, _mini_spec(step)) if p.rule == "spoiler" and "date label" in p.message]

    assert label_spoilers()
    facts.events["strike"] = dataclasses.replace(facts.events["strike"], said="“On 1 March”", inferred=True)
    assert not label_spoilers()


def test_a_span_with_a_bound_read_from_a_weekday_says_so():
    """r9 DATE: 'Between 5 and 6 January 2022 (the sources differ on the day)', its 5 January read from 'Wednesday',
    unmarked in the briefing."""
    facts = _mini()
    read = dataclasses.replace(facts.events["mayor-resigns"], date_end=dt.date(2030, 3, 2))  # 'On Friday' = 1 March
    assert read.span_weekdays == ("Friday",)
    assert read.when_label == "between 1 and 2 March 2030 (our reading of “Friday”)"
    assert facts.events["wage-talks"].span_weekdays == ()  # no weekday in its quote: the span is the data's
    assert facts.events["wage-talks"].when_label == "between 2 and 4 March 2030"


def test_rule_source_names():
    """r9 X1: Therese Askarbek's signed report and an unsigned report both showed as 'News report': two sources
    a path quotes never share a shown name; a signed one is named by its author and kind."""
    from quizzes.sources.names import neutral_citation

    facts = _mini_sources(_mini())
    unsigned = {slug: dataclasses.replace(src, outlet=None, kind="news-report") for slug, src in facts.sources.items()}
    bulletin = Evidence(passage_id=None, source="mill-bulletin", quote="Police guarded the gates.", start=0, end=25)
    step = _mini_step(reveal_evidence=(_ev("Soldiers were sent to the mill."), bulletin))
    assert "source-names" not in _rules(facts, _mini_spec(step))
    facts.sources = unsigned
    assert "source-names" in _rules(facts, _mini_spec(step))
    facts.sources["mill-bulletin"] = dataclasses.replace(unsigned["mill-bulletin"], author="Ann Reed")
    assert "source-names" not in _rules(facts, _mini_spec(step))
    assert neutral_citation(None, "news-report", "Ann Reed") == ("Ann Reed’s news report", "")
    assert neutral_citation("Mill Bulletin", "news-report", "Ann Reed") == ("Mill Bulletin", "news-report")
    # the checker's English name is the one the app shows
    from quizzes.generation.scenarios import shown_source_name
    from quizzes.sources.names import neutral_source_name

    for args in (
        ("Mill Bulletin", "news-report", "Ann Reed"),
        (None, "news-report", "Ann Reed"),
        (None, "analysis", None),
        (None, "", None),
    ):
        assert shown_source_name(*args) == neutral_source_name(*args)
