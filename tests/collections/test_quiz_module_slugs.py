"""Quiz and module slugs are unique within a collection only (database), like scenario slugs: two
invented collections (copies of the medium fixture episode under two collection slugs, plainly
invented test material) define the same module, quiz and scenario slugs, load side by side, and
each builds, plays (web and API) and reports against its own. Where a bare slug is ambiguous,
pages ask which one, the API and commands answer 4xx / one sentence, and nothing is guessed."""

from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from quizzes.bank.assembly import QuizSpecError, module_demo_build, quiz_build
from quizzes.bank.services import question_bank_generate
from quizzes.classes.services import classroom_create
from quizzes.dataset.reader import DatasetInvalid, dataset_read
from quizzes.models import Attempt, Collection, Module, Question, Quiz, Scenario, ScenarioRun
from quizzes.scenarios.services import scenario_bank_generate
from tests.api.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
MEDIUM = ROOT / "tests" / "fixtures" / "episodes" / "medium"
MODULE, QUIZ, SCENARIO = "medium-test-the-flood", "medium-test-flood-quiz", "aftermath"  # as the medium episode names them
CHOICE_TYPES = ("single", "date", "attribution", "true_false", "sources_disagree", "cause_effect")


def _twin(tmp_path: Path, slug: str) -> Path:
    """A copy of the medium episode as collection `slug`; its module also opens with the scenario."""
    folder = tmp_path / slug
    shutil.copytree(MEDIUM, folder)
    meta = yaml.safe_load((folder / "collection.yaml").read_text(encoding="utf-8"))
    meta.update(slug=slug, title=f"The Saltmarsh flood, copy {slug[-1].upper()} (invented)")
    (folder / "collection.yaml").write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    modules = yaml.safe_load((folder / "modules.yaml").read_text(encoding="utf-8"))
    modules["modules"][0]["scenarios"] = [SCENARIO]
    (folder / "modules.yaml").write_text(yaml.safe_dump(modules, allow_unicode=True), encoding="utf-8")
    return folder


@pytest.fixture
def twins(tmp_path):
    for slug in ("twin-a", "twin-b"):
        call_command("load_seeds", str(_twin(tmp_path, slug)), stdout=StringIO())
    question_bank_generate()
    scenario_bank_generate()
    module_demo_build()
    return Collection.objects.get(slug="twin-a"), Collection.objects.get(slug="twin-b")


def _answer_choices_and_submit(attempt: Attempt, post) -> None:
    """Answer every choice question of the attempt with its first option through `post(position, choice)`."""
    for row in attempt.responses.order_by("position"):
        if row.snapshot["qtype"] in CHOICE_TYPES:
            post(row.position, row.snapshot["options"][0]["id"])


