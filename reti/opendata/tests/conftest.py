# The monitoring fixtures (the cast's interventions, a snapshot directory per test, Italian
# first, a snapshot with cells to hide): the indicators dataset is read from a snapshot
# written in the test.
from reti.monitoring.tests.conftest import _italian, _snapshot_dir, monitoring  # noqa: F401
from reti.monitoring.tests.test_analytics_disclosure_pages import three_regions  # noqa: F401
