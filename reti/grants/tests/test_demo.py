"""The synthetic demo call: made through the actions, marked synthetic, replaceable."""

from collections import Counter

import pytest
from django.utils import timezone

from reti.grants import demo, demo_evaluated, runs
from reti.grants.models import (
    Admissibility,
    Application,
    Call,
    DocumentRequest,
    RankingRun,
    Receipt,
)
from reti.grids.models import Committee, ConsensusRecord
from reti.registry.models import Organisation
from reti.registry.tests import factories as f

pytestmark = pytest.mark.django_db


def test_demo_call_with_applications_in_every_state(cast):
    for n in range(12):
        f.OrganisationFactory(
            name_it=f"Ente sintetico {n}", kind=Organisation.Kind.THIRD_SECTOR, synthetic=True
        )
    counts = demo.generate("small", seed=3)
    call = Call.objects.get(code=demo.CALL_CODE)
    assert call.synthetic and call.status == Call.Status.PUBLISHED
    assert (
        call.amendments.count() == 1 and call.faqs.filter(published_at__isnull=False).count() == 2
    )
    applications = Application.objects.filter(call=call)
    assert applications.count() == 12 and all(a.synthetic for a in applications)
    assert counts["submitted"] == Receipt.objects.filter(application__call=call).count()
    for code in (demo.CALL_CODE, demo_evaluated.CALL_CODE):
        sequences = sorted(
            Receipt.objects.filter(application__call__code=code).values_list("sequence", flat=True)
        )
        assert sequences == list(range(1, len(sequences) + 1))
    demo.generate("small", seed=3)  # replaced, not added
    assert Call.objects.filter(synthetic=True).count() == 2
    assert demo.purge() == 24
    assert not Call.objects.exists()
    assert not Committee.objects.exists() and not RankingRun.objects.exists()


def test_the_evaluated_demo_call_went_through_the_whole_flow(cast):
    for n in range(12):
        f.OrganisationFactory(
            name_it=f"Ente sintetico {n}", kind=Organisation.Kind.THIRD_SECTOR, synthetic=True
        )
    counts = demo.generate("small", seed=3)
    call = Call.objects.get(code=demo_evaluated.CALL_CODE)
    assert call.deadline < timezone.now() and call.committee is not None
    assert counts["valutate"] == 11 and counts["ritirate_prima"] == 1
    outcomes = Counter(
        Admissibility.objects.filter(application__call=call).values_list("outcome", flat=True)
    )
    assert outcomes == {"admitted": 10, "not_admissible": 1}
    request = DocumentRequest.objects.get(application__call=call)
    assert request.answered_at is not None and request.answered_at <= request.deadline
    # Every admitted application has the committee's consensus.
    assert ConsensusRecord.objects.filter(committee=call.committee).count() == 10
    kinds = list(call.ranking_runs.order_by("number").values_list("kind", flat=True))
    assert kinds[:3] == ["provisional", "final", "scroll"] and set(kinds[3:]) <= {"scroll"}
    current = RankingRun.objects.current(call)
    assert current.kind == "scroll" and current.published_at is not None
    assert runs.replays(current)  # the stored result is what the replay file gives
    # Withdrawn before the deadline (listed without a place) and renounced after the ranking.
    assert current.entries.filter(status="withdrawn").count() == 2
    renounced = current.entries.get(status="withdrawn", position__isnull=False)
    assert renounced.application.status == Application.Status.WITHDRAWN
    funded = current.entries.filter(status__in=["funded", "partially_funded"])
    granted = sum(e.granted for e in funded)
    assert 0 < granted <= sum(line.budget for line in call.lines.all())


def test_the_evaluated_demo_call_is_managed_to_closure(cast):
    """With the programming period in the registry, the funded applications become grants:
    paid, reported, one closed, one revoked with a recovery, the freed money funding the next
    application; the instrument report has figures for every part."""
    from reti.grants import analysis
    from reti.grants.models import Grant, ManagementCost, Payment, Recovery
    from reti.monitoring.tests import factories as mf

    f.PeriodFactory(code="2021-2027", start_year=2021, end_year=2027)
    toscana = mf.region("09", "Toscana")
    for n in range(12):
        f.OrganisationFactory(
            name_it=f"Ente sintetico {n}",
            kind=Organisation.Kind.THIRD_SECTOR,
            synthetic=True,
            territory=toscana,
        )
    counts = demo.generate("small", seed=3)
    call = Call.objects.get(code=demo_evaluated.CALL_CODE)
    grants = Grant.objects.filter(application__call=call)
    assert counts["concessioni"] == grants.count() > 3
    assert grants.filter(status="closed").count() == 1 == counts["chiuse"]
    assert grants.filter(status="revoked").count() == 1 == counts["revocate"]
    assert Recovery.objects.filter(revocation__grant__in=grants).exists()
    assert all(g.project_id and g.intervention_id for g in grants.exclude(accepted_at=None))
    revoked = grants.get(status="revoked")
    assert revoked.revocations.get().to_recover > 0
    assert Payment.objects.filter(grant__in=grants, kind="balance", status="paid").count() == 1
    assert ManagementCost.objects.filter(global_grant=call.global_grant).count() == 3
    report = analysis.report(call.global_grant, public=False)
    assert report.money.recovered > 0 and report.money.management_cost > 0
    assert report.profile.durations["closure"].n == 1
    assert report.steps["advance"].n >= 3 and report.steps["intermediate"].n >= 2
    demo.purge()
    assert not Grant.objects.exists() and not ManagementCost.objects.exists()
