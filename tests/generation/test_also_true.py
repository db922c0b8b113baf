"""A wrong option must not be true too (pure, no DB): the generator refuses such an item and the bank
linter's distractor-also-true rule flags one in a stored bank. Synthetic episodes, built here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from quizzes.generation.audit import audit_bank, check_also_true, supported_days
from quizzes.generation.drafts import OptionDraft, QuestionDraft
from quizzes.generation.facts import (
    AccountFact,
    ClaimFact,
    DisputeFact,
    EntityFact,
    EventFact,
    Evidence,
    Facts,
    FigureFact,
    ReportFact,
    SourceFact,
)
from quizzes.generation.questions import questions_generate

TEXT_1 = "More than 3,000 people were detained by 7 January. By 10 January nearly 8,000 people had been detained."
TEXT_2 = "About 10,000 people were detained, officials said."


def _ev(source: str, quote: str) -> Evidence:
    return Evidence(passage_id=None, source=source, quote=quote)


def _report(value: int, qualifier: str, source: str, quote: str, as_of: date | None = None) -> ReportFact:
    return ReportFact(
        value=Decimal(value), low=None, high=None, qualifier=qualifier, reported_by=None, as_of=as_of, evidence=(_ev(source, quote),)
    )


def _episode(*, second_figure_by_first_source: bool) -> Facts:
    """Two sources count the detained; the first gives two figures (at two moments) when asked to."""
    reports = [
        _report(3000, "more_than", "s1", "More than 3,000 people were detained by 7 January.", date(2022, 1, 7)),
        _report(10000, "about", "s2", TEXT_2),
    ]
    if second_figure_by_first_source:
        reports.append(_report(8000, "nearly", "s1", "By 10 January nearly 8,000 people had been detained.", date(2022, 1, 10)))
    sources = {
        "s1": SourceFact(slug="s1", label="One", outlet="The Daily One", author=None, published_on=date(2022, 1, 11), text=TEXT_1),
        "s2": SourceFact(slug="s2", label="Two", outlet="The Two Times", author=None, published_on=date(2022, 1, 12), text=TEXT_2),
    }
    figure = FigureFact(slug="detained", measure="people detained", unit="people", reports=tuple(reports), topics=("t",))
    return Facts(collection="synthetic", sources=sources, figures={"detained": figure})


def _disagree(drafts: list[QuestionDraft]) -> dict[str, QuestionDraft]:
    return {d.key: d for d in drafts if d.template == "disagree"}


def test_a_source_that_gives_two_figures_is_not_asked_which_one_it_gives():
    # Given one source's single figure against another's, both "what does X give?" items are made.
    plain = _disagree(questions_generate(_episode(second_figure_by_first_source=False)))
    assert set(plain) == {"disagree:figure/detained#0", "disagree:figure/detained#1"}
    # When the first source also gives "nearly 8,000" (a later count), asking it "what figure does the Daily One
    # give?" has two right answers (the stem names no moment): that item is refused, nothing else is.
    facts = _episode(second_figure_by_first_source=True)
    items = _disagree(questions_generate(facts))
    assert "disagree:figure/detained#0" not in items and "disagree:figure/detained#2" not in items
    assert set(items) == {"disagree:figure/detained#1"}
    # The second source's item may offer both of the first source's figures as wrong: its stem names its source.
    asked = items["disagree:figure/detained#1"]
    assert "The Two Times" in asked.stem
    assert audit_bank(list(items.values()), facts) == []


def _figure_item(options: list[tuple[str, bool]], key: str = "disagree:figure/detained#0") -> QuestionDraft:
    opts = [OptionDraft(id="abcd"[i], text=t, correct=c) for i, (t, c) in enumerate(options)]
    return QuestionDraft(
        key=key,
        template="disagree",
        qtype="sources_disagree",
        stem="The sources give more than one figure for the number of people detained. What figure does The Daily One give?",
        options=opts,
        answer={"correct": next(o.id for o in opts if o.correct)},
        explanation="The versions differ.",
        evidence=[_ev("s1", "More than 3,000 people were detained by 7 January.")],
        fact_ids=["figure:detained"],
        topics=["t"],
        difficulty=0.7,
    )


def test_the_linter_flags_a_figure_the_named_source_also_gives():
    facts = _episode(second_figure_by_first_source=True)
    also = _figure_item([("More than 3,000 people", True), ("Nearly 8,000 people", False), ("About 10,000 people", False)])
    assert [f.rule for f in check_also_true(also, facts)] == ["distractor-also-true"]
    # Another source's figure is no second answer: the stem names the source.
    clean = _figure_item([("More than 3,000 people", True), ("About 10,000 people", False), ("More than 4,000 people", False)])
    assert check_also_true(clean, facts) == []
    # ... unless an edit drops the source from the stem: then "about 10,000" is a right answer too.
    clean.stem = "The sources give more than one figure for the number of people detained. Which figure is right?"
    assert "names no source" in check_also_true(clean, facts)[0].detail


EVENT = EventFact(
    slug="curfew",
    title="A curfew is imposed",
    summary="",
    date=date(2022, 1, 5),
    precision="day",
    date_end=date(2022, 1, 6),
    evidence=(_ev("s1", "A curfew was imposed on 5 January and extended on 6 January."),),
)
OTHER = EventFact(
    slug="strike",
    title="Oil workers strike",
    summary="",
    date=date(2022, 1, 2),
    precision="day",
    evidence=(_ev("s1", "Oil workers struck on 2 January."),),
)
DISPUTE = DisputeFact(
    slug="strike-date",
    question="When did the strike begin?",
    accounts=(
        AccountFact(account="The second paper puts the start on 3 January.", evidence=(_ev("s2", "The strike began on 3 January."),)),
    ),
    events=("strike",),
)


def _date_item(
    options: list[tuple[str, bool]], event: str, qtype: str = "date", stem: str = "On what date did this happen?"
) -> QuestionDraft:
    opts = [OptionDraft(id="abcd"[i], text=t, correct=c) for i, (t, c) in enumerate(options)]
    return QuestionDraft(
        key=f"t:event/{event}",
        template="when" if qtype == "date" else "tf-date",
        qtype=qtype,
        stem=stem,
        options=opts,
        answer={"correct": next(o.id for o in opts if o.correct)},
        explanation="",
        evidence=[],
        fact_ids=[f"event:{event}"],
        topics=["t"],
        difficulty=0.5,
        fixed_order=True,
    )


def test_the_days_the_data_supports_for_an_event():
    facts = Facts(events={"curfew": EVENT, "strike": OTHER}, disputes={"strike-date": DISPUTE})
    assert supported_days(EVENT, facts) == {date(2022, 1, 5), date(2022, 1, 6)}  # its span (and its quote's days)
    assert supported_days(OTHER, facts) == {date(2022, 1, 2), date(2022, 1, 3)}  # its day, and a dispute's


def test_the_linter_flags_a_date_option_the_data_supports_too():
    facts = Facts(events={"curfew": EVENT, "strike": OTHER}, disputes={"strike-date": DISPUTE})
    days = ["1 January 2022", "2 January 2022", "3 January 2022", "4 January 2022"]
    disputed = _date_item([(d, d.startswith("2 ")) for d in days], "strike")
    assert [f.rule for f in check_also_true(disputed, facts)] == ["distractor-also-true"]
    spanned = _date_item(
        [(d, d.startswith("5 ")) for d in ["4 January 2022", "5 January 2022", "6 January 2022", "7 January 2022"]], "curfew"
    )
    assert "6 January 2022" in check_also_true(spanned, facts)[0].detail
    clean = _date_item(
        [(d, d.startswith("5 ")) for d in ["2 January 2022", "3 January 2022", "4 January 2022", "5 January 2022"]], "curfew"
    )
    assert check_also_true(clean, facts) == []
    # True/false keyed False on a day the data gives for the event: "False" is the wrong key.
    tf = "Is it true that this happened on 3 January 2022: “Oil workers strike”?"
    false_on_disputed_day = _date_item([("True", False), ("False", True)], "strike", qtype="true_false", stem=tf)
    assert [f.rule for f in check_also_true(false_on_disputed_day, facts)] == ["distractor-also-true"]
    tf_other = tf.replace("3 January", "4 January")
    assert check_also_true(_date_item([("True", False), ("False", True)], "strike", qtype="true_false", stem=tf_other), facts) == []


def test_the_linter_flags_an_option_true_whenever_another_is():
    facts = Facts()
    both = _date_item([("The army", True), ("The police", False), ("Both of them", False)], "x", qtype="single", stem="Who did it?")
    assert [f.rule for f in check_also_true(both, facts)] == ["distractor-also-true"]
    fine = _date_item([("The army", True), ("The police", False), ("Neither", False)], "x", qtype="single", stem="Who did it?")
    assert check_also_true(fine, facts) == []


def test_the_linter_flags_a_matching_date_the_data_supports_for_another_pair():
    facts = Facts(events={"curfew": EVENT, "strike": OTHER}, disputes={"strike-date": DISPUTE})
    options = [
        OptionDraft(id="p1", text=EVENT.title, side="prompt"),
        OptionDraft(id="p2", text=OTHER.title, side="prompt"),
        OptionDraft(id="c1", text="2 January 2022", side="choice"),
        OptionDraft(id="c2", text="3 January 2022", side="choice"),
        OptionDraft(id="c3", text="5 January 2022", side="choice"),
    ]
    item = QuestionDraft(
        key="match-date:x",
        template="match-date",
        qtype="matching",
        stem="Match each event to the date the sources give for it:",
        options=options,
        answer={"pairs": {"p1": "c3", "p2": "c1"}},
        explanation="",
        evidence=[],
        fact_ids=["event:curfew", "event:strike"],
        topics=["t"],
        difficulty=0.5,
        fixed_order=True,
    )
    found = check_also_true(item, facts)
    assert [f.rule for f in found] == ["distractor-also-true"] and "3 January 2022" in found[0].detail


def _claims_episode(*, own_voice: bool) -> Facts:
    """A mill town: one event two papers state in their own words, and two owners' claims; the second paper
    states the second claim in its own voice when asked to."""
    closed_1 = "The mill closed its gates to the weavers on Monday."
    closed_2 = "On Monday the mill closed its gates to the weavers."
    hired = "The owners hired strike-breakers from the city." if own_voice else "The owners hired strike-breakers, the union said."
    text_1 = f"{closed_1} The owners said outsiders had stirred up the weavers. The owners said the union had broken the contract."
    text_2 = f"{closed_2} {hired}"
    sources = {
        "s1": SourceFact(slug="s1", label="One", outlet="The Daily One", author=None, published_on=date(1920, 3, 9), text=text_1),
        "s2": SourceFact(slug="s2", label="Two", outlet="The Two Times", author=None, published_on=date(1920, 3, 9), text=text_2),
    }
    event = EventFact(
        slug="mill-closed",
        title="The mill closes its gates",
        summary="",
        date=date(1920, 3, 8),
        precision="day",
        statement="The mill closed its gates to the weavers.",
        evidence=(_ev("s1", closed_1), _ev("s2", closed_2)),
    )
    owners = EntityFact(slug="owners", name="the mill owners", kind="group")

    def claim(slug: str, neutral: str, quote: str, source: str) -> ClaimFact:
        return ClaimFact(
            slug=slug, claimant="owners", statement=neutral, neutral=neutral, neutral_kind="proposition", evidence=(_ev(source, quote),)
        )

    claims = {
        "outsiders": claim("outsiders", "Outsiders stirred up the weavers", "The owners said outsiders had stirred up the weavers.", "s1"),
        "strike-breakers": claim("strike-breakers", "The owners hired strike-breakers from the city", hired, "s2"),
    }
    return Facts(collection="mill", sources=sources, entities={"owners": owners}, events={"mill-closed": event}, claims=claims)


def test_a_claim_a_source_states_in_its_own_voice_is_not_keyed_a_claim():
    # Given claims every source attributes, both are asked as "a claim".
    asked = {d.key for d in questions_generate(_claims_episode(own_voice=False)) if d.template == "fact-or-claim"}
    assert {"fact-or-claim:claim/outsiders", "fact-or-claim:claim/strike-breakers"} <= asked
    # When the second paper says it in its own words, "an established fact" is defensible too: no such item.
    facts = _claims_episode(own_voice=True)
    drafts = [d for d in questions_generate(facts) if d.template == "fact-or-claim"]
    assert "fact-or-claim:claim/strike-breakers" not in {d.key for d in drafts}
    assert "fact-or-claim:claim/outsiders" in {d.key for d in drafts}
    # The linter flags such an item in a stored bank (as generated before the data changed).
    stale = next(d for d in questions_generate(_claims_episode(own_voice=False)) if d.key == "fact-or-claim:claim/strike-breakers")
    found = check_also_true(stale, facts)
    assert [f.rule for f in found] == ["distractor-also-true"] and "s2 states it in its own voice" in found[0].detail
    assert check_also_true(stale, _claims_episode(own_voice=False)) == []


def test_fact_or_claim_asks_a_checkable_proposition_never_a_characterisation():
    """A label ("the strike is a plot") can only be someone's characterisation: its wording gives the key
    "claim" away (blind review r10). The curator marks it `neutral_kind: characterisation`, and the
    template asks only claims marked "proposition" (the dataset schema requires the mark with `neutral`)."""
    from dataclasses import replace

    facts = _claims_episode(own_voice=False)
    label = replace(facts.claims["outsiders"], neutral="The strike is a plot against the town", neutral_kind="characterisation")
    unmarked = replace(facts.claims["strike-breakers"], neutral_kind="")
    facts.claims = {"outsiders": label, "strike-breakers": unmarked}
    asked = {d.key for d in questions_generate(facts) if d.template == "fact-or-claim"}
    assert not {k for k in asked if k.startswith("fact-or-claim:claim/")}
    facts.claims["strike-breakers"] = replace(unmarked, neutral_kind="proposition")
    asked = {d.key for d in questions_generate(facts) if d.template == "fact-or-claim"}
    assert "fact-or-claim:claim/strike-breakers" in asked and "fact-or-claim:claim/outsiders" not in asked
