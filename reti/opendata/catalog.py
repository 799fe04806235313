"""The DCAT-AP_IT catalogue (catalogo dei dati) of Reti's datasets, built with rdflib.

DCAT-AP_IT is the Italian profile of DCAT-AP that the national portal dati.gov.it harvests
(AgID, "Profilo nazionale dei metadati DCAT-AP_IT"). The graph has one dcatapit:Catalog, a
dcatapit:Dataset per declared dataset (registry.py), and a dcatapit:Distribution per format
(CSV, XLSX, JSON and the Frictionless datapackage.json). The publisher and rights holder is
the secretariat (settings RETI_PUBLISHER_NAME / RETI_PUBLISHER_IPA), a dcatapit:Agent with its
IPA code; controlled values are the EU vocabularies' URIs (data themes, frequencies, licences,
languages, file types, countries). Every URI is built on RETI_SITE_URL, never the request's
host, so the identifiers are stable. shapes/dcatapit-core.ttl checks the result (tests).
"""

import datetime as dt

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

from . import dumps, package
from .registry import LICENCES, Dataset, datasets

DCATAPIT = Namespace("http://dati.gov.it/onto/dcatapit#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SCHEMA = Namespace("http://schema.org/")
EU = "http://publications.europa.eu/resource/authority/"
THEME = Namespace(EU + "data-theme/")
FREQUENCY = Namespace(EU + "frequency/")
LICENCE = Namespace(EU + "licence/")
LANGUAGE = Namespace(EU + "language/")
FILE_TYPE = Namespace(EU + "file-type/")
COUNTRY = Namespace(EU + "country/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
# Distributions: (tabular format or "package", EU file type, media type).
DISTRIBUTIONS = (
    ("csv-intl", "CSV", "text/csv"),
    ("csv", "CSV", "text/csv"),
    ("xlsx", "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("json", "JSON", "application/json"),
    ("package", "JSON", "application/json"),
)
TITLES = {
    "csv-intl": ("CSV (internazionale)", "CSV (international)"),
    "csv": ("CSV per Excel in italiano", "CSV for Italian Excel"),
    "xlsx": ("XLSX", "XLSX"),
    "json": ("JSON", "JSON"),
    "package": (
        "Frictionless Data Package (dizionario dei dati)",
        "Frictionless Data Package (data dictionary)",
    ),
}
# The EU data themes' labels (it, en), so a harvester without the vocabulary can show them.
THEME_LABELS = {
    "AGRI": ("Agricoltura, pesca, silvicoltura e prodotti alimentari",
             "Agriculture, fisheries, forestry and food"),
    "ECON": ("Economia e finanze", "Economy and finance"),
    "EDUC": ("Istruzione, cultura e sport", "Education, culture and sport"),
    "ENER": ("Energia", "Energy"),
    "ENVI": ("Ambiente", "Environment"),
    "GOVE": ("Governo e settore pubblico", "Government and public sector"),
    "HEAL": ("Salute", "Health"),
    "INTR": ("Tematiche internazionali", "International issues"),
    "JUST": ("Giustizia, sistema giuridico e sicurezza pubblica",
             "Justice, legal system and public safety"),
    "OP_DATPRO": ("Dati provvisori", "Provisional data"),
    "REGI": ("Regioni e città", "Regions and cities"),
    "SOCI": ("Popolazione e società", "Population and society"),
    "TECH": ("Scienza e tecnologia", "Science and technology"),
    "TRAN": ("Trasporti", "Transport"),
}  # fmt: skip
IANA = "http://www.iana.org/assignments/media-types/"
FORMATS = {"turtle": "text/turtle", "xml": "application/rdf+xml", "json-ld": "application/ld+json"}


def _both(graph: Graph, subject, predicate, text) -> None:
    """`text` (a gettext string) in Italian and English."""
    for language in ("it", "en"):
        with translation.override(language):
            value = str(text)
        if value:
            graph.add((subject, predicate, Literal(value, lang=language)))


def _date(moment) -> Literal:
    if isinstance(moment, dt.datetime):
        moment = timezone.localtime(moment).date() if timezone.is_aware(moment) else moment.date()
    return Literal(moment, datatype=XSD.date)


def _concept(graph: Graph, theme: str) -> None:
    concept = THEME[theme]
    graph.add((concept, RDF.type, SKOS.Concept))
    graph.add((concept, SKOS.inScheme, URIRef(EU + "data-theme")))
    italian, english = THEME_LABELS[theme]
    graph.add((concept, SKOS.prefLabel, Literal(italian, lang="it")))
    graph.add((concept, SKOS.prefLabel, Literal(english, lang="en")))


def _agent(graph: Graph) -> URIRef:
    ipa = settings.RETI_PUBLISHER_IPA
    agent = URIRef(f"{package.site()}/opendata/publisher/{ipa}")
    graph.add((agent, RDF.type, DCATAPIT.Agent))
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(settings.RETI_PUBLISHER_NAME, lang="it")))
    graph.add((agent, DCTERMS.identifier, Literal(ipa)))
    return agent


def _contact(graph: Graph) -> URIRef:
    contact = URIRef(f"{package.site()}/opendata/contact")
    graph.add((contact, RDF.type, DCATAPIT.Organization))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, RDF.type, VCARD.Kind))
    graph.add((contact, VCARD.fn, Literal(settings.RETI_PUBLISHER_NAME)))
    graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{settings.RETI_OPENDATA_EMAIL}")))
    return contact


