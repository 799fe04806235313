"""The DCAT-AP_IT catalogue: served as Turtle, RDF/XML and JSON-LD, and valid against the
profile's shapes (shapes/dcatapit-core.ttl) with no result at all, recommended ones included."""

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from reti.opendata.catalog import DCATAPIT, graph
from reti.opendata.registry import datasets

pytestmark = pytest.mark.django_db

SHAPES = Path(__file__).resolve().parents[1] / "shapes" / "dcatapit-core.ttl"
EU = "http://publications.europa.eu/resource/authority/"


def _shapes() -> Graph:
    return Graph().parse(SHAPES, format="turtle")


def _check(data: Graph):
    conforms, results, text = validate(data, shacl_graph=_shapes(), inference="none")
    return (
        conforms,
        len(set(results.subjects(RDF.type, URIRef("http://www.w3.org/ns/shacl#ValidationResult")))),
        text,
    )


@pytest.fixture
def catalogue(client, cast):
    response = client.get("/opendata/catalog.ttl")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/turtle")
    return Graph().parse(data=response.content.decode(), format="turtle")


def test_the_catalogue_conforms_to_the_dcat_ap_it_shapes(catalogue):
    conforms, count, text = _check(catalogue)
    assert conforms and count == 0, text


def test_the_catalogue_describes_every_dataset_with_its_publisher_and_vocabularies(
    catalogue, settings
):
    found = set(catalogue.subjects(RDF.type, DCATAPIT.Dataset))
    assert len(found) == len(datasets())
    for node in found:
        assert str(node).startswith(settings.RETI_SITE_URL)
        agent = catalogue.value(node, DCTERMS.rightsHolder)
        assert str(catalogue.value(agent, DCTERMS.identifier)) == settings.RETI_PUBLISHER_IPA
        assert str(catalogue.value(node, DCTERMS.accrualPeriodicity)).startswith(EU + "frequency/")
        formats = {
            str(catalogue.value(d, DCTERMS.format))
            for d in catalogue.objects(node, DCAT.distribution)
        }
        assert formats == {EU + "file-type/CSV", EU + "file-type/XLSX", EU + "file-type/JSON"}
        licences = {
            str(catalogue.value(d, DCTERMS.license))
            for d in catalogue.objects(node, DCAT.distribution)
        }
        assert licences == {EU + "licence/CC_BY_4_0"}
    indicators = URIRef(f"{settings.RETI_SITE_URL}/it/dati-aperti/indicatori/#dataset")
    period = catalogue.value(indicators, DCTERMS.temporal)
    assert str(catalogue.value(period, DCAT.startDate)) == "2014-01-01"
    reti = URIRef(f"{settings.RETI_SITE_URL}/it/dati-aperti/reti/#dataset")
    assert {str(t) for t in catalogue.objects(reti, DCAT.theme)} == {
        EU + "data-theme/SOCI",
        EU + "data-theme/GOVE",
    }


def test_the_shapes_report_a_missing_rights_holder_by_name(cast):
    data = graph()
    node = next(data.subjects(RDF.type, DCATAPIT.Dataset))
    data.remove((node, DCTERMS.rightsHolder, None))
    conforms, _count, text = _check(data)
    assert not conforms
    assert "dct:rightsHolder obbligatorio" in text


# rdflib's JSON-LD parser warns about its own use of ConjunctiveGraph.
@pytest.mark.filterwarnings("ignore::DeprecationWarning")
def test_the_catalogue_speaks_three_rdf_formats_by_suffix_or_accept(client, catalogue):
    triples = len(catalogue)
    for suffix, media, fmt in (
        ("rdf", "application/rdf+xml", "xml"),
        ("jsonld", "application/ld+json", "json-ld"),
    ):
        by_suffix = client.get(f"/opendata/catalog.{suffix}")
        assert by_suffix["Content-Type"].startswith(media)
        assert len(Graph().parse(data=by_suffix.content.decode(), format=fmt)) == triples
        negotiated = client.get("/opendata/catalog", HTTP_ACCEPT=f"{media};q=0.9")
        assert negotiated["Content-Type"].startswith(media)
    assert client.get("/opendata/catalog")["Content-Type"].startswith("text/turtle")
    assert client.get("/opendata/catalog.csv").status_code == 404


def test_the_catalogue_uses_the_configured_address_not_the_requests_host(client, cast, settings):
    settings.RETI_SITE_URL = "https://reti.example.org"
    text = client.get("/opendata/catalog.ttl").content.decode()
    assert "testserver" not in text
    assert "<https://reti.example.org/it/dati-aperti/reti/>" in text
