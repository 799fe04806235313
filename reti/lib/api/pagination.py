"""Keyset pagination on id: `?cursor=<opaque>&limit=<n>`, answered `{"items", "next"}`.

Computed lists (the monitoring's analytics: a few thousand rows built in memory, in a fixed
order) page the same way with `paginate_rows`: the cursor is then the count of rows served.

Each page is `WHERE id > <last id> ORDER BY id LIMIT n + 1`, one index range scan however deep
the page, so walking two million projects stays as fast on the last page as on the first. No
total count: COUNT(*) over millions of filtered rows would cost more than the page itself.
"""

import base64
import binascii

from django.conf import settings
from ninja import Field, Schema

from .errors import BadRequest

CURSOR_PREFIX = "id:"


class PageParams(Schema):
    cursor: str | None = Field(None, description="The `next` link's cursor; omit for page one.")
    limit: int | None = Field(
        None,
        ge=1,
        le=settings.RETI_API_MAX_PAGE_SIZE,
        description="Rows a page (default RETI_API_PAGE_SIZE, at most RETI_API_MAX_PAGE_SIZE).",
    )


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The id a cursor points after; BadRequest for anything this API did not hand out."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        text = base64.urlsafe_b64decode(padded.encode()).decode()
        if text.startswith(CURSOR_PREFIX):
            value = int(text[len(CURSOR_PREFIX) :])
            if value >= 0:
                return value
    except (binascii.Error, UnicodeError, ValueError):
        pass
    raise BadRequest("cursor", "Invalid cursor: use the `next` link of the previous page.")


def page_size(limit: int | None) -> int:
    maximum = settings.RETI_API_MAX_PAGE_SIZE
    if limit is None:
        return min(settings.RETI_API_PAGE_SIZE, maximum)
    if limit > maximum:
        raise BadRequest("limit", f"At most {maximum} rows a page.")
    return limit


def paginate(request, queryset, page: PageParams) -> dict:
    """One page of `queryset` after the cursor, ordered by id, with the link to the next."""
    size = page_size(page.limit)
    if page.cursor:
        queryset = queryset.filter(pk__gt=decode_cursor(page.cursor))
    rows = list(queryset.order_by("pk")[: size + 1])
    next_url = None
    if len(rows) > size:
        rows = rows[:size]
        query = request.GET.copy()
        query["cursor"] = encode_cursor(rows[-1].pk)
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"items": rows, "next": next_url}


def paginate_rows(request, rows: list, page: PageParams) -> dict:
    """One page of `rows` (a list in a fixed order) after the cursor, with the link to the
    next; the cursor counts the rows served before it."""
    size = page_size(page.limit)
    start = decode_cursor(page.cursor) if page.cursor else 0
    if start > len(rows):
        raise BadRequest("cursor", "Invalid cursor: use the `next` link of the previous page.")
    items = rows[start : start + size]
    next_url = None
    if start + size < len(rows):
        query = request.GET.copy()
        query["cursor"] = encode_cursor(start + size)
        next_url = request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
    return {"items": items, "next": next_url}
