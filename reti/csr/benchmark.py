"""A company's areas beside companies of its ATECO section and size class (confronto).

Reads only the precomputed `CompanyScore` rows (one per company, its latest submitted
result by area) through their (section, size class) index: one aggregate query, whatever the
number of assessments stored. The group is the *other* companies of the same section and
size class, so the company's own figures never weigh in and a mean never includes it.

Disclosure control: the monitoring module's rule, one gate for every public number
(reti.monitoring.analytics.suppression.threshold_setting, 5 by default): the group's means
are shown only when the group has at least that many companies, and each area's mean only
when at least that many of them were assessed on the area; otherwise nothing but "too few
companies". Means are rounded to whole points, so a mean cannot be read back to the
hundredth of one company's share.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count

from reti.monitoring.analytics.suppression import threshold_setting

from .models import AREAS, Company, CompanyScore


@dataclass(frozen=True)
class Benchmark:
    shown: bool
    threshold: int
    means: dict  # area code -> Decimal (whole points) or None (suppressed or not assessed)
    total: Decimal | None


def _whole(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def group(company: Company):
    return CompanyScore.objects.filter(
        ateco_section=company.ateco_section, size_class=company.size_class
    ).exclude(company_id=company.pk)


def benchmark(company: Company) -> Benchmark:
    threshold = threshold_setting()
    fields = {}
    for area in AREAS:
        name = area.lower()
        fields[f"{name}_mean"] = Avg(name)
        fields[f"{name}_n"] = Count(name)
    figures = group(company).aggregate(companies=Count("id"), total_mean=Avg("total"), **fields)
    if figures["companies"] < threshold:
        return Benchmark(False, threshold, {}, None)
    means = {
        area: _whole(figures[f"{area.lower()}_mean"])
        if figures[f"{area.lower()}_n"] >= threshold
        else None
        for area in AREAS
    }
    return Benchmark(True, threshold, means, _whole(figures["total_mean"]))
