"""The CSR bonus of a grants call (premialità RSI), read from the applicant's attestation.

A call declares a `CallBonus`: a bonus node of its merit grid and the answer each attestation
level gives it. For every assessment of the call's committee (each evaluator's and the
consensus), grids asks the apps for the answers they fix (`grid_fixed_answers`, declared on
the CSR AppConfig) and `fixed_answers` gives that node's: the answer of the highest level
among the applicant company's attestations valid on the day of the call's deadline
(Europe/Rome), with a justification naming the attestation (code, level, validity,
verification address) or why there is none. The grid engine computes the points, their cap
and the trace; it never learns where the answer came from.

An attestation counts when its validity period includes the deadline's day and it has not
been revoked: a revoked attestation gives no bonus, whenever it was revoked (revocation
means the level should not have been granted). An applicant that is not a company of the
CSR network gets the node's lowest answer, as one without a valid attestation.
"""

from django.urls import reverse
from django.utils import timezone

from . import levels
from .models import Attestation, CallBonus, Company

NOT_A_COMPANY = "il proponente non è un'impresa della rete RSI"
NONE_VALID = "nessuna attestazione RSI valida"


def _rank(level: str) -> int:
    codes = [level["code"] for level in levels.rules()["levels"]]
    return codes.index(level) if level in codes else -1


def attestation_on(organisation, day) -> tuple[Attestation | None, str]:
    """The organisation's best attestation valid on `day`, or None and why there is none."""
    company = Company.objects.filter(organisation=organisation).first()
    if company is None:
        return None, NOT_A_COMPANY
    found = list(
        Attestation.objects.filter(
            company=company, valid_from__lte=day, valid_until__gte=day, revoked_at__isnull=True
        )
    )
    if not found:
        why = NONE_VALID
        others = Attestation.objects.filter(company=company, valid_from__lte=day)
        if others.filter(revoked_at__isnull=False).exists():
            why += " (revocata)"
        elif others.exists():
            why += " (scaduta)"
        return None, why
    return max(found, key=lambda a: (_rank(a.level), a.valid_from, a.pk)), ""


def _lowest(template, code: str):
    node = template.node(code)
    scale = template.scales[node.scale]
    if scale.kind == "yesno":
        return False
    if scale.kind == "levels":
        return min(scale.levels, key=lambda level: level.value).code
    return str(scale.minimum)


def answer(bonus: CallBonus, organisation) -> dict:
    """The bonus node's answer for an application of `organisation`, with its source."""
    call = bonus.call
    deadline = timezone.localdate(call.deadline)
    template = call.grid_template.engine_template()
    attestation, why = attestation_on(organisation, deadline)
    if attestation is not None and attestation.level in bonus.values:
        url = reverse("csr:attestation_verify", args=[attestation.code])
        text = (
            f"Attestazione RSI {attestation.code}, livello {levels.label(attestation.level)}, "
            f"valida dal {attestation.valid_from:%d/%m/%Y} al {attestation.valid_until:%d/%m/%Y}"
            f", letta alla scadenza del bando ({deadline:%d/%m/%Y}); verifica: {url}"
        )
        return {"value": bonus.values[attestation.level], "justification": text}
    if attestation is not None:
        why = f"livello {levels.label(attestation.level)} non premiato dal bando"
    text = f"Nessuna premialità RSI alla scadenza del bando ({deadline:%d/%m/%Y}): {why}"
    return {"value": _lowest(template, bonus.node), "justification": text}


def fixed_answers(assessment) -> dict:
    """grids' `grid_fixed_answers`: the CSR bonus of an application before a call's committee."""
    bonus = (
        CallBonus.objects.filter(call__committee=assessment.committee_id)
        .select_related("call__grid_template")
        .first()
    )
    if bonus is None:
        return {}
    from reti.grants.models import Application

    application = (
        Application.objects.filter(pk=assessment.subject_id, call=bonus.call)
        .select_related("organisation")
        .first()
    )
    if application is None or assessment.subject_type.model_class() is not Application:
        return {}
    return {bonus.node: answer(bonus, application.organisation)}
