"""The agreement (convenzione / atto di adesione) of a grant: the call's template with its
placeholders filled from the grant's data. Pure: no Django imports.

A placeholder is a name between braces, `{beneficiario}`; `PLACEHOLDERS` lists those a
template may use (a call with another name is refused when saved, naming it). Doubled braces
`{{` and `}}` stand for literal braces.
"""

from __future__ import annotations

import string

PLACEHOLDERS = {
    "beneficiario": "the beneficiary organisation's name",
    "codice_fiscale": "the beneficiary's fiscal code",
    "titolo": "the project's title",
    "bando": "the call's code and title",
    "organismo_intermedio": "the intermediate body's name",
    "atto": "the funding decision: number",
    "data_atto": "the funding decision: date",
    "firmatario": "the funding decision: signer",
    "cup": "the CUP",
    "cor": "the State-aid registration code (RNA COR), or a dash",
    "importo": "the amount granted, in euro",
    "inizio": "the project's start date",
    "fine": "the project's end date",
}

DEFAULT_AGREEMENT = (
    "ATTO DI ADESIONE E OBBLIGO\n\n"
    "Il sottoscritto legale rappresentante di {beneficiario} (codice fiscale "
    "{codice_fiscale}), beneficiario del contributo concesso da {organismo_intermedio} con "
    "atto n. {atto} del {data_atto}, firmato da {firmatario}, sul bando {bando},\n\n"
    "per il progetto «{titolo}» (CUP {cup}; codice RNA COR {cor}),\n\n"
    "accetta il contributo di {importo} euro e si obbliga a realizzare il progetto dal "
    "{inizio} al {fine}, a rendicontare le spese secondo le regole del bando, a conservare "
    "i documenti di spesa e a consentire i controlli, anche in loco.\n"
)


def placeholder_names(template: str) -> list[str]:
    """The placeholder names a template uses, in order of first use."""
    names = []
    for _literal, name, _spec, _conversion in string.Formatter().parse(template or ""):
        if name is not None and name not in names:
            names.append(name)
    return names


def unknown_placeholders(template: str) -> list[str]:
    """Names used by `template` that are not placeholders (a bad brace shows as itself)."""
    try:
        names = placeholder_names(template)
    except ValueError:
        return ["{ }"]
    return [name for name in names if name not in PLACEHOLDERS]


def fill(template: str, values: dict[str, str]) -> str:
    """The template with each placeholder replaced by its value."""
    missing = set(PLACEHOLDERS) - set(values)
    if missing:
        raise KeyError(f"no value for {sorted(missing)}")
    return template.format_map({name: str(values[name]) for name in PLACEHOLDERS})
