"""drf-spectacular customisation: tags by area, and the one error format documented on every operation.

Each operation gets the 4xx responses it can return (from its shape: parameters, body, auth),
and every 4xx response a view declares without a body gets the `Error` body.
"""

from __future__ import annotations

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


class AutoSchema(openapi.AutoSchema):
    """Tags each operation by the views module it comes from: content, auth, learner, teacher."""

    def get_tags(self) -> list[str]:
        return [type(self.view).__module__.rsplit(".", 1)[-1]]

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
