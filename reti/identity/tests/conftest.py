import shutil
from dataclasses import dataclass

import pytest

from reti.accounts.tests.conftest import _italian_and_fresh_cache  # noqa: F401

from .testidp import TestIdP, make_key_pair

SITE = "https://reti.test"
ENTITY_ID = "https://reti.test/saml/metadata/"


@dataclass
class Saml:
    spid: TestIdP  # a SPID identity provider
    other_spid: TestIdP  # another one, for answers from the wrong provider
    cie: TestIdP  # the CIE identity provider
    sp: dict  # Reti's entity ID and assertion consumer service

    def idp(self, kind):
        return self.cie if kind == "cie" else self.spid


@pytest.fixture
def saml_setup(settings, tmp_path, db):
    """SPID and CIE configured with keys and test providers made in this test's directory."""
    if shutil.which("xmlsec1") is None:
        pytest.fail("xmlsec1 is missing: `make saml` installs it (docs/identity.md)")
    registry = tmp_path / "idp-metadata"
    (registry / "spid").mkdir(parents=True)
    (registry / "cie").mkdir()
    spid = TestIdP(tmp_path, "spid", "alfa")
    other = TestIdP(tmp_path, "spid", "beta")
    cie = TestIdP(tmp_path, "cie", "cie")
    for idp in (spid, other, cie):
        (registry / idp.kind / f"{idp.name}.xml").write_text(idp.metadata())
    key_file, cert_file = make_key_pair(tmp_path, "sp", "reti.test")
    settings.RETI_SITE_URL = SITE
    settings.RETI_SAML = {
        "ENTITY_ID": ENTITY_ID,
        "KEY_FILE": key_file,
        "CERT_FILE": cert_file,
        "IDP_METADATA_DIR": registry,
        "ORGANISATION_NAME": "Regione di prova",
        "IPA_CODE": "r_prova",
        "CONTACT_EMAIL": "spid@reti.test",
        "CONTACT_PHONE": "+390612345678",
        "MUNICIPALITY": "H501",
        "ORGANISATION_URL": SITE,
        "DEFAULT_LEVEL": 2,
        "CLOCK_SKEW_SECONDS": 60,
        "XMLSEC_BINARY": shutil.which("xmlsec1"),
    }
    from reti.identity import metadata

    document = metadata.signed()
    for idp in (spid, other, cie):
        idp.start(document)
    return Saml(
        spid=spid,
        other_spid=other,
        cie=cie,
        sp={"entity_id": ENTITY_ID, "acs": f"{SITE}/saml/acs/", "slo": f"{SITE}/saml/slo/"},
    )
