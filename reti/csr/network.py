"""The CSR network's public figures: validated companies by region, under the monitoring's
disclosure control (a region with fewer companies than the suppression threshold shows no
count, nor does the complementary cell that would give it back from the total)."""

from django.db.models import Count

from reti.monitoring.analytics.suppression import suppress

from .facilitations import in_force
from .models import Candidacy, Company, CsrAssessment, PrizeEdition

TOTAL = "total"
GRIDS = ("csr-self-assessment", "csr-prize", "csr-common-call")


def validated_by_region() -> tuple[list[dict], int | None]:
    """[{region, count (None when suppressed)}] by region name, and the total."""
    counts = (
        Company.objects.filter(assessments__state=CsrAssessment.State.VALIDATED)
        .values("region", "region__name_it")
        .annotate(n=Count("pk", distinct=True))
        .order_by("region__name_it")
    )
    rows = [{"region": c["region__name_it"], "key": c["region"], "n": c["n"]} for c in counts]
    values = {row["key"]: row["n"] for row in rows}
    values[TOTAL] = sum(row["n"] for row in rows)
    hidden = suppress(values, [([row["key"] for row in rows], TOTAL)])
    table = [
        {"region": row["region"], "count": None if row["key"] in hidden else row["n"]}
        for row in rows
    ]
    return table, None if TOTAL in hidden else values[TOTAL]


def facilitations_by_region() -> list[dict]:
    """The facilitations in force, counted by region."""
    return list(
        in_force().values("region__name_it").annotate(n=Count("pk")).order_by("region__name_it")
    )


def editions() -> list[tuple]:
    """Every prize edition with its published winners."""
    winners = (
        Candidacy.objects.filter(award=Candidacy.Award.WINNER, edition__published_at__isnull=False)
        .select_related("company__organisation", "category")
        .order_by("category__order")
    )
    found = {}
    for candidacy in winners:
        found.setdefault(candidacy.edition_id, []).append(candidacy)
    return [(edition, found.get(edition.pk, [])) for edition in PrizeEdition.objects.all()]
