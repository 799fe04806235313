"""`reti demo`'s grids: the catalogue and a synthetic committee scored by the engine."""

import pytest

from reti.grids import actions, demo
from reti.grids.models import Assessment, Committee
from reti.registry.tests import factories as rf

pytestmark = pytest.mark.django_db


def test_demo_makes_a_synthetic_committee_and_runs_twice_to_the_same_counts(db):
    for _ in range(8):
        rf.OrganisationFactory(synthetic=True)
    first = demo.generate("small", seed=3)
    assert first["commissioni"] == 1 and first["assegnazioni"] == 12
    second = demo.generate("small", seed=3)
    assert second == first
    assert Committee.objects.get().synthetic
    submitted = Assessment.objects.filter(state=Assessment.State.SUBMITTED)
    assert submitted.count() == first["valutazioni"] > 0
    assert all(a.synthetic for a in submitted)
    assert list(actions.verify()) == []
    demo.purge()
    assert not Committee.objects.exists() and not Assessment.objects.exists()
