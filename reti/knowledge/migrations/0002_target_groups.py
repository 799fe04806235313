"""The target groups of ESF+ social-inclusion practices (those the 2011 presentation names first)."""

from django.db import migrations

GROUPS = [
    ("detainees", "Persone in esecuzione penale", "People in penal execution"),
    ("trafficking-victims", "Vittime di tratta", "Victims of trafficking"),
    ("disabilities", "Persone con disabilità", "People with disabilities"),
    ("migrants", "Migranti e richiedenti asilo", "Migrants and asylum seekers"),
    ("neet", "Giovani NEET", "Young people not in employment, education or training"),
    ("long-term-unemployed", "Disoccupati di lunga durata", "Long-term unemployed"),
    ("women", "Donne in condizione di svantaggio", "Disadvantaged women"),
    ("roma", "Comunità rom, sinti e caminanti", "Roma, Sinti and Caminanti communities"),
    ("homeless", "Persone senza dimora", "Homeless people"),
    ("older-workers", "Lavoratori anziani", "Older workers"),
    ("addictions", "Persone con dipendenze", "People with addictions"),
    ("operators", "Operatori del terzo settore", "Third-sector operators"),
    ("companies", "Imprese", "Companies"),
    ("public-administrations", "Pubbliche amministrazioni", "Public administrations"),
]


def add_groups(apps, schema_editor):
    TargetGroup = apps.get_model("knowledge", "TargetGroup")
    for code, name_it, name_en in GROUPS:
        TargetGroup.objects.update_or_create(
            code=code, defaults={"name_it": name_it, "name_en": name_en}
        )


def remove_groups(apps, schema_editor):
    apps.get_model("knowledge", "TargetGroup").objects.filter(
        code__in=[code for code, _, _ in GROUPS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial_schema")]
    operations = [migrations.RunPython(add_groups, remove_groups)]
