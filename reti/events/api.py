"""Study visits, peer reviews, seminars and meetings: registrations, outputs, iCalendar.

Reads are public (registrations: organisers only); writes need a token and go through
`reti.events.actions`, so the API enforces the portal's rules and writes the same audit.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, PatchDict, Query, Router, Schema, Status

from reti.accounts.auth import api_token_auth
from reti.lib.api.bodies import json_body, read_body
from reti.lib.api.errors import RecordValidationError
from reti.lib.api.pagination import PageParams, paginate
from reti.lib.api.params import check_params
from reti.lib.api.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Count,
    Id,
    Input,
    Message,
    choice,
    page_of,
    text_fields,
)
from reti.lib.api.writes import Ref, apply
from reti.registry.models import Network, Organisation, Project, Theme, WorkingGroup

from . import actions, calendar_views, permissions, queries
from .models import Event, Registration

router = Router(tags=["events"])

# The feeds answer text/calendar, which Ninja cannot infer from a schema.
ICALENDAR = {
    "responses": {
        200: {
            "description": "An iCalendar (RFC 5545) feed.",
            "content": {"text/calendar": {"schema": {"type": "string"}}},
        }
    }
}

REFS = {
    "host": Ref(Organisation),
    "network": Ref(Network, "slug"),
    "project": Ref(Project),
    "working_group": Ref(WorkingGroup),
    "themes": Ref(Theme, "code", many=True),
}


class EventFilterParams(Schema):
    kind: choice(Event.Kind) | None = None
    network: str | None = Field(None, description="Network slug.")
    theme: str | None = Field(None, description="Theme code.")
    when: str = Field("all", pattern="^(upcoming|past|all)$")
    q: str | None = Field(None, max_length=200, description="Words of the title.")


class EventItem(Schema):
    id: int
    uid: str
    kind: choice(Event.Kind)
    title_it: str
    title_en: str
    host: int | None = Field(None, alias="host_id")
    network: str | None = None
    start: datetime
    end: datetime
    place: str
    online_url: str
    capacity: int | None
    registration_deadline: datetime | None
    synthetic: bool

    @staticmethod
    def resolve_uid(obj):
        return str(obj.uid)

    @staticmethod
    def resolve_network(obj):
        return obj.network.slug if obj.network_id else None


class Participant(Schema):
    name: str
    affiliation: str


class EventDetail(EventItem):
    summary_it: str
    summary_en: str
    agenda_it: str
    agenda_en: str
    minutes_it: str
    minutes_en: str
    project: int | None = Field(None, alias="project_id")
    working_group: int | None = Field(None, alias="working_group_id")
    themes: list[str]
    practices: list[int]
    seats_taken: int
    registration_open: bool
    participants: list[Participant]

    @staticmethod
    def resolve_themes(obj):
        return [theme.code for theme in obj.themes.all()]

    @staticmethod
    def resolve_practices(obj):
        return [practice.pk for practice in obj.practices.all()]

    @staticmethod
    def resolve_seats_taken(obj):
        return queries.seats_taken(obj)

    @staticmethod
    def resolve_registration_open(obj):
        return obj.registration_is_open()

    @staticmethod
    def resolve_participants(obj):
        return queries.public_participants(obj)


class EventIn(Input):
    multiline = text_fields(Event)
    kind: choice(Event.Kind)
    title_it: str
    title_en: str = ""
    summary_it: str = ""
    summary_en: str = ""
    host: Id = Field(description="Id of the host organisation.")
    network: str | None = Field(None, description="Network slug.")
    project: Id | None = None
    working_group: Id | None = None
    themes: list[str] = Field([], description="Theme codes.")
    place: str = ""
    online_url: str = ""
    start: datetime
    end: datetime
    agenda_it: str = ""
    agenda_en: str = ""
    capacity: Count | None = None
    registration_deadline: datetime | None = None


class RegistrationIn(Input):
    name: str = Field("", description="Defaults to the token user's name.")
    email: str = Field("", description="Defaults to the token user's e-mail.")
    affiliation: str = ""
    language: choice(Registration.Language) = "it"
    public_consent: bool = False


class RegistrationOut(Schema):
    id: int
    event: int = Field(alias="event_id")
    name: str
    email: str
    affiliation: str
    language: str
    status: choice(Registration.Status)
    position: int
    public_consent: bool
    attended: bool | None
    created_at: datetime


class CancelOut(Schema):
    cancelled: RegistrationOut
    promoted: RegistrationOut | None


class AttendanceIn(Input):
    attended: dict[Id, bool | None] = Field(description="Registration id → attended.")


def _run(action, *args, model=Event, **kwargs):
    try:
        return action(*args, **kwargs)
    except DjangoValidationError as exc:
        raise RecordValidationError(exc, model) from exc


def _event(pk: int) -> Event:
    return get_object_or_404(Event.objects.select_related("network"), pk=pk)


@router.get(
    "/events", response={200: page_of(EventItem, "EventPage"), **READ_ERRORS}, url_name="event_list"
)
def list_events(request, filters: Query[EventFilterParams], page: Query[PageParams]):
    """Events by id; filter by kind, network, theme, upcoming or past, words of the title."""
    check_params(request, EventFilterParams, PageParams)
    chosen = queries.EventFilters(**{k: v or "" for k, v in filters.dict().items()})
    events = queries.filter_events(chosen).select_related("network")
    return paginate(request, events, page)


@router.get(
    "/events/{event_id}", response={200: EventDetail, **READ_ERRORS}, url_name="event_detail"
)
def get_event(request, event_id: Id):
    """An event with its agenda, seats, consented participants and minutes."""
    return _event(event_id)


@router.post("/events", response={201: EventDetail, **WRITE_ERRORS}, auth=api_token_auth)
def create_event(request, payload: EventIn):
    """Create an event (editors of the host, the network's secretariat, staff)."""
    event = Event()
    m2m = apply(event, payload.dict(), REFS)
    _run(actions.save_event, request.auth, event, themes=m2m.get("themes"), reason="api")
    return Status(201, event)


@router.patch(
    "/events/{event_id}", response={200: EventDetail, **WRITE_ERRORS}, auth=api_token_auth
)
def update_event(request, event_id: Id, payload: PatchDict[EventIn]):
    """Change an event (its organisers); more seats confirm people on the waiting list."""
    event = _event(event_id)
    m2m = apply(event, dict(payload), REFS)
    _run(actions.save_event, request.auth, event, themes=m2m.get("themes"), reason="api")
    return event


@router.get(
    "/events/{event_id}/registrations",
    response={200: list[RegistrationOut], **WRITE_ERRORS},
    auth=api_token_auth,
)
def list_registrations(request, event_id: Id):
    """Every registration in order of arrival (organisers only)."""
    event = _event(event_id)
    if not permissions.can_organise(request.auth, event):
        raise PermissionDenied("Only the event's organisers see its registrations.")
    return event.registrations.order_by("position")


@router.post(
    "/events/{event_id}/registrations",
    response={201: RegistrationOut, **WRITE_ERRORS},
    auth=api_token_auth,
)
def register(request, event_id: Id, payload: RegistrationIn):
    """Register the token's user: confirmed while seats last, then wait-listed."""
    registration = _run(
        actions.register, request.auth, _event(event_id), **payload.dict(), model=Registration
    )
    return Status(201, registration)


@router.delete(
    "/events/{event_id}/registrations/{registration_id}",
    response={200: CancelOut, **WRITE_ERRORS},
    auth=api_token_auth,
)
def cancel(request, event_id: Id, registration_id: Id):
    """Cancel a registration (its owner or an organiser); says who was promoted."""
    registration = get_object_or_404(Registration, pk=registration_id, event_id=event_id)
    promoted = _run(actions.cancel_registration, request.auth, registration, model=Registration)
    registration.refresh_from_db()
    return {"cancelled": registration, "promoted": promoted}


@router.post(
    "/events/{event_id}/attendance",
    response={200: dict, **WRITE_ERRORS},
    auth=api_token_auth,
    url_name="event_attendance",
    openapi_extra=json_body(AttendanceIn),
)
def attendance(request, event_id: Id):
    """Record who attended (organisers); anyone else is refused before the body is read."""
    event = _event(event_id)
    if not permissions.can_organise(request.auth, event):
        raise PermissionDenied("You do not organise this event.")
    payload = read_body(request, AttendanceIn)
    changed = actions.record_attendance(request.auth, event, payload.attended)
    return {"changed": changed}


@router.get("/calendar/events.ics", url_name="calendar_all", openapi_extra=ICALENDAR)
def calendar_all(request):
    """iCalendar (RFC 5545) of recent and upcoming events."""
    return calendar_views.feed_all(request)


@router.get(
    "/calendar/networks/{slug}.ics",
    url_name="calendar_network",
    response={404: Message},
    openapi_extra=ICALENDAR,
)
def calendar_network(request, slug: str):
    """iCalendar of a network's events."""
    return calendar_views.feed_network(request, slug)


@router.get(
    "/calendar/themes/{code}.ics",
    url_name="calendar_theme",
    response={404: Message},
    openapi_extra=ICALENDAR,
)
def calendar_theme(request, code: str):
    """iCalendar of the events on a theme."""
    return calendar_views.feed_theme(request, code)
