"""drf-spectacular customisation: tags by area, and the one error format documented on every operation.

Each operation gets the 4xx responses it can return (from its shape: parameters, body, auth),
and every 4xx response a view declares without a body gets the `Error` body.
"""

from __future__ import annotations

import json
import re

from drf_spectacular import openapi
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter

from quizzes.errors import ERRORS, ErrorCode


def describe(codes: list[ErrorCode]) -> str:
    return " ".join(f"`{code}`: {ERRORS[code].meaning}" for code in codes)


ERROR_REF = {"$ref": "#/components/schemas/Error"}

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every 4xx response has this shape.",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {
                    "type": "string",
                    "enum": [code.value for code in ErrorCode],
                    "description": "Stable, for programs (quizzes.errors.ERRORS): "
                    + "; ".join(f"`{code}` ({info.status}): {info.meaning}" for code, info in ERRORS.items()),
                },
                "message": {"type": "string", "description": "For people."},
                "fields": {
                    "type": "object",
                    "additionalProperties": {},
                    "description": "Only when code is `invalid`: each bad field (or non_field_errors) with its messages.",
                },
            },
            "required": ["code", "message"],
        }
    },
    "required": ["error"],
}

# What any operation may answer with each status, from the table (learner actions are declared per view).
GENERIC = {
    str(status): " ".join(f"`{code}`: {info.meaning}" for code, info in ERRORS.items() if info.status == status and not info.learner_action)
    for status in (400, 401, 403, 404, 415)
}


# A summary for each standard action of a model viewset, from its model's name; other operations
# carry their own (extend_schema(summary=...)) or take the first sentence of their description.
ACTION_SUMMARIES = {
    "list": "List {plural}",
    "retrieve": "Get one {singular}",
    "create": "Create {article} {singular}",
    "update": "Replace {article} {singular}",
    "partial_update": "Change {article} {singular}",
    "destroy": "Delete {article} {singular}",
}


# Where the rule above would say too little (an archive, not a delete; "my"; sign-in) or a first
# sentence is too long, the summary is written here, by method and path.
SUMMARIES = {
    ("DELETE", "/api/v1/assignments/{id}/"): "Archive an assignment (its work is kept)",
    ("DELETE", "/api/v1/classes/{id}/"): "Archive a class (its students and work are kept)",
    ("GET", "/api/v1/classes/"): "List my classes",
    ("GET", "/api/v1/classes/{id}/"): "Get one of my classes",
    ("POST", "/api/v1/classes/"): "Create a class (I teach it)",
    ("PATCH", "/api/v1/classes/{id}/"): "Change a class",
    ("POST", "/api/v1/enrolments/"): "Enrol a student in one of my classes",
    ("PATCH", "/api/v1/enrolments/{id}/"): "Move a student to another group",
    ("DELETE", "/api/v1/enrolments/{id}/"): "Take a student out of a class (their work is kept)",
    ("POST", "/api/v1/attempts/"): "Start a quiz attempt, or resume my open one",
    ("GET", "/api/v1/attempts/"): "List my quiz attempts",
    ("GET", "/api/v1/attempts/{id}/"): "Get one of my quiz attempts",
    ("GET", "/api/v1/attempts/{id}/questions/"): "List the attempt's questions",
    ("GET", "/api/v1/attempts/{id}/results/"): "Get the attempt's score and feedback",
    ("POST", "/api/v1/scenario-runs/"): "Start a scenario run, or resume my open one",
    ("GET", "/api/v1/scenario-runs/"): "List my scenario runs",
    ("GET", "/api/v1/scenario-runs/{id}/"): "Get one of my scenario runs",
    ("POST", "/api/v1/auth/token/"): "Sign in: a username and password for my API token",
    ("DELETE", "/api/v1/auth/token/"): "Sign out: revoke my API token",
    ("POST", "/api/v1/auth/token/new/"): "Issue a new integration token (the previous one stops working)",
    ("GET", "/api/v1/me/"): "Get the signed-in user",
    ("GET", "/api/v1/me/assignments/"): "List my assignments with my progress",
    ("GET", "/api/v1/me/assignments/{id}/"): "Get one of my assignments with my progress",
    ("POST", "/api/v1/me/classes/join/"): "Join a class with its join code",
    ("GET", "/api/v1/me/progress/"): "Get my progress",
    ("GET", "/api/v1/me/review/"): "List my review cards",
    ("GET", "/api/v1/me/review/next/"): "Get my next review card with its question",
    ("GET", "/api/v1/modules/"): "List modules",
    ("GET", "/api/v1/modules/{slug}/"): "Get one module",
    ("GET", "/api/v1/quizzes/"): "List quizzes",
    ("GET", "/api/v1/quizzes/{slug}/"): "Get one quiz",
    ("GET", "/api/v1/quizzes/{slug}/statistics/"): "Get a quiz's item statistics",
    ("GET", "/api/v1/sources/"): "List the source articles",
    ("GET", "/api/v1/sources/{slug}/"): "Get one source article with its full text",
    ("GET", "/api/v1/teacher/attempts/"): "List my students' quiz attempts",
    ("GET", "/api/v1/teacher/attempts/{id}/"): "Get one student's attempt with every answer",
    ("GET", "/api/v1/assignments/"): "List my classes' assignments",
    ("GET", "/api/v1/assignments/{id}/results/"): "Get an assignment's results, student by student",
    ("POST", "/api/v1/assignments/{id}/extensions/"): "Give a student a later due date",
    ("POST", "/api/v1/classes/{id}/groups/"): "Add a group to a class",
    ("POST", "/api/v1/classes/{id}/join-code/"): "Give a class a new join code, or close joining",
}


