from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class LinkedIdentity(models.Model):
    """A SPID or CIE digital identity (identità digitale) that signs in to one Reti account.

    The person is recognised by the fiscal code the identity provider verified
    (`TINIT-` followed by the codice fiscale, as SPID sends it): one fiscal code belongs to one
    account, whichever provider or scheme it comes through.
    """

    class Kind(models.TextChoices):
        SPID = "spid", "SPID"
        CIE = "cie", "CIE"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.CASCADE,
        related_name="linked_identities",
    )
    kind = models.CharField(_("sistema"), max_length=4, choices=Kind.choices)
    fiscal_number = models.CharField(_("codice fiscale"), max_length=40)
    idp = models.CharField(_("gestore dell’identità"), max_length=500)
    linked_at = models.DateTimeField(_("collegata il"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("ultimo accesso"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("identità digitale collegata")
        verbose_name_plural = _("identità digitali collegate")
        ordering = ["kind", "linked_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "fiscal_number"], name="identity_unique")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.fiscal_number}"
