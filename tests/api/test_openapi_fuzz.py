"""Property-based fuzzing of every REST operation with Schemathesis, against uvicorn serving the
real app (real PostgreSQL and Redis), as the session's admin: no 5xx, and every response
(status, content type, body) matches the OpenAPI document.

A short run here (PAPERLANE_FUZZ_EXAMPLES per operation, default 15: well under two minutes);
``make fuzz`` runs the same with many more examples.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from tests.services import ApiProcess

EXAMPLES = int(os.environ.get("PAPERLANE_FUZZ_EXAMPLES", "15"))
# No 5xx, and the answer is what the document says (status, content type, headers, body).
# Not `positive_data_acceptance`: the document types a cursor or an amount as a string, and
# the server rightly refuses most strings with a 422 naming the field.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture(scope="module")
def fuzz_api(settings_env: dict[str, str], data_dir: Path, admin: Any) -> Iterator[ApiProcess]:
    env = {
        **os.environ,
        **settings_env,
        # Fuzzing is many requests from one address: keep the upload budget out of the way.
        "PAPERLANE_UPLOAD_RATE_LIMIT_PER_ADDRESS": "0",
        "PAPERLANE_UPLOAD_RATE_LIMIT_PER_ACTOR": "0",
    }
    process = ApiProcess(env, log_path=data_dir / "api-fuzz.log").start()
    try:
        yield process
    finally:
        process.stop()


def _fuzz(operation: Any, headers: dict[str, str]) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case: Any) -> None:
        response = case.call(headers=headers, timeout=30)
        case.validate_response(response, checks=CHECKS)

    run()


def test_rest_operations_never_fail_and_match_their_schema(
    fuzz_api: ApiProcess, admin: Any
) -> None:
    schema = schemathesis.openapi.from_url(f"{fuzz_api.url}/openapi.json")
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            _fuzz(operation, admin.headers)
        except BaseException as error:  # every operation is fuzzed; all failures are reported
            if isinstance(error, KeyboardInterrupt):
                raise
            failures.append(f"{operation.label}: {str(error)[:1500]}")
    assert operations >= 10
    assert not failures, "\n\n".join(failures)
