"""Territories from ISTAT's list and ISO 3166: counts, codes, parents, idempotence."""

import pytest
from django.core.management import CommandError, call_command

from reti.registry.models import Territory
from reti.registry.territories import load_territories

Level = Territory.Level


def test_a_first_load_creates_italy_and_the_countries(db):
    # The first test of the module: the `territories` fixture has not loaded anything yet.
    assert not Territory.objects.exists()
    report = load_territories()
    assert report.created == Territory.objects.count() > 8000
    assert report.updated == report.unchanged == 0


def test_counts_by_level(territories):
    counts = {level: Territory.objects.filter(level=level).count() for level in Level.values}
    assert counts[Level.MACRO_AREA] == 5
    assert counts[Level.REGION] == 20
    assert counts[Level.AUTONOMOUS_PROVINCE] == 2
    assert counts[Level.PROVINCE] + counts[Level.AUTONOMOUS_PROVINCE] == 107
    assert counts[Level.MUNICIPALITY] > 7800
    assert counts[Level.COUNTRY] >= 249
    assert counts[Level.FOREIGN_REGION] >= 1


def test_toscana_is_region_09_in_the_centre(territories):
    toscana = Territory.objects.get(code="09")
    assert (toscana.level, toscana.name_it, toscana.nuts_code) == (Level.REGION, "Toscana", "ITI1")
    assert toscana.iso_code == "IT-52"
    assert toscana.parent.code == "ITI"
    assert toscana.parent.level == Level.MACRO_AREA
    assert toscana.parent.parent.code == "IT"


def test_firenze_municipality_province_region(territories):
    firenze = Territory.objects.get(code="048017")
    assert (firenze.level, firenze.name_it) == (Level.MUNICIPALITY, "Firenze")
    assert firenze.parent.code == "048"
    assert firenze.parent.level == Level.PROVINCE
    assert firenze.parent.nuts_code == "ITI14"
    assert firenze.parent.parent.code == "09"


def test_autonomous_provinces_are_nuts2_regions_under_trentino_alto_adige(territories):
    trento, bolzano = Territory.objects.get(code="022"), Territory.objects.get(code="021")
    assert (trento.level, trento.nuts_code) == (Level.AUTONOMOUS_PROVINCE, "ITH2")
    assert (bolzano.level, bolzano.nuts_code) == (Level.AUTONOMOUS_PROVINCE, "ITH1")
    assert trento.parent.code == bolzano.parent.code == "04"
    assert Territory.objects.get(code="022205").parent == trento  # the city of Trento


def test_macro_areas_are_the_nuts1_units(territories):
    areas = Territory.objects.filter(level=Level.MACRO_AREA)
    assert sorted(areas.values_list("code", flat=True)) == ["ITC", "ITF", "ITG", "ITH", "ITI"]
    assert Territory.objects.get(code="ITG").name_it == "Isole"


def test_names_in_english_only_where_there_is_one(territories):
    assert Territory.objects.get(code="09").name_en == ""
    finland = Territory.objects.get(code="FI")
    assert (finland.name_it, finland.name_en) == ("Finlandia", "Finland")


def test_foreign_territories_the_facts_need(territories):
    flanders = Territory.objects.get(code="BE2")
    assert (flanders.level, flanders.iso_code, flanders.parent.code) == (
        Level.FOREIGN_REGION,
        "BE-VLG",
        "BE",
    )
    assert Territory.objects.get(code="RO").nuts_code == "RO"
    assert Territory.objects.get(code="FI").nuts_code == "FI"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("09", "09"),
        ("ITI1", "09"),
        ("ITH2", "022"),
        ("IT-FI", "048"),
        ("FI", "FI"),
        ("BE-VLG", "BE2"),
        ("BE2", "BE2"),
        ("IT", "IT"),
    ],
)
def test_by_code_resolves_istat_nuts_and_iso_codes(territories, code, expected):
    assert Territory.objects.by_code(code).code == expected


def test_by_code_refuses_an_unknown_code(territories):
    with pytest.raises(Territory.DoesNotExist):
        Territory.objects.by_code("ZZ9")


def test_a_second_load_changes_nothing(territories):
    before = list(Territory.objects.values_list("id", "code", "name_it", "parent_id"))
    report = load_territories()
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == len(before)
    assert list(Territory.objects.values_list("id", "code", "name_it", "parent_id")) == before


def test_a_load_corrects_what_differs(territories):
    Territory.objects.filter(code="09").update(name_it="Toscanaa", nuts_code="")
    report = load_territories()
    assert (report.created, report.updated) == (0, 1)
    assert Territory.objects.get(code="09").nuts_code == "ITI1"


def test_territories_no_longer_listed_are_kept_and_reported(territories):
    Territory.objects.create(code="999999", level=Level.MUNICIPALITY, name_it="Comune soppresso")
    report = load_territories()
    assert "999999" in report.stale
    assert Territory.objects.filter(code="999999").exists()


def test_a_bad_file_changes_nothing(territories, tmp_path):
    bad = tmp_path / "comuni.csv"
    bad.write_text("Codice Regione;Denominazione\n09;Toscana\n", encoding="cp1252")
    Territory.objects.filter(code="09").update(name_it="Da correggere")
    count = Territory.objects.count()
    with pytest.raises(ValueError, match="missing columns"):
        load_territories(bad)
    assert Territory.objects.count() == count
    assert Territory.objects.get(code="09").name_it == "Da correggere"


def test_the_command_reports_and_refuses_a_bad_file(territories, tmp_path, capsys):
    call_command("load_territories")
    assert "0 created, 0 updated" in capsys.readouterr().out
    bad = tmp_path / "comuni.csv"
    bad.write_text("x;y\n", encoding="cp1252")
    with pytest.raises(CommandError, match="missing columns"):
        call_command("load_territories", file=str(bad))
