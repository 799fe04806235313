"""The synthetic demo call: made through the actions, marked synthetic, replaceable."""

import pytest

from reti.grants import demo
from reti.grants.models import Application, Call, Receipt
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
    sequences = sorted(Receipt.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, len(sequences) + 1))
    demo.generate("small", seed=3)  # replaced, not added
    assert Call.objects.filter(synthetic=True).count() == 1
    assert demo.purge() == 12
    assert not Call.objects.exists()
