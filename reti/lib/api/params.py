"""Query parameters of the API's lists: a name no schema knows is a 400, never ignored."""

from ninja import Schema

from reti.lib.text import control_character, message

from .errors import BadRequest


def check_params(request, *schemas: type[Schema]) -> None:
    """Refuse query parameters no schema knows (a typo never returns everything) and control
    characters (PostgreSQL cannot hold NUL: refused here rather than failing in the query)."""
    known = {name for schema in schemas for name in schema.model_fields}
    for name in request.GET:
        if name not in known:
            raise BadRequest(name, f"Unknown parameter; known ones: {', '.join(sorted(known))}.")
        for value in request.GET.getlist(name):
            character = control_character(value)
            if character is not None:
                raise BadRequest(name, message(character))
