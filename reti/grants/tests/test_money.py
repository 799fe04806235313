from decimal import Decimal, localcontext

import pytest

from reti.lib.money import quantize, share


def test_half_up_to_the_cent_whatever_the_context():
    with localcontext() as context:
        context.rounding = "ROUND_HALF_EVEN"
        assert quantize("2.345") == Decimal("2.35")
        assert quantize("-2.345") == Decimal("-2.35")
        assert quantize(7) == Decimal("7.00")


def test_a_share_of_an_amount():
    assert share(Decimal("12345.67"), Decimal("0.8")) == Decimal("9876.54")


@pytest.mark.parametrize("bad", [1.1, "abc", "NaN", "Infinity"])
def test_what_is_not_money_is_refused(bad):
    with pytest.raises((TypeError, ValueError)):
        quantize(bad)
