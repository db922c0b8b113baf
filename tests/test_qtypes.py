"""The question-type registry (quizzes/qtypes/): every type has every capability, and no module
outside the registry lists question types (the scan fails on each counter-example below)."""

from __future__ import annotations

import ast
import random
from pathlib import Path

import pytest
from django.http import QueryDict

from quizzes.bank.export import BUILDERS
from quizzes.models import QuestionType
from quizzes.qtypes import CHOICE_TYPES, QTYPES, AnswerMissing, InvalidResponse, QType
from quizzes.scoring import key_problems, response_validate, score
from quizzes.web.feedback import answer_text, feedback_view, key_text, question_view

ROOT = Path(__file__).resolve().parents[1]
CAPABILITIES = ("key_problems", "response_validate", "score", "key_response", "answer_text", "response_from_form", "demo_response")
FORM_KINDS = {"single", "multi", "numeric", "ordering", "matching"}
FEEDBACK_KINDS = {"choice", "numeric", "ordering", "matching"}


def _sample(t: QType) -> tuple[list[dict], dict, QueryDict]:
    """A question of the type's family (options, key) and the form a learner who answers it right posts."""
    if t.form_kind == "single":
        options = [{"id": i, "text": f"option {i}", "explanation": ""} for i in "abcd"]
        return options, {"correct": "c"}, QueryDict("choice=c")
    if t.form_kind == "multi":
        options = [{"id": i, "text": f"option {i}", "explanation": ""} for i in "abcd"]
        return options, {"correct": ["a", "c"]}, QueryDict("choices=a&choices=c")
    if t.form_kind == "numeric":
        return [], {"value": 1250, "tolerance": 0, "unit": "people"}, QueryDict("value=1%2C250")
    if t.form_kind == "ordering":
        options = [{"id": i, "text": f"event {i}", "explanation": ""} for i in ("e1", "e2", "e3")]
        return options, {"order": ["e2", "e3", "e1"]}, QueryDict("order=e2&order=e3&order=e1")
    options = [{"id": "p1", "text": "who", "side": "prompt"}, {"id": "p2", "text": "where", "side": "prompt"}]
    options += [{"id": "c1", "text": "a minister", "side": "choice"}, {"id": "c2", "text": "Almaty", "side": "choice"}]
    return options, {"pairs": {"p1": "c1", "p2": "c2"}}, QueryDict("pair-p1=c1&pair-p2=c2")


def test_the_registry_is_the_model_s_choices_in_order():
    assert QuestionType.choices == [(name, t.label) for name, t in QTYPES.items()]
    assert all(name == t.name for name, t in QTYPES.items())


@pytest.mark.parametrize("name", list(QTYPES))
def test_every_type_declares_every_capability(name):
    t = QTYPES[name]
    assert t.label and t.form_kind in FORM_KINDS and t.feedback_kind in FEEDBACK_KINDS
    assert t.export in BUILDERS, f"{name}: the Moodle export has no builder for {t.export!r}"
    missing = [c for c in CAPABILITIES if getattr(type(t), c) is getattr(QType, c)]
    assert not missing, f"{name} does not implement {missing}"
    if t.choice:  # item statistics count picks per option
        assert type(t).picks is not QType.picks and type(t).keys is not QType.keys


@pytest.mark.parametrize("name", list(QTYPES))
def test_every_capability_works_end_to_end(name):
    t = QTYPES[name]
    options, key, form = _sample(t)
    assert key_problems(name, options, key) == []
    posted = t.response_from_form(options, form)
    right = score(name, key, response_validate(name, options, posted))
    assert right.correct and right.points == 1.0
    demo_right = t.demo_response(key, options, True, random.Random(1))
    assert score(name, key, response_validate(name, options, demo_right)).correct
    demo_wrong = t.demo_response(key, options, False, random.Random(1))
    assert not score(name, key, response_validate(name, options, demo_wrong)).correct
    snapshot = {"qtype": name, "stem": "?", "options": options, "answer": key, "explanation": "Because.", "evidence": []}
    assert key_text(snapshot) and answer_text(snapshot, posted) == key_text(snapshot) != answer_text(snapshot, demo_wrong)
    assert question_view(snapshot)["kind"] == t.form_kind
    assert feedback_view(snapshot, posted, correct=True, points=1.0)["kind"] == t.feedback_kind
    assert set(t.keys(key)) <= {o["id"] for o in options} and (bool(t.keys(key)) == t.choice)
    assert (name in CHOICE_TYPES) == t.choice
    empty = QueryDict("value=abc" if t.form_kind == "numeric" else "")
    with pytest.raises((AnswerMissing, InvalidResponse)):  # the form says what is missing, or the shape is refused
        response_validate(name, options, t.response_from_form(options, empty))


