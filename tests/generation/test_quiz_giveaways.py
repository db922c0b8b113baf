"""Items in one quiz, or in a module's later quizzes, never give away each other's keys through what a
learner reads: stems, feedback and the evidence quotes feedback shows (pure, synthetic items, no DB)."""

from __future__ import annotations

from quizzes.generation.audit import audit_module, audit_quiz, later_conflict, quiz_conflict
from quizzes.generation.drafts import OptionDraft, QuestionDraft
from quizzes.generation.facts import Evidence

MARCH = Evidence(passage_id=None, source="paper", quote="On 10 March nearly four hundred weavers marched to the town hall.")
WAGES = Evidence(passage_id=None, source="paper", quote="The mill cut wages on 3 March.")
STRIKE = Evidence(passage_id=None, source="paper", quote="The weavers walked out on 4 March.")


def _item(key: str, qtype: str, stem: str, fact: str, evidence: list[Evidence], **kw) -> QuestionDraft:
    options = kw.pop("options", [])
    answer = kw.pop("answer", {"correct": next((o.id for o in options if o.correct), "a")})
    return QuestionDraft(
        key=key,
        template=key.split(":")[0],
        qtype=qtype,
        stem=stem,
        options=options,
        answer=answer,
        explanation=kw.pop("explanation", "See the quote."),
        evidence=evidence,
        fact_ids=[fact],
        topics=["t"],
        difficulty=0.5,
        **kw,
    )


def _when(event: str, key_day: str, evidence: Evidence) -> QuestionDraft:
    days = (
        ["9 March 1920", "10 March 1920", "11 March 1920", "12 March 1920"]
        if "10" in key_day
        else ["2 March 1920", "3 March 1920", "4 March 1920", "5 March 1920"]
    )
    options = [OptionDraft(id="abcd"[i], text=d, correct=d == key_day) for i, d in enumerate(days)]
    return _item(f"when:event/{event}", "date", f"On what date did this happen: “{event}”?", f"event:{event}", [evidence], options=options)


MARCHERS = _item(
    "number:figure/marchers",
    "numeric",
    "What figure does the paper give for the number of weavers who marched?",
    "figure:marchers",
    [MARCH],
    answer={"value": 400.0, "qualifier": "nearly", "unit": "weavers", "tolerance": 20},
)


def test_a_quote_in_one_items_feedback_that_proves_anothers_key_keeps_them_apart():
    # The number item's feedback quotes the sentence that dates the march: the date item is answered by it.
    march_date = _when("The weavers march to the town hall", "10 March 1920", MARCH)
    why = quiz_conflict(MARCHERS, march_date)
    assert "quotes what proves the key" in why
    assert {f.rule for f in audit_quiz([MARCHERS, march_date])} == {"quiz-giveaway"}
    # An item proved by another quote is no conflict.
    assert quiz_conflict(MARCHERS, _when("The mill cuts wages", "3 March 1920", WAGES)) == ""


def test_a_figure_written_in_words_gives_a_typed_key_away():
    # "nearly four hundred" in a quote gives the typed answer 400, though no digit is shown.
    telling = _when(
        "The weavers walk out", "4 March 1920", Evidence(passage_id=None, source="other", quote=MARCH.quote.replace("On 10 March n", "N"))
    )
    assert "shows the figure 400" in quiz_conflict(telling, MARCHERS)
    # A small number ("two") is in too many sentences to count.
    small = _item(
        "number:figure/mills", "numeric", "How many mills closed?", "figure:mills", [WAGES], answer={"value": 2.0, "unit": "mills"}
    )
    two = _when(
        "The weavers walk out", "4 March 1920", Evidence(passage_id=None, source="x", quote="Two days later the weavers walked out.")
    )
    assert quiz_conflict(two, small) == ""


def test_a_later_quiz_of_a_module_keeps_clear_of_what_an_earlier_one_gave_away():
    march_date = _when("The weavers march to the town hall", "10 March 1920", MARCH)
    strike_date = _when("The weavers walk out", "4 March 1920", STRIKE)
    strike_date.explanation = "They walked out on 4 March 1920; the march followed on 10 March 1920."
    wages_date = _when("The mill cuts wages", "3 March 1920", WAGES)
    # The earlier quiz's feedback gives the march's date: a later quiz may not ask it, nor ask the same fact again.
    assert later_conflict(strike_date, march_date)
    assert later_conflict(strike_date, strike_date).startswith("same fact")
    assert later_conflict(strike_date, wages_date) == ""
    # The other way round gives nothing away: the strike was answered before the march item was shown.
    assert later_conflict(march_date, strike_date) == ""
    findings = audit_module([[strike_date], [march_date, wages_date]], module="m")
    assert [(f.rule, f.key) for f in findings] == [("quiz-giveaway", "m:when:event/The weavers march to the town hall")]
    assert audit_module([[march_date], [strike_date, wages_date]]) == []