def dataset_uri(dataset: Dataset) -> URIRef:
    """The dataset's identifier: its page (the landing page, a foaf:Document) + `#dataset`."""
    return URIRef(package.address("detail", dataset) + "#dataset")


def _dataset(graph: Graph, dataset: Dataset, agent, contact, today: dt.date) -> URIRef:
    node = dataset_uri(dataset)
    graph.add((node, RDF.type, DCATAPIT.Dataset))
    graph.add((node, RDF.type, DCAT.Dataset))
    graph.add((node, DCTERMS.identifier, Literal(f"{settings.RETI_PUBLISHER_IPA}:{dataset.code}")))
    _both(graph, node, DCTERMS.title, dataset.title)
    _both(graph, node, DCTERMS.description, dataset.description)
    modified = dataset.modified()
    # A dataset with no record yet has not changed since the catalogue lists it: today.
    graph.add((node, DCTERMS.modified, _date(modified or today)))
    for theme in dataset.themes:
        graph.add((node, DCAT.theme, THEME[theme]))
        _concept(graph, theme)
    graph.add((node, DCTERMS.publisher, agent))
    graph.add((node, DCTERMS.rightsHolder, agent))
    graph.add((node, DCTERMS.accrualPeriodicity, FREQUENCY[dataset.frequency]))
    graph.add((FREQUENCY[dataset.frequency], RDF.type, DCTERMS.Frequency))
    graph.add((node, DCAT.contactPoint, contact))
    page = URIRef(package.address("detail", dataset))
    graph.add((node, DCAT.landingPage, page))
    graph.add((page, RDF.type, FOAF.Document))
    for language in ("ITA", "ENG"):
        graph.add((node, DCTERMS.language, LANGUAGE[language]))
        graph.add((LANGUAGE[language], RDF.type, DCTERMS.LinguisticSystem))
    for keyword in dataset.keywords:
        _both(graph, node, DCAT.keyword, keyword)
    graph.add((node, DCTERMS.spatial, COUNTRY[dataset.spatial]))
    graph.add((COUNTRY[dataset.spatial], RDF.type, DCTERMS.Location))
    if dataset.temporal:
        start, end = dataset.temporal
        period = BNode()
        graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
        # DCAT 2's properties, and schema.org's that DCAT-AP_IT 1.x names.
        for predicate in (DCAT.startDate, SCHEMA.startDate):
            graph.add((period, predicate, Literal(start, datatype=XSD.date)))
        for predicate in (DCAT.endDate, SCHEMA.endDate) if end else ():
            graph.add((period, predicate, Literal(end, datatype=XSD.date)))
        graph.add((node, DCTERMS.temporal, period))
    graph.add((node, DCTERMS.conformsTo, URIRef(package.package_url(dataset))))
    graph.add((URIRef(package.package_url(dataset)), RDF.type, DCTERMS.Standard))
    dump = dumps.manifest(dataset.code)
    names = dumps.file_names(dataset.code)
    for fmt, file_type, media_type in DISTRIBUTIONS:
        url = (
            package.package_url(dataset) if fmt == "package" else package.download_url(dataset, fmt)
        )
        distribution = URIRef(f"{page}#{fmt}")
        # The nightly full dump, once there is one: a stable file with its checksum.
        download = url
        if dump is not None and names[fmt] in dump["files"]:
            download = dumps.url(dataset, names[fmt])
            _checksum(graph, distribution, dump, names[fmt])
        graph.add((distribution, RDF.type, DCATAPIT.Distribution))
        graph.add((distribution, RDF.type, DCAT.Distribution))
        graph.add((distribution, DCTERMS.format, FILE_TYPE[file_type]))
        graph.add((FILE_TYPE[file_type], RDF.type, DCTERMS.MediaTypeOrExtent))
        graph.add((distribution, DCAT.mediaType, URIRef(IANA + media_type)))
        graph.add((URIRef(IANA + media_type), RDF.type, DCTERMS.MediaType))
        graph.add((distribution, DCAT.accessURL, URIRef(url)))
        graph.add((distribution, DCAT.downloadURL, URIRef(download)))
        graph.add((distribution, DCTERMS.license, LICENCE[dataset.licence]))
        it, en = TITLES[fmt]
        graph.add((distribution, DCTERMS.title, Literal(it, lang="it")))
        graph.add((distribution, DCTERMS.title, Literal(en, lang="en")))
        graph.add((node, DCAT.distribution, distribution))
    licence = LICENCE[dataset.licence]
    graph.add((licence, RDF.type, DCTERMS.LicenseDocument))
    graph.add((licence, FOAF.homepage, URIRef(LICENCES[dataset.licence])))
    return node


