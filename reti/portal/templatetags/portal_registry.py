from django import template
from django.urls import reverse
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from reti.lib.models import translated

register = template.Library()


@register.filter
def organisation_url(organisation) -> str:
    """The organisation's public page."""
    return reverse("portal:organisation_detail", args=[organisation.pk])


@register.filter
def term(record) -> str:
    """A role's or a partnership's dates as people say them: "dal … al …", "attestata il …"."""
    start, end = record.start_date, record.end_date
    attested = getattr(record, "attested_on", None)

    def day(value):
        text = formats.date_format(value, "j F Y")
        # Italian writes month names in lower case ("5 novembre 2011").
        return text.lower() if (get_language() or "it").startswith("it") else text

    if start and end:
        return _("dal %(start)s al %(end)s") % {"start": day(start), "end": day(end)}
    if start:
        return _("dal %(start)s") % {"start": day(start)}
    if end:
        return _("fino al %(end)s") % {"end": day(end)}
    if attested:
        return _("attestata il %(date)s") % {"date": day(attested)}
    return _("date non note")


@register.filter
def tr(record, field: str) -> str:
    """The Italian or English text of `field` (`field_it` / `field_en`), by the page's language."""
    return translated(record, field)


@register.filter
def lines(text: str) -> list[str]:
    """The non-empty lines of a text that keeps one item a line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


@register.filter
def source(record) -> str:
    """A record's source as a small note beside it ("Fonte: … slide 7").

    A filter rather than an included template: a network's page shows it for every role,
    group, link and action, and an include costs a context and a template render each time.
    """
    label = record.source_label or _("non indicata")
    return format_html('<small class="text-muted source">{}: {}</small>', _("Fonte"), label)
