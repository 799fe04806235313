"""The full dumps of the datasets (dump completi): every public row of each dataset, in each
format, written to one published directory with checksums, rebuilt nightly.

    <OPENDATA_DUMP_DIR>/<code>/<code>.csv            Italian Excel CSV
                              <code>-intl.csv       international CSV
                              <code>.xlsx, <code>.json
                              datapackage.json      the Data Package, its paths these files
                              SHA256SUMS            `sha256sum -c` reads it
                              manifest.json         when, how many bytes, which checksums

They are served at `/opendata/dumps/<code>/<file>` (views.dump_file), a stable address that
the DCAT-AP_IT catalogue gives as each distribution's downloadURL once a dump exists, with
its checksum (spdx:checksum) and size. A dataset's files are written into a new directory
and swapped in whole, so a reader never gets half of a dump or files of two nights.

`reti opendata_dump` writes them; `reti worker` does it each night (`due`, after
RETI_OPENDATA_DUMP_HOUR, Europe/Rome). The rows are the datasets' `rows()`: public rows only.
"""

import datetime as dt
import hashlib
import json
import logging
import shutil
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from reti.lib import tabular

from . import package
from .registry import Dataset, datasets

logger = logging.getLogger(__name__)

# File of each format in a dataset's directory: format -> name pattern.
FILES = {
    "csv": "{code}.csv",
    "csv-intl": "{code}-intl.csv",
    "xlsx": "{code}.xlsx",
    "json": "{code}.json",
}
PACKAGE = "datapackage.json"
SUMS = "SHA256SUMS"
MANIFEST = "manifest.json"


def root() -> Path:
    return Path(settings.OPENDATA_DUMP_DIR)


def file_names(code: str) -> dict[str, str]:
    """Format (or "package") -> file name in the dataset's directory."""
    return {fmt: pattern.format(code=code) for fmt, pattern in FILES.items()} | {"package": PACKAGE}


def public_names(code: str) -> set[str]:
    """The names the site serves from a dataset's directory."""
    return {*file_names(code).values(), SUMS, MANIFEST}


def url(dataset: Dataset, name: str) -> str:
    """The stable absolute address of a dump file."""
    path = reverse("opendata_catalog:dump_file", args=[dataset.code, name])
    return f"{package.site()}{path}"


@dataclass(frozen=True)
class Written:
    code: str
    generated_at: str
    files: dict  # name -> {"sha256", "bytes"}


def _write(path: Path, chunks) -> dict:
    digest = hashlib.sha256()
    size = 0
    with path.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
            digest.update(chunk)
            size += len(chunk)
    return {"sha256": digest.hexdigest(), "bytes": size}


def _rows(dataset: Dataset):
    rows = tabular.rows_of(dataset.table, dataset.rows())
    return tabular.absolute_urls(dataset.table, rows, package.site())


def _descriptor(dataset: Dataset, names: dict[str, str], moment: str) -> dict:
    """The dataset's Data Package with its resources at the dump files (relative paths: the
    directory is a self-contained package, and the files are beside it when served)."""
    descriptor = package.descriptor(dataset)
    descriptor["id"] = url(dataset, PACKAGE)
    descriptor["created"] = moment
    paths = {"csv-intl": names["csv-intl"], "csv": names["csv"]}
    descriptor["resources"] = tabular.resources(dataset.table, dataset.code, paths)
    return descriptor


def write(dataset: Dataset, now: dt.datetime | None = None) -> Written:
    """Write the dataset's full dump and swap it in; return what was written."""
    moment = timezone.localtime(now or timezone.now()).isoformat(timespec="seconds")
    base = root()
    base.mkdir(parents=True, exist_ok=True)
    target = base / dataset.code
    fresh = base / f".{dataset.code}.new"
    shutil.rmtree(fresh, ignore_errors=True)
    fresh.mkdir()
    names = file_names(dataset.code)
    files = {}
    for fmt in FILES:
        chunks = tabular.body(fmt, dataset.table, _rows(dataset), {})
        files[names[fmt]] = _write(fresh / names[fmt], chunks)
    text = json.dumps(_descriptor(dataset, names, moment), ensure_ascii=False, indent=2)
    files[PACKAGE] = _write(fresh / PACKAGE, [text.encode()])
    sums = "".join(f"{files[name]['sha256']}  {name}\n" for name in sorted(files))
    (fresh / SUMS).write_text(sums)
    manifest = {"dataset": dataset.code, "generated_at": moment, "files": files}
    (fresh / MANIFEST).write_text(json.dumps(manifest, indent=2))
    old = base / f".{dataset.code}.old"
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return Written(dataset.code, moment, files)


def write_all(now: dt.datetime | None = None, codes=()) -> list[Written]:
    """Dump every dataset (or those of `codes`); one that fails is logged, the others go on."""
    written = []
    for dataset in datasets():
        if codes and dataset.code not in codes:
            continue
        try:
            written.append(write(dataset, now))
        except Exception:
            logger.exception("open-data dump of %s failed", dataset.code)
    return written


def manifest(code: str) -> dict | None:
    """The manifest of the dataset's published dump, None before the first one."""
    try:
        return json.loads((root() / code / MANIFEST).read_text())
    except (FileNotFoundError, ValueError):
        return None


def due(now: dt.datetime | None = None) -> bool:
    """True when the nightly dump has not run yet today and its hour has come (local time);
    also when any dataset has no dump at all."""
    local = timezone.localtime(now or timezone.now())
    stamps = [manifest(dataset.code) for dataset in datasets()]
    if any(stamp is None for stamp in stamps):
        return True
    if local.hour < settings.OPENDATA_DUMP_HOUR:
        return False
    newest_day = min(dt.datetime.fromisoformat(s["generated_at"]).date() for s in stamps)
    return newest_day < local.date()


def upkeep(now: dt.datetime | None = None) -> list[Written]:
    """The worker's nightly round: dump every dataset when `due`, else nothing."""
    if not due(now):
        return []
    logger.info("open-data dumps: rebuilding")
    return write_all(now)
