"""Reti's service provider metadata, as the SPID rules and AgID's Avviso 29 ask, signed.

One document serves SPID and CIE: the signing key, the single logout and assertion consumer
services, the attributes asked for (AttributeConsumingService index 0), the organisation and
a contact of type "other" naming the administration by its IPA code (spid:IPACode, spid:Public).
It is signed with the service provider's key (RSA-SHA256, enveloped) and kept in the process
until the settings change.
"""

import secrets

from lxml import etree
from lxml.builder import ElementMaker
from saml2.sigver import pre_signature_part
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from . import saml

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
DS = "http://www.w3.org/2000/09/xmldsig#"
SPID = "https://spid.gov.it/saml-extensions"
CIE = "https://www.cartaidentita.interno.gov.it/saml-extensions"
# The CIE federation allows these attributes only (no e-mail).
CIE_ATTRIBUTES = ("fiscalNumber", "name", "familyName", "dateOfBirth")
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
BASIC = "urn:oasis:names:tc:SAML:2.0:attrname-format:basic"
POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"

md = ElementMaker(namespace=MD, nsmap={"md": MD, "ds": DS, "spid": SPID})
ds = ElementMaker(namespace=DS, nsmap={"ds": DS})
spid = ElementMaker(namespace=SPID, nsmap={"spid": SPID})
cie = ElementMaker(namespace=CIE, nsmap={"cie": CIE})

_signed: dict = {}


def certificate_base64() -> str:
    """The certificate's base64 body (between the PEM armour lines)."""
    lines = saml.conf()["CERT_FILE"].read_text().strip().splitlines()
    return "".join(line.strip() for line in lines if not line.startswith("-----"))


def unsigned(kind: str = "spid") -> tuple[bytes, str]:
    """The metadata document for `kind` ("spid" or "cie") and its ID, before signing.

    The CIE federation wants its own profile: the attributes it allows, and an
    administrative contact with its extensions (cie:Public, cie:IPACode, cie:Municipality).
    """
    c = saml.conf()
    ident = "_" + secrets.token_hex(16)
    it = {XML_LANG: "it"}
    if kind == "cie":
        extensions = md.Extensions(
            cie.Public(), cie.IPACode(c["IPA_CODE"]), cie.Municipality(c["MUNICIPALITY"])
        )
        names, contact_type = CIE_ATTRIBUTES, "administrative"
    else:
        extensions = md.Extensions(spid.IPACode(c["IPA_CODE"]), spid.Public())
        names = (*saml.REQUIRED_ATTRIBUTES, *saml.OPTIONAL_ATTRIBUTES)
        contact_type = "other"
    contact = [extensions, md.EmailAddress(c["CONTACT_EMAIL"])]
    if c["CONTACT_PHONE"]:
        contact.append(md.TelephoneNumber(c["CONTACT_PHONE"]))
    requested = [md.RequestedAttribute(Name=name, NameFormat=BASIC) for name in names]
    root = md.EntityDescriptor(
        md.SPSSODescriptor(
            md.KeyDescriptor(
                ds.KeyInfo(ds.X509Data(ds.X509Certificate(certificate_base64()))), use="signing"
            ),
            md.SingleLogoutService(Binding=REDIRECT, Location=saml.slo_url()),
            md.NameIDFormat("urn:oasis:names:tc:SAML:2.0:nameid-format:transient"),
            md.AssertionConsumerService(
                index="0", isDefault="true", Binding=POST, Location=saml.acs_url()
            ),
            md.AttributeConsumingService(
                md.ServiceName("Reti", it),
                *requested,
                index="0",
            ),
            protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol",
            AuthnRequestsSigned="true",
            WantAssertionsSigned="true",
        ),
        md.Organization(
            md.OrganizationName(c["ORGANISATION_NAME"], it),
            md.OrganizationDisplayName(c["ORGANISATION_NAME"], it),
            md.OrganizationURL(c["ORGANISATION_URL"], it),
        ),
        md.ContactPerson(*contact, contactType=contact_type),
        entityID=c["ENTITY_ID"],
        ID=ident,
    )
    template = etree.fromstring(
        str(
            pre_signature_part(
                ident,
                public_key=certificate_base64(),
                digest_alg=DIGEST_SHA256,
                sign_alg=SIG_RSA_SHA256,
            )
        ).encode()
    )
    root.insert(0, template)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8"), ident


def signed(kind: str = "spid") -> bytes:
    """The signed metadata for `kind` (made once per process and settings)."""
    key = (kind, repr(sorted((k, str(v)) for k, v in saml.conf().items())))
    if key not in _signed:
        document, ident = unsigned(kind)
        result = saml.client().sec.sign_statement(
            document.decode(), node_name=f"{MD}:EntityDescriptor", node_id=ident
        )
        _signed[key] = result.encode() if isinstance(result, str) else result
    return _signed[key]
