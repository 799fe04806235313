"""Vocabulary for synthetic names: Italian-looking, fictional, always marked "(demo)".

Every name built here ends with DEMO_MARK, so no synthetic record can take the name of a real
organisation, network or project loaded from the presentation.
"""

DEMO_MARK = " (demo)"

# Evocative words of the kind Italian cooperatives and associations choose; combined with a
# template and a place they name no existing body.
# fmt: off
WORDS = (
    "Aurora", "Il Germoglio", "La Quercia", "Arcobaleno", "Il Faro", "L'Approdo", "La Bussola",
    "Il Ponte", "Orizzonti", "Il Mosaico", "La Rete", "Il Seme", "La Sorgente", "Il Girasole",
    "L'Ulivo", "La Tela", "Il Cerchio", "La Fenice", "Il Melograno", "La Lanterna", "Il Sentiero",
    "La Strada", "Il Nido", "La Spiga", "Il Mulino", "La Ginestra", "Il Glicine", "La Meridiana",
    "Il Timone", "La Vela", "Il Crocevia", "La Piazza", "Il Cortile", "La Bottega", "L'Officina",
    "Il Telaio", "La Fucina", "Il Gabbiano", "La Rondine", "L'Airone", "Il Castagno", "La Betulla",
    "Il Carpino", "La Sequoia", "L'Abete", "Il Ciliegio", "La Mimosa", "Il Papavero", "La Lavanda",
    "Il Rosmarino", "La Salvia", "Il Gelso", "La Vite", "L'Edera", "Il Quadrifoglio", "La Stella",
    "Il Sole", "La Luna", "Il Vento", "La Marea", "L'Onda", "Il Fiume", "La Collina", "Il Borgo",
    "La Contrada", "Il Crinale", "La Valle", "L'Isola", "Il Porto", "La Torre", "Il Chiostro",
    "La Corte", "Il Focolare", "La Soglia", "Il Varco", "La Radice", "Il Raccolto", "La Semina",
    "Il Frutteto", "L'Orto", "Il Giardino", "La Serra", "Il Vivaio", "La Cascina", "Il Podere",
    "La Masseria", "Il Casale", "La Filanda", "Il Laboratorio", "La Scintilla", "Il Colore",
    "La Melodia", "Il Ritmo", "La Trama", "L'Ordito", "Il Filo", "La Matassa", "Il Gomitolo",
    "Prisma", "Sinergia", "Kairos", "Agorà", "Itaca", "Polis", "Koinè", "Oikos", "Symbolon",
    "Nuovi Orizzonti", "Passo dopo passo", "Mani Unite", "Terra Comune", "Bene Comune",
    "Casa Aperta", "Porte Aperte", "Strade Nuove", "Voci di Quartiere", "Semi di Futuro",
)
# fmt: on

# Fictional place names, a noun and an agreeing adjective ("Poggio Ventoso"); places disambiguate
# organisations that share a word, as real registries do.
# fmt: off
PLACE_NOUNS = (
    ("Borgo", 0), ("Valle", 1), ("Colle", 0), ("Piana", 1), ("Riva", 1), ("Fonte", 1),
    ("Poggio", 0), ("Pieve", 1), ("Rocca", 1), ("Torre", 1), ("Ponte", 0), ("Lago", 0),
    ("Bosco", 0), ("Costa", 1), ("Marina", 1), ("Campo", 0), ("Villa", 1), ("Castello", 0),
    ("Porto", 0), ("Badia", 1),
)
PLACE_ADJECTIVES = (
    ("Alto", "Alta"), ("Sereno", "Serena"), ("Chiaro", "Chiara"), ("Quieto", "Quieta"),
    ("Nuovo", "Nuova"), ("Antico", "Antica"), ("Verde", "Verde"), ("Fiorito", "Fiorita"),
    ("Lungo", "Lunga"), ("Grande", "Grande"), ("Bianco", "Bianca"), ("Ventoso", "Ventosa"),
    ("Soleggiato", "Soleggiata"), ("Vecchio", "Vecchia"), ("Dorato", "Dorata"),
)
# fmt: on
PLACES = tuple(
    f"di {noun} {adjective[gender]}"
    for noun, gender in PLACE_NOUNS
    for adjective in PLACE_ADJECTIVES
)

