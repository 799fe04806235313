"""When an event takes place, as the events' lists show it."""

from django import template
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html

register = template.Library()


DAY_AND_TIME = "j F Y, H:i"


@register.simple_tag
def event_when(event) -> str:
    """Start and end as two <time> elements, local time; the end's day only when it differs.

    A tag rather than an included template: lists show it on every row, and the include with
    its four date filters cost more than the rest of the row.
    """
    start, end = timezone.localtime(event.start), timezone.localtime(event.end)
    until = format_date(end, "H:i" if start.date() == end.date() else DAY_AND_TIME)
    return format_html(
        '<time datetime="{}">{}</time> – <time datetime="{}">{}</time>',
        start.isoformat(),
        format_date(start, DAY_AND_TIME),
        end.isoformat(),
        until,
    )