class AutoSchema(openapi.AutoSchema):
    """Tags each operation by the views module it comes from: content, auth, learner, teacher; gives
    every operation a summary (Redocly's operation-summary rule: clients and docs list operations by it)."""

    def get_tags(self) -> list[str]:
        return [type(self.view).__module__.rsplit(".", 1)[-1]]

    def get_summary(self) -> str | None:
        if (self.method, self.path) in SUMMARIES:
            return SUMMARIES[self.method, self.path]
        action = getattr(self.view, "action", None)
        queryset = getattr(self.view, "queryset", None)
        if action in ACTION_SUMMARIES and queryset is not None:
            meta = queryset.model._meta
            singular, plural = str(meta.verbose_name), str(meta.verbose_name_plural)
            article = "an" if singular[:1] in "aeiou" else "a"
            return ACTION_SUMMARIES[action].format(singular=singular, plural=plural, article=article)
        first = re.split(r"(?<=[.;:])\s", (self.get_description() or "").strip(), maxsplit=1)[0]
        return first.rstrip(".;:") or None

    def get_override_parameters(self):
        from quizzes.api.idempotency import HEADER, Idempotent

        params = super().get_override_parameters()
        extra = getattr(self.view, "extra_query_parameters", None)
        if extra is not None and "collection" in extra():
            params = [
                *params,
                OpenApiParameter(
                    "collection",
                    str,
                    OpenApiParameter.QUERY,
                    required=False,
                    description="A collection slug: needed where several collections use this slug (400 otherwise).",
                ),
            ]
        if self.method == "POST" and isinstance(self.view, Idempotent):
            params = [
                *params,
                OpenApiParameter(
                    HEADER,
                    str,
                    OpenApiParameter.HEADER,
                    required=False,
                    description="Any unique string (a UUID) to make a retry safe: the same key with the same body within "
                    "24 hours replays the first successful response (header `Idempotent-Replayed: true`) instead of "
                    "doing it again; the same key with another body is refused (409 `idempotency_key_reused`).",
                ),
            ]
        return params


def _codes(path: str, operation: dict) -> list[str]:
    params = operation.get("parameters", [])
    public = {} in operation.get("security", [])
    # 400 on every operation: a query parameter it does not list is refused (quizzes.api.query.StrictQuery).
    codes = ["401", "400"]
    if not public:
        codes.append("403")
    if "{" in path or any(p["name"] == "page" for p in params):
        codes.append("404")
    if "requestBody" in operation:
        codes.append("415")
    return codes


