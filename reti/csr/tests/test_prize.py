"""The national CSR prize: candidacies, the jury through grids (conflicts, consensus), the
ranking per category with its tie-breaks, the published winners and who sees what."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from reti.accounts.models import Membership
from reti.grids import actions as grids
from reti.grids.models import GridTemplate
from reti.registry.tests import factories as rf

from .. import prize, prize_ranking
from ..models import PrizeCategory, PrizeEdition
from .factories import answers_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition(csr, cast):
    found = PrizeEdition.objects.create(
        year=2027,
        title_it="Premio RSI 2027 (prova)",
        title_en="CSR prize 2027 (test)",
        network=cast.network,
        grid=GridTemplate.objects.get(code="csr-prize", version=1),
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        mentions=1,
    )
    PrizeCategory.objects.create(
        edition=found, code="micro-piccole", name_it="Micro e piccole imprese",
        name_en="Micro and small companies", size_classes=["micro", "small"], order=1,
    )  # fmt: skip
    PrizeCategory.objects.create(
        edition=found, code="grandi", name_it="Grandi imprese", name_en="Large companies",
        size_classes=["medium", "large"], order=2,
    )  # fmt: skip
    return found


def _validate_b(csr):
    from .. import actions

    own = actions.start_self_assessment(csr.rep_b, csr.company_b)
    actions.save_answers(csr.rep_b, own, csr.answers(csr.company_b))
    actions.submit_self_assessment(csr.rep_b, own)
    actions.take_for_validation(csr.expert, own)
    return actions.decide(csr.expert, own, validate=True, note="Coerente.")


def test_a_candidacy_needs_a_validated_self_assessment(csr, edition, submitted):
    with pytest.raises(ValidationError):  # submitted, not yet validated
        prize.submit_candidacy(csr.rep_a, edition, csr.company_a, "Welfare", "Asilo aziendale")
    with pytest.raises(PermissionDenied):  # B's representative does not act for A
        prize.submit_candidacy(csr.rep_b, edition, csr.company_a, "Welfare", "Asilo aziendale")


def test_candidacies_close_at_the_deadline(csr, edition, validated):
    PrizeEdition.objects.filter(pk=edition.pk).update(
        deadline=timezone.localdate().replace(year=2020)
    )
    with pytest.raises(ValidationError):
        prize.submit_candidacy(csr.rep_a, edition, csr.company_a, "Welfare", "Asilo aziendale")


@pytest.fixture
def jury(csr, cast, edition, validated):
    _validate_b(csr)
    a = prize.submit_candidacy(csr.rep_a, edition, csr.company_a, "Welfare", "Asilo aziendale")
    b = prize.submit_candidacy(csr.rep_b, edition, csr.company_b, "Filiera", "Fornitori locali")
    chair = rf.UserFactory(username="presidente_giuria")
    juror = rf.UserFactory(username="giurato")
    conflicted = rf.UserFactory(username="giurato_in_conflitto")
    Membership.objects.create(
        user=conflicted, organisation=csr.company_a.organisation, role=Membership.Role.VIEWER
    )
    committee = prize.open_jury(
        cast.staff, edition, chair=chair, members=[juror, conflicted], per_candidacy=2
    )
    edition.refresh_from_db()
    return committee, a, b, chair


def _score(committee, candidacy, chair, mark: str):
    template = committee.template.engine_template()
    given = answers_for(template, candidacy.subject_attributes())
    for item in given.values():
        if item["value"] == "3":
            item["value"] = mark
        elif item["value"] is False:
            item["value"] = True
    for assignment in committee.assignments.filter(subject_id=candidacy.pk):
        grids.declare_conflict(assignment.evaluator, assignment, False)
        assessment = grids.start_assessment(assignment.evaluator, assignment)
        grids.save_draft(assignment.evaluator, assessment, given)
        grids.submit_assessment(assignment.evaluator, assessment)
    return grids.record_consensus(
        chair, committee, candidacy, given, f"Motivazione per {candidacy.initiative}"
    )


def test_the_jury_never_scores_a_company_it_is_in_conflict_with(jury):
    committee, a, _b, _chair = jury
    conflicted = committee.members.get(user__username="giurato_in_conflitto").user
    assert not committee.assignments.filter(evaluator=conflicted, subject_id=a.pk).exists()
    assert committee.assignments.filter(subject_id=a.pk).count() == 2


def test_ranking_ties_are_broken_by_the_validated_score_then_by_time(jury, edition, cast):
    committee, a, b, chair = jury
    _score(committee, a, chair, "8")
    _score(committee, b, chair, "8")
    placed = prize.ranking(edition)
    small = next(c for c in placed if c.code == "micro-piccole")
    rows = placed[small]
    assert rows[0][1].score == rows[1][1].score  # a tie
    # Same validated totals in this cast: the earlier candidacy (A) goes first.
    assert [c.pk for c, _e in rows] == [a.pk, b.pk]
    assert rows[0][1].decided_by in ("csr_total", "submitted_at")
    prize.publish_winners(cast.staff, edition)
    a.refresh_from_db(), b.refresh_from_db()
    assert (a.award, a.position, b.award) == ("winner", 1, "mention")
    assert a.motivation == "Motivazione per Welfare"
    assert a.history.first().history_change_reason.startswith(prize.PLACED)
    with pytest.raises(ValidationError):
        prize.publish_winners(cast.staff, edition)


def test_winners_are_published_only_once_the_jury_decided_on_all(jury, edition, cast):
    committee, a, _b, chair = jury
    _score(committee, a, chair, "8")
    with pytest.raises(ValidationError):
        prize.publish_winners(cast.staff, edition)
    with pytest.raises(PermissionDenied):
        prize.publish_winners(cast.toscana_officer, edition)


def test_the_public_page_shows_winners_with_motivations_in_both_languages(
    client, jury, edition, cast
):
    committee, a, b, chair = jury
    _score(committee, a, chair, "9")
    _score(committee, b, chair, "6")
    url = reverse("csr:prize_edition", args=[edition.year])
    assert "Motivazione per Welfare" not in client.get(url).content.decode()
    prize.publish_winners(cast.staff, edition)
    page = client.get(url).content.decode()
    assert "Impresa A (prova)" in page and "Motivazione per Welfare" in page
    assert "Vincitrice" in page
    with translation.override("en"):
        english = client.get(reverse("csr:prize_edition", args=[edition.year]))
    assert "CSR prize 2027 (test)" in english.content.decode()


def test_the_pure_ranking_orders_by_score_then_tie_breaks():
    entry = prize_ranking.Entry
    rows = [
        entry(1, Decimal(80), True, Decimal(70), "2027-01-02"),
        entry(2, Decimal(80), True, Decimal(75), "2027-01-03"),
        entry(3, Decimal(90), True, Decimal(50), "2027-01-04"),
        entry(4, Decimal(95), False, Decimal(99), "2027-01-01"),
        entry(5, None, True, Decimal(99), "2027-01-01"),
    ]
    placed = prize_ranking.rank(rows)
    assert [(p.key, p.position, p.decided_by) for p in placed] == [
        (3, 1, ""), (2, 2, "csr_total"), (1, 3, "csr_total"),
    ]  # fmt: skip
    assert prize_ranking.award(1, 1) == "winner" and prize_ranking.award(2, 1) == "mention"
    assert prize_ranking.award(3, 1) == ""


PAGES = ("prize_list", "prize_edition", "prize_apply", "prize_manage", "prize_publish")


def _url(name, edition):
    return (
        reverse(f"csr:{name}")
        if name == "prize_list"
        else reverse(f"csr:{name}", args=[edition.year])
    )


def test_who_reaches_the_prize_pages(client, cast, csr, edition):
    """Public pages for all; the candidacy page for representatives; management for the
    edition's managers (staff, the promoting network's secretariat), 404 to anyone else."""
    for name in ("prize_list", "prize_edition"):
        assert client.get(_url(name, edition)).status_code == 200
        assert client.post(_url(name, edition)).status_code == 405
    for name in ("prize_apply", "prize_manage"):
        assert client.get(_url(name, edition)).status_code == 302  # anonymous: sign in
    assert client.post(_url("prize_publish", edition)).status_code == 302
    client.force_login(cast.outsider)
    assert client.get(_url("prize_apply", edition)).status_code == 404
    assert client.get(_url("prize_manage", edition)).status_code == 404
    assert client.post(_url("prize_publish", edition)).status_code == 404
    client.force_login(cast.toscana_officer)
    assert client.get(_url("prize_manage", edition)).status_code == 404
    client.force_login(csr.rep_a)
    assert client.get(_url("prize_apply", edition)).status_code == 200
    assert client.get(_url("prize_manage", edition)).status_code == 404
    client.force_login(cast.secretariat)
    assert client.get(_url("prize_manage", edition)).status_code == 200
    assert client.get(_url("prize_publish", edition)).status_code == 405
    client.force_login(cast.staff)
    assert client.get(_url("prize_manage", edition)).status_code == 200


def test_a_public_administration_runs_in_its_own_category_whatever_its_size(csr, edition):
    public = PrizeCategory.objects.create(
        edition=edition, code="pa", name_it="Pubbliche amministrazioni",
        name_en="Public administrations", public_administrations=True, order=3,
    )  # fmt: skip
    assert prize.category_for(edition, csr.company_a).code == "micro-piccole"
    organisation = csr.company_b.organisation
    organisation.kind = "region"
    organisation.save()
    assert prize.category_for(edition, csr.company_b) == public
    page = Client().get(reverse("csr:prize_edition", args=[edition.year])).content.decode()
    assert "Pubbliche amministrazioni" in page


def test_the_ceremony_is_an_event_linked_from_the_edition_page(cast, csr, edition):
    start = timezone.now() + datetime.timedelta(days=40)
    with pytest.raises(PermissionDenied):
        prize.schedule_ceremony(cast.outsider, edition, start=start)
    event = prize.schedule_ceremony(cast.secretariat, edition, start=start, place="Roma")
    edition.refresh_from_db()
    assert edition.ceremony == event and event.network == cast.network
    assert event.history.first().history_change_reason.startswith(prize.CEREMONY)
    client = Client()
    page = client.get(reverse("csr:prize_edition", args=[edition.year])).content.decode()
    assert event.get_absolute_url() in page and "Cerimonia di premiazione" in page
    assert client.get(event.get_absolute_url()).status_code == 200
    with translation.override("en"):
        english = client.get(reverse("csr:prize_edition", args=[edition.year])).content.decode()
    assert "Award ceremony" in english
