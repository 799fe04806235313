"""The common indicators load once, with their sources, and a second run changes nothing."""

import io

import pytest
import yaml
from django.core.management import call_command

from reti.monitoring.indicators import DEFAULT_PATH, load_indicators
from reti.monitoring.models import IndicatorDefinition

pytestmark = pytest.mark.django_db

ESF_PLUS = [f"EECO{n:02d}" for n in range(1, 20)] + [f"EECR{n:02d}" for n in range(1, 7)]
ESF_2014 = [f"CO{n:02d}" for n in range(1, 24)] + [f"CR{n:02d}" for n in range(1, 10)]


def test_every_common_indicator_is_declared_with_its_source():
    call_command("load_indicators", stdout=io.StringIO())
    codes = set(IndicatorDefinition.objects.values_list("code", flat=True))
    assert codes == set(ESF_PLUS + ESF_2014)
    eecr05 = IndicatorDefinition.objects.get(code="EECR05")
    assert eecr05.period.code == "2021-2027"
    assert eecr05.source == "Regulation (EU) 2021/1057, Annex I, point 3.2"
    assert eecr05.sql_key == "EECR05"
    co01 = IndicatorDefinition.objects.get(code="CO01")
    assert co01.source_regulation == "Regulation (EU) No 1304/2013"
    assert co01.name_it.startswith("Disoccupati")


def test_every_participant_indicator_is_broken_down_by_gender():
    load_indicators()
    participants = IndicatorDefinition.objects.filter(subject="participants")
    assert participants.count() > 40
    assert all("gender" in i.breakdowns for i in participants)


def test_a_second_run_changes_nothing_and_an_edit_is_audited(tmp_path):
    first = load_indicators()
    assert first.created == len(ESF_PLUS + ESF_2014)
    again = load_indicators()
    assert (again.created, again.updated) == (0, 0)
    data = yaml.safe_load(DEFAULT_PATH.read_text())
    data["indicators"][0]["name_en"] = "Participants, all of them"
    edited = tmp_path / "indicators.yaml"
    edited.write_text(yaml.safe_dump(data, allow_unicode=True))
    assert load_indicators(edited).updated == 1
    indicator = IndicatorDefinition.objects.get(code=data["indicators"][0]["code"])
    assert indicator.history.count() == 2
    assert indicator.history.first().history_change_reason.startswith("load-indicators")


def test_a_wrong_entry_names_the_indicator_and_loads_nothing(tmp_path):
    data = yaml.safe_load(DEFAULT_PATH.read_text())
    data["indicators"][3]["period"] = "2031-2037"
    wrong = tmp_path / "indicators.yaml"
    wrong.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(ValueError, match=data["indicators"][3]["code"]):
        load_indicators(wrong)
    assert not IndicatorDefinition.objects.exists()
