"""Quiz export to Moodle XML and GIFT, read back by parsers that are not ours.

Moodle XML is parsed with lxml; GIFT with gift-pegjs (a PEG grammar of Moodle's GIFT, run through
node), installed from tests/bank/package.json by `npm ci --prefix tests/bank`. pygiftparser, the
Python option, was tried first and rejected: it reads an escaped \\} in an answer as the closing
brace and never unescapes texts, so it could not check our escaping.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest
from django.core.management import call_command
from lxml import etree

from quizzes.bank.export import quiz_export, quiz_export_gift, quiz_export_moodle_xml
from quizzes.models import Question, Quiz, QuizQuestion
from tests.factories import PassageFactory, SourceFactory, question_of_type

pytestmark = pytest.mark.django_db

GIFT_PEGJS = Path(__file__).resolve().parent / "node_modules" / "gift-pegjs"
TYPES = ["single", "multi", "true_false", "numeric", "date", "ordering", "matching", "attribution", "sources_disagree", "cause_effect"]
CHOICE_TYPES = {"single", "date", "attribution", "sources_disagree", "cause_effect"}
MOODLE_TYPE = {
    **dict.fromkeys(CHOICE_TYPES | {"multi"}, "multichoice"),
    "true_false": "truefalse",
    "numeric": "numerical",
    "matching": "matching",
    "ordering": "matching",
}
GIFT_TYPE = {"multichoice": "MC", "truefalse": "TF", "numerical": "Numerical", "matching": "Matching"}
# gift-pegjs's escapedCharacters table (GIFT.pegjs), reversed.
GIFT_PEGJS_PLACEHOLDERS = {
    "&&058;": ":",
    "&&035;": "#",
    "&&061;": "=",
    "&&123;": "{",
    "&&125;": "}",
    "&&126;": "~",
    "&&010": "\n",
    "&&092;": "\\",
}
SPECIAL = "Is 1 + 1 = 2? {yes} ~ maybe # or: no \\ back, A < B & C"


def text_of(fragment: str | None) -> str:
    """The text a reader sees in an HTML fragment (parsed by lxml, not by us)."""
    return lxml.html.fragment_fromstring(fragment, create_parent="div").text_content() if fragment else ""


def gift_parse(content: str, tmp_path: Path) -> list[dict]:
    if shutil.which("node") is None or not GIFT_PEGJS.is_dir():
        pytest.fail("the GIFT tests need node and gift-pegjs: run `npm ci --prefix tests/bank` (make test does)")
    script = tmp_path / "parse_gift.js"
    script.write_text(
        f"const {{ parse }} = require({json.dumps(str(GIFT_PEGJS))});\n"
        "let input = '';\n"
        "process.stdin.on('data', (chunk) => { input += chunk; });\n"
        "process.stdin.on('end', () => { process.stdout.write(JSON.stringify(parse(input))); });\n",
        encoding="utf-8",
    )
    done = subprocess.run(["node", str(script)], input=content, capture_output=True, text=True, encoding="utf-8", check=False, timeout=60)
    assert done.returncode == 0, f"gift-pegjs refused the export: {done.stderr}"
    return json.loads(done.stdout)


def subanswer(pair: dict) -> str:
    """A matching answer as gift-pegjs reads it. Its grammar leaves escaped characters in the right-hand
    side as its internal placeholders (&&058; for a colon: PlainText skips escapedCharacterDecode),
    where Moodle's importer decodes them; decode them with the parser's own table."""
    text = pair["subanswer"]
    for placeholder, char in GIFT_PEGJS_PLACEHOLDERS.items():
        text = text.replace(placeholder, char)
    return text


def expected_pairs(question: Question) -> list[tuple[str, str]]:
    """What each matching prompt (or ordering position) must be paired with; a right-hand item that
    answers no prompt (a spare) goes with an empty prompt, Moodle's distractor."""
    text = {o["id"]: o["text"] for o in question.options}
    if question.qtype == "ordering":
        ordinals = ["1st", "2nd", "3rd", "4th", "5th", "6th", "7th", "8th", "9th"]
        return sorted((ordinals[i], text[e]) for i, e in enumerate(question.answer["order"]))
    pairs = question.answer["pairs"]
    spares = [("", o["text"]) for o in question.options if o.get("side") == "choice" and o["id"] not in pairs.values()]
    return sorted([(text[p], text[c]) for p, c in pairs.items()] + spares)


