"""Administrative facilitations: recorded by the region, listed and downloaded by anyone, and
the ones a company's attestation opens; the open dataset of valid attestations."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from reti.opendata.registry import by_code

from .. import actions, datasets, facilitations
from ..models import Company, Facilitation
from .factories import CompanyFactory, attestation

pytestmark = pytest.mark.django_db


def _facilitation(region, level: str, title: str, **fields) -> Facilitation:
    return Facilitation(
        region=region, granted_by="Regione (prova)", kind=Facilitation.Kind.GUARANTEES,
        title_it=title, title_en=f"{title} (en)", required_level=level,
        legal_basis="Legge regionale di prova n. 1/2026",
        valid_from=fields.pop("valid_from", timezone.localdate() - datetime.timedelta(days=10)),
        **fields,
    )  # fmt: skip


@pytest.fixture
def measures(csr, cast):
    made = [
        _facilitation(csr.toscana_region, "base", "Garanzie ridotte"),
        _facilitation(csr.toscana_region, "excellent", "Punti in più"),
        _facilitation(csr.lazio_region, "advanced", "Procedura rapida"),
        _facilitation(
            csr.lazio_region, "base", "Misura scaduta",
            valid_until=timezone.localdate() - datetime.timedelta(days=1),
            valid_from=timezone.localdate() - datetime.timedelta(days=100),
        ),
    ]  # fmt: skip
    for row in made[:2]:
        actions.record_facilitation(cast.toscana_officer, row)
    for row in made[2:]:
        actions.record_facilitation(cast.staff, row)
    return made


def test_only_the_regions_officers_record_its_facilitations(csr, cast):
    with pytest.raises(PermissionDenied):
        actions.record_facilitation(
            cast.lazio_officer, _facilitation(csr.toscana_region, "base", "Altrui")
        )
    with pytest.raises(PermissionDenied):
        actions.record_facilitation(csr.rep_a, _facilitation(csr.toscana_region, "base", "No"))
    saved = actions.record_facilitation(
        cast.toscana_officer, _facilitation(csr.toscana_region, "base", "Sì")
    )
    assert saved.history.first().history_change_reason == actions.FACILITATION_SAVED


def test_a_company_is_eligible_for_what_its_valid_level_reaches_in_every_region(csr, measures):
    assert facilitations.eligible(csr.company_a) == []  # no attestation
    held = attestation(csr.company_a, level="advanced")
    titles = {f.title_it for f in facilitations.eligible(csr.company_a)}
    assert titles == {"Garanzie ridotte", "Procedura rapida"}  # not excellent, not expired
    held.revoked_at, held.revocation_reason = timezone.now(), "Prova"
    held.save()
    assert facilitations.eligible(csr.company_a) == []


def test_the_company_page_shows_its_facilitations_to_its_representatives(client, csr, measures):
    attestation(csr.company_a, level="base")
    url = reverse("csr:company_detail", args=[csr.company_a.pk])
    client.force_login(csr.rep_a)
    page = client.get(url).content.decode()
    assert "Garanzie ridotte" in page and "Punti in più" not in page


def test_the_public_list_groups_by_region_and_downloads_through_the_writer(client, measures):
    url = reverse("csr:facilitation_list")
    page = client.get(url).content.decode()
    assert "Garanzie ridotte" in page and "Procedura rapida" in page
    assert "Misura scaduta" not in page
    assert client.post(url).status_code == 405
    response = client.get(url, {"format": "csv-intl"})
    assert response.status_code == 200
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
    )
    assert {row["agevolazione"] for row in rows} == {
        "Garanzie ridotte", "Punti in più", "Procedura rapida",
    }  # fmt: skip
    with translation.override("en"):
        english = client.get(reverse("csr:facilitation_list")).content.decode()
    assert "Garanzie ridotte (en)" in english


def test_the_open_dataset_lists_valid_attestations_without_personal_data(client, csr):
    held = attestation(csr.company_a, level="excellent")
    attestation(
        csr.company_b, level="base",
        valid_from=timezone.localdate() - datetime.timedelta(days=900),
        valid_until=timezone.localdate() - datetime.timedelta(days=1),
    )  # fmt: skip
    sole = CompanyFactory(
        organisation__name_it="Mario Rossi (prova)", region=csr.toscana_region,
        legal_form=Company.LegalForm.SOLE,
    )  # fmt: skip
    attestation(sole, level="base")
    dataset = by_code("attestazioni-rsi")
    assert dataset.table is datasets.ATTESTATIONS
    response = client.get(
        reverse("opendata:detail", args=["attestazioni-rsi"]), {"format": "csv-intl"}
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [row["impresa"] for row in rows] == ["Impresa A (prova)"]  # B expired, sole left out
    assert rows[0]["livello"] == "excellent"
    assert rows[0]["verifica"].endswith(f"/rsi/verifica/{held.code}/")
    assert "rep_a" not in text and "Mario Rossi" not in text
    package = client.get(reverse("opendata:package", args=["attestazioni-rsi"])).json()
    fields = [f["name"] for f in package["resources"][0]["schema"]["fields"]]
    assert fields == datasets.ATTESTATIONS.names
    catalogue = client.get("/opendata/catalog.ttl").content.decode()
    assert "attestazioni-rsi" in catalogue


def test_the_facilitation_list_is_in_the_permission_cast(client, cast, csr):
    """A public page: anonymous and any account read it; only GET and HEAD."""
    url = reverse("csr:facilitation_list")
    for user in (None, cast.outsider, csr.rep_a, cast.staff):
        if user is not None:
            client.force_login(user)
        assert client.get(url).status_code == 200
        assert client.post(url).status_code == 405
