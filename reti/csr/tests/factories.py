"""Factories of the CSR tests: companies (with their registry organisation) and answers."""

from decimal import Decimal

import factory

from reti.registry.demo.taxcodes import entity_code
from reti.registry.models import Organisation
from reti.registry.tests import factories as rf

from ..models import Company

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class CompanyOrganisationFactory(rf.OrganisationFactory):
    kind = Organisation.Kind.COMPANY
    vat_number = factory.Sequence(lambda n: entity_code(500_000 + n))


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company

    organisation = factory.SubFactory(CompanyOrganisationFactory)
    legal_form = Company.LegalForm.SRL
    ateco_code = "62.10.00"
    ateco_section = "K"
    employees = Decimal(20)
    turnover = Decimal("3000000.00")
    balance_sheet = Decimal("2500000.00")
    size_class = "small"
    seat_address = "Via di prova 1"

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        company = model_class(*args, **kwargs)
        company.full_clean()  # derives the section and the size class
        company.save()
        return company


def answers_for(template, attributes: dict, **changes) -> dict:
    """A complete, valid set of answers to the nodes that apply, every one justified."""
    from ..forms import applicable_codes

    keep = applicable_codes(template, attributes)
    found = {}
    for node in template.walk():
        if node.children or node.code not in keep or node.kind == "area":
            continue
        scale = template.scales.get(node.scale) if node.scale else None
        kind = scale.kind if scale else "yesno"
        value = {
            "levels": "systematic",
            "yesno": node.kind == "gate",
            "percent": "60",
            "range": "3",
        }[kind]
        evidence = [{"kind": kind, "ref": f"Prova {node.code}"} for kind in node.evidence]
        found[node.code] = {"value": value, "justification": "Motivo.", "evidence": evidence}
    found.update(changes)
    return found


def attestation(company, *, level="advanced", valid_from=None, valid_until=None, **fields):
    """A validated self-assessment of `company` and its attestation, written directly (the
    validation path has its own tests): for tests that only read attestations."""
    import datetime

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from reti.grids.actions import CATALOGUE, load_template
    from reti.grids.models import Assessment

    from ..models import Attestation, CsrAssessment

    template, _changed = load_template(
        None, (CATALOGUE / "csr-self-assessment.yaml").read_text(encoding="utf-8")
    )
    today = timezone.localdate()
    grid = Assessment.objects.create(
        template=template, mode=Assessment.Mode.SELF, state=Assessment.State.SUBMITTED,
        subject_type=ContentType.objects.get_for_model(company), subject_id=company.pk,
        result={}, total=Decimal(75), submitted_at=timezone.now(),
    )  # fmt: skip
    csr = CsrAssessment.objects.create(
        company=company, year=today.year, assessment=grid, submitted_at=timezone.now(),
        state=CsrAssessment.State.VALIDATED, level=level,
    )  # fmt: skip
    return Attestation.objects.create(
        csr_assessment=csr, company=company, level=level, total=Decimal(75),
        valid_from=valid_from or today - datetime.timedelta(days=30),
        valid_until=valid_until or today + datetime.timedelta(days=700), **fields,
    )  # fmt: skip
