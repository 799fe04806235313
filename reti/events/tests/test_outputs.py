"""Outputs of an event: documents checked for what they are, peer-review points, follow-up."""

import io
import zipfile
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from reti.events import actions
from reti.events.models import Event, FollowUpItem, PeerReviewPoint
from reti.events.tests.factories import EventFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _docx(extra: dict | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
    return buffer.getvalue()


@pytest.fixture
def review(cast):
    return EventFactory(kind=Event.Kind.PEER_REVIEW, host=cast.toscana, network=cast.network)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_an_organiser_attaches_real_pdf_and_docx(review, cast, media):
    pdf = actions.add_document(
        cast.toscana_officer,
        review,
        kind="minutes",
        title="Verbale",
        file=SimpleUploadedFile("verbale.pdf", PDF),
    )
    docx = actions.add_document(
        cast.secretariat,
        review,
        kind="report",
        title="Rapporto",
        file=SimpleUploadedFile("rapporto.docx", _docx()),
    )
    assert pdf.size == len(PDF) and docx.file.name.endswith(".docx")
    assert pdf.history.get().history_user == cast.toscana_officer


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("finto.pdf", b"<html>not a pdf</html>", "non è un PDF valido"),
        ("finto.docx", PDF, "non è un DOCX valido"),
        ("rotto.docx", b"PK\x03\x04broken", "non è un DOCX valido"),
        ("script.exe", b"MZ", "Formato non ammesso"),
        ("immagine.png", PDF, "non è un PNG valido"),
    ],
)
def test_a_file_that_is_not_what_its_name_says_is_refused(
    review, cast, media, name, content, message
):
    with pytest.raises(ValidationError, match=message):
        actions.add_document(
            cast.toscana_officer,
            review,
            kind="other",
            title="X",
            file=SimpleUploadedFile(name, content),
        )
    assert not review.documents.exists()


def test_a_zip_bomb_inside_a_docx_is_refused(review, cast, media):
    bomb = _docx({"word/media/zeros.bin": b"\0" * (30 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    with pytest.raises(ValidationError, match="si espande in modo anomalo"):
        actions.add_document(
            cast.toscana_officer,
            review,
            kind="other",
            title="Bomba",
            file=SimpleUploadedFile("bomba.docx", bomb),
        )


def test_a_file_over_20_mb_is_refused(review, cast, media):
    big = SimpleUploadedFile("grande.pdf", PDF + b"0" * (20 * 1024 * 1024))
    with pytest.raises(ValidationError, match="20 MB"):
        actions.add_document(cast.toscana_officer, review, kind="other", title="Grande", file=big)


@pytest.mark.parametrize("who", ["lazio_officer", "viewer", "outsider", None])
def test_others_attach_nothing(review, cast, media, who):
    user = getattr(cast, who) if who else None
    with pytest.raises(PermissionDenied):
        actions.add_document(
            user, review, kind="other", title="X", file=SimpleUploadedFile("x.pdf", PDF)
        )


def test_questions_recommendations_and_follow_up_of_a_peer_review(review, cast):
    question = actions.save_review_point(
        cast.toscana_officer,
        PeerReviewPoint(event=review, kind="question", text="Come coinvolgere le imprese?"),
    )
    advice = actions.save_review_point(
        cast.secretariat,
        PeerReviewPoint(
            event=review, kind="recommendation", text="Un tavolo con le imprese.", answers=question
        ),
    )
    item = actions.save_follow_up(
        cast.secretariat,
        FollowUpItem(
            event=review,
            recommendation=advice,
            title="Convocare il tavolo",
            owner=cast.toscana_officer,
            due_date=date(2031, 3, 1),
        ),
    )
    assert list(question.recommendations.all()) == [advice]
    assert list(advice.follow_up.all()) == [item]


def test_review_points_belong_to_peer_reviews_only(visit, cast):
    with pytest.raises(ValidationError, match="peer review"):
        actions.save_review_point(
            cast.toscana_officer, PeerReviewPoint(event=visit, kind="question", text="?")
        )


def test_the_owner_updates_status_and_note_but_nothing_else(review, cast):
    item = actions.save_follow_up(
        cast.secretariat,
        FollowUpItem(
            event=review,
            title="Convocare il tavolo",
            owner=cast.lazio_officer,
            due_date=date(2031, 3, 1),
        ),
    )
    item.status, item.note = FollowUpItem.Status.DONE, "Fatto il 2 marzo."
    actions.save_follow_up(cast.lazio_officer, item)
    item.refresh_from_db()
    assert item.status == FollowUpItem.Status.DONE
    assert item.history.first().history_user == cast.lazio_officer
    item.due_date = date(2032, 1, 1)
    with pytest.raises(PermissionDenied):
        actions.save_follow_up(cast.lazio_officer, item)
    item.refresh_from_db()
    item.status = FollowUpItem.Status.OPEN
    for user in (cast.viewer, cast.outsider, None):
        with pytest.raises(PermissionDenied):
            actions.save_follow_up(user, item)


@pytest.mark.parametrize("who", ["lazio_officer", "viewer", "outsider", None])
def test_others_add_no_follow_up(review, cast, who):
    user = getattr(cast, who) if who else None
    with pytest.raises(PermissionDenied):
        actions.save_follow_up(
            user, FollowUpItem(event=review, title="X", owner=cast.staff, due_date=date(2031, 1, 1))
        )
