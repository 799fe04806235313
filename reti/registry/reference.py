"""Reference data every installation needs: programming periods, funds and the theme taxonomy.

`ensure_reference_data()` creates what is missing and corrects what differs; running it
again changes nothing. Codes are stable identifiers: other records and data files point
at them (`2007-2013`, `FSE`, `social-inclusion`).
"""

from django.db import transaction

from .models import Fund, ProgrammingPeriod, Theme

# (code, start year, end year)
PERIODS = [
    ("1994-1999", 1994, 1999),
    ("2000-2006", 2000, 2006),
    ("2007-2013", 2007, 2013),
    ("2014-2020", 2014, 2020),
    ("2021-2027", 2021, 2027),
]

# (code, Italian name, English name): the EU and national funds of cohesion policy.
FUNDS = [
    ("FSE", "Fondo sociale europeo", "European Social Fund"),
    ("FSE+", "Fondo sociale europeo Plus", "European Social Fund Plus"),
    ("FESR", "Fondo europeo di sviluppo regionale", "European Regional Development Fund"),
    (
        "FEASR",
        "Fondo europeo agricolo per lo sviluppo rurale",
        "European Agricultural Fund for Rural Development",
    ),
    (
        "FEOGA",
        "Fondo europeo agricolo di orientamento e garanzia",
        "European Agricultural Guidance and Guarantee Fund",
    ),
    (
        "SFOP",
        "Strumento finanziario di orientamento della pesca",
        "Financial Instrument for Fisheries Guidance",
    ),
    ("FEP", "Fondo europeo per la pesca", "European Fisheries Fund"),
    (
        "FEAMP",
        "Fondo europeo per gli affari marittimi e la pesca",
        "European Maritime and Fisheries Fund",
    ),
    (
        "FEAMPA",
        "Fondo europeo per gli affari marittimi, la pesca e l'acquacoltura",
        "European Maritime, Fisheries and Aquaculture Fund",
    ),
    ("JTF", "Fondo per una transizione giusta", "Just Transition Fund"),
    ("FSC", "Fondo per lo sviluppo e la coesione", "Development and Cohesion Fund"),
]

# (code, parent code, Italian name, English name); parents come before their children.
THEMES = [
    ("social-inclusion", None, "Inclusione sociale", "Social inclusion"),
    ("new-poverty", "social-inclusion", "Nuove povertà", "New poverty"),
    ("disadvantaged-groups", "social-inclusion", "Gruppi svantaggiati", "Disadvantaged groups"),
    ("disability", "social-inclusion", "Disabilità", "Disability"),
    ("trafficking-victims", "social-inclusion", "Vittime di tratta", "Victims of trafficking"),
    (
        "penal-execution",
        "social-inclusion",
        "Persone in esecuzione penale",
        "People serving criminal sentences",
    ),
    ("social-economy", None, "Economia sociale", "Social economy"),
    (
        "social-entrepreneurship",
        "social-economy",
        "Imprenditorialità sociale",
        "Social entrepreneurship",
    ),
    ("third-sector", "social-economy", "Terzo settore", "Third sector"),
    (
        "csr",
        "social-economy",
        "Responsabilità sociale d'impresa (RSI)",
        "Corporate social responsibility (CSR)",
    ),
    ("employment", None, "Lavoro e occupazione", "Employment"),
    ("youth-employment", "employment", "Occupazione giovanile", "Youth employment"),
    (
        "labour-market-inclusion",
        "employment",
        "Inserimento lavorativo",
        "Labour-market inclusion",
    ),
    (
        "self-employment",
        "employment",
        "Creazione d'impresa e lavoro autonomo",
        "Business creation and self-employment",
    ),
    ("education-training", None, "Istruzione e formazione", "Education and training"),
    (
        "lifelong-learning",
        "education-training",
        "Apprendimento permanente",
        "Lifelong learning",
    ),
    ("equal-opportunities", None, "Pari opportunità", "Equal opportunities"),
    ("local-development", None, "Sviluppo locale", "Local development"),
    (
        "institutional-capacity",
        None,
        "Capacità istituzionale e cooperazione tra amministrazioni",
        "Institutional capacity and cooperation between administrations",
    ),
]


def _sync(model, lookup: dict, values: dict) -> bool:
    """Create or correct one row; True when something was written."""
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        model.objects.create(**lookup, **values)
        return True
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    if changed:
        obj.save(update_fields=changed)
    return bool(changed)


@transaction.atomic
def ensure_reference_data() -> int:
    """Create or correct the periods, funds and themes; return how many rows were written."""
    written = 0
    for code, start, end in PERIODS:
        written += _sync(ProgrammingPeriod, {"code": code}, {"start_year": start, "end_year": end})
    for code, name_it, name_en in FUNDS:
        written += _sync(Fund, {"code": code}, {"name_it": name_it, "name_en": name_en})
    themes = {}
    for code, parent, name_it, name_en in THEMES:
        values = {"name_it": name_it, "name_en": name_en, "parent": themes.get(parent)}
        written += _sync(Theme, {"code": code}, values)
        themes[code] = Theme.objects.get(code=code)
    return written
