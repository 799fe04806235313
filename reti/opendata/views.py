"""Open-data pages: the list of datasets, a dataset's dictionary and downloads, its Data
Package, and the DCAT-AP_IT catalogue. All public: a dataset holds only public rows."""

import json
from itertools import islice

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from reti.lib import tabular

from . import catalog as dcat
from . import dumps, package
from .registry import LICENCES, by_code, datasets

# The catalogue's formats: URL suffix -> rdflib format.
SUFFIXES = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}
# Content negotiation on /opendata/catalog: media type -> rdflib format (Turtle by default).
MEDIA_TYPES = {media: name for name, media in dcat.FORMATS.items()}


DATASETS = tabular.Table(
    "dati-aperti",
    _("Dataset aperti di Reti"),
    (
        tabular.Column("codice", _("Codice del dataset"), "code"),
        tabular.Column("titolo", _("Titolo"), lambda d: str(d.title)),
        tabular.Column("descrizione", _("Descrizione"), lambda d: str(d.description)),
        tabular.Column("temi", _("Temi (EU data themes)"), lambda d: " ".join(d.themes)),
        tabular.Column("frequenza", _("Frequenza di aggiornamento (EU)"), "frequency"),
        tabular.Column("licenza", _("Licenza"), lambda d: LICENCES[d.licence], type="url"),
        tabular.Column("ultima_modifica", _("Ultima modifica dei dati"), lambda d: d.modified(),
                       type="datetime"),
        tabular.Column("pagina", _("Pagina del dataset"), lambda d: package.address("detail", d),
                       type="url"),
        tabular.Column("datapackage", _("Data Package"), package.package_url, type="url"),
    ),
    description=_("I dataset pubblicati, con il loro Data Package e la licenza."),
)  # fmt: skip


def _entry(dataset) -> dict:
    return {
        "dataset": dataset,
        "licence_url": LICENCES[dataset.licence],
        "licence": dataset.licence.replace("_", " ").replace(" 4 0", " 4.0"),
    }


@require_safe
def dataset_list(request):
    if tabular.requested(request):
        return tabular.download(request, DATASETS, datasets())
    context = {
        "entries": [_entry(d) for d in datasets()],
        "downloads": tabular.links(request.path, {}),
    }
    return render(request, "opendata/list.html", context)


def _dataset(code: str):
    dataset = by_code(code)
    if dataset is None:
        raise Http404
    return dataset


PREVIEW_ROWS = 10


def _preview(dataset) -> dict:
    """The dataset's first rows, as the downloads spell them (in Italian, site paths kept)."""
    rows = list(islice(tabular.rows_of(dataset.table, dataset.rows()), PREVIEW_ROWS))
    return {"names": dataset.table.names, "rows": rows}


def _citation(dataset) -> str:
    """How to cite the dataset: publisher, year of the data, title, publisher of the site,
    address, licence (the APA pattern for a data set)."""
    modified = dataset.modified()
    year = modified.year if modified else ""
    licence = dataset.licence.replace("_", " ").replace(" 4 0", " 4.0")
    return (
        f"{settings.RETI_PUBLISHER_NAME} ({year}). {dataset.title} [dataset]. Reti. "
        f"{package.address('detail', dataset)} ({licence})"
    )


def _dump(dataset) -> dict | None:
    manifest = dumps.manifest(dataset.code)
    if manifest is None:
        return None
    names = [*manifest["files"], dumps.SUMS]
    return {
        "generated_at": manifest["generated_at"].replace("T", " "),
        "files": [{"name": name, "url": dumps.url(dataset, name)} for name in names],
    }


@require_safe
def dataset_detail(request, code: str):
    """The dataset's data dictionary; with `?format=` its download (every public row)."""
    dataset = _dataset(code)
    if tabular.requested(request):
        return tabular.download(request, dataset.table, dataset.rows(), filename=dataset.code)
    context = {
        **_entry(dataset),
        "columns": dataset.table.dictionary(),
        "downloads": tabular.links(request.path, {}),
        "modified": dataset.modified(),
        "publisher": settings.RETI_PUBLISHER_NAME,
        "dump": _dump(dataset),
        "preview": _preview(dataset),
        "citation": _citation(dataset),
    }
    return render(request, "opendata/detail.html", context)


@require_safe
def datapackage(request, code: str):
    response = JsonResponse(
        package.descriptor(_dataset(code)), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _negotiated(request) -> str:
    accept = request.headers.get("Accept", "")
    for part in accept.split(","):
        media = part.split(";")[0].strip()
        if media in MEDIA_TYPES:
            return MEDIA_TYPES[media]
    return "turtle"


@require_safe
def catalog(request, suffix: str = ""):
    """The DCAT-AP_IT catalogue: `.ttl`, `.rdf`, `.jsonld`, or by the Accept header."""
    if suffix:
        if suffix not in SUFFIXES:
            raise Http404
        fmt = SUFFIXES[suffix]
    else:
        fmt = _negotiated(request)
    text = dcat.graph().serialize(format=fmt)
    if fmt == "json-ld":
        text = json.dumps(json.loads(text), ensure_ascii=False, indent=2)
    response = HttpResponse(text, content_type=f"{dcat.FORMATS[fmt]}; charset=utf-8")
    response["Vary"] = "Accept"
    response["Access-Control-Allow-Origin"] = "*"
    return response


# Media types of the dump files, by extension.
DUMP_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": tabular.FORMATS["xlsx"].content_type,
    "json": "application/json",
}


@require_safe
def dump_file(request, code: str, name: str):
    """A file of the dataset's latest full dump (dumps.py): 404 before the first one."""
    dataset = _dataset(code)
    if name not in dumps.public_names(dataset.code):
        raise Http404
    path = dumps.root() / dataset.code / name
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = name.rsplit(".", 1)[-1] if "." in name else ""
    response = FileResponse(
        handle,
        content_type=DUMP_TYPES.get(extension, "text/plain; charset=utf-8"),
        as_attachment=extension in ("csv", "xlsx"),
        filename=name,
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response
