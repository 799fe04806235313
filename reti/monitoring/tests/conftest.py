"""Monitoring fixtures: the cast's interventions (Toscana's and Lazio's) and an auditor."""

from dataclasses import dataclass

import pytest
from django.utils import translation

from reti.browser_testing import browser, page, pytest_runtest_makereport  # noqa: F401

from . import factories as mf


@dataclass
class Monitoring:
    toscana_intervention: object  # owned by the cast's Toscana, region 09
    lazio_intervention: object  # owned by the cast's Lazio, region 12
    auditor: object  # holds monitoring.audit_participants


@pytest.fixture
def monitoring(cast):
    return Monitoring(
        toscana_intervention=mf.InterventionFactory(
            organisation=cast.toscana, region=mf.region("09", "Toscana"), code="TOS-001"
        ),
        lazio_intervention=mf.InterventionFactory(
            organisation=cast.lazio, region=mf.region("12", "Lazio"), code="LAZ-001"
        ),
        auditor=mf.auditor(),
    )


@pytest.fixture(autouse=True)
def _italian():
    # LocaleMiddleware leaves the language of the last request active: start each test in Italian.
    translation.activate("it")
    yield
    translation.activate("it")


@pytest.fixture(autouse=True)
def _snapshot_dir(settings, tmp_path):
    """Each test writes its analytics snapshot in a directory of its own."""
    settings.MONITORING_SNAPSHOT_DIR = tmp_path / "snapshot"
