# The monitoring fixtures (the cast's interventions, a snapshot directory per test, Italian
# first, a snapshot with cells to hide): the indicators dataset is read from a snapshot
# written in the test.
import pytest

from reti.monitoring.tests.conftest import _italian, _snapshot_dir, monitoring  # noqa: F401
from reti.monitoring.tests.test_analytics_disclosure_pages import three_regions  # noqa: F401

from .test_packages import published_data  # noqa: F401


@pytest.fixture(autouse=True)
def _dump_dir(settings, tmp_path):
    """Each test publishes its dumps in a directory of its own (never the site's var/)."""
    settings.OPENDATA_DUMP_DIR = tmp_path / "dumps"
    return settings.OPENDATA_DUMP_DIR
