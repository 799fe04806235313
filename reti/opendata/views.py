"""Open-data pages: the list of datasets, a dataset's dictionary and downloads, its Data
Package, and the DCAT-AP_IT catalogue. All public: a dataset holds only public rows."""

import json

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from reti.lib import tabular

from . import catalog as dcat
from . import package
from .registry import LICENCES, by_code, datasets

# The catalogue's formats: URL suffix -> rdflib format.
SUFFIXES = {"ttl": "turtle", "rdf": "xml", "jsonld": "json-ld"}
# Content negotiation on /opendata/catalog: media type -> rdflib format (Turtle by default).
MEDIA_TYPES = {media: name for name, media in dcat.FORMATS.items()}


def _entry(dataset) -> dict:
    return {
        "dataset": dataset,
        "licence_url": LICENCES[dataset.licence],
        "licence": dataset.licence.replace("_", " ").replace(" 4 0", " 4.0"),
    }


@require_safe
def dataset_list(request):
    return render(request, "opendata/list.html", {"entries": [_entry(d) for d in datasets()]})


def _dataset(code: str):
    dataset = by_code(code)
    if dataset is None:
        raise Http404
    return dataset


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