# ---- no module outside the registry lists question types ----

NAMES = frozenset(QTYPES)


def _mentions_qtype(node: ast.AST) -> bool:
    """The expression is a question type itself (qtype, d.qtype, snapshot["qtype"]), not something
    read through the registry (QTYPES[d.qtype].form_kind)."""
    return (
        (isinstance(node, ast.Name) and "qtype" in node.id)
        or (isinstance(node, ast.Attribute) and "qtype" in node.attr)
        or (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) and node.slice.value == "qtype")
    )


def type_lists(source: str, *, rules_about_one_type_allowed: bool = False) -> list[str]:
    """Where the code lists question types itself: a literal set, list, tuple or dict of two or more type
    names, a *_TYPES constant, or (unless allowed) a comparison of a qtype with a type name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, (ast.Set, ast.List, ast.Tuple)):
            elements = node.elts
        elif isinstance(node, ast.Dict):
            elements = [k for k in node.keys if k is not None]
        else:
            elements = []
        if sum(isinstance(e, ast.Constant) and e.value in NAMES for e in elements) >= 2:
            found.append(f"line {line}: a literal list of question types")
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        value = node.value if isinstance(node, (ast.Assign, ast.AnnAssign)) else None
        names_in_value = value is not None and any(isinstance(n, ast.Constant) and n.value in NAMES for n in ast.walk(value))
        if names_in_value and any(isinstance(t, ast.Name) and t.id.endswith("_TYPES") for t in targets):
            found.append(f"line {line}: a *_TYPES constant")
        if isinstance(node, ast.Compare) and not rules_about_one_type_allowed:
            sides = [node.left, *node.comparators]
            names = [s for s in sides if isinstance(s, ast.Constant) and s.value in NAMES]
            if names and any(_mentions_qtype(s) for s in sides if s not in names):
                found.append(f"line {line}: a comparison of a question type with {names[0].value!r}")
    return found


@pytest.mark.parametrize(
    "source",
    [
        'SINGLE_TYPES = {"single", "date"}\n',
        'CHOICE_TYPES = SINGLE | {"multi"}\n',
        'if q.qtype in ("multi", "numeric"):\n    pass\n',
        'BY_TYPE = {"ordering": 1, "matching": 2}\n',
        'if snapshot["qtype"] == "ordering":\n    pass\n',
        'ok = qtype != "numeric"\n',
    ],
)
def test_the_scan_finds_each_counter_example(source):
    assert type_lists(source), source


def test_the_scan_leaves_other_code_alone():
    assert type_lists('kind = QTYPES[q.qtype]\nif kind.form_kind == "single":\n    pass\nDraft(qtype="single")\n') == []
    assert type_lists('unit = q.answer["unit"] if QTYPES[q.qtype].form_kind == "numeric" else ""\n') == []


def test_no_module_outside_the_registry_lists_question_types():
    """The generator (quizzes/generation/) makes and audits particular types, so a rule there may
    name one type; it may not list them either."""
    found = []
    for path in sorted((ROOT / "quizzes").rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith(("quizzes/qtypes/", "quizzes/migrations/")):
            continue
        found += [f"{rel} {f}" for f in type_lists(path.read_text(), rules_about_one_type_allowed=rel.startswith("quizzes/generation/"))]
    assert not found, "question types listed outside quizzes/qtypes/ (declare a capability there instead):\n" + "\n".join(found)