def _checksum(graph: Graph, distribution, dump: dict, name: str) -> None:
    """The dump file's SHA-256 (spdx:checksum, as DCAT-AP names it), size and date."""
    entry = dump["files"][name]
    checksum = BNode()
    graph.add((distribution, SPDX.checksum, checksum))
    graph.add((checksum, RDF.type, SPDX.Checksum))
    graph.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
    graph.add((checksum, SPDX.checksumValue, Literal(entry["sha256"], datatype=XSD.hexBinary)))
    size = Literal(str(entry["bytes"]), datatype=XSD.decimal)  # lexical "1234", not "1234.0"
    graph.add((distribution, DCAT.byteSize, size))
    moment = dt.datetime.fromisoformat(dump["generated_at"])
    graph.add((distribution, DCTERMS.modified, Literal(moment.date(), datatype=XSD.date)))


def graph() -> Graph:
    """The whole catalogue as an RDF graph."""
    out = Graph()
    for prefix, namespace in (
        ("dcatapit", DCATAPIT), ("dcat", DCAT), ("dct", DCTERMS), ("foaf", FOAF),
        ("vcard", VCARD), ("skos", SKOS), ("xsd", XSD), ("spdx", SPDX),
    ):  # fmt: skip
        out.bind(prefix, namespace)
    today = timezone.localdate()
    catalog = URIRef(f"{package.site()}{reverse('opendata_catalog:catalog')}")
    out.add((catalog, RDF.type, DCATAPIT.Catalog))
    out.add((catalog, RDF.type, DCAT.Catalog))
    out.add((catalog, DCTERMS.title, Literal("Catalogo dei dati aperti di Reti", lang="it")))
    out.add((catalog, DCTERMS.title, Literal("Reti open data catalogue", lang="en")))
    out.add(
        (
            catalog,
            DCTERMS.description,
            Literal(
                "I dati pubblici del registro delle reti del FSE e del FSE+: reti, progetti, "
                "organizzazioni, buone pratiche, eventi e indicatori comuni.",
                lang="it",
            ),
        )
    )
    out.add(
        (
            catalog,
            DCTERMS.description,
            Literal(
                "The public data of the registry of ESF and ESF+ networks: networks, projects, "
                "organisations, good practices, events and common indicators.",
                lang="en",
            ),
        )
    )
    agent = _agent(out)
    contact = _contact(out)
    out.add((catalog, DCTERMS.publisher, agent))
    home = URIRef(f"{package.site()}/")
    out.add((catalog, FOAF.homepage, home))
    out.add((home, RDF.type, FOAF.Document))
    taxonomy = URIRef(EU + "data-theme")
    out.add((catalog, DCAT.themeTaxonomy, taxonomy))
    out.add((taxonomy, RDF.type, SKOS.ConceptScheme))
    out.add((taxonomy, DCTERMS.title, Literal("Data theme", lang="en")))
    for language in ("ITA", "ENG"):
        out.add((catalog, DCTERMS.language, LANGUAGE[language]))
        out.add((LANGUAGE[language], RDF.type, DCTERMS.LinguisticSystem))
    newest = None
    for dataset in datasets():
        node = _dataset(out, dataset, agent, contact, today)
        out.add((catalog, DCAT.dataset, node))
        modified = out.value(node, DCTERMS.modified).toPython()
        newest = modified if newest is None or modified > newest else newest
    out.add((catalog, DCTERMS.modified, Literal(newest or today, datatype=XSD.date)))
    return out
