"""Property-based checks of the OpenAPI schema: generated requests never get a 5xx, and every
response (errors included) matches its documented status codes, media type and schema.

Schemathesis' strategies are driven through Hypothesis directly: its pytest plugin does not yet
run under pytest 9. The "schema-valid request rejected" check is left out on purpose: a
well-typed parameter may still name no predicate or category of the graph, which is a 400.
"""

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from api.app import create_app
from api.settings import Settings
from kg.curation.build import build


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory):
    graph_file = tmp_path_factory.mktemp("graph") / "metastasis-kg.nt"
    build(output=graph_file)
    app = create_app(Settings(data_file=graph_file, workers=1))
    with TestClient(app):  # runs the lifespan, which loads the graph into app.state
        yield schemathesis.openapi.from_asgi("/openapi.json", app)


def test_every_operation_survives_generated_requests(api_schema):
    labels = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        labels.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(max_examples=15, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        check()
    assert "GET /paths" in labels and "GET /neighborhood" in labels
