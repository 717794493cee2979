"""A schema-driven fuzz run of the whole API (schemathesis): no input may cause a 5xx.

Schemathesis' pytest plugin does not support this pytest yet, so the test walks
the operations itself and runs a Hypothesis search per operation.
"""

from __future__ import annotations

from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from argent_marketplace.server.app import create_app
from argent_marketplace.server.settings import Settings


def test_no_server_errors(tmp_path: Path) -> None:
    app = create_app(Settings(data_dir=tmp_path / "data"))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=30, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))  # fmt: skip
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(checks=[not_a_server_error])

        run()
    app.state.services.engine.dispose()
