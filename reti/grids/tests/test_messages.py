"""The engine's words (rules, reasons, flags, outcomes) in Italian on Italian pages and in
English on English pages: the engine gives codes and parameters, the app translates."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from reti.grids import actions, messages
from reti.grids.engine import Answer, catalogue, evaluate
from reti.grids.engine import messages as engine_messages

GRIDS = catalogue()


def _complete(template, subject, **changes):
    """A complete, valid set of answers (middle values, justified, with evidence)."""
    out = {}
    for node in template.walk():
        if node.kind not in ("criterion", "negative", "gate", "bonus") or node.children:
            continue
        scale = template.scales.get(node.scale) if node.scale else None
        if scale is None or scale.kind == "yesno":
            value = True
        elif scale.kind == "levels":
            value = scale.levels[len(scale.levels) // 2].code
        elif scale.kind == "percent":
            value = "50"
        else:
            value = str(scale.minimum + (scale.maximum - scale.minimum) // 2)
        out[node.code] = {
            "value": value,
            "justification": "Motivazione sintetica di prova.",
            "evidence": [{"kind": kind, "ref": "Allegato sintetico"} for kind in node.evidence],
        }
    out.update(changes)
    return out


@pytest.mark.parametrize("code", sorted(GRIDS))
def test_every_rule_and_reason_of_the_shipped_grids_reads_back(code):
    """Every text the engine writes is a known code with its parameters, and is rebuilt."""
    template = GRIDS[code]
    for subject in ({}, {"size_class": "micro"}, {"size_class": "large"}):
        answers = {n.code: Answer(None) for n in template.walk()}
        for entry in evaluate(template, answers, subject).trace:
            rule = engine_messages.read_rule(entry.rule)
            assert rule is None or rule[0] != "other", entry.rule
            reason = engine_messages.read_reason(entry.reason)
            assert reason is None or reason[0] != "other", entry.reason
            if rule and rule[0] in ("leaf", "deduction"):
                assert engine_messages.shape(rule[1]["max"], rule[1]["scale_max"]) in entry.rule


def test_rules_reasons_and_flags_in_both_languages():
    reason = engine_messages.not_among("size_class", "micro", "small, medium, large")
    rule = "bonus: value × 3 ÷ 4, capped at 3"
    with translation.override("it"):
        assert messages.reason_text(reason) == (
            "classe dimensionale «micro» non è tra small, medium, large"
        )
        assert messages.rule_text(rule) == "premialità: valore × 3 ÷ 4, fino a 3"
        assert messages.flag_text("gate_failed:G1", {"G1": "Sicurezza"}) == (
            "requisito non superato: Sicurezza"
        )
        assert messages.rule_text(engine_messages.RENORMALISED) == (
            "somma pesata, riproporzionata al massimo"
        )
    with translation.override("en"):
        assert messages.reason_text(reason) == (
            "size class “micro” is not among small, medium, large"
        )
        assert messages.rule_text(rule) == "bonus: value × 3 ÷ 4, capped at 3"
        assert messages.flag_text("gate_failed:G1", {"G1": "Safety"}) == "gate failed: Safety"
        assert str(messages.entry_outcome_label("not_applicable")) == "does not apply"


@pytest.fixture
def micro_sheet(cast, catalogue):
    """Toscana's own CSR self-assessment as a micro firm, its safety requirement failed."""
    grid = catalogue["csr-self-assessment"]
    template = grid.engine_template()
    subject = {"size_class": "micro"}
    given = _complete(
        template,
        subject,
        **{
            "REQ-SAFETY": {
                "value": False,
                "justification": "Documento in revisione.",
                "evidence": [{"kind": "document", "ref": "Allegato sintetico"}],
            }
        },
    )
    user = cast.toscana_officer
    assessment = actions.start_self_assessment(user, grid, cast.toscana)
    actions.save_draft(user, assessment, given, subject)
    return actions.submit_assessment(user, assessment)


@pytest.mark.django_db
def test_the_sheet_speaks_the_pages_language(client, cast, micro_sheet):
    assert micro_sheet.outcome == "not_admissible"
    client.force_login(cast.toscana_officer)
    with translation.override("it"):
        italian = client.get(reverse("grids:assessment_sheet", args=[micro_sheet.pk]))
    with translation.override("en"):
        english = client.get(reverse("grids:assessment_sheet", args=[micro_sheet.pk]))
    assert italian.status_code == english.status_code == 200
    it, en = italian.content.decode(), english.content.decode()
    assert "/it/" in italian.request["PATH_INFO"] and "/en/" in english.request["PATH_INFO"]
    # Outcome, a failed gate, a node that does not apply, the rule of a criterion.
    assert "non ammissibile" in it and "requisito non superato" in it
    assert "classe dimensionale «micro» non è tra" in it
    assert "non si applica" in it and "requisito: sì lo supera" in it
    assert "media pesata" in it
    assert "not admissible" in en and "gate failed" in en
    assert "size class “micro” is not among" in en
    assert "does not apply" in en and "gate: yes passes; no or no answer fails" in en
    assert "weighted mean" in en
    # No English engine text left on the Italian page, nor Italian on the English one.
    for engine_text in ("is not among", "gate: yes passes", "which does not apply"):
        assert engine_text not in it
    for italian_text in ("non è tra", "requisito non superato", "media pesata"):
        assert italian_text not in en
    assert Decimal(micro_sheet.result["total"]) >= 0


@pytest.mark.django_db
def test_csr_sheet_has_the_areas_chart_and_its_table(client, cast, micro_sheet):
    import base64
    import re

    client.force_login(cast.toscana_officer)
    with translation.override("en"):
        page = client.get(reverse("grids:assessment_sheet", args=[micro_sheet.pk]))
    html = page.content.decode()
    assert 'id="area-chart"' in html and 'id="area-table"' in html
    found = re.search(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    svg = base64.b64decode(found.group(1)).decode()
    assert svg.startswith("<svg") and "% of the area" in svg
    # The areas that apply are drawn; material risks (not for micro firms) only in the table.
    template = micro_sheet.template.engine_template()
    labels = {node.code: node.label["en"] for node in template.nodes}
    assert labels["A1"] in svg
    table = html[html.index('id="area-table"') :]
    assert "not applicable" in table


@pytest.mark.django_db
def test_other_grids_have_no_chart(client, grids):
    from .conftest import submit

    sheet = submit(grids.evaluator_a, grids.assignment_a)
    client.force_login(grids.evaluator_a)
    html = client.get(reverse("grids:assessment_sheet", args=[sheet.pk])).content.decode()
    assert 'id="area-chart"' not in html and 'id="area-bars"' in html
