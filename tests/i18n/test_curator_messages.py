"""Messages of ours for curators and API clients said by pure code (quizzes.said): the question admin's
answer-key problems and the API's invalid-response messages, shown in Kazakh and Russian with no
English sentence of ours left, their codes and English unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation

from quizzes.i18n import translated
from quizzes.scoring import InvalidResponse, key_problems, response_validate
from tests.factories import UserFactory, quiz_with_questions
from tests.i18n.test_languages import english_sentences, visible_text

BROKEN = {
    # (options, answer) edits a curator can make, and the start of each problem in Russian and Kazakh
    "key not an option": (
        None,
        {"correct": "z"},
        "в ключе 'correct' должен быть один идентификатор варианта из",
        "кілттегі 'correct' мәні",
    ),
    "key a list": (None, {"correct": ["b"]}, "в ключе 'correct' должен быть один идентификатор", "кілттегі 'correct' мәні"),
    "option without text": ([{"id": "a"}], None, "у каждого варианта должны быть 'id' (текстом) и 'text'", "әр нұсқада 'id' (мәтін)"),
    "ids twice": (
        [{"id": "a", "text": "A"}, {"id": "a", "text": "B"}],
        None,
        "идентификаторы вариантов не должны повторяться",
        "нұсқалардың идентификаторлары қайталанбауы керек",
    ),
}


def _form(question, *, options=None, answer=None) -> dict:
    return {
        "status": question.status,
        "stem": question.stem,
        "explanation": question.explanation,
        "difficulty": question.difficulty,
        "topics": [t.pk for t in question.topics.all()],
        "options": json.dumps(options if options is not None else question.options),
        "answer": json.dumps(answer if answer is not None else question.answer),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_the_question_admin_says_a_broken_keys_problem_in_the_curators_language(lang, case):
    options, answer, ru, kk = BROKEN[case]
    question = quiz_with_questions(1).items.get().question
    curator = get_user_model().objects.create_superuser(f"curator_{lang}", "c@example.org", "pw-for-test-1")
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(curator)
    page = client.post(reverse("admin:quizzes_question_change", args=[question.pk]), _form(question, options=options, answer=answer))
    assert page.status_code == 200 and f'lang="{lang}"' in page.text  # refused, not saved
    shown = visible_text(page.text).replace("&#x27;", "'")
    assert (ru if lang == "ru" else kk) in shown
    # No English sentence of ours on the page once the content (stem, options, explanation) is cut out
    for piece in sorted([question.stem, question.explanation, *(o["text"] for o in question.options)], key=len, reverse=True):
        shown = shown.replace(" ".join(piece.split()), " ")
    left = [s for s in english_sentences() if s in shown]
    assert not left, left
    question.refresh_from_db()
    assert question.answer == {"correct": "b"}


def test_every_key_problem_and_response_refusal_reads_in_russian_and_kazakh_and_keeps_its_english():
    """Each problem the registry can name: English as before (code and logs read it), translated where shown."""
    choices = [{"id": i, "text": i.upper()} for i in "abcd"]
    match = [{"id": "p1", "text": "P", "side": "prompt"}, {"id": "c1", "text": "C", "side": "choice"}]
    problems = [
        *key_problems("single", choices[:1], {"correct": "a"}),
        *key_problems("single", choices, {"correct": "z"}),
        *key_problems("multi", choices, {"correct": []}),
        *key_problems("multi", choices, {"correct": ["a", "a"]}),
        *key_problems("matching", choices, {"pairs": {}}),
        *key_problems("matching", match, {"pairs": {"p1": "x"}}),
        *key_problems("numeric", [], {"value": "many"}),
        *key_problems("numeric", [], {"value": 3, "tolerance": -1}),
        *key_problems("ordering", choices, {"order": ["a"]}),
        *key_problems("single", "not a list", {}),
        *key_problems("single", choices, []),
        *key_problems("essay", choices, {}),
    ]
    refusals = []
    for qtype, options, response in [
        ("single", choices, {"choice": "z"}),
        ("multi", choices, {"choices": "a"}),
        ("multi", choices, {"choices": ["a", "a"]}),
        ("numeric", [], {"value": "x"}),
        ("ordering", choices, {"order": []}),
        ("matching", match, {"pairs": {}}),
        ("single", choices, ["a"]),
        ("essay", choices, {}),
    ]:
        with pytest.raises(InvalidResponse) as refused:
            response_validate(qtype, options, response)
        refusals.append(refused.value.args[0])
    said = problems + refusals
    assert len(said) == 20
    assert "answer 'correct' must be one option id of ['a', 'b', 'c', 'd']" in said  # the English is what it was
    english = [str(s) for s in said]
    for lang in ("kk", "ru"):
        with translation.override(lang):
            shown = [translated(s) for s in said]
        assert all(a != b for a, b in zip(shown, english, strict=True)), [b for a, b in zip(shown, english, strict=True) if a == b]
        assert "['a', 'b', 'c', 'd']" in shown[1] and "'essay'" in shown[11]  # the values are kept


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lang, message",
    [("ru", "значение 'choice' должно быть одним из ['a', 'b', 'c']"), ("kk", "'choice' мәні ['a', 'b', 'c'] ішіндегі біреуі болуы керек")],
)
def test_an_invalid_response_is_refused_in_the_learners_language_with_its_code(lang, message):
    from quizzes.progress.services import attempt_start

    quiz, student = quiz_with_questions(1), UserFactory()
    attempt = attempt_start(user=student, quiz=quiz)
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(student)
    reply = client.post(
        f"/api/v1/attempts/{attempt.pk}/answer/", {"position": 1, "response": {"choice": "z"}}, content_type="application/json"
    )
    assert reply.status_code == 400
    assert reply.json()["error"] == {"code": "invalid_response", "message": message}


# --- the scenario rules (quizzes.generation.scenarios) and the generator's notes ------------------


SEEDS = Path(__file__).resolve().parents[2] / "seeds" / "kazakhstan-2022"


def _broken_paths():
    """Counter-examples made from the real episode's paths: one per family of rule, several messages each."""
    import dataclasses

    from quizzes.dataset.reader import dataset_read, scenario_specs
    from quizzes.generation.from_dataset import facts_from_dataset

    dataset = dataset_read(SEEDS)
    facts, specs = facts_from_dataset(dataset), {s.slug: s for s in scenario_specs(dataset)}

    def with_step(spec, key, **changes):
        return dataclasses.replace(spec, steps=tuple(dataclasses.replace(s, **changes) if s.key == key else s for s in spec.steps))

    def step(spec, key):
        return next(s for s in spec.steps if s.key == key)

    def options(st, oid, **changes):
        return tuple(dataclasses.replace(o, **changes) if o.id == oid else o for o in st.options)

    fuel, csto = specs["fuel-to-emergency"], specs["csto-intervention"]
    react, appeal = step(fuel, "people-react"), step(fuel, "appeal-abroad")
    broken = [
        with_step(fuel, "people-react", options=options(react, "protests", kind="later")),  # shape
        with_step(fuel, "people-react", options=options(react, "largest-city", events=("no-such-event",))),  # unknown-ref
        with_step(fuel, "appeal-abroad", options=options(appeal, "internet", events=("massimov-dismissed",))),  # dating
        with_step(fuel, "appeal-abroad", also_known=("csto-deployment-announced",)),  # dating (briefing)
        with_step(csto, "alliance-decides", kind="next"),  # contested-order
        dataclasses.replace(csto, start=()),  # briefing
        with_step(fuel, "people-react", prompt=react.prompt.rstrip("?") + "."),  # shape, prompt
    ]
    return facts, broken