# (template, English template) by organisation kind; {w} is a WORDS entry.
ORGANISATION_TEMPLATES = {
    "odv": (("Organizzazione di volontariato {w}", ""), ("Associazione di volontariato {w}", "")),
    "aps": (("Associazione di promozione sociale {w}", ""), ("Circolo {w} APS", "")),
    "filantropico": (("Fondazione {w}", "{w} Foundation"),),
    "impresa_sociale": (("Impresa sociale {w}", ""),),
    "rete_associativa": (("Rete associativa {w}", ""),),
    "soms": (("Società di mutuo soccorso {w}", ""),),
    "altro": (("Comitato {w}", ""), ("Ente del terzo settore {w}", "")),
    "social_coop_a": (("Cooperativa sociale {w}", ""), ("{w} Società cooperativa sociale", "")),
    "social_coop_b": (
        ("Cooperativa sociale di inserimento lavorativo {w}", ""),
        ("{w} Cooperativa sociale di tipo B", ""),
    ),
    "company": (
        ("{w} Servizi S.r.l.", ""),
        ("Officine {w} S.p.A.", ""),
        ("{w} Tecnologie S.r.l.", ""),
        ("{w} Consulenze S.r.l.", ""),
        ("Manifatture {w} S.r.l.", ""),
    ),
    "training_body": (
        ("Centro di formazione professionale {w}", ""),
        ("Istituto {w} per la formazione", ""),
        ("Accademia dei mestieri {w}", ""),
    ),
    "university": (
        ("Ateneo {w} per l'innovazione sociale", "{w} University for Social Innovation"),
        ("Università {w}", "{w} University"),
    ),
    "other": (
        ("Ambito territoriale sociale {w}", ""),
        ("Consorzio dei servizi sociali {w}", ""),
        ("Azienda per i servizi alla persona {w}", ""),
    ),
    "technical_assistance": (("Struttura di assistenza tecnica {w}", ""),),
}

# (Italian, English, theme code) — what a network or project works on.
TOPICS = (
    ("l'inclusione sociale", "social inclusion", "social-inclusion"),
    ("le nuove povertà", "new poverty", "new-poverty"),
    ("l'occupazione giovanile", "youth employment", "youth-employment"),
    ("la disabilità e il lavoro", "disability and work", "disability"),
    ("le vittime di tratta", "victims of trafficking", "trafficking-victims"),
    ("le persone in esecuzione penale", "people in penal execution", "penal-execution"),
    ("la responsabilità sociale d'impresa", "corporate social responsibility", "csr"),
    ("l'imprenditoria sociale", "social entrepreneurship", "social-entrepreneurship"),
    ("l'economia sociale", "the social economy", "social-economy"),
    ("l'apprendimento permanente", "lifelong learning", "lifelong-learning"),
    ("la parità di genere", "gender equality", "equal-opportunities"),
    ("l'integrazione dei migranti", "migrants' integration", "disadvantaged-groups"),
    ("la conciliazione vita-lavoro", "work-life balance", "equal-opportunities"),
    ("la dispersione scolastica", "early school leaving", "education-training"),
    ("l'innovazione sociale", "social innovation", "third-sector"),
    ("l'invecchiamento attivo", "active ageing", "labour-market-inclusion"),
    ("i servizi per l'impiego", "employment services", "employment"),
    ("il welfare di comunità", "community welfare", "local-development"),
)

