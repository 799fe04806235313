"""A JSON body read by the view, after it has checked who is asking.

Django Ninja validates a declared body before the view runs, so a caller who may not write
learns from a 400 what the body should have been. Operations whose refusal must come first
read their body with `read_body` after the permission check, and declare it in the OpenAPI
schema with `json_body`, so the contract a client sees is unchanged.
"""

import json

from ninja import Schema
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import ValidationError

from .errors import BadRequest


def json_body(schema: type[Schema]) -> dict:
    """`openapi_extra` declaring `schema` as the operation's required JSON body."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }


def read_body(request, schema: type[Schema]) -> Schema:
    """The request's JSON body as `schema`; a 400 in Reti's format names what is wrong."""
    try:
        data = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, ValueError):
        raise BadRequest(None, "Cannot parse request body") from None
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        errors = [{**e, "loc": ("body", "payload", *e["loc"])} for e in exc.errors()]
        raise NinjaValidationError(errors) from None
