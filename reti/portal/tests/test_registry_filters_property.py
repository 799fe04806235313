"""Any filter values on the networks' and projects' lists and downloads: never a server error
(quotes, SQL fragments, emoji, NUL bytes, which PostgreSQL refuses in text)."""

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reti.registry.tests import factories as f

pytestmark = pytest.mark.django_db

ODD = st.sampled_from(
    ["2007-2013", "09", "FSE", "active", "eu_learning", "' OR 1=1 --", '"', "\x00", "😀", "%", " "]
)
VALUE = st.one_of(st.none(), ODD, st.text(max_size=40))
NAMES = ["period", "theme", "status", "scope", "fund", "territory", "kind", "network", "after"]
# The lists, and a download of one (the list's own URL with ?format=).
LISTS = [("portal:network_list", ""), ("portal:project_list", ""), ("portal:project_list", "csv")]


@pytest.mark.parametrize(("name", "fmt"), LISTS)
def test_odd_filters_never_cause_a_server_error(client, name, fmt):
    f.ProjectFactory.create_batch(2)
    with translation.override("it"):
        target = reverse(name)

    @settings(
        max_examples=40,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(params=st.dictionaries(st.sampled_from([*NAMES, "colour"]), VALUE, max_size=4))
    def check(params):
        query = {k: v for k, v in params.items() if v is not None}
        if fmt:
            query["format"] = fmt
        response = client.get(target, query)
        assert response.status_code in (200, 400), (query, response.status_code)
        if fmt and response.status_code == 200:
            b"".join(response.streaming_content)

    check()
