"""The OpenAPI schema documents every answer the API can give, errors included.

drf-spectacular documents the success of each operation; the errors come from layers it does
not see (authentication, the permission layer, domain services, throttling), so they are added
here for every operation from what the operation takes: a body, query parameters, a path id.
"""

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework.permissions import AllowAny

# DomainError and DRF's own exceptions answer {"detail": ..., "code": ...}.
ERROR_BODY = ResolvedComponent(
    name="Error",
    type=ResolvedComponent.SCHEMA,
    object="Error",
    schema={
        "type": "object",
        "description": "A translated message, and for domain errors a stable code.",
        "properties": {
            "detail": {"type": "string"},
            "code": {"type": "string"},
        },
        "required": ["detail"],
    },
)
# A refused input: the translated messages by field name (DRF's validation errors), a list of
# messages when the whole input is refused, or a detail when the body could not be parsed.
VALIDATION_ERROR_BODY = ResolvedComponent(
    name="ValidationError",
    type=ResolvedComponent.SCHEMA,
    object="ValidationError",
    schema={
        "oneOf": [
            {
                "type": "object",
                "additionalProperties": {
                    "oneOf": [
                        {"type": "string"},
                        {"type": "array", "items": {}},
                        {"type": "object"},
                    ]
                },
            },
            {"type": "array", "items": {"type": "string"}},
        ]
    },
)
ERRORS = {
    "400": "The input is not valid; the messages name the field or parameter.",
    "401": "No valid API token (absent, unknown, expired or no longer usable).",
    "403": "The caller's roles do not allow this.",
    "404": "No such record, or not visible to the caller.",
    "409": "Not possible in the record's current state.",
    "415": "The body is not in a media type this operation reads.",
    "422": "Well-formed, but refused by a rule of the domain.",
    "429": "Too many requests; try again later.",
}
WRITES = ("POST", "PUT", "PATCH", "DELETE")


class ApiTokenScheme(KnoxTokenScheme):
    """Our token authentication is knox's with extra checks: the same `Token <key>` header."""

    match_subclasses = True
    priority = 1
    name = "apiToken"


class QuipuAutoSchema(AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code in self.error_codes(operation):
            responses.setdefault(code, self.error_response(code))
        operation["responses"] = dict(sorted(responses.items()))
        return operation

    def map_parsers(self):
        # The API's bodies are JSON (nested lists and objects); form encodings, which DRF also
        # parses, cannot carry them, so only uploads document multipart.
        media_types = super().map_parsers()
        return ["application/json"] if "application/json" in media_types else media_types

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        # A list that may not be empty (allow_empty=False) says so, as min_length would.
        not_empty = getattr(field, "allow_empty", True) is False
        if direction == "request" and not_empty and schema.get("type") == "array":
            schema.setdefault("minItems", 1)
        return schema

    def error_codes(self, operation: dict) -> list[str]:
        """The error statuses this operation can answer, from what it takes and does."""
        places = {parameter["in"] for parameter in operation.get("parameters", [])}
        writes = self.method in WRITES
        codes = ["401", "429"]
        # Refused by the permission layer, by a service (NotAllowed) or for a missing CSRF token.
        if not all(isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes.append("403")
        if writes or "query" in places:
            codes.append("400")
        if "path" in places or "query" in places:
            codes.append("404")  # a record out of reach, or a page past the last
        if writes:
            codes += ["409", "422"]
        if "requestBody" in operation:
            codes.append("415")
        return codes

    def error_response(self, code: str) -> dict:
        body = VALIDATION_ERROR_BODY if code == "400" else ERROR_BODY
        self.registry.register_on_missing(body)
        return {
            "description": ERRORS[code],
            "content": {"application/json": {"schema": body.ref}},
        }
