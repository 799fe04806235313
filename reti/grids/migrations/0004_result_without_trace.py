"""Stored results stop carrying their trace, which has a column of its own (it was kept twice).

Rows written before this keep an identical copy under result["trace"]; it is removed, and the
trace column filled from it where it was empty. Reversible: the copy is put back.
"""

from django.db import migrations


def strip(apps, schema_editor):
    Assessment = apps.get_model("grids", "Assessment")
    changed = []
    for assessment in Assessment.objects.exclude(result=None).only("pk", "result", "trace"):
        if isinstance(assessment.result, dict) and "trace" in assessment.result:
            trace = assessment.result.pop("trace")
            if not assessment.trace:
                assessment.trace = trace
            changed.append(assessment)
        if len(changed) == 500:
            Assessment.objects.bulk_update(changed, ["result", "trace"])
            changed = []
    Assessment.objects.bulk_update(changed, ["result", "trace"])


def restore(apps, schema_editor):
    Assessment = apps.get_model("grids", "Assessment")
    changed = []
    for assessment in Assessment.objects.exclude(result=None).only("pk", "result", "trace"):
        assessment.result = {**assessment.result, "trace": assessment.trace or []}
        changed.append(assessment)
        if len(changed) == 500:
            Assessment.objects.bulk_update(changed, ["result"])
            changed = []
    Assessment.objects.bulk_update(changed, ["result"])


class Migration(migrations.Migration):
    dependencies = [("grids", "0003_committee_results_published_at")]

    operations = [migrations.RunPython(strip, restore, elidable=True)]
