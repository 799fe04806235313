"""Every CSR page against the CSR cast: who gets what, and the wrong HTTP method.

The people: anonymous, an outsider, company A's and company B's representatives, the expert
of Toscana (validator of A's 2025 assessment and of B's 2026 one), an expert of Toscana in
conflict with company A, Toscana's officer (A and B are in Toscana), Lazio's officer, a
network secretariat and staff. Answers and evidence are the company's and its validator's:
nobody else reads them, staff and the region's officer included.
"""

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reti.grids.models import GridTemplate

from .. import actions
from ..models import ImprovementAction, PrizeEdition
from .factories import PDF

pytestmark = pytest.mark.django_db

PEOPLE = (
    "anonymous",
    "outsider",
    "rep_a",
    "rep_b",
    "expert",
    "conflicted",
    "officer",
    "lazio_officer",
    "secretariat",
    "staff",
)
OK, LOGIN, DENIED = "ok", "login", "denied"


@dataclass(frozen=True)
class Row:
    name: str
    arg: str = ""
    method: str = "get"
    allowed: tuple = field(default=PEOPLE)
    data: tuple = ()

    def expected(self, person):
        if person in self.allowed:
            return OK
        return LOGIN if person == "anonymous" else DENIED


SIGNED_IN = PEOPLE[1:]
ANSWERS_A = ("rep_a", "expert")  # company A and its validator

ROWS = [
    Row("csr:home"),
    Row("csr:anonymous"),
    Row("csr:anonymous_result"),
    Row("csr:anonymous_pdf"),
    Row("csr:anonymous_json"),
    Row("csr:anonymous_clear", method="post"),
    Row("csr:attestation_verify", "code"),
    Row("csr:mine", allowed=SIGNED_IN),
    Row("csr:company_register", allowed=SIGNED_IN),
    Row("csr:claim_create", allowed=SIGNED_IN),
    Row("csr:company_detail", "company_a", allowed=("rep_a", "officer", "staff")),
    Row("csr:assessment_detail", "validated", allowed=ANSWERS_A),
    Row("csr:assessment_pdf", "validated", allowed=ANSWERS_A),
    Row("csr:assessment_json", "validated", allowed=ANSWERS_A),
    Row("csr:assessment_edit", "draft", allowed=("rep_a",)),
    Row("csr:evidence_download", "validated_evidence", allowed=ANSWERS_A),
    Row("csr:attestation_pdf", "attestation", allowed=ANSWERS_A),
    Row("csr:assessment_start", "company_a", "post", allowed=("rep_a",)),
    Row(
        "csr:plan_add",
        "company_a",
        "post",
        allowed=("rep_a",),
        data=(
            ("area", "A5"),
            ("description", "Audit"),
            ("owner", "Ufficio"),
            ("due_date", "2027-01-31"),
        ),
    ),
    Row("csr:plan_status", "plan", "post", allowed=("rep_a",), data=(("status", "done"),)),
    Row("csr:validation_queue", allowed=("expert", "conflicted")),
    Row("csr:validation_review", "taken", allowed=("expert",)),
    Row("csr:validation_take", "waiting", "post", allowed=("expert", "conflicted")),
    Row("csr:region", allowed=("officer", "lazio_officer", "staff")),
    Row("csr:claim_verify", "claim_1", "post", allowed=("officer", "staff")),
    Row(
        "csr:claim_refuse",
        "claim_2",
        "post",
        allowed=("officer", "staff"),
        data=(("reason", "No"),),
    ),
    Row(
        "csr:attestation_revoke",
        "attestation",
        "post",
        allowed=("officer", "staff"),
        data=(("reason", "Falso"),),
    ),
    Row("csr:evidence_remove", "draft_evidence", "post", allowed=("rep_a",)),
    Row("csr:facilitation_list"),
    Row("csr:network"),
    Row("csr:prize_list"),
    Row("csr:prize_edition", "edition"),
    Row("csr:prize_apply", "edition", allowed=("rep_a", "rep_b")),
    Row("csr:prize_manage", "edition", allowed=("secretariat", "staff")),
    Row("csr:prize_publish", "edition", "post", allowed=("secretariat", "staff")),
]


