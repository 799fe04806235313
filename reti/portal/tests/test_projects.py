"""The projects' list (filters, keyset pages, downloads) and a project's page."""

import json
import re

import pytest
from django.urls import reverse
from django.utils import translation

from reti.lib.tests import downloads
from reti.portal.projects import PAGE_SIZE
from reti.registry.models import Project
from reti.registry.tests import factories as f
from reti.registry.tests.conftest import *  # noqa: F403

pytestmark = pytest.mark.django_db


def url(name: str, *args, language: str = "it") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def listed_ids(page: str) -> list[int]:
    table = (
        page.split('id="project-table"')[1].split("</table>")[0] if "project-table" in page else ""
    )
    return [int(pk) for pk in re.findall(r'<tr data-id="(\d+)"', table)]


def test_penal_execution_project_shows_declared_and_known_partners(client, presentation):
    project = Project.objects.get(key="esecuzione-penale")
    response = client.get(url("portal:project_detail", project.pk))
    assert response.status_code == 200
    page = response.content.decode()
    count = page.split('id="partner-count">')[1].split("</p>")[0]
    assert count == "15 partner dichiarati, 1 noto"
    partners = page.split('id="partners"')[1].split("</section>")[0]
    assert "Dipartimento dell&#x27;Amministrazione Penitenziaria" in partners
    assert "(DAP)" in partners
    assert "14 Regioni italiane" in partners
    actions = page.split('id="actions"')[1].split("</section>")[0]
    assert actions.index("Nei territori") < actions.index("Interregionale e interistituzionale")
    assert "Monitoraggio e valutazione degli interventi" in actions
    assert url("portal:network_detail", "exocoop") in page
    assert "slide 6,10,11" in page or "slide 6, 10, 11" in page
    assert reverse("portal:record_history", kwargs={"kind": "progetti", "pk": project.pk}) in page


def test_small_grants_project_shows_partner_contribution_and_results(client, presentation):
    project = Project.objects.get(key="sg-piccoli-sussidi")
    page = client.get(url("portal:project_detail", project.pk)).content.decode()
    assert "12 partner dichiarati, 1 noto" in page
    assert "Concentrazione degli interventi sui più svantaggiati" in page
    assert "Sviluppo locale attraverso l&#x27;economia sociale" in page
    assert "2000-2006" in page


def test_english_project_page(client, presentation):
    project = Project.objects.get(key="esecuzione-penale")
    page = client.get(url("portal:project_detail", project.pk, language="en")).content.decode()
    assert "Interventions to improve the services for the social and labour inclusion" in page
    assert "15 declared partners, 1 known" in page
    assert "Department of Penitentiary Administration" in page


def test_project_page_in_few_queries(client, presentation, django_assert_max_num_queries):
    project = Project.objects.get(key="oltre-il-confine")
    with django_assert_max_num_queries(7):
        page = client.get(url("portal:project_detail", project.pk)).content.decode()
    assert "14 partner dichiarati, 3 noti" in page


def test_unknown_project_is_404(client, presentation):
    assert client.get(url("portal:project_detail", 987654321)).status_code == 404


def test_period_filter_narrows_the_list(client, presentation):
    everything = listed_ids(client.get(url("portal:project_list")).content.decode())
    assert len(everything) == 3
    page = client.get(url("portal:project_list"), {"period": "2007-2013"}).content.decode()
    keys = set(Project.objects.filter(pk__in=listed_ids(page)).values_list("key", flat=True))
    assert keys == {"oltre-il-confine", "esecuzione-penale"}


def test_region_filter_goes_through_partners_territories(client, presentation):
    page = client.get(url("portal:project_list"), {"territory": "09"}).content.decode()
    assert listed_ids(page) == [Project.objects.get(key="sg-piccoli-sussidi").pk]


def test_csv_rows_equal_the_list_rows(client, presentation):
    query = {"period": "2007-2013", "fund": "FSE"}
    shown = listed_ids(client.get(url("portal:project_list"), query).content.decode())
    response = client.get(url("portal:project_list"), {**query, "format": "csv"})
    assert response["Content-Disposition"] == 'attachment; filename="progetti.csv"'
    rows = downloads.csv_rows(response)
    assert [int(row["id"]) for row in rows] == shown
    assert {row["periodo"] for row in rows} == {"2007-2013"}
    penal = next(row for row in rows if row["partner_dichiarati"] == "15")
    assert penal["titolo"].startswith("Interventi per il miglioramento dei servizi")
    assert penal["fonte"].endswith("slide 6,10,11")


def test_json_download_follows_the_filters(client, presentation):
    response = client.get(url("portal:project_list"), {"kind": "agreement", "format": "json"})
    data = json.loads(b"".join(response.streaming_content))
    assert data["filtri"] == {"kind": "agreement"}
    assert [row["titolo"] for row in data["righe"]] == ["Oltre il Confine"]


def test_unknown_filters_are_shown_back_and_not_applied(client, presentation):
    page = client.get(
        url("portal:project_list"), {"period": "2007-2013", "fund": "XYZ", "colore": "09"}
    ).content.decode()
    alert = page.split('id="unrecognised-filters"')[1].split("</div>")[0]
    assert "fund=XYZ" in alert and "colore=09" in alert
    assert "period" not in alert
    assert len(listed_ids(page)) == 2
    csv_link = f"{url('portal:project_list')}?period=2007-2013&amp;format=csv"
    assert f'href="{csv_link}"' in page


def test_network_filter_from_a_network_page(client, presentation):
    page = client.get(url("portal:project_list"), {"network": "exocoop"}).content.decode()
    assert listed_ids(page) == [Project.objects.get(key="esecuzione-penale").pk]


def test_keyset_pages_walk_forward_and_back(client, django_assert_max_num_queries):
    f.ProjectFactory.create_batch(2 * PAGE_SIZE + 20)
    # The module's presentation projects may be there too: page through whatever exists.
    newest_first = list(Project.objects.order_by("-pk").values_list("pk", flat=True))
    first = client.get(url("portal:project_list")).content.decode()
    assert listed_ids(first) == newest_first[:PAGE_SIZE]
    assert 'rel="prev"' not in first
    next_href = (
        re.search(r'rel="next" href="[^"?]*\?([^"]+)"', first).group(1).replace("&amp;", "&")
    )
    with django_assert_max_num_queries(8):
        second = client.get(f"{url('portal:project_list')}?{next_href}").content.decode()
    assert listed_ids(second) == newest_first[PAGE_SIZE : 2 * PAGE_SIZE]
    prev_href = (
        re.search(r'rel="prev" href="[^"?]*\?([^"]+)"', second).group(1).replace("&amp;", "&")
    )
    back = client.get(f"{url('portal:project_list')}?{prev_href}").content.decode()
    assert listed_ids(back) == newest_first[:PAGE_SIZE]
    assert 'rel="prev"' not in back
    last_href = (
        re.search(r'rel="next" href="[^"?]*\?([^"]+)"', second).group(1).replace("&amp;", "&")
    )
    last = client.get(f"{url('portal:project_list')}?{last_href}").content.decode()
    assert listed_ids(last) == newest_first[2 * PAGE_SIZE :]
    assert 'rel="next"' not in last
