"""`reti prepare-local` (what `make run` does first): every step once, in order, with progress."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reti.portal.management.commands import prepare_local
from reti.registry.tests import factories as f


@pytest.fixture
def steps(monkeypatch):
    """The commands prepare-local runs, recorded instead of run (each has its own tests)."""
    ran = []

    def record(name, *args, **options):
        ran.append((name, options.get("scale"), options.get("url")))

    monkeypatch.setattr(prepare_local, "call_command", record)
    return ran


def prepare(*args) -> str:
    out = StringIO()
    call_command("prepare_local", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_first_run_does_every_step_in_order_and_says_where_the_data_are(steps, settings):
    output = prepare("--url", "http://127.0.0.1:8080/it/admin/")
    assert [name for name, _, _ in steps] == [
        "migrate",
        "load_territories",
        "load_presentation",
        "load_indicators",
        "demo",
        "demo_user",
    ]
    assert ("demo", "small", None) in steps
    assert steps[-1][2] == "http://127.0.0.1:8080/it/admin/"
    assert f"Data in {settings.VAR_DIR}" in output
    for number in range(1, 7):
        assert f"[{number}/6]" in output
    assert "done in" in output and "Ready in" in output


@pytest.mark.django_db
def test_a_second_run_keeps_the_demo_data_unless_asked(steps):
    f.NetworkFactory(synthetic=True)
    output = prepare()
    assert "demo" not in [name for name, _, _ in steps]
    assert "already there (make reset starts afresh)" in output
    steps.clear()
    prepare("--fresh-demo")
    assert "demo" in [name for name, _, _ in steps]


@pytest.mark.django_db
def test_production_refuses(steps, settings):
    settings.LOCAL = False
    with pytest.raises(CommandError, match="local runs"):
        prepare()
    assert steps == []


def test_quicker_migrations_change_no_answer_and_put_everything_back():
    """The first migrate's two shortcuts (docs/benchmarks.md, "The first `make run`"): the
    registry answers as before, and the history receivers are back once it is over."""
    from django.apps import apps
    from django.db.models.signals import class_prepared

    before = list(class_prepared.receivers)
    targets = ("auth.User", "AUTH.USER", "registry.Organisation")
    plain = [apps.get_swappable_settings_name(target) for target in targets]
    assert plain == ["AUTH_USER_MODEL", "AUTH_USER_MODEL", None]
    with prepare_local.quicker_migrations():
        assert [apps.get_swappable_settings_name(target) for target in targets] == plain
        assert len(class_prepared.receivers) < len(before)
        apps.clear_cache()  # what each class of a migration state does to the shared memo
        assert [apps.get_swappable_settings_name(target) for target in targets] == plain
    assert "get_swappable_settings_name" not in vars(apps)
    assert {id(r) for _k, r, _a in class_prepared.receivers} == {id(r) for _k, r, _a in before}
