"""AgID's spid-sp-test on Reti's metadata and on an AuthnRequest Reti makes: no failure.

spid-sp-test reads both from files (`file://`), validates them against the XSDs it ships and
checks the signatures with xmlsec1. Two of its schemas import the XML namespace's schema from
w3.org although a copy is in the same folder: the test copies the folder and points those
imports at the copy, and forbids sockets while the checks run, so nothing is downloaded.
"""

import shutil
import socket
from pathlib import Path

import pytest
from django.urls import reverse

from reti.identity import metadata

from .testidp import TestIdP

# spid-sp-test's own use of a deprecated urllib function.
pytestmark = pytest.mark.filterwarnings("ignore:urllib.parse.splitquery:DeprecationWarning")
W3C_XML_XSD = 'schemaLocation="http://www.w3.org/2001/xml.xsd"'


@pytest.fixture
def offline_xsds(tmp_path, monkeypatch):
    import spid_sp_test

    source = Path(spid_sp_test.BASE_DIR) / "xsd"
    target = tmp_path / "xsd"
    shutil.copytree(source, target)
    for schema in target.glob("*.xsd"):
        text = schema.read_text()
        if W3C_XML_XSD in text:
            schema.write_text(text.replace(W3C_XML_XSD, 'schemaLocation="xml.xsd"'))

    def no_network(*args, **kwargs):
        raise AssertionError("spid-sp-test tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    return target


def saml_setup_registry(saml_setup):
    from django.conf import settings

    return Path(settings.RETI_SAML["IDP_METADATA_DIR"])


def _failures(check) -> list[str]:
    return [f"{error['test']}: {error['value']}" for error in check.errors]


def test_metadata_passes_spid_sp_test_public_profile(saml_setup, offline_xsds, tmp_path):
    from spid_sp_test.metadata import SpidSpMetadataCheck

    path = tmp_path / "metadata.xml"
    path.write_bytes(metadata.signed())
    check = SpidSpMetadataCheck(metadata_url=f"file://{path}", xsds_files_path=str(offline_xsds))
    check.load()
    check.test_profile_spid_sp_public()
    assert _failures(check) == []
    # The checks ran: dozens of results, the signature and the XSDs among them.
    assert len(check.results) > 40
    assert any("signature MUST be valid" in result["test"] for result in check.results)


def test_cie_metadata_passes_spid_sp_test_cie_public_profile(saml_setup, offline_xsds, tmp_path):
    from spid_sp_test.metadata import SpidSpMetadataCheck

    path = tmp_path / "cie-metadata.xml"
    path.write_bytes(metadata.signed("cie"))
    check = SpidSpMetadataCheck(metadata_url=f"file://{path}", xsds_files_path=str(offline_xsds))
    check.load()
    check.test_profile_cie_sp_public()
    assert _failures(check) == []
    assert len(check.results) > 30


@pytest.mark.parametrize("level", [1, 2])
def test_authn_request_passes_spid_sp_test(saml_setup, offline_xsds, tmp_path, client, level):
    import spid_sp_test
    from spid_sp_test.authn_request import SpidSpAuthnReqCheck
    from spid_sp_test.idp.settings import SAML2_IDP_CONFIG

    # spid-sp-test plays the identity provider the request is for, as AgID's validator does:
    # its entity joins the registry with the certificate it ships.
    package = Path(spid_sp_test.BASE_DIR) / "idp"
    validator = TestIdP(
        tmp_path,
        "spid",
        "spid-sp-test",
        base=SAML2_IDP_CONFIG["entityid"],
        keys=(package / "private.key", package / "public.cert"),
    )
    registry = saml_setup_registry(saml_setup)
    (registry / "spid" / "spid-sp-test.xml").write_text(validator.metadata())
    response = client.get(
        reverse("identity:start", args=["spid"]),
        {"idp": validator.entity_id, "level": level},
    )
    assert response.status_code == 302
    request_file = tmp_path / "authn-request.txt"
    request_file.write_text(response["Location"])
    check = SpidSpAuthnReqCheck(
        metadata=metadata.signed(),
        authn_request_url=f"file://{request_file}",
        xsds_files_path=str(offline_xsds),
    )
    check.load()
    check.test_profile_spid_sp()
    assert _failures(check) == []
    assert len(check.results) > 20