def right_ids(question: Question) -> set[str]:
    correct = question.answer["correct"]
    return set(correct) if isinstance(correct, list) else {correct}


@pytest.fixture
def quiz(seeds_with_bank) -> Quiz:
    """A quiz holding two questions of every type from the real generated bank, plus a retired one."""
    quiz = Quiz.objects.create(slug="every-type", title="Every type / all of them")
    questions = []
    for qtype in TYPES:
        of_type = Question.objects.filter(qtype=qtype, status=Question.Status.PUBLISHED).order_by("key")
        # Types the generator no longer writes come from a teacher-authored question (twice).
        # (A type the generator writes only once is in the quiz once.)
        generated = list(dict.fromkeys([of_type.first(), of_type.last()]))
        questions += generated if of_type.exists() else [question_of_type(qtype), question_of_type(qtype, copy=1)]
    retired = Question.objects.filter(qtype="single").order_by("key")[1]
    Question.objects.filter(pk=retired.pk).update(status=Question.Status.RETIRED)
    # Created out of order: the export must follow position, not insertion.
    rows = [QuizQuestion(quiz=quiz, question=q, position=i) for i, q in enumerate(questions, start=1)]
    rows.append(QuizQuestion(quiz=quiz, question=retired, position=len(rows) + 1))
    QuizQuestion.objects.bulk_create(reversed(rows))
    return quiz


def quiz_questions(quiz: Quiz) -> list[Question]:
    return [row.question for row in quiz.items.select_related("question").order_by("position") if row.question.status != "retired"]


def test_moodle_xml_reads_back_with_lxml(quiz, django_assert_max_num_queries):
    questions = quiz_questions(quiz)
    with django_assert_max_num_queries(2):  # the quiz's questions, then their evidence with its sources
        content = quiz_export_moodle_xml(quiz=quiz)
    root = etree.fromstring(content.encode("utf-8"))  # raises if not well-formed

    assert root.tag == "quiz"
    category, *exported = root.findall("question")
    assert category.get("type") == "category"
    assert category.findtext("category/text") == "$course$/top/KZLearn/Every type // all of them"
    assert len(exported) == len(questions) and {q.qtype for q in questions} == set(TYPES)
    for number, (question, el) in enumerate(zip(questions, exported, strict=True), start=1):
        where = f"{question.key} ({question.qtype})"
        assert el.get("type") == MOODLE_TYPE[question.qtype], where
        assert el.findtext("name/text").startswith(f"{number:02d} "), where
        assert len(el.findtext("name/text")) <= 80, where
        assert el.find("questiontext").get("format") == "html"
        assert text_of(el.findtext("questiontext/text")).startswith(question.stem), where
        feedback = text_of(el.findtext("generalfeedback/text"))
        assert question.explanation in feedback, where
        passage = question.evidence.select_related("source").first()
        source = passage.source.outlet or passage.source.author or passage.source.label
        assert f"“{passage.quote}” — {source}" in feedback, where

        options = {o["id"]: o for o in question.options}
        if question.qtype in CHOICE_TYPES | {"multi"}:
            answers = el.findall("answer")
            assert [text_of(a.findtext("text")) for a in answers] == [o["text"] for o in question.options], where
            assert [text_of(a.findtext("feedback/text")) for a in answers] == [o["explanation"] for o in question.options], where
            fractions = {o["id"]: float(a.get("fraction")) for o, a in zip(question.options, answers, strict=True)}
            right = right_ids(question)
            if question.qtype == "multi":
                assert el.findtext("single") == "false", where
                assert sum(f for f in fractions.values() if f > 0) == pytest.approx(100, abs=1e-3), where
                assert all(fractions[i] == pytest.approx(100 / len(right), abs=1e-4) for i in right), where
                assert all(f == pytest.approx(-100 / len(right), abs=1e-4) for i, f in fractions.items() if i not in right), where
            else:
                assert el.findtext("single") == "true", where
                assert fractions == {i: (100.0 if i in right else 0.0) for i in options}, where
        elif question.qtype == "true_false":
            right = options[question.answer["correct"]]
            (true_answer,) = [a for a in el.findall("answer") if a.get("fraction") == "100"]
            assert true_answer.findtext("text") == right["text"].lower(), where
            assert text_of(true_answer.findtext("feedback/text")) == right["explanation"], where
        elif question.qtype == "numeric":
            (answer,) = el.findall("answer")
            assert answer.get("fraction") == "100"
            assert float(answer.findtext("text")) == question.answer["value"], where
            assert float(answer.findtext("tolerance")) == question.answer["tolerance"], where
            assert el.findtext("units/unit/unit_name") == question.answer["unit"], where
        else:  # matching, and ordering exported as matching
            pairs = sorted((text_of(s.findtext("text")), s.findtext("answer/text")) for s in el.findall("subquestion"))
            assert pairs == expected_pairs(question), where
    # Ordering says, in the question text and a comment, that it is exported as matching.
    ordering = exported[TYPES.index("ordering") * 2]
    assert "choose the event that goes there" in text_of(ordering.findtext("questiontext/text"))
    assert any("ordering exported as matching" in c.text for c in root.iter(etree.Comment))