def test_no_item_of_a_bank_prints_another_items_key_in_its_stem():
    """A bank served for practice has no order: an item whose stem or statement prints another item's
    figure, year or date gives that key away (blind review r10). The audit finds it, and the generator
    leaves the item whose key is printed out of the bank."""
    from quizzes.generation.audit import audit_bank, bank_giveaways
    from quizzes.generation.facts import Facts
    from quizzes.generation.questions import bank_rules_apply

    year = _item(
        "when:event/mill-burns",
        "date",
        "In what year did this happen: “The mill burns”?",
        "event:mill-burns",
        [Evidence(passage_id=None, source="paper", quote="In 1911 the mill burned.")],
        options=[OptionDraft(id="abcd"[i], text=y, correct=y == "1911") for i, y in enumerate(["1909", "1910", "1911", "1912"])],
    )
    telling_year = _item(
        "number:figure/mill-dead",
        "numeric",
        "What figure does the paper give for the number of people who died when the mill burned in 1911?",
        "figure:mill-dead",
        [Evidence(passage_id=None, source="paper", quote="Twelve people died in the fire.")],
        answer={"value": 12.0, "unit": "people"},
    )
    telling_figure = _item(
        "fact-or-claim:claim/four-hundred",
        "single",
        "Do the sources present this as an established fact or as one party’s claim: “Nearly 400 weavers marched”?",
        "claim:four-hundred",
        [MARCH],
        options=[OptionDraft(id="a", text="A claim", correct=True), OptionDraft(id="b", text="An established fact")],
    )
    bank = [MARCHERS, telling_figure, year, telling_year]
    assert set(bank_giveaways(bank)) == {MARCHERS.key, year.key}
    found = [f for f in audit_bank(bank) if f.rule == "bank-giveaway"]
    assert sorted(f.key for f in found) == sorted([MARCHERS.key, year.key])
    kept = {d.key for d in bank_rules_apply(list(bank), Facts())}
    assert MARCHERS.key not in kept and year.key not in kept
    assert {telling_figure.key, telling_year.key} <= kept
    # A date or figure shown only among another item's options is a candidate, not an assertion;
    # nor do two items on one fact count (they never share a quiz).
    assert bank_giveaways([MARCHERS, _when("The weavers march", "10 March 1920", MARCH)]) == {}


def _kind_item(source: str, key_kind: str, other_kinds: list[str]) -> QuestionDraft:
    from quizzes.generation.audit import SOURCE_KIND_LABELS

    kinds = [key_kind, *other_kinds]
    options = [OptionDraft(id="abc"[i], text=SOURCE_KIND_LABELS[k], correct=k == key_kind, explanation="No.") for i, k in enumerate(kinds)]
    quote = Evidence(passage_id=None, source=source, quote="Updates: the strike goes on.")
    return _item(
        f"source-kind:source/{source}",
        "single",
        "What kind of source is the text beginning “The weavers…”?",
        f"source:{source}",
        [quote],
        options=options,
    )


def test_where_the_bank_asks_a_sources_kind_no_other_item_names_that_kind():
    """Any text a learner reads of another item, its feedback too ("the Courier's figure comes from its live
    report", blind review r11), answers a source-kind item: the audit finds it (bank-giveaway) and the generator
    leaves the kind item out. Other kinds, and another source-kind item's options and feedback, do not count."""
    from quizzes.generation.audit import audit_bank, bank_giveaways
    from quizzes.generation.facts import Facts
    from quizzes.generation.questions import bank_rules_apply

    asked = _kind_item("courier", "live-report", ["news-report", "analysis"])
    other_kind = _kind_item("gazette", "news-report", ["live-report", "analysis"])  # its options name 'live report'
    number = _item(
        "number:figure/strikers",
        "numeric",
        "What figure does the Courier give for the number of strikers?",
        "figure:strikers",
        [STRIKE],
        answer={"value": 300.0, "unit": "weavers"},
        explanation="The Courier's 300 comes from its Live-Report of 4 March; an analysis gives none (no kind item asks 'analysis').",
    )
    assert bank_giveaways([asked, other_kind]) == {}
    assert bank_giveaways([asked, other_kind, number]) == {
        asked.key: f"the explanation of {number.key} names the kind 'Live-Report' that {asked.key} asks"
    }
    assert [f.key for f in audit_bank([asked, other_kind, number]) if f.rule == "bank-giveaway"] == [asked.key]
    kept = {d.key for d in bank_rules_apply([asked, other_kind, number], Facts())}
    assert asked.key not in kept and number.key in kept