def test_every_scenario_rule_problem_reads_in_russian_and_kazakh():
    from quizzes.generation.scenarios import scenario_check

    facts, broken = _broken_paths()
    problems = [p for spec in broken for p in scenario_check(facts, spec)]
    rules = {p.rule for p in problems}
    assert {"shape", "unknown-ref", "dating", "contested-order", "briefing"} <= rules, rules
    sentences = english_sentences()
    for p in problems:
        assert str(p).startswith(f"[{p.rule}] {p.scenario} ")  # the English, as the loader and logs read it
        for lang, where in (("ru", "шаг "), ("kk", " қадамы")):
            with translation.override(lang):
                shown = translated(p.said())
            assert shown.startswith(f"[{p.rule}] {p.scenario} ") and (where in shown or "(сценарий)" in shown), shown
            left = [s for s in sentences if s in shown]
            assert not left, (lang, shown, left)


def test_every_scenario_rule_message_is_marked_for_translation():
    """A rule's message written as a plain or f-string would stay English: each one goes through quizzes.said."""
    import ast

    import quizzes.generation.scenarios as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    unmarked = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("bad", "Problem"):
            message = node.args[-1] if node.args else None
            if isinstance(message, ast.Name):
                continue  # the helper's own parameter passed on (bad -> Problem)
            if not (isinstance(message, ast.Call) and isinstance(message.func, ast.Name) and message.func.id in ("_", "ngettext")):
                unmarked.append(ast.unparse(node)[:100])
    assert not unmarked, unmarked


