"""What OpenCoesione says of a registry project, beyond what the registry itself holds."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class CohesionRecord(models.Model):
    """A project's record in OpenCoesione's layout (scheda OpenCoesione): the monitoring
    system's local code, programme, theme, cycle, source, amounts and localisation.

    The registry project keeps CUP, title, dates, status, period, fund and subjects; this
    keeps the rest, so an export writes back what an import read."""

    project = models.OneToOneField(
        "registry.Project",
        verbose_name=_("progetto"),
        on_delete=models.CASCADE,
        related_name="cohesion",
    )
    local_code = models.CharField(_("codice locale del progetto"), max_length=100)
    programme_code = models.CharField(_("codice del programma"), max_length=60, db_index=True)
    programme_name = models.CharField(_("programma"), max_length=300, blank=True)
    theme_code = models.CharField(_("tema sintetico"), max_length=2, db_index=True)
    cycle_code = models.CharField(_("ciclo di programmazione"), max_length=2)
    source_code = models.CharField(_("fonte finanziaria"), max_length=20, blank=True)
    summary = models.TextField(_("sintesi"), blank=True)
    public_funding = models.DecimalField(
        _("finanziamento pubblico totale"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    commitments = models.DecimalField(
        _("impegni"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    payments = models.DecimalField(
        _("pagamenti totali"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    planned_end = models.DateField(_("fine prevista"), null=True, blank=True)
    programmer = models.ForeignKey(
        "registry.Organisation",
        verbose_name=_("soggetto programmatore"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    territories = models.ManyToManyField(
        "registry.Territory",
        verbose_name=_("localizzazione"),
        blank=True,
        related_name="+",
        help_text=_("Regioni, province e comuni del progetto secondo OpenCoesione."),
    )

    class Meta:
        verbose_name = _("scheda OpenCoesione")
        verbose_name_plural = _("schede OpenCoesione")

    def __str__(self):
        return self.local_code


class ImportRun(models.Model):
    """One `reti opencoesione import`: who ran it, on what, and what it changed (the audit
    entry of an import, whose rows are written in bulk without history rows)."""

    file_name = models.CharField(_("file"), max_length=300)
    programme_code = models.CharField(_("programma"), max_length=60)
    theme_code = models.CharField(_("tema"), max_length=2)
    rows_read = models.PositiveIntegerField(_("righe lette"))
    created = models.PositiveIntegerField(_("progetti creati"))
    updated = models.PositiveIntegerField(_("progetti aggiornati"))
    unchanged = models.PositiveIntegerField(_("progetti invariati"))
    organisations_created = models.PositiveIntegerField(_("organizzazioni create"))
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("eseguito da"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    run_at = models.DateTimeField(_("eseguito il"), auto_now_add=True)

    class Meta:
        ordering = ["-run_at", "-id"]
        verbose_name = _("importazione OpenCoesione")
        verbose_name_plural = _("importazioni OpenCoesione")

    def __str__(self):
        return f"{self.file_name} ({self.programme_code}, {self.theme_code})"