def error_responses(result, generator, request, public):
    """Add the Error component and each operation's possible error responses; request bodies take no unknown fields."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = ERROR_SCHEMA
    for name, component in schemas.items():
        if name.endswith("Request"):  # request bodies (serializers.StrictJSON refuses unknown fields)
            component["additionalProperties"] = False
    for path, operations in result.get("paths", {}).items():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            if any(p["in"] == "header" and p["name"] == "Idempotency-Key" for p in operation.get("parameters", [])):
                conflict = describe([ErrorCode.IDEMPOTENCY_KEY_REUSED, ErrorCode.IDEMPOTENCY_KEY_IN_USE])
                response = responses.setdefault("409", {"description": conflict})
                if conflict not in response["description"]:
                    response["description"] = f"{response['description']} {conflict}".strip()
            for code in _codes(path, operation):
                response = responses.setdefault(code, {"description": GENERIC[code]})
                if GENERIC[code] not in response.get("description", ""):  # a view's own codes for this status, and the generic ones
                    response["description"] = f"{GENERIC[code]} {response.get('description', '')}".strip()
            for code, response in responses.items():
                if code.startswith("4"):
                    response.setdefault("content", {"application/json": {"schema": ERROR_REF}})
    return result


class IntegrationScheme(OpenApiAuthenticationExtension):
    """Integration credentials in the schema: OAuth2 client credentials, each operation with the scope it needs."""

    target_class = "quizzes.integrations.oauth.IntegrationAuthentication"
    name = "integration"

    def get_security_requirement(self, auto_schema):
        from django.urls import Resolver404, resolve

        from quizzes.integrations.scopes import scope_required

        try:
            match = resolve(re.sub(r"\{[^}]+\}", "1", auto_schema.path))
        except Resolver404:
            return None
        needed = scope_required(match.url_name, auto_schema.method)
        if needed is None:
            return None  # not open to integration credentials
        return {self.name: [needed] if needed else []}

    def get_security_definition(self, auto_schema):
        from quizzes.integrations.scopes import all_scopes

        return {"type": "oauth2", "flows": {"clientCredentials": {"tokenUrl": "/o/token/", "scopes": all_scopes()}}}


# --- the contract's general rules (issue 24 point 7), applied after drf-spectacular's enum hook -------


def _ref_name(schema: dict) -> str | None:
    ref = schema.get("$ref", "")
    return ref.rsplit("/", 1)[-1] if ref.startswith("#/components/schemas/") else None


def _walk(node, visit) -> None:
    """Every schema object under `node` (dicts inside dicts and lists), parents before children."""
    if isinstance(node, dict):
        visit(node)
        for value in list(node.values()):
            _walk(value, visit)
    elif isinstance(node, list):
        for value in node:
            _walk(value, visit)


def _one_enum_with_blank(schemas: dict) -> None:
    """A choice that may be blank ("" for "not given": Option.side outside matching, a date's precision
    when there is no date) is one enum holding "" too, `<Name>OrBlankEnum`, instead of drf-spectacular's
    oneOf of the enum and a separate BlankEnum, which clients generate as two types for one field."""

    def visit(node: dict) -> None:
        parts = node.get("oneOf")
        if not isinstance(parts, list) or len(parts) != 2:
            return
        names = [_ref_name(p) for p in parts]
        if "BlankEnum" not in names or None in names:
            return
        base = next(n for n in names if n is not None and n != "BlankEnum")
        enum = schemas.get(base, {})
        if "enum" not in enum:
            return
        merged = f"{base.removesuffix('Enum')}OrBlankEnum"
        description = enum.get("description", "")
        schemas.setdefault(merged, {"type": "string", "enum": [*enum["enum"], ""]} | ({"description": description} if description else {}))
        del node["oneOf"]
        ref = {"$ref": f"#/components/schemas/{merged}"}
        if node:  # a description or readOnly beside it: OpenAPI 3.0 ignores siblings of a bare $ref
            node["allOf"] = [ref]
        else:
            node.update(ref)

    _walk(schemas, visit)


def _unused_pruned(result: dict) -> None:
    """Components nothing refers to (the enums merged above; request shapes of nested serializers
    that are only ever read) are left out, so the schema lists only what clients meet."""
    schemas = result.get("components", {}).get("schemas", {})
    while True:
        text = json.dumps({"paths": result.get("paths", {}), "schemas": schemas}, default=str)
        unused = [name for name in schemas if f'"#/components/schemas/{name}"' not in text]
        if not unused:
            return
        for name in unused:
            del schemas[name]


def _nullable_as_null_type(schemas: dict) -> None:
    """The schema is OpenAPI 3.1 (settings: OAS_VERSION), where null is a type: drf-spectacular writes
    nullable fields so (`type: [string, "null"]`, `oneOf: [$ref, {type: "null"}]`), but schemas written
    by others (DRF's pagination: next and previous) still say 3.0's `nullable: true`, which 3.1 does not
    know (Redocly: struct). Under 3.0 a nullable reference needed a `type` beside it for Redocly, and
    with one, openapi-python-client dropped the null (a question's `feedback: null` failed to parse)."""

    def visit(node: dict) -> None:
        if "nullable" not in node:
            return
        if not node.pop("nullable"):
            return
        kind = node.get("type")
        if isinstance(kind, str):
            node["type"] = [kind, "null"]
        elif isinstance(kind, list):
            node["type"] = [*kind, "null"] if "null" not in kind else kind
        else:
            alternatives = [{"allOf": node.pop("allOf")}] if "allOf" in node else node.pop("oneOf", [])
            node["oneOf"] = [*alternatives, {"type": "null"}]

    _walk(schemas, visit)


def _request_components(result: dict) -> set[str]:
    """Components reachable from any request body or parameter (the rest describe only responses)."""
    schemas = result.get("components", {}).get("schemas", {})
    seen: set[str] = set()
    todo = []

    def collect(node) -> None:
        def visit(n: dict) -> None:
            name = _ref_name(n)
            if name and name not in seen:
                seen.add(name)
                todo.append(name)

        _walk(node, visit)

    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            collect(operation.get("requestBody", {}))
            collect(operation.get("parameters", []))
    while todo:
        collect(schemas.get(todo.pop(), {}))
    return seen


def _responses_required(result: dict) -> None:
    """Every field of a response is always there (DRF writes each declared field, null when it has no
    value; pagination writes next and previous, null at the ends), so response components list every
    property as required. Only request bodies keep optional fields (drf-spectacular marks a model field
    with a default or blank=True optional in both directions, which made 46 always-present fields look
    optional to clients). tests/api/test_contract_walk.py holds real responses to this."""
    schemas = result.get("components", {}).get("schemas", {})
    requests = _request_components(result)
    for name, component in schemas.items():
        if name in requests or "properties" not in component:
            continue
        component["required"] = sorted(component["properties"])


def contract_rules(result, generator, request, public):
    """drf-spectacular postprocessing hook: one enum per choice field, null as a type, required response fields."""
    schemas = result.get("components", {}).get("schemas", {})
    _one_enum_with_blank(schemas)
    _nullable_as_null_type(schemas)
    _responses_required(result)
    _unused_pruned(result)
    return result
