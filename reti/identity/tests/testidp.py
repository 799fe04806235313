"""A SPID/CIE identity provider the tests run locally, on pysaml2, with keys made per test.

`make_key_pair` writes a fresh RSA key and self-signed certificate (the `cryptography`
library) into the test's temporary directory: nothing secret is committed. `TestIdP` writes
its own metadata, reads Reti's signed AuthnRequest with pysaml2's `Server` (which checks the
redirect signature against Reti's metadata), and answers with a Response whose assertion and
envelope it signs; `answer(...)` takes changes to make before signing (a past time window,
another audience, a lower level) and `tamper` changes a signed byte afterwards.
"""

import base64
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, saml, samlp
from saml2.config import IdPConfig
from saml2.server import Server
from saml2.sigver import pre_signature_part
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

XMLSEC = "/usr/bin/xmlsec1"


def make_key_pair(directory: Path, name: str, common_name: str) -> tuple[Path, Path]:
    """A 2048-bit RSA key and a self-signed SHA-256 certificate, as PEM files."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Reti (prova)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_file, cert_file = directory / f"{name}.key", directory / f"{name}.crt"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_file, cert_file


def _body(cert_file: Path) -> str:
    lines = cert_file.read_text().strip().splitlines()
    return "".join(line for line in lines if not line.startswith("-----"))


def _now(shift: timedelta = timedelta()) -> str:
    return (datetime.now(UTC) + shift).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Request:
    id: str
    level_ref: str
    force_authn: str | None
    relay_state: str


class TestIdP:
    __test__ = False  # not a test class

    def __init__(self, directory: Path, kind: str, name: str, *, base=None, keys=None):
        self.directory = directory
        self.kind = kind
        self.name = name
        self.entity_id = base or f"https://{kind}-idp.test/{name}"
        self.sso = f"{base}/samlsso" if base else f"{self.entity_id}/sso"
        self.slo = f"{base}/samlsso" if base else f"{self.entity_id}/slo"
        self.key_file, self.cert_file = keys or make_key_pair(directory, f"idp-{kind}-{name}", name)
        self.server = None

    def metadata(self) -> str:
        cert = _body(self.cert_file)
        return f"""<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" entityID="{self.entity_id}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="true"
      protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>
      <ds:X509Certificate>{cert}</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:SingleLogoutService Binding="{BINDING_HTTP_REDIRECT}" Location="{self.slo}"/>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:transient</md:NameIDFormat>
    <md:SingleSignOnService Binding="{BINDING_HTTP_REDIRECT}" Location="{self.sso}"/>
    <md:SingleSignOnService Binding="{BINDING_HTTP_POST}" Location="{self.sso}"/>
  </md:IDPSSODescriptor>
  <md:Organization>
    <md:OrganizationName xml:lang="it">{self.name}</md:OrganizationName>
    <md:OrganizationDisplayName xml:lang="it">{self.name} (prova)</md:OrganizationDisplayName>
    <md:OrganizationURL xml:lang="it">https://{self.kind}-idp.test/</md:OrganizationURL>
  </md:Organization>