def test_gift_reads_back_with_gift_pegjs(quiz, tmp_path):
    questions = quiz_questions(quiz)
    parsed = gift_parse(quiz_export_gift(quiz=quiz), tmp_path)

    category, *exported = parsed
    assert category["type"] == "Category"
    assert len(exported) == len(questions)
    for number, (question, q) in enumerate(zip(questions, exported, strict=True), start=1):
        where = f"{question.key} ({question.qtype})"
        assert q["type"] == GIFT_TYPE[MOODLE_TYPE[question.qtype]], where
        assert q["title"].startswith(f"{number:02d} "), where
        assert q["stem"]["format"] == "html"
        assert text_of(q["stem"]["text"]).startswith(question.stem), where
        feedback = text_of(q["globalFeedback"]["text"])
        passage = question.evidence.first()
        assert question.explanation in feedback and f"“{passage.quote}”" in feedback, where

        options = {o["id"]: o for o in question.options}
        right = right_ids(question) if "correct" in question.answer else set()
        if q["type"] == "MC":
            choices = q["choices"]
            assert [text_of(c["text"]["text"]) for c in choices] == [o["text"] for o in question.options], where
            assert [text_of(c["feedback"]["text"]) for c in choices] == [o["explanation"] for o in question.options], where
            if question.qtype == "multi":
                weights = {o["id"]: c["weight"] for o, c in zip(question.options, choices, strict=True)}
                assert all(weights[i] == pytest.approx(100 / len(right), abs=1e-4) for i in right), where
                assert all(w < 0 for i, w in weights.items() if i not in right), where
            else:
                assert {o["id"] for o, c in zip(question.options, choices, strict=True) if c["isCorrect"]} == right, where
        elif q["type"] == "TF":
            (right_id,) = right
            assert q["isTrue"] is (options[right_id]["text"] == "True"), where
        elif q["type"] == "Numerical":
            (choice,) = q["choices"]
            assert choice["isCorrect"] and choice["text"]["number"] == question.answer["value"], where
            assert choice["text"]["range"] == question.answer["tolerance"], where
        else:
            pairs = sorted((text_of(p["subquestion"]["text"]), subanswer(p)) for p in q["matchPairs"])
            assert pairs == expected_pairs(question), where


