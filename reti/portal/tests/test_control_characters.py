"""The site's lists and forms take no control characters: NUL never reaches PostgreSQL."""

import pytest
from django.urls import reverse

from reti.communities.models import Community, Member

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "param"),
    [
        ("portal:organisation_list", "q"),
        ("portal:organisation_list", "territory"),
        ("portal:organisation_list", "kind"),
        ("portal:network_list", "theme"),
        ("portal:project_list", "territory"),
        ("knowledge:practice_list", "theme"),
        ("events:list", "network"),
        ("portal:search", "q"),
        ("portal:graph", "period"),
        ("events:calendar", "month"),
    ],
)
def test_a_list_shows_back_a_filter_with_a_nul_instead_of_failing(client, cast, name, param):
    response = client.get(reverse(name), {param: "a\x00b"})

    assert response.status_code == 200


def test_a_thread_with_a_nul_in_its_title_is_refused_on_the_field(client, cast):
    community = Community.objects.create(slug="cdp-rsi", name_it="RSI", is_public=True)
    Member.objects.create(community=community, user=cast.toscana_officer)
    client.force_login(cast.toscana_officer)

    response = client.post(
        reverse("communities:detail", args=[community.slug]),
        {"title": "Premio\x1bRSI", "body": "Chi viene?\nIo."},
    )

    assert response.status_code == 400  # the form shown again, with its errors
    assert "title" in response.context["form"].errors
    assert not community.threads.exists()
