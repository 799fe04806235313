"""The audit helper: who acted and why reach the trail, in the language of whoever reads it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import translation
from django.utils.translation import gettext_lazy

from reti.lib import audit
from reti.registry.models import Organisation

pytestmark = pytest.mark.django_db


def _latest(organisation: Organisation):
    return organisation.history.order_by("-history_id").first()


def test_a_save_records_the_acting_user_and_the_reason(cast):
    organisation = Organisation(name_it="Cooperativa Aurora", kind=cast.toscana.kind)
    audit.save(organisation, cast.toscana_officer, "back office")
    entry = _latest(organisation)
    assert (entry.history_type, entry.history_user) == ("+", cast.toscana_officer)
    assert entry.history_change_reason == "back office"


@pytest.mark.parametrize("who", ["anonymous", "nobody"])
def test_a_change_by_someone_not_signed_in_is_not_put_on_the_previous_actor(cast, who):
    organisation = cast.toscana
    audit.save(organisation, cast.staff, "back office")
    organisation.acronym = "RT"
    audit.save(organisation, AnonymousUser() if who == "anonymous" else None)
    entry = _latest(organisation)
    # The same instance was stamped by staff a moment ago: the new row is nobody's.
    assert entry.history_user is None
    assert entry.history_change_reason is None


def test_a_delete_keeps_who_deleted_and_why(cast):
    organisation = Organisation.objects.create(name_it="Da eliminare", kind=cast.toscana.kind)
    pk = organisation.pk
    audit.delete(organisation, cast.staff, "doppione")
    entry = Organisation.history.filter(id=pk).order_by("-history_id").first()
    assert (entry.history_type, entry.history_user, entry.history_change_reason) == (
        "-",
        cast.staff,
        "doppione",
    )


def test_an_invalid_record_is_not_saved(cast):
    organisation = Organisation(name_it="", kind=cast.toscana.kind)
    with pytest.raises(Exception) as error:
        audit.save(organisation, cast.staff)
    assert "name_it" in error.value.message_dict
    assert organisation.pk is None


def test_a_translated_reason_is_refused(cast):
    # It would be stored in whatever language the actor's page was in.
    with pytest.raises(TypeError):
        audit.stamp(cast.toscana, cast.staff, gettext_lazy("Modifica"))


def test_a_reason_reads_in_the_readers_language_with_its_detail_as_written():
    stored = audit.reason("Validata", "  Pratica completa.  ")
    assert stored == "Validata: Pratica completa."
    with translation.override("it"):
        assert audit.describe(stored) == "Validata: Pratica completa."
    with translation.override("en"):
        assert audit.describe(stored) == "Validated: Pratica completa."
        assert audit.describe("iscrizione") == "registration"
        # Reasons outside the catalogue (older rows, a loader's name) are shown as stored.
        assert audit.describe("load-presentation") == "load-presentation"
        assert audit.describe(None) == ""


def test_only_the_helper_stamps_the_trail():
    """A module setting simple-history's attributes itself would bypass the reason rule."""
    from pathlib import Path

    import reti

    root = Path(reti.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "tests" not in path.parts
        and path != root / "lib" / "audit.py"
        and any(name in path.read_text() for name in ("._change_reason", "._history_user"))
    ]
    assert offenders == []
