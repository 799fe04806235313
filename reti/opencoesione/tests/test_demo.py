"""The OpenCoesione sample in `reti demo`: placed on the ISTAT territories, or left out."""

import pytest

from reti.opencoesione import demo
from reti.opencoesione.models import CohesionRecord
from reti.registry.models import Territory

pytestmark = pytest.mark.django_db


def test_without_the_territories_the_sample_is_left_out_and_says_why():
    assert not Territory.objects.filter(level=Territory.Level.MUNICIPALITY).exists()
    lines = []
    assert demo.generate("small", report=lines.append) == {"progetti OpenCoesione": 0}
    assert not CohesionRecord.objects.exists()
    assert "mancano i territori ISTAT" in lines[0]
