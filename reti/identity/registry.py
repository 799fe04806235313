"""The identity providers Reti offers, read from the metadata registry directory.

`RETI_SAML_IDP_METADATA_DIR` holds `spid/*.xml` (the SPID providers' metadata, one file each
or AgID's aggregated registry) and optionally `cie/*.xml` (the CIE provider). Each
EntityDescriptor with an IDPSSODescriptor becomes a button entry; the files are also the
metadata pysaml2 verifies signatures against.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from lxml import etree

MD = "urn:oasis:names:tc:SAML:2.0:metadata"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@dataclass(frozen=True)
class Provider:
    kind: str  # "spid" or "cie"
    entity_id: str
    name: str


class UnknownProvider(LookupError):
    pass


def _directory() -> Path:
    return Path(settings.RETI_SAML["IDP_METADATA_DIR"])


def metadata_files() -> list[Path]:
    base = _directory()
    return sorted((base / "spid").glob("*.xml")) + sorted((base / "cie").glob("*.xml"))


def providers(kind: str) -> tuple[Provider, ...]:
    """The `kind` ("spid" or "cie") identity providers, by name."""
    if not settings.RETI_SAML:
        return ()
    files = tuple(sorted((_directory() / kind).glob("*.xml")))
    stamps = tuple(path.stat().st_mtime_ns for path in files)
    return _read(kind, files, stamps)


@cache
def _read(kind: str, files: tuple[Path, ...], _stamps: tuple) -> tuple[Provider, ...]:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    found = {}
    for path in files:
        root = etree.parse(str(path), parser).getroot()
        entities = [root] if root.tag == f"{{{MD}}}EntityDescriptor" else []
        entities += root.findall(f".//{{{MD}}}EntityDescriptor")
        for entity in entities:
            if entity.find(f"{{{MD}}}IDPSSODescriptor") is None:
                continue
            entity_id = entity.get("entityID")
            found[entity_id] = Provider(kind, entity_id, _name(entity) or entity_id)
    return tuple(sorted(found.values(), key=lambda provider: provider.name.lower()))


def _name(entity) -> str:
    names = entity.findall(f"{{{MD}}}Organization/{{{MD}}}OrganizationDisplayName")
    names = names or entity.findall(f"{{{MD}}}Organization/{{{MD}}}OrganizationName")
    by_lang = {name.get(XML_LANG, ""): (name.text or "").strip() for name in names}
    return by_lang.get("it") or next(iter(by_lang.values()), "")


def find(kind: str, entity_id: str) -> Provider:
    for provider in providers(kind):
        if provider.entity_id == entity_id:
            return provider
    raise UnknownProvider(entity_id)
