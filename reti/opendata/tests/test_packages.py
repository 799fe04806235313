"""Every dataset's data dictionary and Data Package, validated by frictionless against a real
download of the dataset (both CSV dialects), and the public rows only: no draft, no
participant record, no suppressed cell."""

import copy
import csv
import io
import json

import pytest
from django.urls import reverse
from django.utils import timezone
from frictionless import Package

from reti.events.tests.factories import EventFactory
from reti.knowledge.models import GoodPractice
from reti.knowledge.tests.factories import PracticeFactory
from reti.monitoring.exports import PARTICIPANTS_TABLE
from reti.monitoring.importing.spec import TEMPLATE
from reti.opendata.registry import by_code, datasets

pytestmark = pytest.mark.django_db


@pytest.fixture
def published_data(cast):
    """A published practice and a draft one, an event: beside the cast's registry records."""
    published = PracticeFactory(
        title_it="Pratica pubblicata, con «virgolette»; e punto e virgola",
        network=cast.network,
    )
    now = timezone.now()
    GoodPractice.objects.filter(pk=published.pk).update(
        state=GoodPractice.State.PUBLISHED, submitted_at=now, validated_at=now, published_at=now
    )
    draft = PracticeFactory(title_it="Bozza riservata della pratica")
    EventFactory(network=cast.network)
    _published_ranking(cast)
    _valid_attestation()
    return published, draft


def _valid_attestation():
    """A company's valid CSR attestation (csr's open dataset)."""
    from reti.csr.tests.factories import CompanyFactory, attestation
    from reti.registry.models import Territory

    region = Territory.objects.create(code="99", level=Territory.Level.REGION, name_it="Prova")
    attestation(CompanyFactory(organisation__name_it="Impresa RSI (prova)", region=region))


def _published_ranking(cast):
    """A call's published ranking with one funded application (grants' open dataset)."""
    from reti.grants.models import Application, RankingEntry, RankingRun, Receipt
    from reti.grants.tests.factories import CallFactory

    call = CallFactory()
    application = Application.objects.create(
        call=call, organisation=cast.lazio, created_by=cast.lazio_officer, title="Domanda"
    )
    now = timezone.now()
    Receipt.objects.create(
        application=application, series=call.code, year=2026, sequence=1,
        protocol_number=f"{call.code.upper()}/2026/000001", submitted_at=now, content="{}",
        content_sha256="0" * 64,
    )  # fmt: skip
    run = RankingRun.objects.create(
        call=call, number=1, kind=RankingRun.Kind.FINAL, inputs={}, rules={}, result={},
        engine_version="1.0", created_by=cast.staff, created_at=now, published_at=now,
    )  # fmt: skip
    RankingEntry.objects.create(
        run=run, application=application, line="L1", position=1, score="80.000",
        status=RankingEntry.Status.FUNDED, granted="8000.00",
    )  # fmt: skip


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def _download(client, code: str, fmt: str) -> bytes:
    response = client.get(reverse("opendata:detail", args=[code]), {"format": fmt})
    assert response.status_code == 200, (code, fmt)
    return _body(response)


def _report_errors(report) -> list:
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_every_dataset_package_is_valid_and_matches_its_csv_downloads(
    client,
    published_data,
    three_regions,
    tmp_path,
):
    assert {d.code for d in datasets()} == {
        "reti", "progetti", "organizzazioni", "buone-pratiche", "eventi", "indicatori",
        "graduatorie-bandi", "attestazioni-rsi",
        "progetti-opencoesione",
    }  # fmt: skip
    for dataset in datasets():
        response = client.get(reverse("opendata:package", args=[dataset.code]))
        assert response.status_code == 200
        descriptor = response.json()
        metadata = Package.validate_descriptor(copy.deepcopy(descriptor))
        assert metadata.valid, (dataset.code, _report_errors(metadata))
        names = [field["name"] for field in descriptor["resources"][0]["schema"]["fields"]]
        assert names == dataset.table.names
        # The resources point at the dataset's downloads; here the same bytes, read locally.
        international, italian = descriptor["resources"]
        assert international["path"].endswith(f"/it/dati-aperti/{dataset.code}/?format=csv-intl")
        assert italian["path"].endswith(f"/it/dati-aperti/{dataset.code}/?format=csv")
        for resource, fmt in ((international, "csv-intl"), (italian, "csv")):
            data = _download(client, dataset.code, fmt)
            rows = list(
                csv.reader(
                    io.StringIO(data.decode("utf-8-sig")),
                    delimiter="," if fmt == "csv-intl" else ";",
                )
            )
            assert len(rows) > 1, f"{dataset.code}: the test needs rows to validate"
            (tmp_path / f"{dataset.code}-{fmt}.csv").write_bytes(data)
            resource["path"] = f"{dataset.code}-{fmt}.csv"
        report = Package(descriptor, basepath=str(tmp_path)).validate()
        assert report.valid, (dataset.code, _report_errors(report))


