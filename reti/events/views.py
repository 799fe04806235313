"""Public pages of events: the list, a page per event, registering and cancelling."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from reti.lib import cache, lists
from reti.lib.forms import add_errors
from reti.registry import changes
from reti.registry import permissions as registry_permissions
from reti.registry.models import Network, Organisation, Theme

from . import actions, permissions, queries
from .forms import EventFilterForm, RegistrationForm
from .models import Event, Registration
from .tables import EVENTS

PAGE_SIZE = 25


def _chosen(filters: EventFilterForm) -> queries.EventFilters:
    """The filters as the query takes them; a network or theme no record has is reported."""
    data = filters.values
    if data.get("network") and not Network.objects.filter(slug=data["network"]).exists():
        filters.refuse("network")
    if data.get("theme") and not Theme.objects.filter(code=data["theme"]).exists():
        filters.refuse("theme")
    data = filters.values
    return queries.EventFilters(
        kind=data.get("kind", ""),
        network=data.get("network", ""),
        theme=data.get("theme", ""),
        when=data.get("when") or "upcoming",
        q=data.get("q", ""),
        host=data.get("host"),
    )


def _network_choices() -> list[tuple[str, str]]:
    """The network filter's (slug, name) pairs: at national scale a thousand networks, read once
    per language and kept until a network is saved or deleted."""

    def choices() -> list[tuple[str, str]]:
        networks = Network.objects.only("slug", "name_it", "name_en", "acronym")
        return [(network.slug, str(network)) for network in networks]

    return cache.cached(changes.NETWORKS, ("event-network-choices", get_language()), choices)


@require_safe
@lists.filtered_by(EventFilterForm)
def event_list(request, filters: EventFilterForm):
    chosen = _chosen(filters)
    events = queries.filter_events(chosen).select_related("host", "network")
    order = queries.ordering(chosen)
    context = {
        "chosen": chosen,
        "kinds": Event.Kind.choices,
        "networks": _network_choices(),
        "themes": Theme.objects.all(),
        "can_create": registry_permissions.is_editor(request.user),
        "host": Organisation.objects.filter(pk=chosen.host).first() if chosen.host else None,
    }
    return lists.respond(
        request,
        filters,
        events,
        EVENTS,
        "events/list.html",
        context,
        ordering=order,
        size=PAGE_SIZE,
        records=lambda: (
            events.prefetch_related("themes").order_by(*order).iterator(chunk_size=2000)
        ),
    )


def _detail_context(request, event: Event, form=None) -> dict:
    organiser = permissions.can_organise(request.user, event)
    mine = None
    if request.user.is_authenticated:
        mine = (
            event.registrations.filter(user=request.user)
            .exclude(status=Registration.Status.CANCELLED)
            .first()
        )
    seats = queries.seat_counts(event)
    points = list(event.review_points.select_related("answers"))
    return {
        "event": event,
        "organiser": organiser,
        "seats_taken": seats["confirmed"],
        "waiting": seats["waiting"],
        "participants": queries.public_participants(event),
        "registrations": event.registrations.order_by("position") if organiser else None,
        "mine": mine,
        "open": event.registration_is_open(),
        "form": form or RegistrationForm(initial=_registration_initial(request.user)),
        "documents": event.documents.all(),
        "questions": [point for point in points if point.kind == "question"],
        "recommendations": [point for point in points if point.kind == "recommendation"],
        "follow_up": event.follow_up.select_related("owner"),
    }


def _registration_initial(user) -> dict:
    """The registration form as a signed-in user finds it: their name, e-mail and first
    organisation filled in, to check or change; the page's language for the messages."""
    initial = {"language": (get_language() or "it")[:2]}
    if user.is_authenticated:
        membership = user.memberships.select_related("organisation").order_by("pk").first()
        initial |= {
            "name": user.get_full_name() or user.get_username(),
            "email": user.email,
            "affiliation": membership.organisation.name if membership else "",
        }
    return initial


def _event(pk: int) -> Event:
    return get_object_or_404(
        Event.objects.select_related("host", "network", "project", "working_group"), pk=pk
    )


@require_safe
def event_detail(request, pk: int):
    event = _event(pk)
    return render(request, "events/detail.html", _detail_context(request, event))


@require_POST
def register(request, pk: int):
    event = _event(pk)
    form = RegistrationForm(request.POST)
    if form.is_valid():
        try:
            registration = actions.register(request.user, event, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            if registration.status == Registration.Status.CONFIRMED:
                message = _("Iscrizione confermata: ti abbiamo scritto a %(email)s.")
                messages.success(request, message % {"email": registration.email})
            else:
                message = _(
                    "I posti sono esauriti: sei in lista d'attesa (posizione %(n)s). "
                    "Ti scriveremo a %(email)s se si libera un posto."
                )
                rank = queries.waitlist_rank(registration)
                messages.warning(request, message % {"n": rank, "email": registration.email})
            return redirect(f"{event.get_absolute_url()}#registration")
    context = _detail_context(request, event, form)
    return render(request, "events/detail.html", context, status=400)


@require_POST
def cancel(request, pk: int):
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    try:
        actions.cancel_registration(request.user, registration)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Iscrizione annullata."))
    return redirect(f"{registration.event.get_absolute_url()}#registration")


@require_http_methods(["GET", "HEAD", "POST"])
def cancel_by_link(request, token: str):
    """The link of the e-mail: a page that asks to confirm, then cancels (no sign-in)."""
    try:
        registration = actions.registration_for_token(token)
    except (PermissionDenied, Registration.DoesNotExist):
        return render(request, "events/cancel_link.html", {"invalid": True}, status=404)
    if request.method == "POST":
        try:
            actions.cancel_registration(request.user, registration, token=token)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Iscrizione annullata."))
        return redirect(registration.event.get_absolute_url())
    return render(request, "events/cancel_link.html", {"registration": registration})
