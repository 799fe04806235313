from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "reti.events"
    verbose_name = _("Eventi")
    # Entries of the portal's main menu: (URL name, label, group); see reti.portal.nav.
    portal_nav = (("events:list", _("Eventi"), "exchange"),)

    def ready(self):
        from django.db.models.signals import post_save

        from . import queries
        from .models import Event

        post_save.connect(queries.forget_first_start, sender=Event, dispatch_uid="events-bound")
