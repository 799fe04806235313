"""`field__among`: the same rows as `field__in`, on SQLite and PostgreSQL."""

import pytest

from reti.registry.models import Territory
from reti.registry.tests.conftest import *  # noqa: F403

pytestmark = pytest.mark.django_db


def test_among_finds_what_in_finds(territories):
    province = Territory.objects.get(code="048")
    ids = list(Territory.objects.filter(parent=province).values_list("pk", flat=True))
    assert len(ids) > 40
    by_in = set(Territory.objects.filter(pk__in=ids).values_list("code", flat=True))
    assert set(Territory.objects.filter(pk__among=ids).values_list("code", flat=True)) == by_in
    # On a relation too, and mixed with other conditions.
    inside = Territory.objects.filter(parent_id__among=[province.pk], code__startswith="04801")
    assert set(inside.values_list("code", flat=True)) == {
        code for code in by_in if code.startswith("04801")
    }


def test_among_an_empty_list_finds_nothing(territories):
    assert not Territory.objects.filter(pk__among=[]).exists()
    assert Territory.objects.exclude(pk__among=[]).count() == Territory.objects.count()