@pytest.mark.django_db
@pytest.mark.parametrize("lang, said", [("ru", "шаг "), ("kk", " қадамы")])
def test_the_scenario_admin_reports_a_broken_rule_in_the_curators_language(seeds_with_scenarios, lang, said):
    from quizzes.models import Scenario, ScenarioStep

    scenario = Scenario.objects.get(slug="fuel-to-emergency")
    step = scenario.steps.get(position=1)
    options = [dict(o) for o in step.options]
    next(o for o in options if o["id"] != step.correct)["text"] = "People waited for the CSTO to send troops"
    ScenarioStep.objects.filter(pk=step.pk).update(options=options)
    curator = get_user_model().objects.create_superuser(f"curator_{lang}", "c@example.org", "pw-for-test-1")
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(curator)
    page = client.post(
        reverse("admin:quizzes_scenario_changelist"), {"action": "check_rules", "_selected_action": [scenario.pk]}, follow=True
    )
    shown = " | ".join(str(m) for m in page.context["messages"])
    assert f"[unintroduced] fuel-to-emergency{' шаг ' if lang == 'ru' else ' '}{step.key}" in shown, shown
    assert said in shown and "Collective Security Treaty" in shown  # the names are content: they stay as written
    assert not [s for s in english_sentences() if s in shown], shown


def test_the_generators_notes_read_in_each_language():
    """Per template, what the data lack (quizzes.generation.bank.NEEDS): English in code, translated where shown."""
    from quizzes.generation.bank import NEEDS, TemplateOutcome
    from quizzes.generation.facts import Facts

    empty = Facts()
    lines = [TemplateOutcome(name.removeprefix("t_"), skipped=need(empty)).line() for name, need in NEEDS.items()]
    lines.append(TemplateOutcome("when", error="KeyError: 'x'").line())
    assert str(TemplateOutcome("when", made=9).line()) == "when: 9"  # a count is no sentence: the same in every language
    assert str(lines[0]).startswith("when: 0, skipped: needs an event dated")
    sentences = english_sentences()
    for lang in ("ru", "kk"):
        with translation.override(lang):
            shown = [translated(line) for line in lines]
        assert not [s for line in shown for s in sentences if s in line], shown
        assert all(a != str(b) for a, b in zip(shown, lines, strict=True))


# --- the item-writing audit (quizzes.generation.audit, audit_bank's findings) ----------------------


