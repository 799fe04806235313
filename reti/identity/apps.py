from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from reti.lib.extensions import Section


class IdentityConfig(AppConfig):
    name = "reti.identity"
    verbose_name = _("SPID e CIE")
    # The account page lists the linked identities (reti.lib.extensions).
    account_sections = (
        Section(
            "identity/includes/account_identities.html",
            "reti.identity.sections.account_identities",
            order=5,
        ),
    )
