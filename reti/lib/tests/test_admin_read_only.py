"""Records only the system or the portal's actions write are shown read-only in the back office
(reti.lib.admin.ReadOnly): to those the app's permissions name, and to nobody else."""

import pytest
from django.urls import reverse

# (model's admin prefix, who reads it in the cast)
PAGES = [
    ("admin:accounts_erasure", "staff"),
    ("admin:monitoring_participantaccesslog", "staff"),
    ("admin:monitoring_importbatch", "staff"),
    ("admin:grids_assessment", "staff"),
]


@pytest.mark.parametrize(("prefix", "reader"), PAGES)
def test_the_reader_sees_the_list_and_nobody_adds(client, cast, prefix, reader):
    client.force_login(getattr(cast, reader))
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 200
    assert client.get(reverse(f"{prefix}_add")).status_code == 403


@pytest.mark.parametrize(("prefix", "reader"), PAGES)
def test_an_editor_does_not_see_them_and_anonymous_is_sent_to_sign_in(client, cast, prefix, reader):
    client.force_login(cast.toscana_officer)
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 403
    client.logout()
    assert client.get(reverse(f"{prefix}_changelist")).status_code == 302
