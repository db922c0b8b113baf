"""What provisioning says back to integrators (POST roster/, the OneRoster import and its job): every bad
row's reason, the import's notes and the job's message in the caller's language, the machine-readable parts
(`fields` keys `users[3].username`, each error's `where`, `field` and `sourced_id`) unchanged."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from quizzes.models import Profile
from tests.api.test_oneroster import SIS_ZIP, _import, make_zip
from tests.api.test_roster import bad_roster, client_as
from tests.factories import UserFactory
from tests.i18n.test_languages import english_sentences

MODULES = ("quizzes/classes/roster.py", "quizzes/classes/oneroster.py", "quizzes/classes/services.py")
MARKED = {"gettext", "ngettext", "longer_than", "not_a_role"}


def _marked(node: ast.AST) -> bool:
    """A message built by gettext (or a helper of ours that calls it), or a variable holding one."""
    if isinstance(node, ast.BinOp):  # gettext("... %(x)s") % {...}
        return _marked(node.left)
    if isinstance(node, ast.IfExp):
        return _marked(node.body) and _marked(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "join":
        return True  # "; ".join([gettext(...), ...]): its parts are calls checked on their own
    return isinstance(node, ast.Name) or (isinstance(node, ast.Call) and getattr(node.func, "id", None) in MARKED)


def test_every_roster_reason_and_note_is_marked_for_translation():
    """A reason or note written as a plain or f-string would reach an integrator in English."""
    root = Path(__file__).resolve().parents[2]
    unmarked = []
    for name in MODULES:
        for node in ast.walk(ast.parse((root / name).read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            func = node.func
            said = getattr(func, "id", None) in ("RowProblem", "FileProblem", "RowError", "fail", "refuse", "gone")
            noted = isinstance(func, ast.Attribute) and func.attr == "append" and getattr(func.value, "attr", None) == "notes"
            if (said or noted) and not _marked(node.args[-1]):
                unmarked.append(f"{name}: {ast.unparse(node)[:100]}")
    assert not unmarked, unmarked


def test_every_refusal_in_a_generators_report_is_marked_for_translation():
    """generate_questions' / generate_scenarios' 'refused KEY: reason' notes: each reason built by gettext."""
    root = Path(__file__).resolve().parents[2]
    unmarked = []
    for name in ("quizzes/bank/services.py", "quizzes/scenarios/services.py"):
        for node in ast.walk(ast.parse((root / name).read_text(encoding="utf-8"))):
            refusal = isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("ContentWithoutEvidence", "SlugTaken")
            if refusal and not (node.args and _marked(node.args[-1])):
                unmarked.append(f"{name}: {ast.unparse(node)[:100]}")
    assert not unmarked, unmarked


def test_the_scan_finds_an_unmarked_reason():
    tree = ast.parse('fail("role", f"must be one of {x}")\nreport.notes.append("archived")')
    assert [ast.unparse(n)[:4] for n in ast.walk(tree) if isinstance(n, ast.Call) and n.args and not _marked(n.args[-1])]
    assert len([n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.args and not _marked(n.args[-1])]) == 2


WANTED = {
    "ru": ("повтор: уже есть в users[1]", "учётные записи учителей создаёт только администратор", "класса 'cls-nowhere' нет"),
    "kk": ("қайталану: users[1] ішінде де бар", "мұғалім тіркелгілерін тек әкімші жасайды", "'cls-nowhere' сыныбы"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_rosters_bad_rows_are_said_in_the_callers_language_under_the_same_keys(lang):
    teacher = UserFactory(is_staff=True, username="t-roster")
    bad = bad_roster()
    english = client_as(teacher).post("/api/v1/roster/", bad, format="json").json()["error"]
    said = client_as(teacher).post("/api/v1/roster/", bad, format="json", HTTP_ACCEPT_LANGUAGE=lang).json()["error"]
    assert said["code"] == english["code"] == "invalid" and set(said["fields"]) == set(english["fields"])
    shown = " | ".join(m for messages in said["fields"].values() for m in messages)
    assert all(w in shown for w in WANTED[lang]), shown
    assert not [s for s in english_sentences() if s in shown], shown
    assert "only an administrator provisions teacher accounts" in str(english["fields"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lang, failed, reason, note, refused, not_a_zip",
    [
        (
            "ru",
            "Ошибка",
            "ошибочн",
            "импортируются только ученики и учителя",
            "указывает класс, в котором вы не преподаёте",
            "это не zip-архив",
        ),
        (
            "kk",
            "Орындалмады",
            "қате жол",
            "тек оқушылар мен мұғалімдер импортталады",
            "сіз сабақ бермейтін сыныпты көрсетеді",
            "бұл zip-архив емес",
        ),
    ],
)
def test_a_oneroster_import_speaks_its_starters_language(
    lang, failed, reason, note, refused, not_a_zip, django_capture_on_commit_callbacks
):
    """The job writes its message, each bad row's reason and its notes once, in the starter's language (their
    profile's); the zip's own problems are a 400 in the request's language."""
    teacher = UserFactory(is_staff=True)
    Profile.objects.create(user=teacher, language=lang)
    client = client_as(teacher)
    done = _import(client, make_zip(SIS_ZIP), django_capture_on_commit_callbacks).json()
    report = client.get(f"/api/v1/roster/imports/{done['id']}/").json()["report"]
    assert report["notes"] and all(note in n for n in report["notes"]), report["notes"]
    assert any(n.startswith("users.csv line ") for n in report["notes"])  # where it came from: as the file names it
    client = client_as(other := UserFactory(is_staff=True))  # timur.b is now the first teacher's
    Profile.objects.create(user=other, language=lang)
    files = {**SIS_ZIP, "enrollments.csv": SIS_ZIP["enrollments.csv"] + "e-102,,,cls-nope,sch-1,u-100,student,false,,\n"}
    job = client.get(f"/api/v1/roster/imports/{_import(client, make_zip(files), django_capture_on_commit_callbacks).json()['id']}/")
    job = job.json()
    assert job["status"] == "failed" and job["message"].startswith(failed) and reason in job["message"], job["message"]
    errors = {(e["where"], e["field"]): e["reason"] for e in job["report"]["errors"]}
    # The class is the first teacher's, and so are the people it names.
    assert ("classes.csv line 2", "sourced_id") in errors and ("enrollments.csv line 4", "class_sourced_id") in errors, errors
    shown = " | ".join(errors.values()) + " | " + job["message"]
    assert refused in shown and not [s for s in english_sentences() if s in shown], shown
    bad_zip = client.post("/api/v1/roster/imports/", b"not a zip", content_type="application/zip", HTTP_ACCEPT_LANGUAGE=lang)
    assert bad_zip.status_code == 400 and bad_zip.json()["error"]["fields"] == {"upload": [not_a_zip]}, bad_zip.json()


WANTED_CSV = {
    "ru": {
        3: "не указано имя пользователя",
        4: "повтор: ALIYA есть и в строке 2",
        6: "неизвестная группа 'Table 9' (группы этого класса: Table 1)",
    },
    "kk": {
        3: "пайдаланушы аты көрсетілмеген",
        4: "қайталану: ALIYA 2-жолда да бар",
        6: "белгісіз топ 'Table 9' (бұл сыныптың топтары: Table 1)",
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_csv_imports_bad_rows_are_said_in_the_teachers_language(lang):
    """The class's CSV import (the admin's upload and its job): each bad row's reason in the language it runs in."""
    import io

    from django.utils import translation

    from quizzes.classes.services import StudentImportError, classroom_create, students_import_csv
    from quizzes.models import ClassGroup
    from tests.teachers.conftest import make_teacher
    from tests.teachers.test_import import BAD

    teacher = make_teacher("teacher_a")
    classroom = classroom_create(name="9A History", teachers=[teacher])
    ClassGroup.objects.create(classroom=classroom, name="Table 1")
    with translation.override(lang), pytest.raises(StudentImportError) as err:
        students_import_csv(classroom=classroom, file=io.BytesIO(BAD.encode()), by=teacher)
    reasons = {e.line: e.reason for e in err.value.report.errors}
    assert sorted(reasons) == [3, 4, 5, 6, 8, 9]
    assert {line: reasons[line] for line in WANTED_CSV[lang]} == WANTED_CSV[lang]
    shown = " | ".join(reasons.values())
    assert not [s for s in english_sentences() if s in shown], shown
    with translation.override(lang), pytest.raises(StudentImportError) as err:
        students_import_csv(classroom=classroom, file=io.BytesIO(b"name,mail\nAliya,a@b.c\n"), by=teacher)
    header = err.value.report.errors[0].reason
    assert "username" in header and not [s for s in english_sentences() if s in header], header


@pytest.mark.django_db
@pytest.mark.parametrize(
    "lang, refused, joined",
    [
        ("ru", "По этому коду нельзя войти ни в один класс.", "Вы в классе 9A History."),
        ("kk", "Бұл кодпен қосылуға ашық сынып жоқ.", "Сіз 9A History сыныбындасыз."),
    ],
)
def test_joining_a_class_by_code_is_said_in_the_students_language(lang, refused, joined):
    from django.test import Client
    from django.urls import reverse

    from quizzes.classes.services import classroom_create
    from tests.teachers.conftest import make_teacher

    classroom = classroom_create(name="9A History", teachers=[make_teacher("teacher_a")])
    client = Client(HTTP_ACCEPT_LANGUAGE=lang)
    client.force_login(UserFactory())
    wrong = client.post(reverse("web:class-join"), {"code": "AAAA-AAAA"})
    assert wrong.status_code == 400 and refused in wrong.content.decode()
    page = client.post(reverse("web:class-join"), {"code": classroom.join_code}, follow=True)
    shown = " | ".join(str(m) for m in page.context["messages"])
    assert joined in shown and "Its teachers now see" not in shown, shown
