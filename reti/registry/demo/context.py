"""What every generator shares: the scale, the random stream and the reference data."""

import random
from dataclasses import dataclass
from datetime import date

from ..models import Fund, Network, Organisation, ProgrammingPeriod, Project, Territory, Theme
from ..reference import ensure_reference_data

# Dates are relative to a fixed year so that a seed always gives the same data.
REFERENCE_YEAR = 2025


@dataclass(frozen=True)
class Scale:
    """How much to generate."""

    name: str
    organisations: int
    networks: int
    projects: int
    batch: int
    rebuild_indexes: bool = False  # build indexes once after the load rather than row by row


SCALES = {
    "small": Scale("small", organisations=400, networks=30, projects=1_000, batch=1_000),
    "national": Scale(
        "national",
        organisations=500_000,
        networks=1_000,
        projects=2_000_000,
        batch=20_000,
        rebuild_indexes=True,
    ),
}


@dataclass
class Context:
    """The state generators read: random stream, reference ids, names taken by real data."""

    scale: Scale
    rng: random.Random
    source_id: int
    periods: list[tuple[int, int, int]]  # (id, start_year, end_year)
    funds: dict[str, int]  # fund code -> id
    themes: dict[str, int]  # theme code -> id
    territories: list[int]
    taken_names: set[str]
    taken_codes: set[str]
    taken_slugs: set[str]
    first_organisation: int = 0
    first_network: int = 0

    @property
    def theme_ids(self) -> list[int]:
        return list(self.themes.values())

    def theme_for(self, code: str) -> int:
        """The theme with this code, or a random one when the taxonomy lacks it."""
        found = self.themes.get(code)
        return found if found is not None else self.rng.choice(self.theme_ids)

    def unique_name(self, name: str) -> str:
        """`name`, changed if a real record already has it (never reuse real names)."""
        while name in self.taken_names:
            name = name.replace(" (demo)", " bis (demo)")
        return name


def build_context(scale: Scale, seed: int, source_id: int) -> Context:
    """Read the reference data and what real records already use."""
    ensure_reference_data()
    real_orgs = Organisation.objects.filter(synthetic=False)
    taken_names = set(real_orgs.values_list("name_it", flat=True))
    taken_names |= set(Network.objects.filter(synthetic=False).values_list("name_it", flat=True))
    taken_names |= set(Project.objects.filter(synthetic=False).values_list("title_it", flat=True))
    taken_codes = {c for c in real_orgs.values_list("tax_code", flat=True) if c}
    taken_codes |= {c for c in real_orgs.values_list("vat_number", flat=True) if c}
    return Context(
        scale=scale,
        rng=random.Random(seed),
        source_id=source_id,
        periods=list(
            ProgrammingPeriod.objects.filter(start_year__gte=2000)
            .order_by("start_year")
            .values_list("id", "start_year", "end_year")
        ),
        funds=dict(Fund.objects.values_list("code", "id")),
        themes=dict(Theme.objects.order_by("code").values_list("code", "id")),
        territories=_territories(),
        taken_names=taken_names,
        taken_codes=taken_codes,
        taken_slugs=set(Network.objects.filter(synthetic=False).values_list("slug", flat=True)),
    )


def _territories() -> list[int]:
    """Municipalities when loaded, else the finest level there is; empty without territories."""
    for level in (
        Territory.Level.MUNICIPALITY,
        Territory.Level.PROVINCE,
        Territory.Level.REGION,
    ):
        ids = Territory.objects.filter(level=level).order_by("id").values_list("id", flat=True)
        if ids:
            return list(ids)
    return []


def random_date(rng: random.Random, year_from: int, year_to: int) -> date:
    """A day between 1 January of `year_from` and 31 December of `year_to`."""
    first = date(year_from, 1, 1).toordinal()
    last = date(year_to, 12, 31).toordinal()
    return date.fromordinal(rng.randint(first, last))
