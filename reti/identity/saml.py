"""Reti as a SAML 2.0 service provider for SPID and CIE, on pysaml2 (Regole tecniche SPID).

`authn_request` makes the signed AuthnRequest (HTTP-Redirect, RSA-SHA256) asking one identity
provider for a level; `read_response` accepts a Response only when every check the rules ask
for passes, otherwise raises `SignInRefused` with the reason:

1. the XML signatures of the Response and of the Assertion, by the chosen provider's key
   (pysaml2 and xmlsec1; any change to a signed byte breaks them);
2. the status: an identity provider's refusal keeps its SPID code (ErrorCode nr19…nr25);
3. InResponseTo names a request this browser started and has not used yet; the Issuer is the
   provider that request went to;
4. Destination and the SubjectConfirmationData's Recipient are our AssertionConsumerService;
   the Audience is our entity ID;
5. the time window: NotBefore/NotOnOrAfter of the conditions and of the subject
   confirmation, with `CLOCK_SKEW_SECONDS` of tolerance;
6. the AuthnContextClassRef is at least the level asked for;
7. the assertion's ID has not been seen before (the cache remembers it until it expires).

The identity providers come from the metadata registry directory (`registry.py`).
"""

import base64
import logging
import warnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.urls import reverse

from reti.lib import cache, mail

# pysaml2 7.5 names the CFB cipher mode where cryptography deprecated it: a warning at every
# start that says nothing to an operator.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="CFB has been moved")
    from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, samlp
    from saml2.client import Saml2Client
    from saml2.config import SPConfig
    from saml2.response import (
        IncorrectlySigned,
        StatusError,
        UnsolicitedResponse,
        VerificationError,
    )
    from saml2.saml import NAMEID_FORMAT_ENTITY, NAMEID_FORMAT_TRANSIENT, Issuer, NameID
    from saml2.sigver import SignatureError, SigverError, verify_redirect_signature
    from saml2.validate import ResponseLifetimeExceed, ToEarly
    from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256, SIG_RSA_SHA384, SIG_RSA_SHA512

from . import levels, registry
from .errors import SignInRefused, code_from_status

logger = logging.getLogger(__name__)

PROVIDERS = ("spid", "cie")
# What Reti asks of every identity (AttributeConsumingService index 0); the "persona giuridica"
# attributes come when the identity has them.
REQUIRED_ATTRIBUTES = ("fiscalNumber", "name", "familyName", "email")
OPTIONAL_ATTRIBUTES = ("companyName", "ivaCode")
REDIRECT_SIGNATURE_ALGORITHMS = (SIG_RSA_SHA256, SIG_RSA_SHA384, SIG_RSA_SHA512)


def conf() -> dict:
    if not settings.RETI_SAML:
        raise RuntimeError("SPID and CIE are not configured (RETI_SAML_ENTITY_ID)")
    return settings.RETI_SAML


def site_url(name: str) -> str:
    return mail.site_url(reverse(name))


def acs_url() -> str:
    return site_url("identity_saml:acs")


def slo_url() -> str:
    return site_url("identity_saml:slo")


_clients: dict = {}


def client() -> Saml2Client:
    """The service provider, configured from settings (one per settings, reused)."""
    c = conf()
    files = tuple((str(path), path.stat().st_mtime_ns) for path in registry.metadata_files())
    key = (tuple(sorted((k, str(v)) for k, v in c.items())), settings.RETI_SITE_URL, files)
    if key not in _clients:
        _clients.clear()
        _clients[key] = Saml2Client(config=SPConfig().load(_sp_config(c)))
    return _clients[key]


def _sp_config(c: dict) -> dict:
    return {
        "entityid": c["ENTITY_ID"],
        "xmlsec_binary": c["XMLSEC_BINARY"],
        "key_file": str(c["KEY_FILE"]),
        "cert_file": str(c["CERT_FILE"]),
        "metadata": {"local": [str(path) for path in registry.metadata_files()]},
        "accepted_time_diff": c["CLOCK_SKEW_SECONDS"],
        "allow_unknown_attributes": True,
        "delete_tmpfiles": True,
        "service": {
            "sp": {
                "endpoints": {
                    "assertion_consumer_service": [(acs_url(), BINDING_HTTP_POST)],
                    "single_logout_service": [(slo_url(), BINDING_HTTP_REDIRECT)],
                },
                "authn_requests_signed": True,
                "logout_requests_signed": True,
                "want_assertions_signed": True,
                "want_response_signed": True,
                "allow_unsolicited": False,
                "name_id_format": NAMEID_FORMAT_TRANSIENT,
                "signing_algorithm": SIG_RSA_SHA256,
                "digest_algorithm": DIGEST_SHA256,
            }
        },
    }


