"""What the search indexes: which records, and which of their fields."""

from dataclasses import dataclass

from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from ..models import Network, Organisation, Project, Territory, WorkingGroup


@dataclass(frozen=True)
class Kind:
    """An indexed kind of record: names go in the heavily weighted part, texts in the body."""

    key: str
    model: type[Model]
    label: str
    title: str  # field prefix: `name` means name_it and name_en
    acronym: str = ""
    body: tuple[str, ...] = ()
    url_key: str = ""  # the field a public URL is built from, when not the id
    levels: tuple[str, ...] = ()  # territories: only these levels
    only: tuple[str, tuple[str, ...]] = ()  # (field, values): index only these records

    @property
    def table(self) -> str:
        return self.model._meta.db_table

    def queryset(self):
        queryset = self.model._default_manager.order_by("pk")
        if self.levels:
            queryset = queryset.filter(level__in=self.levels)
        if self.only:
            queryset = queryset.filter(**{f"{self.only[0]}__in": self.only[1]})
        return queryset

    def fields(self) -> list[str]:
        """The distinct fields a document is made from (for `values()`)."""
        names = ["pk", f"{self.title}_it", f"{self.title}_en", *self.body]
        return names + [name for name in (self.url_key, self.acronym) if name]


KINDS: dict[str, Kind] = {
    kind.key: kind
    for kind in (
        Kind(
            "network",
            Network,
            _("reti"),
            "name",
            "acronym",
            ("purpose_it", "purpose_en"),
            url_key="slug",
        ),
        Kind(
            "project",
            Project,
            _("progetti"),
            "title",
            "acronym",
            ("objectives_it", "objectives_en"),
        ),
        Kind("organisation", Organisation, _("organizzazioni"), "name", "acronym"),
        Kind(
            "working_group",
            WorkingGroup,
            _("gruppi di lavoro"),
            "title",
            body=("priorities_it", "priorities_en"),
        ),
        Kind(
            "territory",
            Territory,
            _("territori"),
            "name",
            url_key="code",
            levels=(
                Territory.Level.REGION,
                Territory.Level.AUTONOMOUS_PROVINCE,
                Territory.Level.PROVINCE,
                Territory.Level.MUNICIPALITY,
            ),
        ),
    )
}
KIND_OF_MODEL = {kind.model: kind for kind in KINDS.values()}
