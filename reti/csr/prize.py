"""Use cases of the national CSR prize (Premio nazionale RSI).

An edition has categories (companies by size class, and one for the public administrations
of the network, `PUBLIC_ADMINISTRATIONS`, whatever their size). A company's representative submits a
candidacy while the edition is open; the company needs a validated self-assessment whose
attestation is not revoked. The edition's managers (staff and the secretariat of the network
promoting it) open the jury: a grids committee on the prize grid, whose assignment skips
jurors in conflict with a company (grids' conflict rules: same organisation, common
project, shared governance; plus the jurors' own declarations). Jurors score blind in grids;
the chair records the consensus with its justification, which becomes the motivation. The
managers then publish the winners: the ranking per category (reti.csr.prize_ranking, pure)
is stored on the candidacies with its tie-breaks, the first of each category wins, the next
`mentions` get a mention, and the public edition page shows them.

Each action locks the edition's row, so a candidacy never slips in after the jury opened and
winners are published once. The award ceremony is an event of the events calendar
(`schedule_ceremony`), linked from the edition's page.
"""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from reti.grids import actions as grids
from reti.grids.models import Committee, CommitteeMember, ConsensusRecord
from reti.lib import audit

from . import permissions, prize_ranking
from .models import Attestation, Candidacy, CsrAssessment, PrizeEdition

CANDIDACY = gettext_noop("Candidatura al premio RSI presentata")
JURY_OPENED = gettext_noop("Giuria del premio RSI insediata")
JUROR = gettext_noop("Componente della giuria nominato")
PLACED = gettext_noop("Posizione in graduatoria del premio RSI")
WINNERS_PUBLISHED = gettext_noop("Vincitori del premio RSI pubblicati")
CEREMONY = gettext_noop("Cerimonia di premiazione del premio RSI in calendario")


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _system_or_manager(user, edition) -> bool:
    """`user` None is the system (`reti demo`); anyone else must manage the edition."""
    return user is None or permissions.can_manage_prize(user, edition)


def _locked(edition: PrizeEdition) -> PrizeEdition:
    return PrizeEdition.objects.select_for_update().get(pk=edition.pk)


def validated_assessment(company) -> CsrAssessment | None:
    """The company's latest validated self-assessment whose attestation is not revoked."""
    revoked = Attestation.objects.filter(revoked_at__isnull=False).values("csr_assessment")
    return (
        CsrAssessment.objects.filter(company=company, state=CsrAssessment.State.VALIDATED)
        .exclude(pk__in=revoked)
        .order_by("-year", "-pk")
        .first()
    )


# The organisation kinds that run in the public administrations' category.
PUBLIC_ADMINISTRATIONS = ("region", "ministry", "ministry_department", "national_agency")


def category_for(edition: PrizeEdition, company):
    """A public administration's category is the edition's public administrations' one; a
    company's is the one of its size class."""
    if company.organisation.kind in PUBLIC_ADMINISTRATIONS:
        return next((c for c in edition.categories.all() if c.public_administrations), None)
    return next(
        (
            c
            for c in edition.categories.all()
            if not c.public_administrations and company.size_class in (c.size_classes or [])
        ),
        None,
    )


@transaction.atomic
def submit_candidacy(user, edition: PrizeEdition, company, initiative: str, description: str):
    """A company's candidacy; refused without a validated self-assessment or out of time."""
    edition = _locked(edition)
    _require(permissions.can_apply_for_prize(user, company), "You do not act for this company.")
    if not edition.is_open:
        raise ValidationError(_("Le candidature a questa edizione sono chiuse."))
    csr = validated_assessment(company)
    if csr is None:
        raise ValidationError(
            _("Per candidarsi serve un'autovalutazione RSI validata (e non revocata).")
        )
    category = category_for(edition, company)
    if category is None:
        raise ValidationError(_("Nessuna categoria dell'edizione per la classe dell'impresa."))
    candidacy = Candidacy(
        edition=edition,
        category=category,
        company=company,
        csr_assessment=csr,
        initiative=(initiative or "").strip(),
        description=(description or "").strip(),
        submitted_by=user,
        synthetic=edition.synthetic,
    )
    audit.save(candidacy, user, CANDIDACY)
    return candidacy


