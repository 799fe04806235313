"""The calendar on the portal (a month grid and its list) and the iCalendar feeds."""

import calendar
from datetime import date, datetime, time, timedelta

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from reti.lib import lists
from reti.registry.models import Network, Theme

from . import ical
from .models import Event, Registration


class MonthForm(lists.FilterForm):
    """The calendar's month, `YYYY-MM` (`mese` before the site's parameters spoke English)."""

    month = forms.RegexField(required=False, regex=r"^\d{4}-(0[1-9]|1[0-2])$")


def _month(value: str | None) -> date:
    """The first day of the month `YYYY-MM`, this month when missing."""
    if value:
        year, month = (int(part) for part in value.split("-"))
        if year >= 1:
            return date(year, month, 1)
    return timezone.localdate().replace(day=1)


@require_safe
@lists.filtered_by(MonthForm)
def month_calendar(request, filters: MonthForm):
    first = _month(filters.values.get("month"))
    days_in_month = calendar.monthrange(first.year, first.month)[1]
    last = first + timedelta(days=days_in_month - 1)
    zone = timezone.get_current_timezone()
    since = datetime.combine(first, time.min, tzinfo=zone)
    until = datetime.combine(last + timedelta(days=1), time.min, tzinfo=zone)
    events = list(
        Event.objects.filter(start__lt=until, end__gte=since)
        .select_related("host")
        .order_by("start", "id")[:500]
    )
    by_day: dict[date, list[Event]] = {}
    for event in events:
        day = max(timezone.localtime(event.start).date(), first)
        end_day = min(timezone.localtime(event.end).date(), last)
        while day <= end_day:
            by_day.setdefault(day, []).append(event)
            day += timedelta(days=1)
    weeks = [
        [(day, by_day.get(day, []), day.month == first.month) for day in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    previous = (first - timedelta(days=1)).replace(day=1)
    following = last + timedelta(days=1)
    return render(
        request,
        "events/calendar.html",
        {
            "month": first,
            "weeks": weeks,
            "events": events,
            "weekdays": [date(2024, 1, day) for day in range(1, 8)],  # Monday to Sunday
            "previous": previous.strftime("%Y-%m"),
            "following": following.strftime("%Y-%m"),
            "problems": filters.problems,
        },
    )


def _feed(events, name: str, filename: str, scope: str) -> HttpResponse:
    body = ical.cached_feed(events, name, scope)
    response = HttpResponse(body, content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    return response


@require_safe
def feed_all(request):
    return _feed(Event.objects.all(), _("Eventi delle reti — Reti"), "eventi", "all")


@require_safe
def feed_network(request, slug: str):
    network = get_object_or_404(Network, slug=slug)
    name = _("Eventi di %(network)s — Reti") % {"network": network}
    return _feed(
        Event.objects.filter(network=network),
        name,
        f"eventi-{network.slug}",
        f"network:{network.pk}",
    )


@require_safe
def feed_theme(request, code: str):
    theme = get_object_or_404(Theme, code=code)
    name = _("Eventi sul tema %(theme)s — Reti") % {"theme": theme.name}
    return _feed(
        Event.objects.filter(themes=theme), name, f"eventi-tema-{theme.code}", f"theme:{theme.pk}"
    )


@require_safe
def feed_event(request, pk: int):
    """One event as its own calendar file, to add it to a calendar from its page."""
    event = get_object_or_404(Event, pk=pk)
    rows = Event.objects.filter(pk=event.pk).values(*ical.FEED_FIELDS)
    body = ical.build_calendar(rows, event.title)
    response = HttpResponse(body, content_type=ical.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="evento-{event.pk}.ics"'
    return response


@require_safe
def feed_personal(request, token: str):
    """The events a user registered for (not cancelled), at the secret address shown on their
    account page: calendar clients poll it without signing in. A changed password changes it."""
    user = ical.user_for_feed_token(token)
    if user is None:
        raise Http404
    registered = Registration.objects.filter(user=user).exclude(
        status=Registration.Status.CANCELLED
    )
    events = Event.objects.filter(pk__in=registered.values("event_id"))
    return _feed(events, _("I miei eventi — Reti"), "miei-eventi", f"user:{user.pk}")