def test_two_collections_build_the_same_module_quiz_and_scenario_slugs_each_from_its_own(twins):
    a, b = twins
    for c in twins:
        module = Module.objects.get(collection=c, slug=MODULE)
        quiz = Quiz.objects.get(collection=c, slug=QUIZ)
        scenario = Scenario.objects.get(collection=c, slug=SCENARIO)
        items = list(module.items.order_by("position"))
        # The module opens with its own collection's scenario, then its own collection's quiz
        assert [(i.scenario, i.quiz) for i in items] == [(scenario, None), (None, quiz)]
        assert quiz.items.count() > 0 and set(quiz.questions.values_list("collection", flat=True)) == {c.pk}
    assert Quiz.objects.filter(slug=QUIZ).count() == Module.objects.filter(slug=MODULE).count() == 2
    # Building again rebuilds in place: still one of each per collection
    module_demo_build()
    assert Quiz.objects.filter(slug=QUIZ).count() == Module.objects.filter(slug=MODULE).count() == 2
    # Within one collection a slug stays unique; outside any collection, unique among those
    with pytest.raises(IntegrityError), transaction.atomic():
        Quiz.objects.create(collection=a, slug=QUIZ, title="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        Module.objects.create(collection=b, slug=MODULE, title="x")
    Quiz.objects.create(collection=None, slug=QUIZ, title="A teacher's own")  # beside the collections' ones
    with pytest.raises(IntegrityError), transaction.atomic():
        Quiz.objects.create(collection=None, slug=QUIZ, title="Another teacher's own")
    Module.objects.create(collection=None, slug=MODULE, title="A teacher's own")
    with pytest.raises(IntegrityError), transaction.atomic():
        Module.objects.create(collection=None, slug=MODULE, title="Another teacher's own")


def test_a_teacher_builds_a_quiz_with_a_slug_another_collection_uses_but_not_one_the_same_collection_does(twins):
    a, b = twins
    teacher = UserFactory(is_staff=True)
    mine = quiz_build(collection=a, slug="my-flood-quiz", title="Mine", owner=teacher, size=3)
    theirs = quiz_build(collection=b, slug="my-flood-quiz", title="Theirs", owner=teacher, size=3)
    assert mine.pk != theirs.pk and set(theirs.questions.values_list("collection", flat=True)) == {b.pk}
    with pytest.raises(QuizSpecError, match="already exists in twin-a"):
        quiz_build(collection=a, slug="my-flood-quiz", title="Again", owner=teacher, size=3)
    out = StringIO()
    call_command("build_quiz", "cli-quiz", "--collection", "twin-b", "--size", "3", stdout=out)
    call_command("build_quiz", "cli-quiz", "--collection", "twin-a", "--size", "3", stdout=out)
    assert Quiz.objects.filter(slug="cli-quiz").count() == 2


def test_pages_pick_the_quiz_by_collection_play_it_and_report_against_it(client, twins, django_capture_on_commit_callbacks):
    a, b = twins
    quiz_a, quiz_b = Quiz.objects.get(collection=a, slug=QUIZ), Quiz.objects.get(collection=b, slug=QUIZ)
    client.force_login(UserFactory())
    # A bare slug that two collections use: a short page asks which one
    chooser = client.get(f"/quizzes/{QUIZ}/")
    assert chooser.status_code == 200 and "Which quiz?" in chooser.text
    assert f"/quizzes/{QUIZ}/?in={a.pk}" in chooser.text and f"/quizzes/{QUIZ}/?in={b.pk}" in chooser.text
    assert quiz_b.title in client.get(f"/quizzes/{QUIZ}/?in=twin-b").text
    assert client.get(f"/quizzes/{QUIZ}/?in=nope").status_code == 404
    assert client.get(f"/quizzes/{QUIZ}/?in=99999999999999999999").status_code == 404
    # The dashboard's module links carry the collection
    home = client.get("/").text
    assert f"/quizzes/{QUIZ}/?in={a.pk}" in home and f"/scenarios/{SCENARIO}/?in={b.pk}" in home
    # Without a collection, an ambiguous start starts nothing
    assert client.post(f"/quizzes/{QUIZ}/start/").status_code == 302 and not Attempt.objects.exists()
    # The intro's form carries its collection, so the attempt is of that quiz
    intro = client.get(f"/quizzes/{QUIZ}/?in={b.pk}").text
    assert f'action="/quizzes/{QUIZ}/start/?in={b.pk}"' in intro
    started = client.post(f"/quizzes/{QUIZ}/start/?in={b.pk}")
    attempt = Attempt.objects.get()
    assert started.status_code == 302 and attempt.quiz == quiz_b
    _answer_choices_and_submit(
        attempt,
        lambda position, choice: client.post(f"/attempts/{attempt.pk}/questions/{position}/", {"choice": choice, "client_key": position}),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/attempts/{attempt.pk}/submit/").status_code == 302
    attempt.refresh_from_db()
    assert attempt.quiz == quiz_b and attempt.scored_at is not None and attempt.max_points > 0
    assert {r.question.collection_id for r in attempt.responses.select_related("question")} == {b.pk}
    results = client.get(f"/attempts/{attempt.pk}/results/").text
    assert f"/quizzes/{QUIZ}/?in={b.pk}" in results  # "Try again" goes back to the same quiz
    assert not quiz_a.attempts.exists()


def test_the_api_asks_for_a_collection_where_a_quiz_or_module_slug_is_ambiguous_and_plays_the_chosen_one(twins):
    a, b = twins
    quiz_a = Quiz.objects.get(collection=a, slug=QUIZ)
    learner = UserFactory()
    api = client_for(learner)
    for path in (f"/api/v1/quizzes/{QUIZ}/", f"/api/v1/modules/{MODULE}/"):
        ambiguous = api.get(path)
        assert ambiguous.status_code == 400 and "twin-a, twin-b" in ambiguous.json()["error"]["fields"]["collection"][0]
        chosen = api.get(path + "?collection=twin-a").json()
        assert chosen["collection"] == "twin-a"
        assert api.get(path + "?collection=nope").status_code == 404
    items = api.get(f"/api/v1/modules/{MODULE}/?collection=twin-b").json()["items"]
    assert [(i["kind"], i["collection"], i["slug"]) for i in items] == [("scenario", "twin-b", SCENARIO), ("quiz", "twin-b", QUIZ)]
    # Starting: refused without a collection, never a guess
    refused = api.post("/api/v1/attempts/", {"quiz": QUIZ}, format="json")
    assert refused.status_code == 400 and "collection" in str(refused.json()) and not Attempt.objects.exists()
    unknown = api.post("/api/v1/attempts/", {"quiz": QUIZ, "collection": "nope"}, format="json")
    assert unknown.status_code == 400 and not Attempt.objects.exists()
    started = api.post("/api/v1/attempts/", {"quiz": QUIZ, "collection": "twin-a"}, format="json")
    assert started.status_code == 201, started.json()
    body = started.json()
    assert body["quiz"]["collection"] == "twin-a" and Attempt.objects.get().quiz == quiz_a
    attempt = Attempt.objects.get()
    _answer_choices_and_submit(
        attempt,
        lambda position, choice: api.post(
            f"/api/v1/attempts/{attempt.pk}/answer/", {"position": position, "response": {"choice": choice}}, format="json"
        ),
    )
    assert attempt.responses.filter(answered_at__isnull=False).exists()
    # Reports: the attempts list filtered by a quiz slug two collections use needs the collection
    assert api.get(f"/api/v1/attempts/?quiz={QUIZ}").status_code == 400
    mine = api.get(f"/api/v1/attempts/?quiz={QUIZ}&collection=twin-a").json()["results"]
    assert [r["id"] for r in mine] == [attempt.pk]
    assert api.get(f"/api/v1/attempts/?quiz={QUIZ}&collection=twin-b").json()["results"] == []
    # and the scenario runs list likewise
    run = api.post("/api/v1/scenario-runs/", {"scenario": SCENARIO, "collection": "twin-b"}, format="json")
    assert run.status_code == 201 and ScenarioRun.objects.get().scenario.collection == b
    assert api.get(f"/api/v1/scenario-runs/?scenario={SCENARIO}").status_code == 400
    runs = api.get(f"/api/v1/scenario-runs/?scenario={SCENARIO}&collection=twin-b").json()["results"]
    assert [r["scenario"]["collection"] for r in runs] == ["twin-b"]
    assert api.get(f"/api/v1/scenario-runs/?scenario={SCENARIO}&collection=twin-a").json()["results"] == []


def test_a_teacher_assigns_the_module_of_the_collection_named_and_never_a_guess(twins):
    a, b = twins
    teacher = UserFactory(is_staff=True)
    classroom = classroom_create(teachers=[teacher], name="7B")
    api = client_for(teacher)
    when = {"opens_at": "2026-01-05T08:00:00Z", "due_at": "2026-01-19T08:00:00Z"}
    refused = api.post("/api/v1/assignments/", {"classroom": classroom.pk, "module": MODULE, **when}, format="json")
    assert refused.status_code == 400 and "twin-a, twin-b" in str(refused.json())
    made = api.post("/api/v1/assignments/", {"classroom": classroom.pk, "module": MODULE, "collection": "twin-b", **when}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["module"] == MODULE and made.json()["module_collection"] == "twin-b"
    assert classroom.assignments.get().module == Module.objects.get(collection=b, slug=MODULE)


def test_commands_resolve_a_quiz_slug_within_the_collection_named(twins, tmp_path):
    with pytest.raises(
        CommandError, match="several collections have a quiz 'medium-test-flood-quiz' \\(twin-a, twin-b\\); add --collection"
    ):
        call_command("export_quiz", QUIZ, stdout=StringIO())
    out = tmp_path / "quiz.xml"
    call_command("export_quiz", QUIZ, "--collection", "twin-b", "-o", str(out), stderr=StringIO())
    quiz_b = Quiz.objects.get(collection__slug="twin-b", slug=QUIZ)
    first = quiz_b.items.order_by("position").first().question
    assert first.collection.slug == "twin-b" and first.stem.split()[0] in out.read_text(encoding="utf-8")
    with pytest.raises(CommandError, match="no quiz with slug 'medium-test-flood-quiz' in nope"):
        call_command("export_quiz", QUIZ, "--collection", "nope", stdout=StringIO())
    audit = StringIO()
    call_command("audit_bank", "--quiet", stdout=audit)
    assert "active questions" in audit.getvalue()


def test_the_demo_class_mark_names_its_own_collections_module(twins):
    from quizzes.demo.classroom import _demo_modules

    a, b = twins
    # twin-a marks its flood module and a second one for seed_demo's class; twin-b marks nothing
    other = Module.objects.create(collection=a, slug="twin-a-second", title="Second", position=99)
    other.items.create(position=1, quiz=Quiz.objects.get(collection=a, slug=QUIZ))
    a.module_specs = [{**a.module_specs[0], "demo_class": True}, {"slug": other.slug, "title": "Second", "quizzes": [], "demo_class": True}]
    a.save(update_fields=["module_specs"])
    # twin-b's module of the same slug is not taken for twin-a's mark
    assert _demo_modules() == [Module.objects.get(collection=a, slug=MODULE), other]


def test_a_collection_slug_links_would_misread_and_a_module_slug_used_twice_are_refused(tmp_path):
    folder = _twin(tmp_path, "twin-a")
    meta = yaml.safe_load((folder / "collection.yaml").read_text(encoding="utf-8"))
    modules = yaml.safe_load((folder / "modules.yaml").read_text(encoding="utf-8"))
    modules["modules"].append({**modules["modules"][0], "quizzes": []})
    (folder / "modules.yaml").write_text(yaml.safe_dump(modules, allow_unicode=True), encoding="utf-8")
    for reserved in ("none", "2022"):
        (folder / "collection.yaml").write_text(yaml.safe_dump({**meta, "slug": reserved}, allow_unicode=True), encoding="utf-8")
        with pytest.raises(DatasetInvalid) as refused:
            dataset_read(folder)
        said = [str(e) for e in refused.value.errors]
        assert any(f"'{reserved}' cannot name a collection" in e for e in said), said
        assert any("module slug 'medium-test-the-flood' is used twice" in e for e in said), said
    assert not Question.objects.exists()
