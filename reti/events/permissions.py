"""Who may do what with events: the one place these rules live.

- everyone, anonymous included, reads events and registers (anonymous people with name and
  e-mail) while registrations are open;
- organisers create and edit events, see every registration, record attendance and outputs:
  staff, editors of the host organisation, editors of the network's current secretariat;
- a registrant cancels their own registration (signed in, or through the link in the e-mail);
- the owner of a follow-up item updates its status; organisers change everything in it.
"""

from reti.registry import permissions as registry

from .models import Event, FollowUpItem, Registration


def can_create_event(user, *, host=None, network=None) -> bool:
    """Staff create any event; an editor for their organisation or their network."""
    if registry.is_registry_staff(user):
        return True
    if host is not None and host.pk in registry.editable_organisation_ids(user):
        return True
    return network is not None and network.pk in registry.secretariat_network_ids(user)


def can_organise(user, event: Event) -> bool:
    """Whether `user` edits `event`, sees its registrations and records its outputs."""
    if registry.is_registry_staff(user):
        return True
    if event.pk is None:
        return False
    if event.host_id and event.host_id in registry.editable_organisation_ids(user):
        return True
    return bool(event.network_id) and event.network_id in registry.secretariat_network_ids(user)


def can_cancel_registration(user, registration: Registration) -> bool:
    if registration.user_id and user and registration.user_id == user.pk:
        return True
    return can_organise(user, registration.event)


def can_update_follow_up(user, item: FollowUpItem) -> bool:
    """Organisers change a follow-up item; its owner updates its status and note."""
    if user and user.is_authenticated and item.owner_id == user.pk:
        return True
    return can_organise(user, item.event)


def organised_event_filter(user):
    """Keyword filters for the events `user` organises, or None for staff (all events)."""
    if registry.is_registry_staff(user):
        return None
    return {
        "orgs": registry.editable_organisation_ids(user),
        "networks": registry.secretariat_network_ids(user),
    }
