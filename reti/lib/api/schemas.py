"""What every app's API shares in its schemas: ids, input, choices, pages and error answers."""

from typing import Annotated, ClassVar, Literal

from django.db import models
from ninja import Field, Schema
from pydantic import ConfigDict, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from reti.lib.text import control_character, message

# The largest value of a 64-bit signed key (bigint): a larger id names no record, and the
# database drivers overflow on it instead of finding nothing.
MAX_ID = 2**63 - 1

Id = Annotated[int, Field(ge=1, le=MAX_ID)]
"""A record's id, in a body, a query or a path: out of range answers 400, never 500."""

Count = Annotated[int, Field(ge=0, le=2**31 - 1)]
"""A count stored in a (positive) integer column."""


def text_fields(model: type[models.Model]) -> frozenset[str]:
    """The names of `model`'s multi-line text fields (TextField), for `Input.multiline`."""
    return frozenset(f.name for f in model._meta.get_fields() if isinstance(f, models.TextField))


class Input(Schema):
    """What a request body is read with: unknown fields refused, and no control characters in
    text (reti/lib/text.py); fields named in `multiline` may hold tabs and line breaks."""

    # A misspelt field would otherwise be dropped silently.
    model_config = ConfigDict(extra="forbid")
    multiline: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_characters(cls, value, info: ValidationInfo):
        texts = value if isinstance(value, list | tuple) else [value]
        for text in texts:
            if isinstance(text, str):
                character = control_character(text, info.field_name in cls.multiline)
                if character is not None:
                    raise PydanticCustomError("control_character", message(character))
        return value


def choice(choices) -> type:
    """A Literal of a TextChoices' values, so the schema lists them and bad values fail."""
    return Literal[tuple(choices.values)]


def page_of(item: type[Schema], name: str) -> type[Schema]:
    """The schema of one page of a list: its items and the URL of the next page."""
    return type(
        name,
        (Schema,),
        {
            "__annotations__": {"items": list[item], "next": str | None},
            "next": Field(description="The next page, or null on the last one."),
            "__doc__": f"A page of {item.__name__} rows, ordered by id.",
        },
    )


class FieldError(Schema):
    field: str | None = Field(description="The body field or query parameter; null for none.")
    message: str


class BadInput(Schema):
    detail: list[FieldError]


class Message(Schema):
    detail: str


READ_ERRORS = {400: BadInput, 404: Message}
WRITE_ERRORS = {400: BadInput, 401: Message, 403: Message, 404: Message, 409: Message}