</md:EntityDescriptor>
"""

    def start(self, sp_metadata: bytes) -> None:
        """Load Reti's metadata: from now on the provider checks Reti's signatures."""
        sp_file = self.directory / f"sp-for-{self.kind}-{self.name}.xml"
        sp_file.write_bytes(sp_metadata)
        config = IdPConfig().load(
            {
                "entityid": self.entity_id,
                "xmlsec_binary": XMLSEC,
                "key_file": str(self.key_file),
                "cert_file": str(self.cert_file),
                "metadata": {"local": [str(sp_file)]},
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [(self.sso, BINDING_HTTP_REDIRECT)],
                            "single_logout_service": [(self.slo, BINDING_HTTP_REDIRECT)],
                        },
                        "want_authn_requests_signed": True,
                    }
                },
            }
        )
        self.server = Server(config=config)

    def read(self, location: str) -> Request:
        """Reti's AuthnRequest from the redirect address, its signature checked."""
        assert location.startswith(self.sso + "?"), location
        query = {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}
        parsed = self.server.parse_authn_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query["SigAlg"],
            signature=query["Signature"],
        )
        message = parsed.message
        refs = message.requested_authn_context.authn_context_class_ref
        return Request(message.id, refs[0].text, message.force_authn, query.get("RelayState", ""))

    def answer(
        self,
        request: Request,
        sp,
        *,
        fiscal_number="TINIT-RSSMRA80A01H501U",
        level_ref=None,
        audience=None,
        destination=None,
        recipient=None,
        in_response_to=None,
        window=(timedelta(minutes=-1), timedelta(minutes=5)),
        attributes=None,
        status=None,
        assertion_id=None,
    ) -> str:
        """A signed Response to `request` for the SP `sp` (entity ID, ACS), base64."""
        response_id = "_" + secrets.token_hex(16)
        assertion_id = assertion_id or "_" + secrets.token_hex(16)
        in_response_to = in_response_to or request.id
        values = {
            "fiscalNumber": fiscal_number,
            "name": "Mario",
            "familyName": "Rossi",
            "email": "mario.rossi@example.org",
            **(attributes or {}),
        }
        issuer = saml.Issuer(text=self.entity_id, format=saml.NAMEID_FORMAT_ENTITY)
        not_before, not_after = window
        assertion = saml.Assertion(
            id=assertion_id,
            version="2.0",
            issue_instant=_now(),
            issuer=issuer,
            subject=saml.Subject(
                name_id=saml.NameID(
                    text="_" + secrets.token_hex(8),
                    format=saml.NAMEID_FORMAT_TRANSIENT,
                    name_qualifier=self.entity_id,
                ),
                subject_confirmation=[
                    saml.SubjectConfirmation(
                        method=saml.SCM_BEARER,
                        subject_confirmation_data=saml.SubjectConfirmationData(
                            recipient=recipient or sp["acs"],
                            in_response_to=in_response_to,
                            not_on_or_after=_now(not_after),
                        ),
                    )
                ],
            ),
            conditions=saml.Conditions(
                not_before=_now(not_before),
                not_on_or_after=_now(not_after),
                audience_restriction=[
                    saml.AudienceRestriction(
                        audience=[saml.Audience(text=audience or sp["entity_id"])]
                    )
                ],
            ),
            authn_statement=[
                saml.AuthnStatement(
                    authn_instant=_now(),
                    session_index="_" + secrets.token_hex(8),
                    authn_context=saml.AuthnContext(
                        authn_context_class_ref=saml.AuthnContextClassRef(
                            text=level_ref or request.level_ref
                        )
                    ),
                )
            ],
            attribute_statement=[
                saml.AttributeStatement(
                    attribute=[
                        saml.Attribute(
                            name=name,
                            name_format=saml.NAME_FORMAT_BASIC,
                            attribute_value=[saml.AttributeValue(text=value)],
                        )
                        for name, value in values.items()
                    ]
                )
            ],
        )
        code = samlp.StatusCode(value=samlp.STATUS_SUCCESS)
        message = None
        if status:
            code = samlp.StatusCode(
                value=samlp.STATUS_RESPONDER,
                status_code=samlp.StatusCode(value=samlp.STATUS_AUTHN_FAILED),
            )
            message = samlp.StatusMessage(text=status)
        response = samlp.Response(
            id=response_id,
            version="2.0",
            issue_instant=_now(),
            destination=destination or sp["acs"],
            in_response_to=in_response_to,
            issuer=saml.Issuer(text=self.entity_id, format=saml.NAMEID_FORMAT_ENTITY),
            status=samlp.Status(status_code=code, status_message=message),
            assertion=None if status else assertion,
        )
        if not status:
            assertion.signature = pre_signature_part(
                assertion_id, digest_alg=DIGEST_SHA256, sign_alg=SIG_RSA_SHA256
            )
        response.signature = pre_signature_part(
            response_id, digest_alg=DIGEST_SHA256, sign_alg=SIG_RSA_SHA256
        )
        xml = str(response)
        sec = self.server.sec
        if not status:
            xml = sec.sign_statement(
                xml, node_name=f"{saml.NAMESPACE}:Assertion", node_id=assertion_id
            )
        xml = sec.sign_statement(xml, node_name=f"{samlp.NAMESPACE}:Response", node_id=response_id)
        return base64.b64encode(xml.encode()).decode()


def tamper(encoded: str, old: str, new: str) -> str:
    """The response with a signed value changed after signing."""
    xml = base64.b64decode(encoded).decode()
    assert old in xml
    return base64.b64encode(xml.replace(old, new, 1).encode()).decode()


def _query(location: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(location).query).items()}


def _location(info) -> str:
    return dict(info["headers"])["Location"]


class LogoutMixin:
    """Single logout as the provider sees it (mixed into TestIdP below)."""

    def read_logout(self, location: str):
        """Reti's LogoutRequest from the redirect address, its signature checked."""
        assert location.startswith(self.slo + "?"), location
        query = _query(location)
        parsed = self.server.parse_logout_request(
            query["SAMLRequest"],
            BINDING_HTTP_REDIRECT,
            relay_state=query.get("RelayState"),
            sigalg=query["SigAlg"],
            signature=query["Signature"],
        )
        assert parsed is not None
        return parsed.message, query.get("RelayState")

    def logout_answer(self, message, relay_state, destination: str) -> str:
        """A signed LogoutResponse (success) to Reti's request, as a redirect address."""
        response = self.server.create_logout_response(message, [BINDING_HTTP_REDIRECT], sign=False)
        response.destination = destination
        info = self.server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(response),
            destination,
            relay_state,
            response=True,
            sign=True,
            sigalg=SIG_RSA_SHA256,
        )
        return _location(info)

    def logout_request(self, name_id: str, sp: dict, *, sign=True) -> str:
        """The provider's own LogoutRequest for `name_id`, as a redirect address."""
        destination = sp["slo"]
        _id, request = self.server.create_logout_request(
            destination,
            issuer_entity_id=sp["entity_id"],
            name_id=saml.NameID(
                text=name_id, format=saml.NAMEID_FORMAT_TRANSIENT, name_qualifier=self.entity_id
            ),
            sign=False,
        )
        info = self.server.apply_binding(
            BINDING_HTTP_REDIRECT,
            str(request),
            destination,
            "relay",
            sign=sign,
            sigalg=SIG_RSA_SHA256 if sign else None,
        )
        return _location(info)


for _name in ("read_logout", "logout_answer", "logout_request"):
    setattr(TestIdP, _name, getattr(LogoutMixin, _name))
