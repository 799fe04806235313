from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "reti.accounts"
    verbose_name = _("Utenti e permessi")
    # Who must give a second factor (reti.accounts.twofactor): the back office's users.
    second_factor = "reti.accounts.permissions.is_editor"
    # What Reti holds about a person, and what erasing it does (reti.accounts.rights).
    personal_data = "reti.accounts.personal_data"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .signins import record_sign_in

        user_logged_in.connect(record_sign_in, dispatch_uid="reti-accounts-sign-in-record")
