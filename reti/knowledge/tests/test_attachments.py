"""Uploads: only what the name says, at most 20 MB, no ZIP bombs; text extracted by the task."""

import errno
import io
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from reti.knowledge import actions
from reti.knowledge.models import Attachment
from reti.lib.storage import WholeFileSystemStorage
from reti.registry.tests.api_fixtures import bearer

from . import files

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


def _upload(cast, draft, name, content, capture):
    with capture(execute=True):
        return actions.add_attachment(
            cast.toscana_officer, draft, SimpleUploadedFile(name, content)
        )


@pytest.mark.parametrize(
    ("name", "content", "text"),
    [
        ("relazione.pdf", files.minimal_pdf("Valutazione del modello Toscana"), "Toscana"),
        ("scheda.docx", files.docx("Scheda del laboratorio di falegnameria"), "falegnameria"),
        ("scheda.odt", files.odt("Verbale della visita di studio"), "Verbale"),
    ],
)
def test_documents_are_accepted_and_their_text_extracted(
    cast, draft, name, content, text, django_capture_on_commit_callbacks
):
    attachment = _upload(cast, draft, name, content, django_capture_on_commit_callbacks)
    attachment.refresh_from_db()
    assert attachment.extraction_status == Attachment.Extraction.DONE
    assert text in attachment.extracted_text
    draft.refresh_from_db()
    assert text in draft.search_text


def test_images_are_accepted_without_text(cast, draft, django_capture_on_commit_callbacks):
    attachment = _upload(cast, draft, "foto.png", _png(), django_capture_on_commit_callbacks)
    assert attachment.kind == "png"
    assert attachment.extraction_status == Attachment.Extraction.NOT_APPLICABLE


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("finto.pdf", b"<html>non sono un pdf</html>", "non è un PDF valido"),
        ("finto.docx", b"%PDF-1.4 travestito", "non è un Documento Word (DOCX) valido"),
        ("finto.png", b"\xff\xd8\xff\xe0 jpeg?", "non è un Immagine PNG valido"),
        ("pagina.html", b"<script>alert(1)</script>", "Tipo di file non accettato"),
        ("bomba.docx", files.zip_bomb("docx"), "archivio compresso anomalo"),
        ("bomba.odt", files.zip_bomb("odt"), "archivio compresso anomalo"),
        ("vuoto.pdf", b"", "è vuoto"),
    ],
)
def test_bad_files_are_refused_with_a_clear_message(cast, draft, name, content, message):
    with pytest.raises(ValidationError) as error:
        actions.add_attachment(cast.toscana_officer, draft, SimpleUploadedFile(name, content))
    assert message in " ".join(error.value.message_dict["file"])
    assert not Attachment.objects.exists()


def test_files_over_20_mb_are_refused(cast, draft):
    upload = SimpleUploadedFile("grande.pdf", b"%PDF-1.4\n" + b"0" * (20 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        actions.add_attachment(cast.toscana_officer, draft, upload)
    assert "supera i 20 MB" in error.value.message_dict["file"][0]


def test_a_damaged_pdf_is_marked_failed_not_lost(cast, draft, django_capture_on_commit_callbacks):
    attachment = _upload(
        cast, draft, "r.pdf", files.minimal_pdf("ok"), django_capture_on_commit_callbacks
    )
    with attachment.file.open("wb") as handle:
        handle.write(b"%PDF-1.4 broken")
    actions.extract_attachment(attachment.pk)
    attachment.refresh_from_db()
    assert attachment.extraction_status == Attachment.Extraction.FAILED
    assert attachment.extraction_error


def test_the_wrong_user_cannot_attach(cast, draft):
    upload = SimpleUploadedFile("r.pdf", files.minimal_pdf("x"))
    with pytest.raises(PermissionDenied):
        actions.add_attachment(cast.lazio_officer, draft, upload)


def test_upload_page_reports_the_error(client, cast, draft):
    client.force_login(cast.toscana_officer)
    response = client.post(
        reverse("knowledge:attachment_upload", args=[draft.pk]),
        {"file": SimpleUploadedFile("finto.pdf", b"GIF89a")},
        follow=True,
    )
    assert "non è un PDF valido" in response.content.decode()


def test_drafts_attachments_are_not_downloadable_by_others(
    client, cast, draft, django_capture_on_commit_callbacks
):
    attachment = _upload(
        cast, draft, "r.pdf", files.minimal_pdf("x"), django_capture_on_commit_callbacks
    )
    url = reverse("knowledge:attachment_download", args=[attachment.pk])
    assert client.get(url).status_code == 404
    client.force_login(cast.toscana_officer)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_in_production_the_upload_enqueues_a_task_for_the_worker(
    cast, draft, settings, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    attachment = _upload(
        cast,
        draft,
        "r.pdf",
        files.minimal_pdf("lavoro penitenziario"),
        django_capture_on_commit_callbacks,
    )
    assert Attachment.objects.get(pk=attachment.pk).extraction_status == "pending"
    queued = DBTaskResult.objects.ready().get()
    # What `reti worker` does with the row: run the task with its stored arguments.
    queued.task.call(*queued.args_kwargs["args"], **queued.args_kwargs["kwargs"])
    assert "penitenziario" in Attachment.objects.get(pk=attachment.pk).extracted_text


def _files_under(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.mark.parametrize(
    "failure",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        PermissionError(errno.EACCES, "Permission denied"),
    ],
    ids=["disk-full", "media-unwritable"],
)
def test_a_full_or_unwritable_disk_refuses_the_upload_clearly_and_keeps_nothing(
    client, cast, draft, settings, monkeypatch, failure
):
    def write_half_then_fail(handle, content):
        handle.write(next(iter(content.chunks()))[:100])
        handle.flush()
        raise failure

    monkeypatch.setattr(WholeFileSystemStorage, "_write", staticmethod(write_half_then_fail))
    response = client.post(
        reverse("api:practice_attachments", args=[draft.pk]),
        {"file": SimpleUploadedFile("relazione.pdf", files.minimal_pdf("Relazione"))},
        headers=bearer(cast.toscana_officer),
    )
    assert response.status_code == 400
    (problem,) = response.json()["detail"]
    assert problem["field"] == "file"
    assert "spazio di archiviazione del sito è esaurito" in problem["message"]
    assert not Attachment.objects.exists()
    # No half file under its name, nor the temporary one beside it.
    assert _files_under(Path(settings.MEDIA_ROOT)) == []

    monkeypatch.undo()
    upload = SimpleUploadedFile("relazione.pdf", files.minimal_pdf("Relazione"))
    attachment = actions.add_attachment(cast.toscana_officer, draft, upload)
    assert _files_under(Path(settings.MEDIA_ROOT)) == [attachment.file.name]