def _issuer() -> Issuer:
    entity_id = conf()["ENTITY_ID"]
    return Issuer(text=entity_id, format=NAMEID_FORMAT_ENTITY, name_qualifier=entity_id)


@dataclass(frozen=True)
class Outgoing:
    """A request on its way: where to send the browser, and what to remember until it returns."""

    url: str
    request_id: str
    pending: dict


def authn_request(provider: str, idp_entity_id: str, level: int, relay_state: str) -> Outgoing:
    """A signed AuthnRequest for `idp_entity_id` asking for at least `level`.

    ForceAuthn is set above level 1, as the rules ask: a level 2 sign-in is never an old
    session of the identity provider.
    """
    idp = registry.find(provider, idp_entity_id)
    sp = client()
    destination = sp.metadata.single_sign_on_service(idp.entity_id, BINDING_HTTP_REDIRECT)[0][
        "location"
    ]
    request_id, request = sp.create_authn_request(
        destination,
        binding=BINDING_HTTP_POST,
        issuer=_issuer(),
        nameid_format=NAMEID_FORMAT_TRANSIENT,
        requested_authn_context=samlp.RequestedAuthnContext(
            authn_context_class_ref=[samlp.saml.AuthnContextClassRef(text=levels.class_ref(level))],
            comparison="minimum",
        ),
        force_authn="true" if level > 1 else None,
        assertion_consumer_service_index="0",
        attribute_consuming_service_index="0",
        sign=False,
    )
    # pysaml2 names the ACS by URL and binding too; SPID wants the index alone.
    request.assertion_consumer_service_url = None
    request.protocol_binding = None
    if request.name_id_policy is not None:
        request.name_id_policy.allow_create = None
    info = sp.apply_binding(
        BINDING_HTTP_REDIRECT,
        str(request),
        destination,
        relay_state,
        sign=True,
        sigalg=SIG_RSA_SHA256,
    )
    url = dict(info["headers"])["Location"]
    pending = {"provider": provider, "idp": idp.entity_id, "level": level}
    return Outgoing(url=url, request_id=request_id, pending=pending)


@dataclass(frozen=True)
class Identity:
    """What a verified response says about the person."""

    provider: str
    idp: str
    level: int
    fiscal_number: str
    name: str = ""
    family_name: str = ""
    email: str = ""
    company_name: str = ""
    iva_code: str = ""
    name_id: str = ""
    name_id_qualifier: str = ""
    session_index: str = ""
    attributes: dict = field(default_factory=dict)


def _xml(saml_response: str) -> str:
    try:
        return base64.b64decode(saml_response, validate=True).decode("utf-8")
    except ValueError:
        raise SignInRefused("invalid", "not base64 UTF-8") from None


def read_response(saml_response: str, pending: dict[str, dict]) -> tuple[str, Identity]:
    """The request ID answered and the identity, from a base64 SAMLResponse; or SignInRefused.

    `pending` maps the IDs of requests this browser started to what they asked for.
    """
    sp = client()
    skew = timedelta(seconds=conf()["CLOCK_SKEW_SECONDS"])
    xml = _xml(saml_response)
    try:
        response = sp.parse_authn_request_response(
            saml_response, BINDING_HTTP_POST, outstanding=dict.fromkeys(pending, "")
        )
    except StatusError as error:
        raise SignInRefused(code_from_status(str(error)), str(error)) from None
    except (SignatureError, SigverError, IncorrectlySigned) as error:
        raise SignInRefused("signature", str(error)) from None
    except UnsolicitedResponse as error:
        raise SignInRefused("in_response_to", str(error)) from None
    except ResponseLifetimeExceed as error:
        raise SignInRefused("expired", str(error)) from None
    except ToEarly as error:
        raise SignInRefused("not_yet_valid", str(error)) from None
    except VerificationError as error:
        code = "recipient" if "recipient" in str(error).lower() else "invalid"
        raise SignInRefused(code, str(error)) from None
    except Exception as error:  # pysaml2 raises bare Exception for some conditions
        text = str(error)
        if "AudienceRestrictions" in text or "Not for me" in text:
            raise SignInRefused("audience", text) from None
        if "signature" in text.lower() or "signed" in text.lower():
            raise SignInRefused("signature", text) from None
        logger.warning("SAML response refused: %s", text)
        raise SignInRefused("invalid", text) from None
    if response is None:
        raise SignInRefused(_diagnose(xml, pending), "pysaml2 refused the response")
    return _check(response, pending, skew)


