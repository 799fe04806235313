"""Claims to represent an organisation (richiesta di abilitazione come rappresentante).

A user signs up, then claims to act for an organisation of the registry: its fiscal code
(checked with python-stdnum, and against the registry's when the registry knows it), its RUNTS
section and number, the legal representative. The intermediate body's officers verify or
refuse the claim; only a verified claim lets the user submit applications for the
organisation. An organisation may have several verified users.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from reti.registry.models import Organisation
from reti.registry.validators import compact_tax_code, validate_codice_fiscale


class RepresentationClaim(models.Model):
    """Richiesta di rappresentare un ente: verified by the intermediate body's staff."""

    class Status(models.TextChoices):
        PENDING = "pending", _("In attesa di verifica")
        VERIFIED = "verified", _("Verificata")
        REFUSED = "refused", _("Respinta")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.CASCADE,
        related_name="grant_claims",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organizzazione"),
        on_delete=models.PROTECT,
        related_name="grant_claims",
    )
    tax_code = models.CharField(
        _("codice fiscale dell'ente"), max_length=16, validators=[validate_codice_fiscale]
    )
    runts_section = models.CharField(
        _("sezione RUNTS"), max_length=20, choices=Organisation.RuntsSection.choices, blank=True
    )
    runts_number = models.CharField(_("numero di iscrizione al RUNTS"), max_length=40, blank=True)
    legal_representative = models.CharField(_("legale rappresentante"), max_length=200)
    status = models.CharField(
        _("stato"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verificata da"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decisa il"), null=True, blank=True)
    refusal_reason = models.TextField(_("motivo del rifiuto"), blank=True)
    created_at = models.DateTimeField(_("richiesta il"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("richiesta di rappresentanza")
        verbose_name_plural = _("richieste di rappresentanza")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation"],
                condition=~Q(status="refused"),
                name="claim_one_open_per_user_and_organisation",
                violation_error_message=_(
                    "Hai già una richiesta in attesa o verificata per questa organizzazione."
                ),
            )
        ]

    def __str__(self):
        return f"{self.user} → {self.organisation} ({self.get_status_display()})"

    def clean_fields(self, exclude=None):
        # Spaces and lower case are how people type codes; compact before the checksum.
        self.tax_code = compact_tax_code(self.tax_code) or ""
        super().clean_fields(exclude=exclude)

    def clean(self):
        errors = {}
        if self.organisation_id:
            known = self.organisation.tax_code
            if known and self.tax_code and known != self.tax_code:
                errors["tax_code"] = _(
                    "Il codice fiscale non corrisponde a quello dell'organizzazione nel registro."
                )
            if self.runts_section and self.organisation.kind not in THIRD_SECTOR_KINDS:
                errors["runts_section"] = _(
                    "Solo gli enti del terzo settore sono iscritti al RUNTS."
                )
        if self.runts_section and not self.runts_number.strip():
            errors["runts_number"] = _("Indicare il numero di iscrizione al RUNTS.")
        if errors:
            raise ValidationError(errors)


THIRD_SECTOR_KINDS = (
    Organisation.Kind.THIRD_SECTOR,
    Organisation.Kind.SOCIAL_COOP_A,
    Organisation.Kind.SOCIAL_COOP_B,
)
