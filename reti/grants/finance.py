"""The financial state of a grant (situazione finanziaria): a pure function over its records.

No Django here: `reti.grants.models.management.grant_state` loads the records of one grant,
turns them into the plain lists below and calls `financial_state`; the grant's page, the
closure and the tests read the same result. Every amount is a Decimal to the cent
(`reti.lib.money.quantize`); the definitions (docs/grants-management.md):

- granted: the amount of the funding decision (contributo concesso);
- revoked: the part of it taken back by revocations, total or partial, and by a
  renunciation (rinuncia);
- entitled: granted − revoked, what the beneficiary may still receive at most;
- reported: the expenditure declared in the reports sent (rendicontato);
- verified: the amounts accepted by the first-level verification of those reports
  (spesa ammessa); cut: what the verification did not accept in the reports it checked;
- paid: payments booked by accounting, less the reversing entries booked (erogato);
- to_recover: amounts ordered back by revocations and renunciations (da recuperare);
- recovered: amounts recovered so far (recuperato); outstanding: to_recover − recovered;
- savings: what was freed at closure (economie);
- net_paid: paid − recovered, the money that stays with the beneficiary.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from reti.lib.money import ZERO, quantize


@dataclass(frozen=True)
class FinancialState:
    granted: Decimal
    revoked: Decimal
    entitled: Decimal
    reported: Decimal
    verified: Decimal
    cut: Decimal
    paid: Decimal
    to_recover: Decimal
    recovered: Decimal
    outstanding: Decimal
    savings: Decimal
    net_paid: Decimal


def _total(amounts: Iterable) -> Decimal:
    return quantize(sum((quantize(a) for a in amounts), ZERO))


def financial_state(
    *,
    granted,
    revoked: Iterable = (),
    reported: Iterable = (),
    checked: Iterable = (),
    verified: Iterable = (),
    payments: Iterable = (),
    to_recover: Iterable = (),
    recovered: Iterable = (),
    savings=ZERO,
) -> FinancialState:
    """The state from the records' amounts: `payments` are the booked ones, signed (a
    reversing entry negative); `checked` are the reported amounts of verified items and
    `verified` their accepted amounts."""
    granted = quantize(granted)
    revoked_total = _total(revoked)
    verified_total = _total(verified)
    paid = _total(payments)
    ordered = _total(to_recover)
    back = _total(recovered)
    return FinancialState(
        granted=granted,
        revoked=revoked_total,
        entitled=granted - revoked_total,
        reported=_total(reported),
        verified=verified_total,
        cut=_total(checked) - verified_total,
        paid=paid,
        to_recover=ordered,
        recovered=back,
        outstanding=ordered - back,
        savings=quantize(savings),
        net_paid=paid - back,
    )


def eligible(state: FinancialState) -> Decimal:
    """What the beneficiary is owed in the end: the verified expenditure, capped by the
    amount still granted."""
    return max(ZERO, min(state.verified, state.entitled))


def draw_sample(ids: Iterable[int], rate: Decimal, seed: str) -> list[int]:
    """The ids picked for an on-the-spot check: a share `rate` (rounded up, at least one
    when there are any) drawn with a seeded generator, so the same ids, rate and seed give
    the same sample (campione per le verifiche in loco)."""
    import math
    import random

    pool = sorted(set(ids))
    if not pool:
        return []
    size = min(len(pool), max(1, math.ceil(Decimal(rate) * len(pool))))
    return sorted(random.Random(seed).sample(pool, size))
