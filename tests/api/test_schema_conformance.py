"""The OpenAPI schema is what the API does: schemathesis against a live server (issue 13).

Every operation of /api/schema/ is called with examples drawn from the schema itself, valid and
invalid, by a demo focal point holding a real API token. The run is bounded and reproducible:
a fixed number of examples per operation, generated deterministically, one request at a time.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.api.helpers import api_token_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.schemathesis]

SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
# About 640 calls, a minute or so on one core. The coverage phase (every boundary of every
# parameter, some 3,600 calls) is left out for time; tests/api/test_parameters.py covers the
# integer boundaries it would probe.
EXAMPLES_PER_OPERATION = 10
# What a response must satisfy: no 5xx; a status code, content type and body that the schema
# documents for that operation; and a request the schema calls invalid is refused. (The converse,
# that every schema-valid request is taken, cannot hold: a schema cannot say which ids exist or
# that a due date lies ahead.)
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
)


def _schemathesis_run(base_url: str, token: str, report: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(SCHEMATHESIS),
            "run",
            f"{base_url}/api/schema/?format=json",
            "--checks",
            ",".join(CHECKS),
            "--phases",
            "examples,fuzzing",
            "--max-examples",
            str(EXAMPLES_PER_OPERATION),
            "--generation-deterministic",
            "--workers",
            "1",
            "--no-shrink",
            "--request-timeout",
            "30",
            "--header",
            f"Authorization: Token {token}",
            "--header",
            "Accept-Language: en",
            "--report",
            "junit",
            "--report-dir",
            str(report),
        ],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "NO_COLOR": "1", "SCHEMATHESIS_HOOKS": ""},
    )


def test_the_api_answers_as_its_schema_says_with_no_server_error(region, live_server, tmp_path):
    token = api_token_for(region.user("focal.co"))
    run = _schemathesis_run(live_server.url, token, tmp_path)
    assert run.returncode == 0, run.stdout[-20000:] + run.stderr[-4000:]
