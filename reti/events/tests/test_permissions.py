"""Who organises events, with the cast: host's editors, the network's secretariat, staff."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from reti.events import actions, permissions
from reti.events.models import Event

ORGANISERS = ["toscana_officer", "secretariat", "staff"]
OTHERS = ["lazio_officer", "viewer", "outsider", None]


def _user(cast, who):
    return getattr(cast, who) if who else None


@pytest.mark.parametrize("who", ORGANISERS)
def test_organisers_edit_the_event(cast, visit, who):
    visit.title_it = "Titolo nuovo"
    actions.save_event(_user(cast, who), visit, reason="prova")
    visit.refresh_from_db()
    assert visit.title_it == "Titolo nuovo"
    assert visit.history.first().history_user == _user(cast, who)


@pytest.mark.parametrize("who", OTHERS)
def test_others_do_not_edit_the_event(cast, visit, who):
    visit.title_it = "Titolo nuovo"
    with pytest.raises(PermissionDenied):
        actions.save_event(_user(cast, who), visit)
    visit.refresh_from_db()
    assert visit.title_it == "Visita a Firenze"


def test_moving_an_event_to_a_host_one_does_not_edit_is_refused(cast, visit):
    visit.network = None
    actions.save_event(cast.toscana_officer, visit)
    visit.host = cast.lazio
    with pytest.raises(PermissionDenied):
        actions.save_event(cast.toscana_officer, visit)


def _new_event(host=None, network=None):
    start = timezone.now() + timedelta(days=10)
    return Event(
        kind="seminar",
        title_it="Nuovo",
        host=host,
        network=network,
        start=start,
        end=start + timedelta(hours=2),
    )


@pytest.mark.parametrize(
    ("who", "host", "network", "allowed"),
    [
        ("toscana_officer", "toscana", None, True),
        ("toscana_officer", "lazio", None, False),
        ("secretariat", "lazio", "network", True),
        ("secretariat", "lazio", None, False),
        ("lazio_officer", "toscana", "network", False),
        ("viewer", "toscana", None, False),
        ("outsider", "toscana", None, False),
        (None, "toscana", None, False),
        ("staff", "lazio", None, True),
    ],
)
def test_who_creates_events(cast, who, host, network, allowed):
    event = _new_event(getattr(cast, host), getattr(cast, network) if network else None)
    event.kind = Event.Kind.EXPERT_SEMINAR
    if allowed:
        actions.save_event(_user(cast, who), event)
        assert Event.objects.filter(pk=event.pk).exists()
    else:
        with pytest.raises(PermissionDenied):
            actions.save_event(_user(cast, who), event)
        assert not Event.objects.filter(title_it="Nuovo").exists()


def test_registrants_cancel_their_own_registration_only(cast, visit):
    mine = actions.register(cast.outsider, visit)
    assert permissions.can_cancel_registration(cast.outsider, mine)
    assert not permissions.can_cancel_registration(cast.viewer, mine)
    assert permissions.can_cancel_registration(cast.secretariat, mine)