def test_a_frictionless_check_catches_a_download_that_breaks_its_schema(client, cast, tmp_path):
    """The test above can fail: a number where the dictionary says integer is an error."""
    descriptor = client.get(reverse("opendata:package", args=["reti"])).json()
    data = _download(client, "reti", "csv-intl").decode()
    header, first, *rest = data.split("\r\n")
    broken = first.split(",", 1)
    (tmp_path / "reti.csv").write_text("\r\n".join([header, "uno," + broken[1], *rest]))
    resource = descriptor["resources"][0]
    resource["path"] = "reti.csv"
    descriptor["resources"] = [resource]
    report = Package(descriptor, basepath=str(tmp_path)).validate()
    assert not report.valid
    assert ["id", "type-error"] in [row[1:3] for row in _report_errors(report)]


def test_a_draft_practice_is_never_in_the_open_data(client, published_data):
    published, draft = published_data
    for fmt in ("csv", "csv-intl", "json"):
        data = _download(client, "buone-pratiche", fmt).decode("utf-8-sig")
        assert published.title_it in data or json.dumps(published.title_it)[1:-1] in data
        assert draft.title_it not in data


def test_participant_records_are_not_a_dataset():
    """Participant-level data (pseudonymised, personal) is read only by authorised users,
    logged: no dataset uses its tables or any of their columns."""
    private = set(PARTICIPANTS_TABLE.names) | set(TEMPLATE.names)
    for dataset in datasets():
        assert dataset.table not in (PARTICIPANTS_TABLE, TEMPLATE)
        shared = private & set(dataset.table.names)
        # Region and gender name aggregates; an organisation's tax code is public (IPA).
        allowed = {"codice_regione", "genere"} | (
            {"codice_fiscale"} if dataset.code == "organizzazioni" else set()
        )
        assert not shared - allowed, (dataset.code, shared)
    assert by_code("partecipanti") is None


def test_anonymous_gets_no_suppressed_cell_in_the_indicators_dataset(
    client,
    three_regions,
):
    """Valle d'Aosta's 3 people are under the threshold and Lombardia's 10 hidden with them:
    in the dataset their cells are empty with the note c, never a number."""
    data = _download(client, "indicatori", "csv-intl").decode()
    rows = list(csv.DictReader(io.StringIO(data)))
    hidden = [r for r in rows if r["nota"] == "c"]
    assert hidden, "the snapshot has cells to hide"
    assert all(r["valore"] == "" for r in hidden)
    assert all(r["valore"] != "" for r in rows if r["nota"] == "")

    def participants(row, region):
        return row["codice_indicatore"] == "EECO01" and row["codice_regione"] == region

    for region in ("02", "03"):  # Valle d'Aosta, and Lombardia hidden to protect it
        cells = [r for r in rows if participants(r, region)]
        # Only a true zero (no non-binary person) is published; every count is hidden.
        assert cells and all(r["valore"] in ("", "0") for r in cells)
        assert [r["genere"] for r in cells if r["nota"] == "c"] == ["Donne", "Uomini", "Totale"]
    # The same in JSON: a null, never a number.
    payload = json.loads(_download(client, "indicatori", "json"))
    cells = [r for r in payload["righe"] if participants(r, "02")]
    assert cells and all(r["valore"] in (None, 0) for r in cells)


def test_the_dictionary_page_describes_each_column_in_both_languages(client, cast):
    italian = client.get("/it/dati-aperti/reti/")
    assert italian.status_code == 200
    page = italian.content.decode()
    assert "Dizionario dei dati" in page and "<code>identificativo</code>" in page
    assert "Numero della rete nel registro" in page
    english = client.get("/en/open-data/reti/")
    assert english.status_code == 200
    assert "Data dictionary" in english.content.decode()
    assert client.get("/it/dati-aperti/nessuno/").status_code == 404
    assert client.get("/it/dati-aperti/nessuno/datapackage.json").status_code == 404


def test_the_open_data_page_lists_every_dataset_with_formats_and_licence(client, cast):
    page = client.get("/it/dati-aperti/").content.decode()
    for dataset in datasets():
        assert f'id="dataset-{dataset.code}"' in page
        assert reverse("opendata:package", args=[dataset.code]) in page
    assert "https://creativecommons.org/licenses/by/4.0/" in page
    # In the portal's main menu, in both languages.
    assert 'href="/it/dati-aperti/"' in client.get("/it/").content.decode()
    assert 'href="/en/open-data/"' in client.get("/en/").content.decode()


def test_every_dataset_downloads_as_xlsx_and_json_with_the_dictionarys_columns(
    client, published_data
):
    from openpyxl import load_workbook

    for dataset in datasets():
        book = load_workbook(io.BytesIO(_download(client, dataset.code, "xlsx")), read_only=True)
        header = next(book.worksheets[0].iter_rows(max_row=1, values_only=True))
        assert list(header) == dataset.table.names
        payload = json.loads(_download(client, dataset.code, "json"))
        assert all(list(row) == dataset.table.names for row in payload["righe"])


def test_the_dataset_page_previews_its_first_rows_and_says_how_to_cite_it(client, cast):
    page = client.get(reverse("opendata:detail", args=["reti"])).content.decode()
    preview = page.split('id="preview"')[1].split("</table>")[0]
    assert "<code>nome</code>" in preview and cast.network.name_it in preview
    citation = page.split('id="citation"')[1].split("</p>")[0]
    assert "Segreteria tecnica di Reti" in citation and "/it/dati-aperti/reti/" in citation
    assert "CC BY 4.0" in citation
