"""The bank linter's rules fire on the flaws they name, and stay quiet on clean items (pure, no DB)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from quizzes.generation.audit import audit_bank, audit_quiz, check_item, check_key_position, check_key_rotation, number_in
from quizzes.generation.drafts import OptionDraft, QuestionDraft
from quizzes.generation.facts import EntityFact, EventFact, Evidence, Facts
from quizzes.generation.thinking import CLAIM, FACT

EV = Evidence(None, "s1", "Protests began on January 2 in Zhanaozen; 33 police cars burned.")


def draft(stem="Which of these is right?", options=None, qtype="single", key="t:x", template="t", **kw) -> QuestionDraft:
    options = options or [OptionDraft("a", "Alpha", True), OptionDraft("b", "Beta"), OptionDraft("c", "Gamma")]
    correct = [o.id for o in options if o.correct]
    fields = dict(answer={"correct": correct[0]} if correct else {}, explanation="Because.", evidence=[EV], fact_ids=[key])
    fields.update(kw)
    return QuestionDraft(key=key, template=template, qtype=qtype, stem=stem, options=options, topics=["t"], difficulty=0.5, **fields)


def rules(findings) -> set[str]:
    return {f.rule for f in findings}


def test_a_clean_item_has_no_finding():
    assert check_item(draft()) == []


def test_key_position_balance():
    biased = [draft(key=f"t:{i}") for i in range(12)]  # key always at a
    assert rules(check_key_position(biased)) == {"key-position"}
    balanced = []
    for i in range(12):
        opts = [OptionDraft(x, f"O{x}", x == "abc"[i % 3]) for x in "abc"]
        balanced.append(draft(key=f"t:{i}", options=opts))
    assert check_key_position(balanced) == []


def test_stem_key_overlap_and_key_in_stem():
    opts = [OptionDraft("a", "The fuel price doubled", True), OptionDraft("b", "Troops arrived"), OptionDraft("c", "A curfew began")]
    assert "stem-key-overlap" in rules(check_item(draft("What followed the fuel rise?", opts)))
    opts = [OptionDraft("a", "Almaty", True), OptionDraft("b", "Aktau"), OptionDraft("c", "Atyrau")]
    assert "stem-key-overlap" in rules(check_item(draft("Where, in Almaty, did it happen?", opts)))


def test_distractor_kind_and_pronoun():
    facts = Facts(
        entities={
            "p": EntityFact("p", "Alpha", "person"),
            "q": EntityFact("q", "Beta", "person"),
            "o": EntityFact("o", "Gamma", "organisation"),
        }
    )
    found = rules(check_item(draft("Who said that his country would win?", evidence=[Evidence(None, "s", "Alpha said")]), facts))
    assert {"distractor-kind", "pronoun-gender"} <= found


def test_evidence_must_show_number_and_date():
    numeric = draft("According to Meduza, how many police cars burned?", [], qtype="numeric", answer={"value": 34, "unit": "police cars"})
    assert "evidence-support" in rules(check_item(numeric))
    numeric.answer["value"] = 33
    assert check_item(numeric) == []
    opts = [OptionDraft("a", "2 January 2022", True), OptionDraft("b", "3 January 2022"), OptionDraft("c", "4 January 2022")]
    assert check_item(draft("On what date did protests begin?", opts, qtype="date")) == []
    opts[0].correct, opts[1].correct = False, True
    assert "evidence-support" in rules(check_item(draft("On what date did protests begin?", opts, qtype="date", answer={"correct": "b"})))


def test_number_words():
    assert number_in(Decimal(150), "one hundred fifty Kyrgyz")
    assert number_in(Decimal(1800000), "a population of 1.8 million")
    assert not number_in(Decimal(12), "more than 120 stores")


def test_contested_date_asked_as_one_day():
    facts = Facts(events={"e": EventFact("e", "Prices cut", "s", date(2022, 1, 4), "day", date(2022, 1, 6))})
    opts = [OptionDraft("a", "4 January 2022", True), OptionDraft("b", "8 January 2022"), OptionDraft("c", "9 January 2022")]
    d = draft("When were prices cut?", opts, qtype="date", fact_ids=["event:e"], evidence=[Evidence(None, "s", "on January 4 prices")])
    assert "contested-as-fact" in rules(check_item(d, facts))


def test_grammar_and_generator_working():
    found = check_item(draft("According to russian officials, at least 1 demonstrators died (in times (doubled = 2))?"))
    details = " ".join(f.detail for f in found)
    assert "lower-case proper adjective" in details and "plural after 1" in details
    assert "generator-working" in rules(found)
    assert "grammar" in rules(check_item(draft("Who is a elder of the city?")))
    assert check_item(draft("Who is an elder of “the russian city”?")) == []  # a source's own words stand


def test_attributed_twice_and_duplicates():
    assert "attributed-twice" in rules(check_item(draft("According to A, according to B, what?")))
    assert "duplicate" in rules(audit_bank([draft(key="t:1"), draft(key="t:2", fact_ids=["t:1"])]))


def test_quiz_conflicts():
    a = draft(
        "Which city saw the worst violence?", [OptionDraft("a", "Almaty", True), OptionDraft("b", "Aktau")], key="a", fact_ids=["event:x"]
    )
    b = draft("What happened in Almaty on 5 January?", key="b", fact_ids=["event:y"])
    c = draft("Which of these is right?", key="c", fact_ids=["event:x"])
    assert rules(audit_quiz([a, b])) == {"quiz-giveaway"}
    assert rules(audit_quiz([a, c])) == {"quiz-same-fact"}
    assert audit_quiz([b, c]) == []


def test_key_rotation_in_bank_order():
    rotating = [draft(key=f"t:{i:02}", options=[OptionDraft(x, f"O{x}", x == "abcd"[i % 4]) for x in "abcd"]) for i in range(12)]
    assert rules(check_key_rotation(rotating)) == {"key-rotation"}
    alternating = [
        draft(key=f"t:{i:02}", qtype="true_false", options=[OptionDraft("a", "True", i % 2 == 0), OptionDraft("b", "False", i % 2 == 1)])
        for i in range(6)
    ]
    assert rules(check_key_rotation(alternating)) == {"key-rotation"}
    shuffled = [draft(key=f"t:{i:02}", options=[OptionDraft(x, f"O{x}", x == p) for x in "abcd"]) for i, p in enumerate("acbdcbdab")]
    assert check_key_rotation(shuffled) == []


def test_figures_differ_needs_two_wrong_reasons():
    one_wrong = [OptionDraft("a", "Counted at different times", True), OptionDraft("b", "They count in different units")]
    assert "too-few-distractors" in rules(
        check_item(draft("Why might they differ? Select all that apply:", one_wrong, "multi", template="figures-differ"))
    )
    two_wrong = [*one_wrong, OptionDraft("c", "Counted by different bodies")]
    assert "too-few-distractors" not in rules(
        check_item(draft("Why might they differ? Select all that apply:", two_wrong, "multi", template="figures-differ"))
    )


def test_fact_or_claim_background_and_quote_support():
    fact = [OptionDraft("a", FACT, True, evidence=(EV,)), OptionDraft("b", CLAIM)]
    stem = "Do the sources present this as an established fact or as one party’s claim: “Protests began in Zhanaozen”?"
    clean = draft(stem, fact, template="fact-or-claim", fact_ids=["event:x"])
    assert check_item(clean) == []
    background = draft(stem, fact, template="fact-or-claim", fact_ids=["event:x"])
    background.topics = ["background"]
    assert rules(check_item(background)) == {"background-item"}
    off = Evidence(None, "s2", "The protests have broadened to include other political grievances.")
    cited = [OptionDraft("a", FACT, True, evidence=(off,)), OptionDraft("b", CLAIM)]
    stem2 = "Do the sources present this as an established fact or as one party’s claim: “Protests spread across the country”?"
    assert "evidence-support" in rules(check_item(draft(stem2, cited, template="fact-or-claim", fact_ids=["event:y"])))


def test_source_kind_stem_must_not_name_the_producer():
    opts = [OptionDraft("a", "A think-tank paper", True), OptionDraft("b", "A live report"), OptionDraft("c", "A news report")]
    named = draft("What kind of source is the article from the Institute for East Strategic Studies?", opts, template="source-kind")
    assert rules(check_item(named)) == {"kind-in-stem"}
    assert check_item(draft("What kind of source is the text titled “What is behind the unrest?”?", opts, template="source-kind")) == []


def test_number_bare_lower_bound_and_one_quantity():
    q = Evidence(None, "s1", "At least one journalist was killed; salary is 450 pounds, about 600 dollars.")
    one = draft(
        "What figure does X give for the number of journalists killed?",
        [],
        "numeric",
        evidence=[q],
        answer={"value": 1.0, "qualifier": "at_least", "unit": "journalists"},
    )
    assert "bare-lower-bound" in rules(check_item(one))
    pounds = draft(
        "What figure does X give for the salary, in British pounds?",
        [],
        "numeric",
        key="n:p",
        evidence=[q],
        answer={"value": 450.0, "qualifier": "exact", "unit": "pounds"},
    )
    dollars = draft(
        "What figure does X give for the salary, in US dollars?",
        [],
        "numeric",
        key="n:d",
        evidence=[q],
        answer={"value": 600.0, "qualifier": "about", "unit": "dollars"},
    )
    assert [f.key for f in audit_bank([pounds, dollars]) if f.rule == "one-quantity"] == ["n:p"]
    assert [f for f in audit_bank([pounds]) if f.rule == "one-quantity"] == []


def test_quiz_conflict_when_feedback_gives_another_key():
    number = draft(
        "What figure does X give for the number of civilians attacked?",
        [],
        "numeric",
        key="n",
        fact_ids=["figure:a"],
        answer={"value": 500.0, "qualifier": "exact", "unit": "civilians"},
    )
    claim = draft(
        "Fact or claim: “Extremists attacked civilians”?", key="c", fact_ids=["claim:b"], explanation="A claim: 500 civilians attacked."
    )
    assert rules(audit_quiz([number, claim])) == {"quiz-giveaway"}
    quiet = draft("Fact or claim: “Extremists attacked civilians”?", key="c", fact_ids=["claim:b"], explanation="A claim of 1 speaker.")
    assert audit_quiz([number, quiet]) == []
