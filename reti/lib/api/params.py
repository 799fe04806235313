"""Query parameters of the API's lists: a name no schema knows is a 400, never ignored."""

from ninja import Schema

from .errors import BadRequest


def check_params(request, *schemas: type[Schema]) -> None:
    """Refuse query parameters no schema knows (a typo never returns everything) and NUL bytes."""
    known = {name for schema in schemas for name in schema.model_fields}
    for name in request.GET:
        if name not in known:
            raise BadRequest(name, f"Unknown parameter; known ones: {', '.join(sorted(known))}.")
        # PostgreSQL text cannot hold NUL: refuse it here rather than fail in the query.
        if any("\x00" in value for value in request.GET.getlist(name)):
            raise BadRequest(name, "NUL characters are not allowed.")
