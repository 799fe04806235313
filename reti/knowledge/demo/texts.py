"""Synthetic practice texts in Italian and English, built from a small domain vocabulary.

Nothing here describes a real practice: titles and texts combine generic phrases of the
social-economy field, and every title ends with "(demo)".
"""

import random

# (Italian, English) pairs.
INTERVENTIONS = [
    ("Laboratorio di inserimento lavorativo", "Work-integration workshop"),
    ("Sportello di orientamento al lavoro", "Job guidance desk"),
    ("Rete territoriale di accompagnamento", "Local support network"),
    ("Tirocini in cooperativa sociale", "Traineeships in social cooperatives"),
    ("Percorso di formazione professionale", "Vocational training pathway"),
    ("Budget di salute", "Personal health budget"),
    ("Impresa sociale di comunità", "Community social enterprise"),
    ("Piccoli sussidi alle associazioni", "Small grants to associations"),
    ("Agricoltura sociale", "Social farming"),
    ("Housing first", "Housing first"),
    ("Mentoring tra pari", "Peer mentoring"),
    ("Patto territoriale per l'occupazione", "Local employment pact"),
]
TARGETS = [
    ("per persone detenute", "for prisoners", "detainees"),
    ("per vittime di tratta", "for victims of trafficking", "trafficking-victims"),
    ("per persone con disabilità", "for people with disabilities", "disabilities"),
    ("per migranti", "for migrants", "migrants"),
    ("per giovani NEET", "for young people not in employment", "neet"),
    ("per disoccupati di lunga durata", "for the long-term unemployed", "long-term-unemployed"),
    ("per donne in difficoltà", "for disadvantaged women", "women"),
    ("per persone senza dimora", "for homeless people", "homeless"),
]
PLACES = [
    "nei quartieri periferici",
    "nelle aree interne",
    "in ambito metropolitano",
    "nei piccoli comuni",
    "negli istituti penitenziari",
    "nei distretti sociosanitari",
]
PLACES_EN = [
    "in suburban districts",
    "in inner areas",
    "in the metropolitan area",
    "in small municipalities",
    "in prisons",
    "in social-health districts",
]
SENTENCES_IT = [
    "Il progetto ha coinvolto {n} partecipanti in percorsi personalizzati.",
    "La cooperativa sociale ha accompagnato i destinatari fino all'assunzione.",
    "Gli operatori hanno lavorato in rete con i servizi sociali e i centri per l'impiego.",
    "Il modello prevede una presa in carico integrata e un tutor dedicato.",
    "La valutazione ha misurato l'occupazione a sei mesi dalla conclusione.",
    "Le imprese del territorio hanno offerto tirocini e contratti a tempo determinato.",
    "Il finanziamento del Fondo sociale europeo ha coperto formazione e indennità.",
    "La Regione ha semplificato le procedure di rendicontazione per i piccoli enti.",
    "Il partenariato ha condiviso strumenti, schede di monitoraggio e buone prassi.",
    "La sostenibilità è garantita da una convenzione pluriennale con gli enti locali.",
]
SENTENCES_EN = [
    "The project involved {n} participants in tailored pathways.",
    "The social cooperative supported participants until they were hired.",
    "Staff worked together with social services and job centres.",
    "The model provides integrated case management and a dedicated tutor.",
    "The evaluation measured employment six months after the end.",
    "Local companies offered traineeships and fixed-term contracts.",
    "European Social Fund money covered training and allowances.",
    "The Region simplified reporting for small organisations.",
    "The partnership shared tools, monitoring forms and good practices.",
    "Sustainability is ensured by a multi-year agreement with local authorities.",
]
# The English text of a demo practice translates its Italian one, sentence by sentence.
assert len(SENTENCES_IT) == len(SENTENCES_EN)
REPORT_WORDS = [
    "relazione",
    "valutazione",
    "monitoraggio",
    "indicatori",
    "esiti",
    "occupazione",
    "inclusione",
    "partenariato",
    "sostenibilità",
    "rendicontazione",
    "tirocinio",
    "tutoraggio",
    "formazione",
    "cooperazione",
    "territorio",
    "comunità",
    "impresa",
    "servizi",
    "benessere",
    "autonomia",
    "competenze",
    "laboratorio",
    "falegnameria",
    "sartoria",
    "ristorazione",
    "serigrafia",
    "manutenzione",
    "giardinaggio",
    "accoglienza",
    "mediazione",
]


def title(rng: random.Random) -> tuple[str, str, str]:
    """An Italian title, its English version and the target-group code it names."""
    intervention = rng.choice(INTERVENTIONS)
    target = rng.choice(TARGETS)
    place = rng.randrange(len(PLACES))
    return (
        f"{intervention[0]} {target[0]} {PLACES[place]} (demo)",
        f"{intervention[1]} {target[1]} {PLACES_EN[place]} (demo)",
        target[2],
    )


def paragraph(rng: random.Random, sentences: list[str], count: int) -> str:
    return " ".join(rng.choice(sentences).format(n=rng.randint(12, 400)) for _ in range(count))


def paragraphs(rng: random.Random, count: int) -> tuple[str, str]:
    """A paragraph in Italian and its English translation: same sentences, same figures."""
    picks = [(rng.randrange(len(SENTENCES_IT)), rng.randint(12, 400)) for _ in range(count)]
    italian = " ".join(SENTENCES_IT[k].format(n=n) for k, n in picks)
    english = " ".join(SENTENCES_EN[k].format(n=n) for k, n in picks)
    return italian, english


def attachment_text(rng: random.Random, title_it: str, words: int = 180) -> str:
    """The text of a synthetic evaluation report, as extraction would have stored it."""
    body = " ".join(rng.choice(REPORT_WORDS) for _ in range(words))
    return f"Relazione di valutazione (dati sintetici)\n{title_it}\n{body}"
