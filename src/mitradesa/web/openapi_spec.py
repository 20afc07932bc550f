"""The OpenAPI document, made precise where FastAPI cannot infer it from the signatures."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

# What `regions.codes.normalize_code` accepts: dotted or plain digits, or a desa persiapan's
# provisional code. Every `{kode}` of the API is such a code.
REGION_CODE_PATTERN = (r"^(\d{2}(\.\d{2}(\.\d{2}(\.\d{4}(\.[Pp]\d{2})?)?)?)?"
                       r"|\d{2}(\d{2}(\d{2}(\d{4})?)?)?)$")


def _describe_region_codes(spec: dict[str, Any]) -> None:
    for path in spec.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "path" and parameter.get("name") == "kode":
                    parameter["schema"] = {**parameter.get("schema", {}),
                                           "pattern": REGION_CODE_PATTERN}
                    parameter.setdefault("description", "Kemendagri code, e.g. 64.02.04.2001 "
                                                        "or 6402042001")


ERROR_SCHEMA = {
    "title": "Error",
    "type": "object",
    "required": ["error"],
    "properties": {"error": {
        "type": "object",
        "required": ["reason", "message"],
        "properties": {
            "reason": {"type": "string", "description": "A stable key, e.g. region_not_found"},
            "message": {"type": "string", "description": "One plain sentence (Indonesian)"},
            "missing": {"type": "array", "items": {"type": "string"},
                        "description": "What a refused lifecycle step still needs"},
            "unmet": {"type": "array", "items": {},
                      "description": "Graduation criteria that do not hold yet"},
        },
    }},
}
# Every answer of `web.errors` has the Error shape, whichever route gives it.
ERROR_ANSWERS = {
    "400": "Input refused (a domain rule); `message` says why",
    "401": "Not logged in, or no valid API token",
    "403": "Not allowed for this account, or a missing CSRF token",
    "404": "Not found, or outside the account's scope",
    "409": "Refused: a lifecycle step, a duplicate, or an edit based on an old version",
    "413": "Upload too large",
    "415": "Upload of a type that is not accepted",
    "422": "Request does not match the schema; `message` names the field",
}


def _document_errors(spec: dict[str, Any]) -> None:
    spec.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"content": {"application/json": {"schema": {
        "$ref": "#/components/schemas/Error"}}}}
    for path in spec.get("paths", {}).values():
        for operation in path.values():
            answers = operation.setdefault("responses", {})
            for status, meaning in ERROR_ANSWERS.items():
                answers[status] = {"description": meaning, **reference}


def install_openapi(app: FastAPI) -> None:
    def build() -> dict[str, Any]:
        if app.openapi_schema is None:
            spec = get_openapi(title=app.title, version=app.version,
                               description=app.description, routes=app.routes)
            _describe_region_codes(spec)
            _document_errors(spec)
            app.openapi_schema = spec
        return app.openapi_schema

    app.openapi = build  # type: ignore[method-assign]
