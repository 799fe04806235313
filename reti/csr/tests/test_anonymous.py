"""The anonymous mode: anyone assesses, nothing is stored beyond the session."""

import json

import pytest
from django.urls import reverse

from reti.grids.models import Assessment

from ..models import Company, CsrAssessment

pytestmark = pytest.mark.django_db

FIGURES = {
    "step": "figures",
    "employees": "3",
    "turnover": "150000",
    "balance_sheet": "90000",
    "ateco_section": "C",
}


def test_an_anonymous_visitor_assesses_and_downloads_and_nothing_is_stored(client, csr):
    before = (Assessment.objects.count(), CsrAssessment.objects.count(), Company.objects.count())
    url = reverse("csr:anonymous")
    assert client.post(url, FIGURES).status_code == 302
    page = client.get(url).content.decode()
    assert 'id="criterion-A7.1"' not in page  # micro: material risks not assessed
    response = client.post(url, {"step": "result", "v-A1.1": "improving", "j-A1.1": "Sì."})
    assert response.status_code == 302

    result = client.get(reverse("csr:anonymous_result")).content.decode()
    assert 'id="areas-table"' in result
    pdf = client.get(reverse("csr:anonymous_pdf"))
    assert pdf.content.startswith(b"%PDF")
    data = json.loads(client.get(reverse("csr:anonymous_json")).content)
    assert data["answers"]["A1.1"]["value"] == "improving"
    assert data["subject"]["size_class"] == "micro"
    a1 = next(area for area in data["areas"] if area["code"] == "A1")
    assert a1["applicable"] is True

    after = (Assessment.objects.count(), CsrAssessment.objects.count(), Company.objects.count())
    assert after == before


def test_bad_figures_are_refused_naming_the_field(client, csr):
    response = client.post(reverse("csr:anonymous"), {**FIGURES, "employees": "-1"})
    assert response.status_code == 200
    assert "id_employees_error" in response.content.decode()


def test_another_visitor_does_not_see_the_answers(client, csr, django_user_model):
    client.post(reverse("csr:anonymous"), FIGURES)
    client.post(reverse("csr:anonymous"), {"step": "save", "v-A1.1": "improving"})
    from django.test import Client

    other = Client()
    assert other.get(reverse("csr:anonymous_result")).status_code == 302


def test_clearing_forgets_everything(client, csr):
    client.post(reverse("csr:anonymous"), FIGURES)
    client.post(reverse("csr:anonymous_clear"))
    assert client.get(reverse("csr:anonymous_result")).status_code == 302
