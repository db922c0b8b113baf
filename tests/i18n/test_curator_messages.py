"""Messages of ours for curators and API clients said by pure code (quizzes.said): the question admin's
answer-key problems and the API's invalid-response messages, shown in Kazakh and Russian with no
English sentence of ours left, their codes and English unchanged."""

from __future__ import annotations

import json

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
