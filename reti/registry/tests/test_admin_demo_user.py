"""`reti demo-user`: an idempotent synthetic login for local runs, refused elsewhere."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db


def run(**options) -> str:
    out = io.StringIO()
    call_command("demo_user", stdout=out, **options)
    return out.getvalue()


@pytest.fixture
def local(settings, tmp_path):
    settings.LOCAL = True
    settings.VAR_DIR = tmp_path
    return settings


def test_creates_a_staff_login_that_opens_the_back_office(local, client, monkeypatch):
    monkeypatch.setenv("RETI_DEMO_PASSWORD", "una-password-di-prova")
    output = run()
    assert "username: demo" in output
    assert "password: una-password-di-prova" in output
    assert client.login(username="demo", password="una-password-di-prova")
    assert client.get(reverse("admin:index")).status_code == 200


def test_generated_password_is_kept_and_second_run_changes_nothing(local, monkeypatch):
    monkeypatch.delenv("RETI_DEMO_PASSWORD", raising=False)
    first = run()
    second = run()
    password = (local.VAR_DIR / "demo_password").read_text().strip()
    assert f"password: {password}" in first
    assert f"password: {password}" in second
    assert get_user_model().objects.filter(username="demo").count() == 1
    assert get_user_model().objects.get(username="demo").check_password(password)


def test_refused_outside_local_runs(settings):
    settings.LOCAL = False
    with pytest.raises(CommandError):
        run()
    assert not get_user_model().objects.filter(username="demo").exists()


def test_the_demos_role_accounts_take_the_password_and_a_second_factor(local, monkeypatch, cast):
    from reti.accounts import twofactor
    from reti.accounts.models import Membership
    from reti.grants.demo_evaluated import LOGINS

    monkeypatch.setenv("RETI_DEMO_PASSWORD", "una-password-di-prova")
    users = {u: get_user_model().objects.create(username=u) for u, _role in LOGINS}
    officer = users["demo-bandi-0"]
    Membership.objects.create(user=officer, organisation=cast.toscana, role="editor")
    output = run()
    for username, role in LOGINS:
        assert f"{username} ({role}), same password" in output
        assert (
            get_user_model().objects.get(username=username).check_password("una-password-di-prova")
        )
    # The officer handles participant data and payments: enrolled, with one-time codes printed.
    assert twofactor.is_enrolled(officer)
    block = output.split("demo-bandi-0 (")[1].split("\n  demo-bandi-")[0]
    code = block.split("one-time codes: ")[1].split(",")[0].strip()
    assert twofactor.check_code(officer, code) is not None
    assert twofactor.check_code(officer, code) is None  # used up
