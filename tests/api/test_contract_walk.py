"""The schema says what real responses hold (issue 24 point 7): every field a response carries is
documented and `required`, none the schema requires is missing, a null only where the schema allows
null (OpenAPI 3.1: a "null" type), and every value of its declared type and enum. The responses are real: the seeds and the
demo, read through the API as the demo teacher and a demo student (every GET operation, list and
detail), and a student taking a quiz, playing a scenario and reviewing, a teacher managing a class."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from drf_spectacular.generators import SchemaGenerator

from tests.api.conftest import client_for
from tests.api.test_external_script import _response_for

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list, "object": dict}


class Contract:
    """The generated schema, and each real response held to it."""

    def __init__(self, schema: dict):
        self.schema = schema
        self.components = schema["components"]["schemas"]
        self.operations = [
            (method.upper(), re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", path) + "$"), path, operation)
            for path, operations in schema["paths"].items()
            for method, operation in operations.items()
        ]
        self.problems: list[str] = []
        self.checked: Counter[str] = Counter()

    def operation(self, method: str, path: str) -> tuple[str, dict]:
        path = path.split("?", 1)[0]
        for m, rx, template, operation in self.operations:
            if m == method and rx.match(path):
                return template, operation
        raise AssertionError(f"{method} {path} is not in the schema")

    def response(self, method: str, path: str, status: int, body) -> None:
        template, operation = self.operation(method, path)
        documented = operation["responses"].get(str(status))
        where = f"{method} {template} {status}"
        if documented is None:
            self.problems.append(f"{where}: status not in the schema")
            return
        content = documented.get("content", {}).get("application/json")
        if content is None:
            if body not in (None, b"", ""):
                self.problems.append(f"{where}: a body the schema does not describe")
            return
        self.checked[where] += 1
        self.problems += self.check(content["schema"], body, where)

    def resolve(self, node: dict) -> tuple[dict, bool]:
        """The schema behind references and single allOf wrappers, and whether any level says nullable."""
        nullable = bool(node.get("nullable"))
        while True:
            if "$ref" in node:
                node = self.components[node["$ref"].rsplit("/", 1)[-1]]
            elif "allOf" in node and len(node["allOf"]) == 1:
                node = node["allOf"][0]
            else:
                return node, nullable
            nullable = nullable or bool(node.get("nullable"))

    def check(self, node: dict, value, where: str) -> list[str]:
        node, nullable = self.resolve(node)
        for key in ("oneOf", "anyOf"):
            if key in node:
                tries = [self.check(part, value, where) for part in node[key]]
                return [] if any(not t for t in tries) else min(tries, key=len)
        kinds = node.get("type", [])
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if value is None:
            return [] if nullable or "null" in kinds else [f"{where}: null, but the schema does not allow null"]
        problems = []
        known = [k for k in kinds if k in TYPES]
        if known and not any(isinstance(value, TYPES[k]) and not (k in ("integer", "number") and isinstance(value, bool)) for k in known):
            return [f"{where}: {type(value).__name__} where the schema says {kinds}"]
        if "enum" in node and value not in node["enum"]:
            problems.append(f"{where}: {value!r} not in its enum {node['enum']}")
        if isinstance(value, list) and "items" in node:
            for i, item in enumerate(value[:20]):
                problems += self.check(node["items"], item, f"{where}[{i}]")
        if isinstance(value, dict) and ("object" in kinds or "properties" in node):
            properties, required = node.get("properties", {}), set(node.get("required", []))
            extra = node.get("additionalProperties")
            for name, item in value.items():
                if name in properties:
                    if name not in required:
                        problems.append(f"{where}.{name}: always sent, but optional in the schema")
                    problems += self.check(properties[name], item, f"{where}.{name}")
                elif isinstance(extra, dict) and extra:
                    problems += self.check(extra, item, f"{where}.{name}")
                elif not extra and properties:
                    problems.append(f"{where}.{name}: sent, but not in the schema")
            problems += [f"{where}.{name}: required, but not sent" for name in sorted(required - set(value))]
        return problems


class Walker:
    """An API client as one user that holds every response it gets to the contract."""

    def __init__(self, contract: Contract, user):
        self.contract, self.api = contract, client_for(user)

    def __call__(self, method: str, path: str, body: dict | None = None, expect: int | None = None):
        reply = (
            getattr(self.api, method.lower())(f"/api/v1{path}", body, format="json")
            if body is not None
            else getattr(self.api, method.lower())(f"/api/v1{path}")
        )
        data = reply.json() if reply.content else None
        assert expect is None or reply.status_code == expect, (method, path, reply.status_code, data)
        self.contract.response(method, f"/api/v1{path}", reply.status_code, data)
        return data

    def every_get(self) -> None:
        """Every GET operation: lists first, then each detail from the first row of its list."""
        firsts: dict[str, dict] = {}
        paths = [p for p, ops in self.contract.schema["paths"].items() if "get" in ops]
        for template in sorted(paths, key=lambda p: p.count("{")):
            path = template.removeprefix("/api/v1")
            if "{" not in path:
                reply = self.api.get(f"/api/v1{path}")
                if reply.status_code == 200 and reply["Content-Type"].startswith("application/json"):  # not a file (a zip)
                    self.contract.response("GET", f"/api/v1{path}", 200, reply.json())
                    rows = reply.json().get("results") if isinstance(reply.json(), dict) else None
                    if rows:
                        firsts[path] = rows[0]
                continue
            base, param = re.match(r"^(.*?)\{(\w+)\}", path).groups()
            row = firsts.get(base)
            if row is None:
                continue
            concrete = re.sub(r"\{\w+\}", str(row.get(param, row.get("id"))), path, count=1)
            reply = self.api.get(f"/api/v1{concrete}")
            if reply.status_code == 200 and reply["Content-Type"].startswith("application/json"):
                self.contract.response("GET", f"/api/v1{concrete}", 200, reply.json())


@pytest.fixture
def contract(django_capture_on_commit_callbacks):
    call_command("load_seeds", verbosity=0)
    call_command("seed_demo", verbosity=0)
    return Contract(SchemaGenerator().get_schema(request=None, public=True))


def test_real_responses_match_the_schema_field_by_field(contract, django_capture_on_commit_callbacks):
    users = get_user_model().objects
    teacher, student = Walker(contract, users.get(username="teacher")), Walker(contract, users.get(username="student1"))

    # A student: every read, then a quiz (start, questions, every answer, submit, results), a scenario, review, joining
    student.every_get()
    quiz = student("GET", "/quizzes/")["results"][0]
    attempt = student("POST", "/attempts/", {"quiz": quiz["slug"]})
    for q in student("GET", f"/attempts/{attempt['id']}/questions/"):
        student("POST", f"/attempts/{attempt['id']}/answer/", {"position": q["position"], "response": _response_for(q)}, expect=200)
    with django_capture_on_commit_callbacks(execute=True):
        student("POST", f"/attempts/{attempt['id']}/submit/", expect=200)
    student("GET", f"/attempts/{attempt['id']}/results/", expect=200)
    student("GET", f"/attempts/{attempt['id']}/", expect=200)
    scenario = student("GET", "/scenarios/")["results"][0]
    run = student("POST", "/scenario-runs/", {"scenario": scenario["slug"]})
    step = run["current_step"]
    while step is not None:
        made = student(
            "POST", f"/scenario-runs/{run['id']}/predict/", {"step": step["id"], "choice": step["options"][0]["id"], "confidence": 60}
        )
        step = made["next_step"]
    student("GET", f"/scenario-runs/{run['id']}/", expect=200)
    card = student("GET", "/me/review/next/", expect=200)
    if card["card"] is not None:
        response = _response_for(card["question"])
        body = {"card": card["card"]["id"], "question": card["question"]["id"], "response": response}
        student("POST", "/me/review/answer/", body, expect=200)
    student.every_get()  # again, with the work just done in the lists

    # A teacher: every read, then a class with a group, a student, an assignment, an extension, a new join code
    teacher.every_get()
    classroom = teacher("POST", "/classes/", {"name": "Contract 9B"}, expect=201)
    group = teacher("POST", f"/classes/{classroom['id']}/groups/", {"name": "Table 1"}, expect=201)
    teacher("PATCH", f"/classes/{classroom['id']}/", {"name": "Contract 9B (2026)"}, expect=200)
    student("POST", "/me/classes/join/", {"code": classroom["join_code"]}, expect=201)
    enrolment = teacher("GET", f"/enrolments/?classroom={classroom['id']}")["results"][0]
    teacher("PATCH", f"/enrolments/{enrolment['id']}/", {"group": group["id"]}, expect=200)
    module = teacher("GET", "/modules/")["results"][0]
    dates = {"opens_at": "2026-01-05T08:00:00Z", "due_at": "2030-01-31T12:00:00Z"}
    body = {"classroom": classroom["id"], "module": module["slug"], "collection": module["collection"] or "none", **dates}
    assignment = teacher("POST", "/assignments/", body, expect=201)
    teacher("POST", f"/assignments/{assignment['id']}/extensions/", {"student": "student1", "due_at": "2030-02-28T12:00:00Z"})
    teacher("POST", f"/classes/{classroom['id']}/join-code/", {}, expect=200)
    teacher("POST", f"/classes/{classroom['id']}/join-code/", {"close": True}, expect=200)  # joining closed: no code
    teacher("GET", f"/assignments/{assignment['id']}/results/", expect=200)
    teacher("DELETE", f"/assignments/{assignment['id']}/")
    teacher.every_get()

    # Then the walk saw the operations that matter, and every response kept to the schema
    seen = {where.split(" ")[1] for where in contract.checked}
    assert len(seen) >= 40, sorted(seen)
    assert not contract.problems, "\n".join(sorted(set(contract.problems)))