@transaction.atomic
def open_jury(user, edition: PrizeEdition, *, chair, members=(), per_candidacy: int = 2):
    """Seat the jury (a grids committee on the prize grid), put every candidacy before it and
    assign them by load, skipping any juror in conflict with the company."""
    edition = _locked(edition)
    _require(_system_or_manager(user, edition), "You do not manage this prize.")
    if edition.committee_id is not None:
        raise ValidationError(_("La giuria di questa edizione è già insediata."))
    people = [(chair, CommitteeMember.Role.CHAIR)]
    people += [(m, CommitteeMember.Role.MEMBER) for m in members if m.pk != chair.pk]
    committee = Committee(
        name_it=f"Giuria — {edition.title_it}",
        name_en=f"Jury — {edition.title_en or edition.title_it}",
        template=edition.grid,
        evaluators_per_subject=min(per_candidacy, len(people)),
        synthetic=edition.synthetic,
    )
    audit.save(committee, user, JURY_OPENED)
    for person, role in people:
        audit.save(CommitteeMember(committee=committee, user=person, role=role), user, JUROR)
    edition.committee = committee
    audit.save(edition, user, JURY_OPENED)
    candidacies = list(edition.candidacies.select_related("company__organisation"))
    grids.add_subjects(user or chair, committee, candidacies)
    grids.assign_balanced(user or chair, committee)
    return committee


def consensus_by_candidacy(edition: PrizeEdition) -> dict[int, ConsensusRecord]:
    if edition.committee_id is None:
        return {}
    records = ConsensusRecord.objects.filter(committee_id=edition.committee_id).select_related(
        "assessment"
    )
    return {record.subject_id: record for record in records}


def ranking(edition: PrizeEdition) -> dict:
    """The ranking of each category from the jury's consensus: {category: [(candidacy,
    placed)]}, candidacies not placed (undecided, not admissible) left out."""
    consensus = consensus_by_candidacy(edition)
    candidacies = list(
        edition.candidacies.select_related(
            "company__organisation", "category", "csr_assessment__assessment"
        )
    )
    found = {}
    for category in edition.categories.all():
        mine = {c.pk: c for c in candidacies if c.category_id == category.pk}
        entries = []
        for candidacy in mine.values():
            record = consensus.get(candidacy.pk)
            result = record.assessment if record is not None else None
            entries.append(
                prize_ranking.Entry(
                    key=candidacy.pk,
                    score=result.total if result is not None else None,
                    admissible=result is not None and result.outcome == "admissible",
                    csr_total=candidacy.csr_assessment.assessment.total or 0,
                    submitted_at=candidacy.submitted_at.isoformat(),
                )
            )
        found[category] = [(mine[p.key], p) for p in prize_ranking.rank(entries)]
    return found


@transaction.atomic
def publish_winners(user, edition: PrizeEdition) -> PrizeEdition:
    """Store the ranking of each category on the candidacies and publish winners and
    mentions, with the jury's consensus justification as their motivation."""
    edition = _locked(edition)
    _require(_system_or_manager(user, edition), "You do not manage this prize.")
    if edition.published_at is not None:
        raise ValidationError(_("I vincitori di questa edizione sono già pubblicati."))
    consensus = consensus_by_candidacy(edition)
    if not consensus or edition.candidacies.exclude(pk__in=list(consensus)).exists():
        raise ValidationError(_("La giuria non ha ancora deciso su tutte le candidature."))
    for _category, placed in ranking(edition).items():
        for candidacy, entry in placed:
            candidacy.position, candidacy.score = entry.position, entry.score
            candidacy.decided_by = entry.decided_by
            candidacy.award = prize_ranking.award(entry.position, edition.mentions)
            candidacy.motivation = consensus[candidacy.pk].justification
            audit.save(candidacy, user, audit.reason(PLACED, str(entry.position)))
    edition.published_at = timezone.now()
    audit.save(edition, user, WINNERS_PUBLISHED)
    return edition


@transaction.atomic
def schedule_ceremony(
    user, edition: PrizeEdition, *, start, hours: int = 3, place: str = "", host=None
):
    """The edition's award ceremony as an event of the events calendar (a conference of the
    network that promotes the prize, hosted by its secretariat unless `host` is given), linked
    from the edition's page; again, it moves it."""
    from reti.events.models import Event
    from reti.registry.models import GoverningRole

    edition = _locked(edition)
    _require(_system_or_manager(user, edition), "You do not manage this prize.")
    if host is None and edition.network_id:
        role = (
            GoverningRole.objects.filter(network=edition.network_id, role="secretariat")
            .select_related("organisation")
            .order_by("-start_date", "-pk")
            .first()
        )
        host = role.organisation if role else None
    if host is None and edition.ceremony is None:
        raise ValidationError(_("Indicare l'ente che ospita la cerimonia."))
    event = edition.ceremony or Event(kind=Event.Kind.CONFERENCE, network=edition.network)
    if host is not None:
        event.host = host
    event.title_it = f"Cerimonia di premiazione — {edition.title_it}"
    event.title_en = f"Award ceremony — {edition.title_en or edition.title_it}"
    event.summary_it = "Consegna dei riconoscimenti alle vincitrici e alle menzioni del premio."
    event.summary_en = "The winners and mentions of the prize receive their awards."
    event.start, event.end = start, start + datetime.timedelta(hours=hours)
    event.place = place
    audit.save(event, user, CEREMONY)
    edition.ceremony = event
    audit.save(edition, user, CEREMONY)
    return event
