"""The one list pattern (reti/lib/lists.py): what a user sees when a list reads its URL, pages
through it, downloads it, or follows an old bookmark."""

import csv
import io
import json

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.urls import reverse

from reti.lib import lists
from reti.registry.models import Organisation
from reti.registry.tests import factories as f


class Filters(lists.FilterForm):
    kind = forms.ChoiceField(required=False, choices=[("region", ""), ("ministry", "")])
    territory = lists.code()
    q = forms.CharField(required=False, min_length=2)


def bound(query: str) -> Filters:
    return Filters(QueryDict(query))


def test_the_form_reports_everything_it_did_not_apply():
    form = bound("kind=castle&colour=blue&q=a&territory=09&territory=10&after=x&format=csv")
    assert form.applied == {}
    assert form.not_understood == [
        ("kind", "castle"),
        ("colour", "blue"),
        ("q", "a"),
        ("territory", "09"),
        ("territory", "10"),
        ("after", "x"),
    ]
    assert "Filtro non riconosciuto, non applicato: colour=blue" in form.problems


def test_the_form_applies_what_it_understands_and_ignores_empty_values():
    form = bound("kind=region&q=&territory=09&after=12")
    assert form.applied == {"kind": "region", "territory": "09"}
    assert form.not_understood == []
    assert form.after == 12 and form.before is None
    assert form.query(after=None) == "kind=region&territory=09"


@pytest.mark.parametrize("value", ["\x00", "09\x00", "x" * 500, "\u202e09"])
def test_odd_values_are_reported_not_applied(value):
    params = QueryDict(mutable=True)
    params["territory"] = value
    form = Filters(params)
    assert form.applied == {}
    assert [name for name, _value in form.not_understood] == ["territory"]


def test_a_code_the_query_does_not_know_is_reported_and_the_rest_applied():
    def query(queryset, kind=None, territory=None, q=None):
        if territory == "ZZ":
            raise ValidationError({"territory": "unknown"})
        return [kind, territory]

    form = bound("kind=region&territory=ZZ")
    assert form.filter(None, query) == ["region", None]
    assert form.applied == {"kind": "region"}
    assert form.not_understood == [("territory", "ZZ")]


@pytest.mark.django_db
def test_keyset_pages_cover_a_list_with_ties_once_forward_and_back():
    for n in range(23):
        f.OrganisationFactory(name_it=f"Ente {n % 7}")
    queryset = Organisation.objects.filter(name_it__startswith="Ente ")
    expected = list(queryset.order_by("name_it", "pk").values_list("pk", flat=True))
    form = bound("")
    pages, after = [], None
    while True:
        page = lists.keyset(queryset, 5, ("name_it", "pk"), after=after, before=None)
        pages.append([row.pk for row in page.rows])
        if page.next_after is None:
            break
        after = page.next_after
    assert [pk for rows in pages for pk in rows] == expected
    assert [len(rows) for rows in pages] == [5, 5, 5, 5, 3]
    back, before = [], pages[-1][0]
    while before is not None:
        page = lists.keyset(queryset, 5, ("name_it", "pk"), after=None, before=before)
        back.append([row.pk for row in page.rows])
        before = page.previous_before
    assert back == pages[-2::-1]
    assert page.first and not form.not_understood


def test_ranked_lists_page_by_the_same_cursor():
    ids = [40, 7, 19, 3, 88]
    first = lists.keyset_of_ids(ids, 2, list, after=None, before=None)
    assert first.rows == [40, 7] and first.next_after == 7 and first.first
    second = lists.keyset_of_ids(ids, 2, list, after=7, before=None)
    assert second.rows == [19, 3] and second.previous_before == 19
    last = lists.keyset_of_ids(ids, 2, list, after=3, before=None)
    assert last.rows == [88] and last.next_after is None
    again = lists.keyset_of_ids(ids, 2, list, after=None, before=19)
    assert again.rows == [40, 7] and again.first


# Every portal list: the URL, and an old parameter with the new URL it must redirect to.
OLD_BOOKMARKS = [
    ("portal:network_list", "tema=x&pagina=3&formato=csv", "theme=x&format=csv"),
    ("portal:project_list", "regione=09&periodo=2007-2013", "territory=09&period=2007-2013"),
    ("portal:organisation_list", "region=09&dopo=12", "territory=09&after=12"),
    ("knowledge:practice_list", "destinatari=neet&rete=x", "target_group=neet&network=x"),
    ("knowledge:outcomes", "rete=exocoop", "network=exocoop"),
    ("events:list", "tema=x&page=2", "theme=x"),
    ("events:calendar", "mese=2026-01", "month=2026-01"),
    ("communities:list", "page=2", ""),
    ("portal:search", "q=rete&pagina=2", "q=rete"),
    ("portal:graph", "periodo=2007-2013&tema=x", "period=2007-2013&theme=x"),
    ("portal:timeline", "formato=json", "format=json"),
    (
        "monitoring:intervention_list",
        "regione=09&strumento=ordinary_call&pagina=3&formato=csv",
        "region=09&instrument=ordinary_call&format=csv",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "old", "new"), OLD_BOOKMARKS)
def test_old_parameter_names_answer_a_permanent_redirect(client, name, old, new):
    path = reverse(name)
    response = client.get(f"{path}?{old}")
    assert response.status_code == 301
    assert response["Location"] == (f"{path}?{new}" if new else path)


# The lists that had no download before, and a column each must hold.
NEW_DOWNLOADS = [
    ("knowledge:practice_list", "titolo"),
    ("knowledge:outcomes", "fase"),
    ("events:list", "inizio"),
    ("communities:list", "membri"),
    ("portal:timeline", "periodo"),
    ("portal:search", "titolo"),
    ("monitoring:intervention_list", "ente_titolare"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "column"), NEW_DOWNLOADS)
def test_lists_without_a_download_now_have_one_in_every_format(client, name, column):
    path = reverse(name)
    csv_it = client.get(
        path, {"format": "csv", "q": "rete"} if "search" in name else {"format": "csv"}
    )
    assert csv_it.status_code == 200
    body = b"".join(csv_it.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # Excel reads UTF-8 only with a BOM
    header = body.decode("utf-8-sig").splitlines()[0].split(";")
    assert column in header
    data = client.get(
        path, {"format": "json", "when": "all"} if "events" in name else {"format": "json"}
    )
    assert "righe" in json.loads(b"".join(data.streaming_content))
    xlsx = client.get(path, {"format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get(path, {"format": "csv", "colour": "blue"}).status_code == 400


@pytest.mark.django_db
def test_the_organisations_download_holds_every_filtered_row_for_italian_excel(client):
    """It used to hold the 50 rows of the page, with English headers and no BOM."""
    tuscany = f.TerritoryFactory(code="77", name_it="Regione di prova")
    for n in range(60):
        f.OrganisationFactory(name_it=f"Ente {n:02d}", territory=tuscany)
    f.OrganisationFactory(name_it="Ente altrove")
    listed = reverse("portal:organisation_list")
    page = client.get(listed, {"territory": "77"}).content.decode()
    assert 'rel="next"' in page  # the page shows a part of them
    response = client.get(listed, {"territory": "77", "format": "csv"})
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert [row["nome"] for row in rows] == [f"Ente {n:02d}" for n in range(60)]
