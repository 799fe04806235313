from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from reti.lib.extensions import Demo, Section


class EventsConfig(AppConfig):
    name = "reti.events"
    verbose_name = _("Eventi")
    # Entries of the portal's main menu: (URL name, label, group); see reti.portal.nav.
    portal_nav = (("events:list", _("Eventi"), "exchange"),)
    # What the app adds to `reti demo` and to others' pages; see reti.lib.extensions.
    demo = Demo("reti.events.demo", order=20)
    datasets = "reti.events.datasets"
    personal_data = "reti.events.personal_data"
    portal_sections = {
        "organisation": (
            Section(
                "events/includes/events_of.html",
                "reti.events.sections.organisation_events",
                order=20,
            ),
        ),
        "network": (
            Section(
                "events/includes/events_of.html", "reti.events.sections.network_events", order=20
            ),
        ),
    }
    account_sections = (
        Section(
            "events/includes/account_registrations.html",
            "reti.events.sections.account_registrations",
            order=30,
        ),
    )

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from . import queries
        from .models import Event

        # What the pages and feeds cache of events (reti.lib.cache), from any door.
        post_save.connect(queries.changed, sender=Event, dispatch_uid="events-saved")
        post_delete.connect(queries.changed, sender=Event, dispatch_uid="events-deleted")
        m2m_changed.connect(
            queries.changed, sender=Event.themes.through, dispatch_uid="events-themes"
        )
