"""The learning outcome of networks: transfers of their practices, summed per network."""

from django.db.models import Count, Q

from reti.registry.models import Network

from .models import GoodPractice, Transfer

PUBLIC = (GoodPractice.State.PUBLISHED, GoodPractice.State.ARCHIVED)


def per_network(network_ids=None) -> list[dict]:
    """Transfers summed per network of origin, by stage, with the organisations reached."""
    stages = Transfer.Stage
    transfers = Transfer.objects.filter(practice__network__isnull=False, practice__state__in=PUBLIC)
    if network_ids is not None:
        transfers = transfers.filter(practice__network_id__in=network_ids)
    rows = (
        transfers.values("practice__network")
        .annotate(
            total=Count("pk"),
            organisations=Count("adopting_organisation", distinct=True),
            regions=Count("adopting_region", distinct=True),
            **{stage.value: Count("pk", filter=Q(stage=stage.value)) for stage in stages},
        )
        .order_by("-total")
    )
    rows = list(rows[:200])
    networks = Network.objects.in_bulk([row["practice__network"] for row in rows])
    for row in rows:
        row["network"] = networks[row["practice__network"]]
        row["stages"] = [row[stage.value] for stage in stages]
    return rows
