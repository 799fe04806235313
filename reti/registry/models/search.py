from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    """One registry record as the full-text search sees it; rebuilt from the records.

    Written only by `reti.registry.search` (on save/delete of an indexed record and by
    `reti rebuild-search-index`). `names` and `body` are lower-case, accent-folded copies of
    the record's names and texts; `stems` holds their Italian and English stems (SQLite only,
    indexed by an FTS5 table); `search_vector` is the weighted tsvector (PostgreSQL only).
    """

    kind = models.CharField(_("tipo"), max_length=20)
    object_id = models.BigIntegerField(_("id del record"))
    key = models.CharField(
        _("chiave"), max_length=80, blank=True, help_text=_("Slug o codice usato nell'indirizzo.")
    )
    acronym = models.CharField(_("sigla"), max_length=60, blank=True)
    title_it = models.CharField(_("titolo (italiano)"), max_length=400)
    title_en = models.CharField(_("titolo (inglese)"), max_length=400, blank=True)
    names = models.TextField(_("nomi (normalizzati)"), blank=True)
    body = models.TextField(_("testo (normalizzato)"), blank=True)
    stems = models.TextField(_("radici"), blank=True)
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        verbose_name = _("documento di ricerca")
        verbose_name_plural = _("documenti di ricerca")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique")
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}"


class SearchTerm(models.Model):
    """A word of the indexed names and acronyms, for 'did you mean' suggestions."""

    term = models.CharField(_("termine (normalizzato)"), max_length=60, unique=True)
    display = models.CharField(_("forma"), max_length=60)
    length = models.PositiveSmallIntegerField(_("lunghezza"))
    documents = models.PositiveIntegerField(_("documenti"), default=1)

    class Meta:
        verbose_name = _("termine di ricerca")
        verbose_name_plural = _("termini di ricerca")

    def __str__(self):
        return self.display
