"""Synthetic organisations: third-sector bodies, social cooperatives, companies, training bodies,
local social services, universities."""

from itertools import accumulate

from reti.lib.bulk import Table, reserve_ids

from ..models import Organisation
from .context import Context
from .names import ORGANISATION_TEMPLATES, PLACES, WORDS, organisation_name
from .taxcodes import entity_code

Kind = Organisation.Kind
Section = Organisation.RuntsSection

# (kind, RUNTS section, weight): the mix of a regional ESF registry.
MIX = (
    (Kind.THIRD_SECTOR, Section.ODV, 11),
    (Kind.THIRD_SECTOR, Section.APS, 11),
    (Kind.THIRD_SECTOR, Section.ENTE_FILANTROPICO, 2),
    (Kind.THIRD_SECTOR, Section.IMPRESA_SOCIALE, 3),
    (Kind.THIRD_SECTOR, Section.RETE_ASSOCIATIVA, 1),
    (Kind.THIRD_SECTOR, Section.SOMS, 1),
    (Kind.THIRD_SECTOR, Section.ALTRO, 2),
    (Kind.SOCIAL_COOP_A, Section.IMPRESA_SOCIALE, 12),
    (Kind.SOCIAL_COOP_B, Section.IMPRESA_SOCIALE, 10),
    (Kind.COMPANY, "", 25),
    (Kind.TRAINING_BODY, "", 12),
    (Kind.OTHER, "", 7),
    (Kind.TECHNICAL_ASSISTANCE, "", 2),
    (Kind.UNIVERSITY, "", 1),
)
_CUMULATIVE = list(accumulate(weight for _, _, weight in MIX))
# Companies and cooperatives have a partita IVA equal to their codice fiscale.
_WITH_VAT = {Kind.COMPANY, Kind.SOCIAL_COOP_A, Kind.SOCIAL_COOP_B, Kind.TRAINING_BODY}

COLUMNS = (
    "id", "name_it", "name_en", "kind", "runts_section", "territory_id", "tax_code", "vat_number",
    "status",
)  # fmt: skip


def generate(ctx: Context, progress) -> int:
    """Write the scale's organisations; returns how many."""
    count = ctx.scale.organisations
    ctx.first_organisation = first = reserve_ids(Organisation, count)
    table = Table(Organisation, COLUMNS, fixed={"synthetic": True, "source_id": ctx.source_id})
    rng = ctx.rng
    serial = 0
    batch = []
    for offset in range(count):
        kind, section, _ = rng.choices(MIX, cum_weights=_CUMULATIVE)[0]
        template = rng.choice(ORGANISATION_TEMPLATES[section or kind])
        place = rng.choice(PLACES) if rng.random() < 0.8 else ""
        name_it, name_en = organisation_name(template, rng.choice(WORDS), place)
        territory = rng.choice(ctx.territories) if ctx.territories and rng.random() < 0.95 else None
        tax_code = vat = None
        if rng.random() < 0.85:
            code = entity_code(serial)
            serial += 1
            if code not in ctx.taken_codes:
                tax_code = code
                vat = code if kind in _WITH_VAT else None
        status = "ceased" if rng.random() < 0.04 else "active"
        batch.append(
            (
                first + offset,
                ctx.unique_name(name_it),
                name_en,
                kind.value,
                section and section.value,
                territory,
                tax_code,
                vat,
                status,
            )
        )
        if len(batch) >= ctx.scale.batch:
            table.write(batch)
            batch = []
            progress("organizzazioni", table.count, count)
    if batch:
        table.write(batch)
        progress("organizzazioni", table.count, count)
    return table.count


def pick(ctx: Context) -> int:
    """A synthetic organisation's id; a few organisations take part far more often than most."""
    return ctx.first_organisation + int(ctx.scale.organisations * ctx.rng.random() ** 2)
