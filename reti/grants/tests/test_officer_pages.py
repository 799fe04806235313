"""The officer's pages (a call's applications, the istruttoria) and the applicant's side of
the soccorso istruttorio, with the cast: who sees what, wrong methods, filters, downloads."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from reti.grants import actions
from reti.grants.models import (
    Admissibility,
    AdmissibilityCheck,
    Application,
    DocumentRequest,
    Receipt,
)
from reti.registry.models import Organisation
from reti.registry.tests import factories as f

from . import factories as gf

pytestmark = pytest.mark.django_db
_numbers = itertools.count(100)


def _url(name, *args, language="it"):
    with translation.override(language):
        return reverse(name, args=args)


def many_submitted(call, count, *, line=None, territory=None, kind=None):
    """`count` submitted applications with receipts, made directly (list tests only)."""
    made = []
    for _ in range(count):
        n = next(_numbers)
        organisation = f.OrganisationFactory(
            name_it=f"Ente numero {n} (prova)",
            kind=kind or Organisation.Kind.THIRD_SECTOR,
            tax_code=gf.tax_code(),
        )
        application = Application.objects.create(
            call=call,
            organisation=organisation,
            created_by=f.UserFactory(),
            title=f"Progetto {n}",
            status=Application.Status.SUBMITTED,
            submitted_at=timezone.now() - datetime.timedelta(minutes=n),
            line=line,
            territory=territory,
            applicant_type=organisation.kind,
            requested_amount=Decimal(5000 + n),
            cofinancing_amount=Decimal(1000),
        )
        Receipt.objects.create(
            application=application,
            series=call.code,
            year=2026,
            sequence=n,
            protocol_number=f"{call.code.upper()}/2026/{n:06d}",
            submitted_at=application.submitted_at,
            content="{}",
            content_sha256="0" * 64,
        )
        made.append(application)
    return made


def test_the_list_is_for_the_calls_officers_only(
    client, grants, submitted_a, cast, other_officer, evaluator
):
    url = _url("grants:officer_applications", grants.call.code)
    response = client.get(url)
    assert response.status_code == 302 and "accedi" in response["Location"]
    for intruder in (
        grants.applicant_a,
        grants.applicant_b,
        other_officer,
        evaluator,
        cast.secretariat,
        cast.outsider,
    ):
        client.force_login(intruder)
        assert client.get(url).status_code == 404
        assert client.get(url + "?format=csv").status_code == 404
    for officer in (grants.officer, cast.staff):
        client.force_login(officer)
        response = client.get(url)
        assert response.status_code == 200
        assert submitted_a.receipt.protocol_number in response.text
    assert client.post(url).status_code == 405


def test_filters_sorting_search_and_pages(client, grants, submitted_a, submitted_b):
    place = f.TerritoryFactory(code="048", name_it="Firenze", level="province")
    town = f.TerritoryFactory(
        code="048017", name_it="Firenze (comune)", parent=place, level="municipality"
    )
    other_line = gf.LineFactory(call=grants.call, code="L2")
    rows = many_submitted(grants.call, 30, line=other_line, territory=town)
    Application.objects.filter(pk=submitted_b.pk).update(territory=None)
    Admissibility.objects.create(application=rows[0], outcome="admitted")
    client.force_login(grants.officer)
    url = _url("grants:officer_applications", grants.call.code)

    first = client.get(url)
    assert "32 domande" in first.text
    assert first.text.count('<tr data-id="') == 25
    following = client.get(first.context["page"].links["next"])
    assert following.text.count('<tr data-id="') == 7

    def ids(query):
        response = client.get(f"{url}?{query}")
        assert response.status_code == 200, query
        return [row.pk for row in response.context["page"].rows], response

    assert ids("line=L2")[1].context["count"] == 30
    assert ids("territory=048")[1].context["count"] == 30  # a province chooses its towns
    assert ids("outcome=admitted")[0] == [rows[0].pk]
    assert ids("outcome=pending")[1].context["count"] == 31
    assert ids("applicant_type=social_coop_a")[0] == [submitted_b.pk]
    assert ids(f"q={submitted_a.receipt.protocol_number}")[0] == [submitted_a.pk]
    assert ids("q=cooperativa b")[0] == [submitted_b.pk]
    by_amount, _ = ids("sort=-requested")
    # 8,000 euro each (ties by id), then the largest of the others
    assert by_amount[:3] == [submitted_a.pk, submitted_b.pk, rows[-1].pk]
    unknown, response = ids("line=L9&outcome=admitted")
    assert unknown == [rows[0].pk]  # the unknown line is reported and not applied
    assert "line=L9" in response.text
    assert client.get(f"{url}?line=L9&format=csv").status_code == 400


def test_requests_filter_and_download(client, grants, submitted_a, submitted_b, after_deadline):
    actions.request_document(
        grants.officer,
        submitted_a,
        "Statuto firmato",
        after_deadline["now"] + datetime.timedelta(days=3),
    )
    client.force_login(grants.officer)
    url = _url("grants:officer_applications", grants.call.code)
    response = client.get(f"{url}?requests=open")
    assert [a.pk for a in response.context["page"].rows] == [submitted_a.pk]
    response = client.get(f"{url}?requests=none")
    assert [a.pk for a in response.context["page"].rows] == [submitted_b.pk]
    download = client.get(f"{url}?requests=open&format=csv")
    assert download.status_code == 200
    text = b"".join(download.streaming_content).decode("utf-8-sig")
    assert submitted_a.receipt.protocol_number in text
    assert submitted_b.receipt.protocol_number not in text
    assert "richieste_aperte" in text.splitlines()[0]
    xlsx = client.get(f"{url}?format=xlsx")
    assert xlsx.status_code == 200 and xlsx["Content-Type"].startswith("application/vnd")


def test_the_list_reads_a_fixed_number_of_queries(client, grants, django_assert_max_num_queries):
    many_submitted(grants.call, 3)
    client.force_login(grants.officer)
    url = _url("grants:officer_applications", grants.call.code)
    client.get(url)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    many_submitted(grants.call, 40, line=grants.line)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.text.count('<tr data-id="') == 25


def test_the_review_page_for_the_calls_officers_only(
    client, grants, submitted_a, cast, other_officer, evaluator, after_deadline
):
    url = _url("grants:officer_application", submitted_a.pk)
    assert client.get(url).status_code == 302
    for intruder in (
        grants.applicant_a,
        grants.applicant_b,
        other_officer,
        evaluator,
        cast.secretariat,
        cast.outsider,
    ):
        client.force_login(intruder)
        assert client.get(url).status_code == 404
        for name in ("officer_checks", "officer_decide", "officer_request"):
            response = client.post(
                _url(f"grants:{name}", submitted_a.pk),
                {"outcome": "not_admissible", "reasons": "No", "text": "x"},
            )
            assert response.status_code == 404
    assert not Admissibility.objects.exists() and not DocumentRequest.objects.exists()
    client.force_login(grants.officer)
    response = client.get(url)
    assert response.status_code == 200
    assert "DOC-ATTACHMENTS" in response.text  # the checklist, not yet stored
    assert not Admissibility.objects.exists()  # a GET writes nothing
    for name in ("officer_checks", "officer_decide", "officer_request"):
        assert client.get(_url(f"grants:{name}", submitted_a.pk)).status_code == 405


def test_the_officer_records_asks_and_decides(client, grants, submitted_a, after_deadline):
    client.force_login(grants.officer)
    data = {f"result-{code}": "met" for code in ("DOC-ATTACHMENTS", "DOC-GRANT")}
    response = client.post(_url("grants:officer_checks", submitted_a.pk), data)
    assert response.status_code == 302
    assert AdmissibilityCheck.objects.filter(result="met").count() == 2

    deadline = timezone.localtime(after_deadline["now"] + datetime.timedelta(days=5))
    response = client.post(
        _url("grants:officer_request", submitted_a.pk),
        {"text": "Inviare il bilancio.", "deadline": deadline.strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 302
    asked = DocumentRequest.objects.get()
    assert asked.deadline == deadline.replace(second=0, microsecond=0)

    response = client.post(
        _url("grants:officer_decide", submitted_a.pk), {"outcome": "admitted", "reasons": ""}
    )
    assert response.status_code == 400
    assert "senza risposta" in response.text or "soddisfatta" in response.text
    assert Admissibility.objects.get().outcome == "pending"


def test_the_applicant_answers_on_the_application_page(
    client, grants, submitted_a, after_deadline, pdf, cast
):
    asked = actions.request_document(
        grants.officer,
        submitted_a,
        "Inviare lo statuto.",
        after_deadline["now"] + datetime.timedelta(days=2),
    )
    page = _url("grants:application_detail", submitted_a.pk)
    answer = _url("grants:document_request_answer", asked.pk)
    client.force_login(grants.applicant_b)
    assert client.get(page).status_code == 404
    assert client.post(answer, {"answer_text": "Mio"}).status_code == 404
    client.force_login(grants.applicant_a)
    response = client.get(page)
    assert "Inviare lo statuto." in response.text and 'class="answer-form"' in response.text
    assert client.get(answer).status_code == 405
    response = client.post(
        answer, {"answer_text": "Eccolo.", "answer_file": pdf("statuto-firmato.pdf")}
    )
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == "answered" and asked.answer_name == "statuto-firmato.pdf"

    download = _url("grants:document_request_file", asked.pk)
    for allowed in (grants.applicant_a, grants.officer, cast.staff):
        client.force_login(allowed)
        assert client.get(download).status_code == 200
    for intruder in (grants.applicant_b, cast.secretariat, cast.outsider):
        client.force_login(intruder)
        assert client.get(download).status_code == 404
    client.logout()
    assert client.get(download).status_code == 302


def test_a_late_answer_is_told_why(client, grants, submitted_a, after_deadline):
    deadline = after_deadline["now"] + datetime.timedelta(days=2)
    asked = actions.request_document(grants.officer, submitted_a, "Chiarire.", deadline)
    after_deadline["now"] = deadline + datetime.timedelta(minutes=1)
    client.force_login(grants.applicant_a)
    response = client.post(
        _url("grants:document_request_answer", asked.pk), {"answer_text": "Tardi"}, follow=True
    )
    assert "Il termine per rispondere è scaduto" in response.text
    assert 'class="answer-form"' not in response.text
    asked.refresh_from_db()
    assert asked.answer_text == "" and asked.status == "open"
