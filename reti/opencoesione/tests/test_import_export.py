"""The OpenCoesione import (all or nothing, idempotent, problems by line and column) and the
round trip export -> import."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reti.opencoesione import exporting, importing, layout, synthetic
from reti.opencoesione.models import CohesionRecord, ImportRun
from reti.registry.models import Organisation, Partnership, Project
from reti.registry.reference import ensure_reference_data
from reti.registry.tests import factories as f

SAMPLE = Path(__file__).resolve().parent.parent / "sample" / "progetti_sintetici.csv"
PROGRAMME, THEME = "2021IT05SFPR009", "09"


@pytest.fixture
def registry(territories):
    ensure_reference_data()


def _file(tmp_path, rows, header=layout.NAMES, name="estratto.csv"):
    path = tmp_path / name
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _selected(path):
    with open(path, newline="", encoding="utf-8") as file:
        rows = list(csv.DictReader(file, delimiter=";"))
    return [
        r
        for r in rows
        if r["OC_CODICE_PROGRAMMA"] == PROGRAMME and r["OC_COD_TEMA_SINTETICO"] == THEME
    ]


def test_the_sample_is_marked_synthetic():
    for row in _selected(SAMPLE):
        assert row["CUP"].startswith("ZSYN")
        assert row["OC_TITOLO_PROGETTO"].endswith("(sintetico)")


def test_import_creates_projects_territories_and_subjects(registry):
    report = importing.read(SAMPLE, PROGRAMME, THEME, synthetic=True)
    expected = _selected(SAMPLE)
    assert report.created == len(expected) > 0
    assert report.rows_read == 60
    for row in expected:
        project = Project.objects.get(cup=row["CUP"])
        assert project.kind == Project.Kind.OPERATION
        assert project.synthetic
        assert project.title_it == row["OC_TITOLO_PROGETTO"]
        assert project.period.code == "2021-2027"
        assert project.fund.code == "FSE+"
        record = project.cohesion
        assert record.programme_code == PROGRAMME
        assert record.public_funding == Decimal(row["FINANZ_TOTALE_PUBBLICO"].replace(",", "."))
        codes = {t.code for t in record.territories.all()}
        assert codes == {row["COD_REGIONE"], row["COD_PROVINCIA"], row["COD_COMUNE"]}
        lead = Partnership.objects.get(project=project, role="lead")
        assert lead.organisation.tax_code == row["OC_CODFISC_BENEFICIARIO"]
        assert record.programmer.tax_code == row["OC_CODFISC_PROGRAMMATORE"]
    assert ImportRun.objects.get().created == len(expected)


def test_a_second_run_changes_nothing(registry):
    importing.read(SAMPLE, PROGRAMME, THEME)
    before = (
        list(Project.objects.values_list("pk", "updated_at").order_by("pk")),
        Organisation.objects.count(),
        Partnership.objects.count(),
        CohesionRecord.territories.through.objects.count(),
    )
    again = importing.read(SAMPLE, PROGRAMME, THEME)
    assert (again.created, again.updated, again.organisations_created) == (0, 0, 0)
    assert again.unchanged == len(_selected(SAMPLE))
    after = (
        list(Project.objects.values_list("pk", "updated_at").order_by("pk")),
        Organisation.objects.count(),
        Partnership.objects.count(),
        CohesionRecord.territories.through.objects.count(),
    )
    assert after == before


def test_a_changed_amount_updates_only_that_project(registry, tmp_path):
    rows = list(synthetic.rows(12))
    importing.read(_file(tmp_path, rows), PROGRAMME, THEME)
    at = layout.NAMES.index("FINANZ_TOTALE_PUBBLICO")
    rows[0][at] = "1234,50"
    report = importing.read(_file(tmp_path, rows, name="b.csv"), PROGRAMME, THEME)
    assert (report.created, report.updated) == (0, 1)
    project = Project.objects.get(cup=rows[0][1])
    assert project.budget == Decimal("1234.50")
    assert project.cohesion.public_funding == Decimal("1234.50")


def test_bad_cells_are_named_by_line_and_column_and_nothing_is_written(registry, tmp_path):
    rows = list(synthetic.rows(20))
    names = layout.NAMES
    rows[0][names.index("OC_DATA_INIZIO_PROGETTO")] = "2023-01-05"
    rows[9][names.index("FINANZ_TOTALE_PUBBLICO")] = "1.234,5x"
    rows[18][names.index("COD_COMUNE")] = "999999"
    with pytest.raises(importing.ImportRefused) as refused:
        importing.read(_file(tmp_path, rows), PROGRAMME, THEME)
    found = {(p.line, p.column) for p in refused.value.report.problems}
    # Line 1 is the header: row 0 of the list is line 2, row 9 line 11.
    assert found == {
        (2, "OC_DATA_INIZIO_PROGETTO"),
        (11, "FINANZ_TOTALE_PUBBLICO"),
        (20, "COD_COMUNE"),
    }
    assert not Project.objects.filter(cup__startswith="ZSYN").exists()
    assert not Organisation.objects.filter(tax_code__startswith="9").exists()
    assert not ImportRun.objects.exists()


def test_an_error_after_the_first_batch_rolls_back_the_written_ones(registry, tmp_path):
    rows = list(synthetic.rows(60))
    rows[54][layout.NAMES.index("CUP")] = "corto"  # selected, after several batches
    with pytest.raises(importing.ImportRefused):
        importing.read(_file(tmp_path, rows), PROGRAMME, THEME, batch=2)
    assert not Project.objects.filter(cup__startswith="ZSYN").exists()
    assert not CohesionRecord.objects.exists()


def test_missing_columns_and_a_repeated_cup(registry, tmp_path):
    header = [n for n in layout.NAMES if n != "OC_TITOLO_PROGETTO"]
    with pytest.raises(importing.ImportRefused) as refused:
        importing.read(_file(tmp_path, [], header=header), PROGRAMME, THEME)
    assert [(p.line, p.column) for p in refused.value.report.problems] == [
        (1, "OC_TITOLO_PROGETTO")
    ]
    rows = list(synthetic.rows(12))
    rows[9][1] = rows[0][1]
    with pytest.raises(importing.ImportRefused) as refused:
        importing.read(_file(tmp_path, rows, name="dup.csv"), PROGRAMME, THEME)
    assert [(p.line, p.column) for p in refused.value.report.problems] == [(11, "CUP")]


def test_a_project_already_in_the_registry_is_linked_by_cup(registry, tmp_path):
    rows = list(synthetic.rows(3))
    lead = f.OrganisationFactory()
    existing = f.ProjectFactory(cup=rows[0][1], title_it="Titolo di Reti")
    Partnership.objects.create(project=existing, organisation=lead, role="lead")
    report = importing.read(_file(tmp_path, rows), PROGRAMME, THEME)
    assert (report.created, report.updated) == (0, 1)
    existing.refresh_from_db()
    assert existing.cohesion.local_code == rows[0][0]
    assert existing.title_it == rows[0][2]
    # Reti's lead stays lead; OpenCoesione's beneficiary joins as a partner.
    roles = dict(existing.partnerships.values_list("organisation__tax_code", "role"))
    assert roles[rows[0][layout.NAMES.index("OC_CODFISC_BENEFICIARIO")]] == "partner"


def test_round_trip_export_then_import(registry, tmp_path):
    importing.read(SAMPLE, PROGRAMME, THEME)
    exported = b"".join(exporting.chunks()).decode("utf-8")
    assert exported.splitlines()[0] == ";".join(layout.NAMES)
    written = {r["CUP"]: r for r in csv.DictReader(io.StringIO(exported), delimiter=";")}
    for row in _selected(SAMPLE):
        back = written[row["CUP"]]
        for name in layout.NAMES:
            if name in ("OC_DESCR_FONTE",):  # not kept by Reti
                continue
            assert back[name] == row[name], name
    path = tmp_path / "export.csv"
    path.write_text(exported, encoding="utf-8")
    again = importing.read(path, PROGRAMME, THEME)
    assert (again.created, again.updated) == (0, 0)
    assert again.unchanged == len(_selected(SAMPLE))


def test_a_reti_project_is_exported_with_what_the_registry_knows(registry):
    project = f.ProjectFactory(cup="B11J21000010006", budget=Decimal("2500.5"))
    exported = b"".join(exporting.chunks()).decode("utf-8")
    row = next(
        r for r in csv.DictReader(io.StringIO(exported), delimiter=";") if r["CUP"] == project.cup
    )
    assert row["COD_LOCALE_PROGETTO"] == f"RETI-{project.pk}"
    assert row["FINANZ_TOTALE_PUBBLICO"] == "2500,50"
    assert row["OC_CODICE_PROGRAMMA"] == ""


def test_the_command_reports_problems_and_refuses(registry, tmp_path, capsys):
    rows = list(synthetic.rows(3))
    rows[0][layout.NAMES.index("OC_COD_CICLO")] = "7"
    path = _file(tmp_path, rows)
    with pytest.raises(CommandError, match="nessuna modifica"):
        call_command("opencoesione", "import", str(path), programme=PROGRAMME, theme=THEME)
    assert "riga 2, colonna OC_COD_CICLO" in capsys.readouterr().err
    call_command("opencoesione", "import", str(SAMPLE), programme=PROGRAMME, theme=THEME)
    assert "progetti creati" in capsys.readouterr().out
    out = tmp_path / "out.csv"
    call_command("opencoesione", "export", str(out))
    assert out.read_text(encoding="utf-8").startswith("COD_LOCALE_PROGETTO;CUP;")


def test_the_dataset_is_declared_and_downloads_in_the_layout(registry, client):
    from django.urls import reverse

    importing.read(SAMPLE, PROGRAMME, THEME)
    url = reverse("opendata:detail", args=["progetti-opencoesione"])
    page = client.get(url)
    assert page.status_code == 200
    assert "FINANZ_TOTALE_PUBBLICO" in page.content.decode()
    download = client.get(url, {"format": "csv"})
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert text.startswith("COD_LOCALE_PROGETTO;CUP;")
    assert "ZSYN" in text
    assert client.post(url).status_code == 405


def test_the_demo_imports_the_sample_and_purges_it(registry):
    from reti.opencoesione import demo

    lines = []
    assert demo.generate("small", report=lines.append) == {
        "progetti OpenCoesione": len(_selected(SAMPLE))
    }
    assert Project.objects.filter(synthetic=True, kind=Project.Kind.OPERATION).exists()
    assert demo.purge(report=lines.append) == len(_selected(SAMPLE))
    assert not CohesionRecord.objects.exists()
