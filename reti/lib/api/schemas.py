"""What every app's API shares in its schemas: choices, pages of a list, and error answers."""

from typing import Literal

from ninja import Field, Schema


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
