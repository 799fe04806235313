"""The nightly full dumps: each dataset's files with checksums and a Data Package valid against
them, served at a stable address, named by the catalogue, rebuilt once a night by the worker."""

import datetime as dt
import hashlib
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from frictionless import Package
from rdflib import Graph, URIRef
from rdflib.namespace import DCAT

from reti.monitoring.management.commands import worker
from reti.opendata import dumps
from reti.opendata.catalog import SPDX
from reti.opendata.registry import datasets

from .test_catalog import _check

pytestmark = pytest.mark.django_db
ROME = ZoneInfo("Europe/Rome")


def _served(client, code: str, name: str) -> bytes:
    response = client.get(reverse("opendata_catalog:dump_file", args=[code, name]))
    assert response.status_code == 200, (code, name)
    return b"".join(response.streaming_content)


def test_every_dataset_is_dumped_with_checksums_and_a_valid_package(
    client,
    published_data,
    three_regions,
    _dump_dir,
    settings,
):
    # The dumps' addresses are built on the site's; the test client's host is testserver.
    settings.RETI_SITE_URL = "http://testserver"
    for dataset in datasets():
        assert (
            client.get(
                reverse("opendata_catalog:dump_file", args=[dataset.code, "SHA256SUMS"])
            ).status_code
            == 404
        ), "nothing is served before the first dump"
    call_command("opendata_dump", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for dataset in datasets():
        folder = _dump_dir / dataset.code
        manifest = json.loads((folder / "manifest.json").read_text())
        names = dumps.file_names(dataset.code)
        assert set(manifest["files"]) == set(names.values())
        # sha256sum -c reads SHA256SUMS: each line the digest of the file as written.
        for line in (folder / "SHA256SUMS").read_text().splitlines():
            digest, name = line.split("  ")
            data = (folder / name).read_bytes()
            assert hashlib.sha256(data).hexdigest() == digest == manifest["files"][name]["sha256"]
            assert manifest["files"][name]["bytes"] == len(data)
            assert _served(client, dataset.code, name) == data
        # The package describes the files beside it: frictionless validates it against them.
        report = Package(str(folder / "datapackage.json")).validate()
        assert report.valid, (dataset.code, report.flatten(["rowNumber", "fieldName", "type"]))
        # The dump holds what the page downloads (every public row).
        live = client.get(reverse("opendata:detail", args=[dataset.code]), {"format": "csv"})
        assert (folder / names["csv"]).read_bytes() == b"".join(live.streaming_content)


def test_a_draft_is_not_in_the_dump(published_data, _dump_dir):
    published, draft = published_data
    dumps.write_all(codes=("buone-pratiche",))
    text = (_dump_dir / "buone-pratiche" / "buone-pratiche-intl.csv").read_text()
    assert published.title_it in text and draft.title_it not in text


def test_only_the_dump_files_are_served(client, cast):
    dumps.write_all(codes=("reti",))
    for name in ("manifest.json", "reti.xlsx", "reti.json", "datapackage.json"):
        assert _served(client, "reti", name)
    for code, name in (("reti", "..%2Fmanifest.json"), ("reti", "altro.csv"), ("nessuno", "x")):
        url = reverse("opendata_catalog:dump_file", args=[code, "x"]).replace("/x", f"/{name}")
        assert client.get(url).status_code == 404


def test_the_catalogue_points_at_the_dumps_with_their_checksums(client, cast):
    def catalogue():
        return Graph().parse(data=client.get("/opendata/catalog.ttl").content, format="turtle")

    before = catalogue()
    downloads = {str(o) for o in before.objects(None, DCAT.downloadURL)}
    assert downloads and all("/dumps/" not in url for url in downloads)
    dumps.write_all()
    after = catalogue()
    conforms, count, text = _check(after)
    assert conforms and count == 0, text
    for dataset in datasets():
        manifest = dumps.manifest(dataset.code)
        for fmt, name in dumps.file_names(dataset.code).items():
            distribution = next(
                d
                for d in after.subjects(DCAT.downloadURL, None)
                if str(d).endswith(f"#{fmt}") and f"/{dataset.code}/" in str(d)
            )
            assert str(after.value(distribution, DCAT.downloadURL)) == dumps.url(dataset, name)
            checksum = after.value(distribution, SPDX.checksum)
            value = after.value(checksum, SPDX.checksumValue)
            assert str(value) == manifest["files"][name]["sha256"]
            assert after.value(checksum, SPDX.algorithm) == URIRef(
                "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"
            )
            size = after.value(distribution, DCAT.byteSize)
            assert size.toPython() == manifest["files"][name]["bytes"]


def test_the_worker_rebuilds_the_dumps_once_a_night_after_their_hour(cast, settings):
    settings.OPENDATA_DUMP_HOUR = 3
    first_night = dt.datetime(2026, 12, 8, 3, 30, tzinfo=ROME)
    assert dumps.due(first_night.replace(hour=1)), "a dataset without a dump is due at once"
    assert len(dumps.upkeep(first_night)) == len(datasets())
    assert dumps.upkeep(first_night.replace(hour=23)) == [], "once a night"
    assert not dumps.due(first_night + dt.timedelta(hours=22)), "next day, before 3:00"
    next_night = first_night + dt.timedelta(days=1)
    assert dumps.due(next_night)
    assert len(dumps.upkeep(next_night)) == len(datasets())
    stamp = dumps.manifest("reti")["generated_at"]
    assert stamp.startswith("2026-12-09T03:30")


def test_the_worker_loop_runs_the_dumps_from_its_own_thread(monkeypatch):
    import threading

    stop = threading.Event()
    rounds = []

    def work():
        rounds.append(1)
        stop.set()

    work.__qualname__ = "dumps.upkeep"
    worker._upkeep_loop(0.01, stop, work)
    assert rounds == [1]
    assert worker.DUMP_CHECK_SECONDS > 0


def test_the_command_refuses_an_unknown_dataset(cast):
    with pytest.raises(CommandError, match="nessuno"):
        call_command("opendata_dump", "nessuno")
