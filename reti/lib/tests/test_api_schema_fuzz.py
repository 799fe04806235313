"""The whole API, fuzzed from its own OpenAPI schema (issue 22: the probe kept in CI).

Schemathesis generates requests for every operation from the schema Reti publishes and sends
them to the WSGI application as anonymous, as an editor with a token and as staff with a
token. Whatever it sends, Reti must not answer 5xx, and every answer must be one the schema
declares, with the declared content type and body. `RETI_FUZZ_EXAMPLES` sets the examples
per operation (a handful in CI; `make fuzz` runs many more).
"""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from reti.api import api
from reti.registry.tests.api_fixtures import bearer

pytestmark = pytest.mark.django_db(transaction=False)

EXAMPLES = int(os.environ.get("RETI_FUZZ_EXAMPLES", "3"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI app closes the database connection after each request, as in production;
    the test's own transaction lives on that connection, so (as Django's test client does)
    the app keeps it open while the test runs."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def callers(cast):
    """Headers of the three callers every generated request is sent as."""
    plain = {"Accept-Encoding": "identity"}  # the WSGI client does not unzip
    return {
        "anonymous": plain,
        "editor": {**plain, **bearer(cast.toscana_officer)},
        "staff": {**plain, **bearer(cast.staff)},
    }


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_server_error_and_no_answer_outside_the_schema(case, callers):
    for headers in callers.values():
        case.call_and_validate(headers=headers, checks=CHECKS)


def test_the_fuzz_reaches_every_operation_the_api_declares():
    """Every operation of every router is fuzzed, those of the apps that came after the probe
    (grids, the monitoring analytics) included: none is left out of the generated tests."""
    declared = {
        (method.upper(), path)
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
    }
    fuzzed = {
        (operation.method.upper(), operation.path)
        for operation in (result.ok() for result in schema.get_all_operations())
    }

    assert fuzzed == declared
    for prefix in ("/api/v1/grids", "/api/v1/monitoring/analytics/"):
        assert any(path.startswith(prefix) for _, path in fuzzed), prefix
