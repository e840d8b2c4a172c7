"""Property-based API tests from the service's own OpenAPI description (schemathesis): whatever request the
description allows or nearly allows, the service answers without a 5xx (issue #16).

Bounded: at most ``EXAMPLES`` generated requests per operation (about 12 operations), no deadline.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import hypothesis.strategies as st
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

from .service_support import auth, make_app

EXAMPLES = 25

schemathesis.openapi.media_type("application/x-ndjson", st.binary(max_size=2000), aliases=("application/ndjson",))

_TMP = Path(tempfile.mkdtemp(prefix="credit-rules-schemathesis-"))
APP = make_app(_TMP)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_error_on_any_generated_request(case: schemathesis.Case) -> None:
    # the key with every permission, so generated requests reach the handlers (refusals are tested elsewhere);
    # generated disclosure bases are allowed, and reloads of the shipped tree are harmless
    response = case.call(headers=auth("full"))
    case.validate_response(response, checks=[not_a_server_error])
