"""Fixtures of the knowledge tests: files in a temporary media folder, tasks run at once,
and practices of the cast (led by Toscana, in the network whose secretariat is Trento)."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from reti.browser_testing import browser, page, pytest_runtest_makereport  # noqa: F401
from reti.knowledge.models import GoodPractice
from reti.registry.tests.conftest import *  # noqa: F403 (territories, presentation)

from .factories import PracticeFactory
from .files import minimal_pdf


@pytest.fixture(autouse=True)
def _fresh_cache_and_italian():
    # The catalogue caches facet counts; the language a request activated stays active.
    cache.clear()
    with translation.override("it"):
        yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_and_tasks(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def draft(cast):
    """A draft of Toscana's, in the cast's network."""
    return PracticeFactory(
        title_it="Inserimento lavorativo in cooperativa",
        lead_organisation=cast.toscana,
        network=cast.network,
    )


@pytest.fixture
def submitted(draft):
    GoodPractice.objects.filter(pk=draft.pk).update(
        state=GoodPractice.State.SUBMITTED, submitted_at=timezone.now()
    )
    draft.refresh_from_db()
    return draft


@pytest.fixture
def validated(submitted):
    GoodPractice.objects.filter(pk=submitted.pk).update(
        state=GoodPractice.State.VALIDATED, validated_at=timezone.now()
    )
    submitted.refresh_from_db()
    return submitted


@pytest.fixture
def published(validated):
    GoodPractice.objects.filter(pk=validated.pk).update(
        state=GoodPractice.State.PUBLISHED, published_at=timezone.now()
    )
    validated.refresh_from_db()
    return validated


@pytest.fixture
def pdf_upload():
    def make(text="Relazione finale", name="relazione.pdf"):
        return SimpleUploadedFile(name, minimal_pdf(text), content_type="application/pdf")

    return make