def _upload(name="prova.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def world(cast, csr, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    a, b = csr.company_a, csr.company_b
    last = actions.start_self_assessment(csr.rep_a, a, 2025)
    actions.save_answers(csr.rep_a, last, csr.answers(a), {"REQ-SAFETY": _upload()})
    actions.submit_self_assessment(csr.rep_a, last)
    actions.take_for_validation(csr.expert, last)
    actions.decide(csr.expert, last, validate=True, note="")
    draft = actions.start_self_assessment(csr.rep_a, a, 2026)
    actions.save_answers(csr.rep_a, draft, {}, {"REQ-SAFETY": _upload("bozza.pdf")})
    waiting = actions.start_self_assessment(csr.rep_b, b, 2025)
    actions.save_answers(csr.rep_b, waiting, csr.answers(b))
    actions.submit_self_assessment(csr.rep_b, waiting)
    taken = actions.start_self_assessment(csr.rep_b, b, 2026)
    actions.save_answers(csr.rep_b, taken, csr.answers(b))
    actions.submit_self_assessment(csr.rep_b, taken)
    actions.take_for_validation(csr.expert, taken)
    claims = [
        actions.claim_company(user, a, "Anna Rossi", "Socia")
        for user in (cast.outsider, cast.viewer)
    ]
    plan = ImprovementAction(
        area="A1", description="Codice etico", owner="HR", due_date=date(2027, 3, 1)
    )
    actions.add_plan_action(csr.rep_a, a, plan)
    last.refresh_from_db()
    edition = PrizeEdition.objects.create(
        year=2030, title_it="Premio di prova", network=cast.network, deadline=date(2030, 6, 30),
        grid=GridTemplate.objects.get(code="csr-prize", version=1),
    )  # fmt: skip
    return {
        "edition": edition.year,
        "company_a": a.pk,
        "validated": last.pk,
        "validated_evidence": last.evidence.get().pk,
        "attestation": last.attestation.pk,
        "code": last.attestation.code,
        "draft": draft.pk,
        "draft_evidence": draft.evidence.get().pk,
        "waiting": waiting.pk,
        "taken": taken.pk,
        "claim_1": claims[0].pk,
        "claim_2": claims[1].pk,
        "plan": plan.pk,
    }


def _person(cast, csr, person):
    return {
        "anonymous": None,
        "outsider": cast.outsider,
        "rep_a": csr.rep_a,
        "rep_b": csr.rep_b,
        "expert": csr.expert,
        "conflicted": csr.conflicted_expert,
        "officer": cast.toscana_officer,
        "lazio_officer": cast.lazio_officer,
        "secretariat": cast.secretariat,
        "staff": cast.staff,
    }[person]


def _outcome(response):
    if response.status_code in (302, 303):
        target = urlsplit(response["Location"]).path
        return LOGIN if target == reverse("accounts:login") else OK
    if response.status_code == 200:
        return OK
    if response.status_code in (403, 404):
        return DENIED
    return response.status_code


def _url(row, world):
    return reverse(row.name, args=[world[row.arg]] if row.arg else [])


@pytest.mark.parametrize("person", PEOPLE)
def test_each_person_gets_what_the_rows_say(client, cast, csr, world, person):
    user = _person(cast, csr, person)
    if user is not None:
        client.force_login(user)
    wrong = []
    for row in ROWS:
        response = getattr(client, row.method)(_url(row, world), dict(row.data))
        if _outcome(response) != row.expected(person):
            wrong.append((row.name, response.status_code, row.expected(person)))
    assert wrong == []


# Pages that take a form answer GET and POST; any other method is refused.
FORMS = {
    "csr:anonymous",
    "csr:company_register",
    "csr:claim_create",
    "csr:assessment_edit",
    "csr:validation_review",
    "csr:prize_apply",
}


@pytest.mark.parametrize("row", ROWS, ids=lambda row: row.name)
def test_the_wrong_method_is_refused(client, csr, world, row):
    client.force_login(csr.rep_a)
    method = "PUT" if row.name in FORMS else "GET" if row.method == "post" else "POST"
    assert client.generic(method, _url(row, world)).status_code == 405


def test_every_csr_page_has_a_row():
    from django.urls import get_resolver

    from reti.lib.tests.test_permission_table import _url_names

    names = {n for n in _url_names(get_resolver().url_patterns) if n.startswith("csr:")}
    assert names == {row.name for row in ROWS}


def test_an_expert_in_conflict_is_told_and_not_made_validator(client, csr):
    own = actions.start_self_assessment(csr.rep_a, csr.company_a)
    actions.save_answers(csr.rep_a, own, csr.answers(csr.company_a))
    actions.submit_self_assessment(csr.rep_a, own)
    client.force_login(csr.conflicted_expert)
    response = client.post(reverse("csr:validation_take", args=[own.pk]), follow=True)
    assert "Conflitto di interessi" in response.content.decode()
    own.refresh_from_db()
    assert own.validator is None
    # Nor can they open the answers.
    assert client.get(reverse("csr:assessment_detail", args=[own.pk])).status_code == 404


def test_the_verification_page_says_valid_expired_or_revoked(client, cast, world):
    from ..models import Attestation

    url = reverse("csr:attestation_verify", args=[world["code"]])
    assert "Attestazione valida." in client.get(url).content.decode()
    Attestation.objects.filter(pk=world["attestation"]).update(
        valid_from=date(2020, 1, 1), valid_until=date(2021, 12, 31)
    )
    assert "Attestazione scaduta." in client.get(url).content.decode()
    attestation = Attestation.objects.get(pk=world["attestation"])
    actions.revoke_attestation(cast.toscana_officer, attestation, "Dati non veritieri.")
    page = client.get(url).content.decode()
    assert "Attestazione revocata." in page
    assert "Dati non veritieri" not in page  # the reason stays with the region


def test_the_attestation_pdf_carries_the_verification_address(client, csr, world):
    client.force_login(csr.rep_a)
    response = client.get(reverse("csr:attestation_pdf", args=[world["attestation"]]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_result_page_shows_the_radar_and_its_table(client, csr, world):
    client.force_login(csr.rep_a)
    page = client.get(reverse("csr:assessment_detail", args=[world["validated"]])).content.decode()
    assert 'src="data:image/svg+xml;base64,' in page
    assert 'id="areas-table"' in page
    assert "Troppo poche imprese simili" in page
    assert "Avanzato" in page


def test_registering_through_the_page(client, cast, csr):
    from reti.registry.demo.taxcodes import entity_code

    client.force_login(cast.outsider)
    data = {
        "name": "Forno di prova",
        "vat_number": entity_code(800_001),
        "legal_form": "snc",
        "ateco_code": "10.71.10",
        "employees": "4",
        "turnover": "300000",
        "balance_sheet": "200000",
        "region": csr.toscana_region.pk,
        "seat_address": "Via del Pane 1",
        "legal_representative": "Mario Bianchi",
        "position": "Socio",
        "units-TOTAL_FORMS": "2",
        "units-INITIAL_FORMS": "0",
    }
    response = client.post(reverse("csr:company_register"), data)
    assert response.status_code == 302
    bad = client.post(reverse("csr:company_register"), {**data, "vat_number": "00000000001"})
    assert "Partita IVA non valida" in bad.content.decode() or "partita IVA" in bad.content.decode()


def test_the_self_assessment_form_shows_only_what_applies(client, csr):
    own = actions.start_self_assessment(csr.rep_a, csr.company_a)
    client.force_login(csr.rep_a)
    page = client.get(reverse("csr:assessment_edit", args=[own.pk])).content.decode()
    assert 'id="criterion-REQ-CODE"' in page  # small companies
    assert 'id="criterion-REQ-OWNER"' not in page  # medium and large only
    assert 'id="criterion-A7.1"' in page
    assert 'name="f-REQ-SAFETY"' in page


def test_the_validator_adjusts_a_score_through_the_review_page(client, csr, world):
    from ..models import CsrAssessment

    client.force_login(csr.expert)
    url = reverse("csr:validation_review", args=[world["taken"]])
    page = client.get(url).content.decode()
    assert "Risposta dell'impresa" in page
    taken = CsrAssessment.objects.get(pk=world["taken"])
    data = {}
    for code, item in taken.assessment.answers.items():
        value = item["value"]
        data[f"v-{code}"] = str(value).lower() if isinstance(value, bool) else value
        data[f"j-{code}"] = item["justification"]
        for entry in item["evidence"]:
            if entry["kind"] != "document":
                data[f"e-{code}-{entry['kind']}"] = entry["ref"]
    data.update({"v-A1.1": "planned", "step": "decide", "decision": "validate", "note": ""})
    refused = client.post(url, data)
    assert refused.status_code == 200  # the change has no reason of the validator's own
    assert "A1.1" in refused.content.decode()
    data["j-A1.1"] = "Nessun documento sui valori."
    assert client.post(url, data).status_code == 302
    taken.refresh_from_db()
    assert taken.state == "validated"
    assert taken.review.answers["A1.1"]["value"] == "planned"


def test_the_organisation_page_and_the_account_page_gain_their_csr_sections(client, csr, world):
    organisation = reverse("portal:organisation_detail", args=[csr.company_a.organisation.pk])
    page = client.get(organisation).content.decode()
    assert 'id="csr-attestations"' in page
    assert reverse("csr:attestation_verify", args=[world["code"]]) in page
    client.force_login(csr.rep_a)
    account = client.get(reverse("accounts:account")).content.decode()
    assert reverse("csr:company_detail", args=[csr.company_a.pk]) in account
    client.force_login(csr.expert)
    assert (
        reverse("csr:validation_queue") in client.get(reverse("accounts:account")).content.decode()
    )


def test_a_missing_pdf_is_asked_for_on_its_field(client, csr):
    own = actions.start_self_assessment(csr.rep_a, csr.company_a)
    answers = csr.answers(csr.company_a)
    for item in answers.values():
        item["evidence"] = [e for e in item["evidence"] if e["kind"] != "document"]
    actions.save_answers(csr.rep_a, own, answers)
    client.force_login(csr.rep_a)
    url = reverse("csr:assessment_edit", args=[own.pk])
    data = {"step": "submit"}
    for code, item in answers.items():
        value = item["value"]
        data[f"v-{code}"] = str(value).lower() if isinstance(value, bool) else value
        data[f"j-{code}"] = item["justification"]
    page = client.post(url, data).content.decode()
    assert 'id="id_f-REQ-SAFETY_error"' in page
    assert "Allegare un PDF" in page