def test_special_characters_survive_both_formats(tmp_path):
    # Given questions whose every text carries GIFT's special characters, backslash and HTML's
    source = SourceFactory(text=f"Preamble. {SPECIAL}. Rest.")
    passage = PassageFactory(source=source, quote=SPECIAL)
    single = Question.objects.create(
        collection=source.collection,
        key="esc:single{1}",
        template="esc",
        qtype="single",
        stem=SPECIAL,
        explanation=f"Why: {SPECIAL}",
        difficulty=0.5,
        options=[
            {"id": "a", "text": f"right {SPECIAL}", "explanation": f"yes: {SPECIAL}", "evidence": [passage.pk]},
            {"id": "b", "text": "wrong = } {", "explanation": "no #1: ~", "evidence": []},
        ],
        answer={"correct": "a"},
        generator_version="test",
    )
    matching = Question.objects.create(
        collection=source.collection,
        key="esc:matching",
        template="esc",
        qtype="matching",
        stem=f"Match: {SPECIAL}",
        explanation="x = y",
        difficulty=0.5,
        options=[
            {"id": "p1", "text": "a -> b = c", "explanation": "", "evidence": [], "side": "prompt"},
            {"id": "p2", "text": "d: {e}", "explanation": "", "evidence": [], "side": "prompt"},
            {"id": "c1", "text": "f ~ g # h", "explanation": "", "evidence": [], "side": "choice"},
            {"id": "c2", "text": "i -> j", "explanation": "", "evidence": [], "side": "choice"},
            {"id": "c3", "text": "k \\ l: distractor", "explanation": "", "evidence": [], "side": "choice"},
        ],
        answer={"pairs": {"p1": "c1", "p2": "c2"}},
        generator_version="test",
    )
    for question in (single, matching):
        question.evidence.set([passage])
    quiz = Quiz.objects.create(slug="escapes", title="Escapes: {all} = #1")
    QuizQuestion.objects.create(quiz=quiz, question=single, position=1)
    QuizQuestion.objects.create(quiz=quiz, question=matching, position=2)

    # When exported to GIFT and read back by gift-pegjs
    category, q1, q2 = gift_parse(quiz_export_gift(quiz=quiz), tmp_path)

    # Then every text is what we wrote
    assert q1["type"] == "MC" and q1["title"] == "01 esc:single{1}"
    assert text_of(q1["stem"]["text"]) == SPECIAL
    assert [(text_of(c["text"]["text"]), c["isCorrect"], text_of(c["feedback"]["text"])) for c in q1["choices"]] == [
        (f"right {SPECIAL}", True, f"yes: {SPECIAL}"),
        ("wrong = } {", False, "no #1: ~"),
    ]
    assert f"Why: {SPECIAL}" in text_of(q1["globalFeedback"]["text"])
    assert f"“{SPECIAL}”" in text_of(q1["globalFeedback"]["text"])
    assert q2["type"] == "Matching"
    assert text_of(q2["stem"]["text"]) == f"Match: {SPECIAL}"
    assert {text_of(p["subquestion"]["text"]): subanswer(p) for p in q2["matchPairs"]} == {
        "a -> b = c": "f ~ g # h",
        "d: {e}": "i -> j",
        "": "k \\ l: distractor",
    }

    # And the Moodle XML carries the same texts
    root = etree.fromstring(quiz_export_moodle_xml(quiz=quiz).encode("utf-8"))
    _, x1, x2 = root.findall("question")
    assert root.find("question/category/text").text == "$course$/top/KZLearn/Escapes: {all} = #1"
    assert text_of(x1.findtext("questiontext/text")) == SPECIAL
    assert [text_of(a.findtext("text")) for a in x1.findall("answer")] == [f"right {SPECIAL}", "wrong = } {"]
    assert [(text_of(s.findtext("text")), s.findtext("answer/text")) for s in x2.findall("subquestion")] == [
        ("a -> b = c", "f ~ g # h"),
        ("d: {e}", "i -> j"),
        ("", "k \\ l: distractor"),
    ]


def test_quiz_export_names_the_file_and_refuses_unknown_formats(quiz):
    assert quiz_export(quiz=quiz, fmt="moodle")[:2] == ("every-type.xml", "application/xml; charset=utf-8")
    assert quiz_export(quiz=quiz, fmt="gift")[:2] == ("every-type.gift.txt", "text/plain; charset=utf-8")
    with pytest.raises(ValueError, match="unknown export format"):
        quiz_export(quiz=quiz, fmt="qti")


def test_evidence_links_to_the_source_reader_when_given_the_site_address(quiz):
    content = quiz_export_moodle_xml(quiz=quiz, base_url="https://kzlearn.example/")
    passage = quiz_questions(quiz)[0].evidence.select_related("source").first()
    link = f"https://kzlearn.example/sources/{passage.source.slug}/?in={passage.source.collection_id}#{passage.anchor}"
    assert link in content


def test_export_quiz_command_writes_a_file(quiz, tmp_path, capsys):
    target = tmp_path / "quiz.xml"
    call_command("export_quiz", quiz.slug, "--format", "moodle", "-o", str(target))
    root = etree.parse(str(target)).getroot()
    assert len(root.findall("question")) == 1 + len(quiz_questions(quiz))

    gift = tmp_path / "quiz.gift.txt"
    call_command("export_quiz", quiz.slug, "--format", "gift", "-o", str(gift))
    assert gift.read_text(encoding="utf-8") == quiz_export_gift(quiz=quiz)

    capsys.readouterr()
    call_command("export_quiz", quiz.slug, "--format", "gift")
    assert capsys.readouterr().out == quiz_export_gift(quiz=quiz)