# (Italian, English) — the first half of a project title.
INTERVENTIONS = (
    ("Percorsi di inserimento lavorativo", "Work-integration pathways"),
    ("Laboratori di orientamento", "Guidance workshops"),
    ("Tirocini di inclusione", "Inclusion traineeships"),
    ("Rete territoriale dei servizi", "Local service network"),
    ("Formazione professionale", "Vocational training"),
    ("Sportello di accompagnamento", "Support desk"),
    ("Modello integrato di presa in carico", "Integrated case-management model"),
    ("Scambio di buone pratiche", "Exchange of good practices"),
    ("Piccoli sussidi", "Small grants"),
    ("Voucher di conciliazione", "Work-life balance vouchers"),
    ("Borse lavoro", "Work grants"),
    ("Impresa sociale di comunità", "Community social enterprise"),
    ("Osservatorio regionale", "Regional observatory"),
    ("Valutazione degli interventi", "Evaluation of interventions"),
    ("Bilancio delle competenze", "Skills assessment"),
    ("Azioni di sistema", "System actions"),
)

# (Italian, English, theme code) — the second half of a project title.
TARGETS = (
    ("per giovani NEET", "for NEET young people", "youth-employment"),
    ("per persone con disabilità", "for people with disabilities", "disability"),
    ("per persone in esecuzione penale", "for people in penal execution", "penal-execution"),
    ("per vittime di tratta", "for victims of trafficking", "trafficking-victims"),
    ("per donne in uscita dalla violenza", "for women leaving violence", "equal-opportunities"),
    ("per disoccupati di lunga durata", "for the long-term unemployed", "new-poverty"),
    ("per migranti e rifugiati", "for migrants and refugees", "disadvantaged-groups"),
    ("per famiglie in povertà", "for families in poverty", "new-poverty"),
    ("per lavoratori over 55", "for workers over 55", "labour-market-inclusion"),
    ("nelle imprese socialmente responsabili", "in socially responsible companies", "csr"),
    ("per operatori del terzo settore", "for third-sector workers", "social-economy"),
    (
        "per studenti a rischio di abbandono",
        "for students at risk of dropping out",
        "education-training",
    ),
    ("per nuove imprese sociali", "for new social enterprises", "social-entrepreneurship"),
)

GOALS = (
    ("Favorire l'accesso al lavoro", "To open access to work"),
    ("Rafforzare le competenze", "To strengthen the skills"),
    ("Costruire una rete stabile di servizi", "To build a lasting network of services"),
    ("Sperimentare modelli di intervento trasferibili", "To test transferable models"),
    ("Ridurre il rischio di esclusione", "To reduce the risk of exclusion"),
)

WORKING_GROUP_TITLES = (
    ("Monitoraggio e valutazione", "Monitoring and evaluation"),
    ("Scambio di buone pratiche", "Exchange of good practices"),
    ("Comunicazione e diffusione", "Communication and dissemination"),
    ("Peer review tra Autorità di gestione", "Peer review among managing authorities"),
    ("Semplificazione amministrativa", "Administrative simplification"),
    ("Indicatori comuni", "Common indicators"),
    ("Comunità di pratica degli operatori", "Operators' community of practice"),
    ("Visite di studio", "Study visits"),
)


def organisation_name(template: tuple[str, str], word: str, place: str) -> tuple[str, str]:
    """An organisation's Italian and English names, both marked as demo data."""
    name_it, name_en = template
    suffix = f" {place}" if place else ""
    italian = name_it.format(w=word) + suffix + DEMO_MARK
    english = name_en.format(w=word) + suffix + DEMO_MARK if name_en else ""
    return italian, english


_SU = (("l'", "sull'"), ("la ", "sulla "), ("le ", "sulle "), ("il ", "sul "), ("i ", "sui "))


def about(topic: str) -> str:
    """'su' joined with the topic's article, as Italian wants: "sull'inclusione sociale"."""
    for article, joined in _SU:
        if topic.startswith(article):
            return joined + topic[len(article) :]
    return "su " + topic


def acronym(words: str, number: int) -> str:
    """Initials of the significant words and a number, e.g. 'RIIS-07'."""
    initials = "".join(w[0] for w in words.replace("'", " ").split() if len(w) > 3).upper()
    return f"{initials[:5]}-{number:02d}"