def claimed_request_id(saml_response: str) -> str:
    """The InResponseTo a response claims, before anything is verified (to find the request)."""
    try:
        parsed = samlp.response_from_string(_xml(saml_response))
    except Exception:
        return ""
    return (parsed.in_response_to or "") if parsed is not None else ""


def _diagnose(xml: str, pending: dict) -> str:
    """Why pysaml2 gave no response (it says only in its log): the destination or the request."""
    try:
        parsed = samlp.response_from_string(xml)
    except Exception:
        return "invalid"
    if parsed is None:
        return "invalid"
    if parsed.destination and parsed.destination != acs_url():
        return "destination"
    if parsed.in_response_to not in pending:
        return "in_response_to"
    return "invalid"


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    value = value.strip().replace("Z", "+00:00")
    parsed = datetime.fromisoformat(value)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _check(response, pending: dict, skew: timedelta) -> tuple[str, Identity]:
    """The checks pysaml2 leaves to us, or makes quietly; each with its own reason."""
    now = datetime.now(UTC)
    message = response.response
    request_id = response.in_response_to or message.in_response_to
    asked = pending.get(request_id)
    if asked is None:
        raise SignInRefused("in_response_to", str(request_id))
    if message.destination != acs_url():
        raise SignInRefused("destination", str(message.destination))
    assertion = response.assertion
    if assertion is None:
        raise SignInRefused("invalid", "no assertion")
    issuers = {response.issuer(), (assertion.issuer.text or "").strip() if assertion.issuer else ""}
    if issuers != {asked["idp"]}:
        raise SignInRefused("issuer", ", ".join(sorted(issuers)))
    conditions = assertion.conditions
    if conditions is None:
        raise SignInRefused("invalid", "no conditions")
    audiences = {
        (audience.text or "").strip()
        for restriction in conditions.audience_restriction
        for audience in restriction.audience
    }
    if conf()["ENTITY_ID"] not in audiences:
        raise SignInRefused("audience", ", ".join(sorted(audiences)))
    not_before = _time(conditions.not_before)
    not_after = _time(conditions.not_on_or_after)
    if not_before is None or not_after is None:
        raise SignInRefused("invalid", "conditions without a time window")
    if now + skew < not_before:
        raise SignInRefused("not_yet_valid", conditions.not_before)
    if now - skew >= not_after:
        raise SignInRefused("expired", conditions.not_on_or_after)
    confirmed = [
        confirmation.subject_confirmation_data
        for confirmation in assertion.subject.subject_confirmation
        if confirmation.subject_confirmation_data is not None
    ]
    if not confirmed:
        raise SignInRefused("invalid", "no subject confirmation data")
    for data in confirmed:
        if data.recipient != acs_url():
            raise SignInRefused("recipient", str(data.recipient))
        if data.in_response_to != request_id:
            raise SignInRefused("in_response_to", str(data.in_response_to))
        until = _time(data.not_on_or_after)
        if until is None or now - skew >= until:
            raise SignInRefused("expired", str(data.not_on_or_after))
        not_after = min(not_after, until)
    attested = max(
        (levels.level_of(ref) or 0 for ref, *_rest in response.authn_info()),
        default=0,
    )
    if not levels.satisfies(attested or None, asked["level"]):
        raise SignInRefused("level", f"{attested} < {asked['level']}")
    # Replay: the first use of an assertion ID claims it until the assertion expires.
    remember = int((not_after - now + skew).total_seconds()) + 1
    if not cache.first_time(("saml-assertion", assertion.id), remember):
        raise SignInRefused("replay", assertion.id)
    values = _attributes(assertion)
    fiscal = values.get("fiscalNumber", "").strip().upper()
    if not fiscal:
        raise SignInRefused("attributes", "no fiscalNumber")
    name_id = assertion.subject.name_id
    statements = assertion.authn_statement
    identity = Identity(
        provider=asked["provider"],
        idp=asked["idp"],
        level=attested,
        fiscal_number=fiscal,
        name=values.get("name", ""),
        family_name=values.get("familyName", ""),
        email=values.get("email", ""),
        company_name=values.get("companyName", ""),
        iva_code=values.get("ivaCode", ""),
        name_id=(name_id.text or "").strip() if name_id is not None else "",
        name_id_qualifier=(name_id.name_qualifier or "") if name_id is not None else "",
        session_index=(statements[0].session_index or "") if statements else "",
        attributes=values,
    )
    return request_id, identity


