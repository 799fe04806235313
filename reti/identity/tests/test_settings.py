"""SPID's settings: off by default, and a bad path or a missing value stops the start."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from reti import settings as reti_settings

from .testidp import make_key_pair


@pytest.fixture
def environment(monkeypatch, tmp_path):
    registry = tmp_path / "registry"
    (registry / "spid").mkdir(parents=True)
    (registry / "spid" / "idp.xml").write_text("<x/>")
    key, cert = make_key_pair(tmp_path, "sp", "reti.test")
    values = {
        "RETI_SAML_ENTITY_ID": "https://reti.test/saml/metadata/",
        "RETI_SAML_KEY_FILE": str(key),
        "RETI_SAML_CERT_FILE": str(cert),
        "RETI_SAML_IDP_METADATA_DIR": str(registry),
        "RETI_SAML_ORGANISATION_NAME": "Regione di prova",
        "RETI_SAML_IPA_CODE": "r_prova",
        "RETI_SAML_CONTACT_EMAIL": "spid@reti.test",
    }
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    return values


def test_off_without_an_entity_id(monkeypatch):
    monkeypatch.delenv("RETI_SAML_ENTITY_ID", raising=False)
    assert reti_settings._saml() is None


def test_complete_configuration(environment):
    conf = reti_settings._saml()
    assert conf["ENTITY_ID"] == "https://reti.test/saml/metadata/"
    assert conf["DEFAULT_LEVEL"] == 2
    assert conf["CLOCK_SKEW_SECONDS"] == 60
    assert conf["KEY_FILE"].is_file()


@pytest.mark.parametrize(
    "name,value,message",
    [
        ("RETI_SAML_KEY_FILE", "/nonexistent/sp.key", "RETI_SAML_KEY_FILE must name an existing"),
        ("RETI_SAML_CERT_FILE", "", "RETI_SAML_CERT_FILE is required"),
        ("RETI_SAML_IDP_METADATA_DIR", "/nonexistent", "must name an existing directory"),
        ("RETI_SAML_IPA_CODE", "", "RETI_SAML_IPA_CODE is required"),
        ("RETI_SAML_ENTITY_ID", "reti.test", "RETI_SAML_ENTITY_ID must be an http(s) address"),
        ("RETI_SPID_DEFAULT_LEVEL", "3", "RETI_SPID_DEFAULT_LEVEL must be 1 or 2"),
        ("RETI_SAML_CLOCK_SKEW_SECONDS", "-5", "RETI_SAML_CLOCK_SKEW_SECONDS must be at least 0"),
        ("RETI_XMLSEC_BINARY", "/nonexistent/xmlsec1", "need xmlsec1"),
    ],
)
def test_a_bad_value_stops_the_start(environment, monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=message.replace("(", r"\(").replace(")", r"\)")):
        reti_settings._saml()


def test_a_registry_without_spid_metadata_stops_the_start(environment, monkeypatch, tmp_path):
    empty = tmp_path / "empty"
    (empty / "spid").mkdir(parents=True)
    monkeypatch.setenv("RETI_SAML_IDP_METADATA_DIR", str(empty))
    with pytest.raises(ImproperlyConfigured, match="must hold spid/"):
        reti_settings._saml()


def test_cie_metadata_needs_the_municipality(environment, monkeypatch, tmp_path):
    registry = tmp_path / "registry"
    (registry / "cie").mkdir()
    (registry / "cie" / "cie.xml").write_text("<x/>")
    monkeypatch.delenv("RETI_SAML_MUNICIPALITY", raising=False)
    with pytest.raises(ImproperlyConfigured, match="RETI_SAML_MUNICIPALITY is required"):
        reti_settings._saml()
    monkeypatch.setenv("RETI_SAML_MUNICIPALITY", "H501")
    assert reti_settings._saml()["MUNICIPALITY"] == "H501"