def test_every_audit_finding_is_marked_for_translation():
    """A finding's detail written as a plain or f-string would stay English in `audit_bank --language ru`."""
    import ast

    import quizzes.generation.audit as module

    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    marked = ("_", "ngettext", "joined")
    unmarked = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("flag", "Finding"):
            detail = node.args[-1] if node.args else None
            if isinstance(detail, ast.Name):
                continue  # a variable holding a marked message (the helper's parameter, `how`)
            calls = [detail.body, detail.orelse] if isinstance(detail, ast.IfExp) else [detail]
            if not all(isinstance(c, ast.Call) and isinstance(c.func, ast.Name) and c.func.id in marked for c in calls):
                unmarked.append(ast.unparse(node)[:100])
    assert not unmarked, unmarked


def test_audit_findings_read_in_russian_and_kazakh():
    from quizzes.generation.audit import audit_quiz, check_item, check_key_position, check_matching
    from quizzes.generation.drafts import OptionDraft, QuestionDraft

    def draft(stem, options, key="t:x", qtype="single", answer=None, **kw):
        correct = [o.id for o in options if o.correct]
        fields = {"answer": answer or {"correct": correct[0]}, "explanation": "because.", "evidence": [], "fact_ids": ["event:e1"]} | kw
        return QuestionDraft(key=key, template="t", qtype=qtype, stem=stem, options=options, topics=["t"], difficulty=0.5, **fields)

    opts = [OptionDraft("a", "Almaty", True), OptionDraft("b", "Aktau"), OptionDraft("c", "Atyrau")]
    flawed = draft("Where did  he go in Almaty", opts)
    match = draft(
        "Match each event to its day.",
        [OptionDraft("p1", "Protest", side="prompt"), OptionDraft("c1", "5 January 2022", side="choice")],
        qtype="matching",
        answer={"pairs": {"p1": "c1"}},
    )
    findings = check_item(flawed) + check_matching(match) + check_key_position([draft("Who?", opts, key=f"t:{i}") for i in range(12)])
    findings += audit_quiz([flawed, draft("Which city?", opts, key="t:y")], quiz="kz/q")
    rules = {f.rule for f in findings}
    assert {"grammar", "evidence-support", "stem-key-overlap", "matching-pairs", "key-position", "quiz-same-fact"} <= rules, rules
    sentences = english_sentences()
    for f in findings:
        english = str(f.detail)
        for lang in ("ru", "kk"):
            with translation.override(lang):
                shown = translated(f.detail)
            assert shown != english or not [s for s in sentences if s in english], (f.rule, english)
            assert not [s for s in sentences if s in shown], (lang, f.rule, shown)


def test_dates_inside_rule_messages_follow_the_language():
    """A rule message's dates (the step's moment, an event's label) in the language it is shown in, the English
    str unchanged; our hedge ('probably', 'our reading') translated, the source's own words kept."""
    from datetime import date

    from quizzes.dates import SaidDate, SaidSpan
    from quizzes.generation.scenarios import scenario_check

    facts, broken = _broken_paths()
    dated = [p for spec in broken for p in scenario_check(facts, spec) if p.rule in ("moment", "dating") and "January 2022" in str(p)]
    assert {p.rule for p in dated} == {"moment", "dating"}, [str(p) for p in dated]
    for lang, month in (("ru", "января 2022 г."), ("kk", "2022 жылғы")):
        with translation.override(lang):
            shown = [translated(p.said()) for p in dated]
        assert all(month in s and "January" not in s and "between" not in s for s in shown), shown
    # the English, as logs and tests read it (a bound read from a weekday says so: EventFact.span_weekdays)
    assert any("(between 5 and 6 January 2022 (our reading of “" in str(p) for p in dated)
    probably = SaidSpan("probably 18 January 2022", date(2022, 1, 18), None, "day", probably=True)
    weekday = SaidSpan("Wednesday (our reading: 5 January 2022)", date(2022, 1, 5), None, "day", said="Wednesday")
    with translation.override("ru"):
        assert translated(probably) == "вероятно, 18 января 2022 г."
        assert translated(weekday) == "Wednesday (по нашему прочтению: 5 января 2022 г.)"
        assert translated(SaidDate(date(2022, 1, 1), "month")) == "январь 2022 г."
    with translation.override("en"):
        assert translated(probably) == str(probably) == "probably 18 January 2022"
