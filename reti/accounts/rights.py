"""People's rights over their data (GDPR arts. 15, 17, 20): what Reti holds about a person,
as JSON or as a ZIP of CSV files, and the erasure of it.

Each app declares `personal_data` on its AppConfig (reti.lib.extensions): the dotted path of
a module providing

`collect(user) -> dict[str, list[dict]]`
    The app's tables about `user`, by a name unique across Reti ("events.registrations"):
    one dict per row, values that JSON can write (str, int, bool, None; dates as ISO
    strings, see `iso`). Only rows about `user` themselves: never another person's data.
`erase(user) -> list[Outcome]`  (optional)
    Remove or anonymise what the app holds about `user`, inside the erasure's transaction,
    and say so: one `Outcome` per kind of record, `kept=True` with the legal reason when the
    records must be kept (they then point to the anonymised account, i.e. to a pseudonym).

The account itself is anonymised last (`reti.accounts.actions.erase_personal_data`): the
username becomes the pseudonym, name and e-mail are emptied, the password unusable, the
account inactive. Records that must be kept (applications, claims, assessments, payments,
the audit trail) keep pointing to it, so they are whole but no longer name the person.
"""

import importlib
import io
import json
import zipfile
from dataclasses import asdict, dataclass

from django.apps import apps

from reti.lib import tabular
from reti.lib.tabular.writers import INTERNATIONAL, csv_chunks


@dataclass(frozen=True)
class Outcome:
    """What an erasure did to one kind of record of an app."""

    what: str  # the kind of record, in Italian (translated when shown)
    count: int | None  # None: not counted (a trail spread over many tables)
    kept: bool = False
    reason: str = ""  # why it is kept (Italian source, translated when shown)


def iso(value) -> str | None:
    """A date or datetime as ISO 8601 text (None stays None)."""
    return value.isoformat() if value is not None else None


def _providers():
    for config in apps.get_app_configs():
        path = getattr(config, "personal_data", "")
        if path:
            yield config.label, importlib.import_module(path)


def collect(user) -> dict[str, list[dict]]:
    """Every app's tables about `user`, in INSTALLED_APPS order."""
    tables: dict[str, list[dict]] = {}
    for label, module in _providers():
        for name, rows in module.collect(user).items():
            if name in tables:
                raise ValueError(f"{label}: personal data table {name!r} declared twice")
            tables[name] = list(rows)
    return tables


def erase_everywhere(user) -> list[Outcome]:
    """Every app's `erase` for `user`; the caller holds the transaction (see above)."""
    outcomes: list[Outcome] = []
    for _label, module in _providers():
        erase = getattr(module, "erase", None)
        if erase is not None:
            outcomes += erase(user)
    return outcomes


def as_json(tables: dict[str, list[dict]]) -> bytes:
    return json.dumps(tables, ensure_ascii=False, indent=2, sort_keys=False).encode()


def _table(name: str, rows: list[dict]) -> tabular.Table:
    columns: list[str] = []
    for row in rows:
        columns += [column for column in row if column not in columns]
    return tabular.Table(
        name, name, tuple(tabular.Column(column, column, _getter(column)) for column in columns)
    )


def _getter(column: str):
    def get(row: dict):
        value = row.get(column)
        return json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else value

    return get


def as_zip(tables: dict[str, list[dict]]) -> bytes:
    """One CSV file per table (the site's international dialect: UTF-8, commas, a header)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, rows in tables.items():
            table = _table(name, rows)
            lines = (table.values(row) for row in rows)
            data = b"".join(csv_chunks(table, lines, INTERNATIONAL))
            archive.writestr(f"{name}.csv", data)
    return buffer.getvalue()


def report(outcomes: list[Outcome]) -> dict:
    """The erasure's report as stored on `Erasure.report` (JSON)."""
    return {"outcomes": [asdict(outcome) for outcome in outcomes]}