def _attributes(assertion) -> dict[str, str]:
    """Attribute name → first value, as sent (SPID names, e.g. fiscalNumber)."""
    values = {}
    for statement in assertion.attribute_statement:
        for attribute in statement.attribute:
            texts = [(value.text or "").strip() for value in attribute.attribute_value]
            values[attribute.name] = texts[0] if texts else ""
    return values


def logout_request(session_data: dict, relay_state: str) -> str:
    """The address sending the browser to the provider's single logout with a signed request."""
    sp = client()
    idp = session_data["idp"]
    destination = sp.metadata.single_logout_service(idp, BINDING_HTTP_REDIRECT, "idpsso")[0][
        "location"
    ]
    name_id = NameID(
        text=session_data["name_id"],
        format=NAMEID_FORMAT_TRANSIENT,
        name_qualifier=session_data.get("name_id_qualifier") or idp,
    )
    request_id, request = sp.create_logout_request(
        destination,
        issuer_entity_id=idp,
        name_id=name_id,
        session_indexes=[session_data["session_index"]]
        if session_data.get("session_index")
        else [],
        sign=False,
    )
    request.issuer = _issuer()
    info = sp.apply_binding(
        BINDING_HTTP_REDIRECT,
        str(request),
        destination,
        relay_state,
        sign=True,
        sigalg=SIG_RSA_SHA256,
    )
    return request_id, dict(info["headers"])["Location"]


def _redirect_signed(query: dict, idp: str) -> bool:
    """Whether an HTTP-Redirect message carries a valid RSA-SHA256+ signature by `idp`."""
    sigalg = query.get("SigAlg", "")
    if not query.get("Signature") or sigalg not in REDIRECT_SIGNATURE_ALGORITHMS:
        return False
    sp = client()
    message = {
        key: query[key]
        for key in ("SAMLRequest", "SAMLResponse", "RelayState", "SigAlg", "Signature")
        if key in query
    }
    try:
        certs = sp.metadata.certs(idp, "idpsso", use="signing")
    except KeyError:
        return False
    for _name, cert in certs:
        try:
            if verify_redirect_signature(message, sp.sec.sec_backend, cert=cert):
                return True
        except Exception as error:  # a malformed signature is an invalid one
            logger.warning("Redirect signature refused: %s", error)
    return False


def read_logout_response(query: dict, expected: dict | None) -> bool:
    """Whether a signed LogoutResponse (HTTP-Redirect) answers our request with success."""
    if not expected or not _redirect_signed(query, expected.get("idp", "")):
        return False
    try:
        response = client().parse_logout_request_response(
            query["SAMLResponse"], BINDING_HTTP_REDIRECT
        )
    except Exception as error:
        logger.warning("SAML logout response refused: %s", error)
        return False
    if response is None:
        return False
    return (
        response.in_response_to == expected.get("id")
        and response.issuer() == expected.get("idp")
        and response.response.status.status_code.value == samlp.STATUS_SUCCESS
    )


def read_logout_request(query: dict):
    """The provider and the LogoutRequest it sent (IdP-initiated single logout), or refusal."""
    sp = client()
    try:
        parsed = sp.parse_logout_request(query["SAMLRequest"], BINDING_HTTP_REDIRECT)
    except Exception as error:
        raise SignInRefused("invalid", str(error)) from None
    message = parsed.message if parsed is not None else None
    if message is None or message.issuer is None:
        raise SignInRefused("invalid", "no logout request")
    idp = (message.issuer.text or "").strip()
    if not any(idp == p.entity_id for kind in PROVIDERS for p in registry.providers(kind)):
        raise SignInRefused("issuer", idp)
    if not _redirect_signed(query, idp):
        raise SignInRefused("signature", "logout request")
    if message.destination and message.destination != slo_url():
        raise SignInRefused("destination", message.destination)
    return idp, message


def logout_response(message, idp: str, relay_state: str | None) -> str:
    """The address answering the provider's LogoutRequest with a signed success."""
    sp = client()
    service = sp.metadata.single_logout_service(idp, BINDING_HTTP_REDIRECT, "idpsso")[0]
    destination = service.get("response_location") or service["location"]
    response = sp.create_logout_response(
        message, [BINDING_HTTP_REDIRECT], sign=False, issuer=_issuer()
    )
    response.destination = destination
    info = sp.apply_binding(
        BINDING_HTTP_REDIRECT,
        str(response),
        destination,
        relay_state,
        response=True,
        sign=True,
        sigalg=SIG_RSA_SHA256,
    )
    return dict(info["headers"])["Location"]
