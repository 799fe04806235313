"""Pages for organisers: create and edit events, attendance, minutes, documents, follow-up."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from reti.lib.forms import add_errors
from reti.registry import permissions as registry_permissions
from reti.registry.models import Network, Organisation

from . import actions, permissions
from .forms import (
    DocumentForm,
    EventForm,
    FollowUpForm,
    FollowUpStatusForm,
    MinutesForm,
    ReviewPointForm,
)
from .models import Event, FollowUpItem, PeerReviewPoint


def _organised_event(user, pk: int) -> Event:
    """The event `pk` if `user` organises it; 404 when missing, 403 when not theirs."""
    event = get_object_or_404(Event.objects.select_related("host", "network"), pk=pk)
    if not permissions.can_organise(user, event):
        raise PermissionDenied
    return event


def _choices(user) -> dict:
    """The hosts and networks an organiser acts for (a secretariat hosts with anyone)."""
    if registry_permissions.is_registry_staff(user):
        return {"hosts": Organisation.objects.all(), "networks": Network.objects.all()}
    networks = registry_permissions.secretariat_network_ids(user)
    hosts = Organisation.objects.all()
    if not networks:
        hosts = hosts.filter(pk__in=registry_permissions.editable_organisation_ids(user))
    return {"hosts": hosts, "networks": Network.objects.filter(pk__in=networks)}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_form(request, pk: int | None = None):
    event = _organised_event(request.user, pk) if pk else Event()
    if pk is None and not registry_permissions.is_editor(request.user):
        raise PermissionDenied
    form = EventForm(request.POST or None, instance=event, **_choices(request.user))
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        try:
            actions.save_event(request.user, event, themes=form.cleaned_data["themes"])
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied:
            form.add_error("host", _("Non organizzi eventi per questo ente o questa rete."))
        else:
            messages.success(request, _("Evento salvato."))
            return redirect(event.get_absolute_url())
    status = 400 if request.method == "POST" else 200
    return render(request, "events/event_form.html", {"form": form, "event": event}, status=status)


@login_required
@require_POST
def attendance(request, pk: int):
    event = _organised_event(request.user, pk)
    present = {int(value) for value in request.POST.getlist("attended") if value.isdigit()}
    confirmed = event.registrations.filter(status="confirmed").values_list("pk", flat=True)
    changed = actions.record_attendance(
        request.user, event, {pk: pk in present for pk in confirmed}
    )
    messages.success(request, _("Presenze registrate (%(n)s modifiche).") % {"n": changed})
    return redirect(f"{event.get_absolute_url()}#registrations")


def _owners():
    return get_user_model().objects.filter(memberships__isnull=False).distinct()


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def outputs(request, pk: int):
    """Minutes, documents and, for a peer review, questions, recommendations and follow-up."""
    event = _organised_event(request.user, pk)
    which = request.POST.get("form") if request.method == "POST" else None
    data, files = (request.POST, request.FILES) if which else (None, None)
    forms = {
        "minutes": MinutesForm(
            data if which == "minutes" else None,
            initial={"minutes_it": event.minutes_it, "minutes_en": event.minutes_en},
        ),
        "document": DocumentForm(
            data if which == "document" else None, files if which == "document" else None
        ),
        "point": ReviewPointForm(
            data if which == "point" else None, event=event, instance=PeerReviewPoint(event=event)
        ),
        "follow_up": FollowUpForm(
            data if which == "follow_up" else None,
            event=event,
            owners=_owners(),
            instance=FollowUpItem(event=event),
        ),
    }
    form = forms.get(which)
    if form is not None and form.is_valid():
        try:
            _save_output(request.user, event, which, form)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Salvato."))
            return redirect("events:outputs", event.pk)
    status = 400 if form is not None else 200
    return render(request, "events/outputs.html", {"event": event, **forms}, status=status)


def _save_output(user, event, which: str, form) -> None:
    if which == "minutes":
        actions.save_minutes(user, event, **form.cleaned_data)
    elif which == "document":
        data = form.cleaned_data
        actions.add_document(user, event, kind=data["kind"], title=data["title"], file=data["file"])
    elif which == "point":
        actions.save_review_point(user, form.save(commit=False))
    else:
        actions.save_follow_up(user, form.save(commit=False))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def follow_up_edit(request, pk: int):
    """The owner of a follow-up item updates its status; organisers edit all of it."""
    item = get_object_or_404(FollowUpItem.objects.select_related("event", "owner"), pk=pk)
    if not permissions.can_update_follow_up(request.user, item):
        raise PermissionDenied
    organiser = permissions.can_organise(request.user, item.event)
    data = request.POST if request.method == "POST" else None
    form = (
        FollowUpForm(data, instance=item, event=item.event, owners=_owners())
        if organiser
        else FollowUpStatusForm(data, instance=item)
    )
    if data is not None and form.is_valid():
        try:
            actions.save_follow_up(request.user, form.save(commit=False))
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Attività aggiornata."))
            return redirect(f"{item.event.get_absolute_url()}#peer-review")
    status = 400 if data is not None else 200
    return render(
        request, "events/follow_up_form.html", {"form": form, "item": item}, status=status
    )
