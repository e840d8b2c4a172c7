"""The durable_rules backend must agree with the default on every fixture.

durable_rules is an independent evaluation of the same compiled conditions
through its own JSON ruleset form; any disagreement is a bug in one of them.
CI installs the ``durable`` extra, so this test runs there.
"""

from __future__ import annotations

import pytest

from credit_rules import Engine

from .conftest import all_fixtures

pytest.importorskip("durable")


def test_every_fixture_decides_identically_on_both_backends(engine: Engine) -> None:
    from credit_rules.engine.durable_backend import DurableBackend

    durable = Engine(engine.catalogs, engine.ruleset, engine.calendar, DurableBackend())
    fixtures = all_fixtures()
    assert fixtures
    for fx in fixtures:
        a = engine.decide(fx.case, fx.as_of)
        b = durable.decide(fx.case, fx.as_of)
        assert b.backend == "durable_rules"
        assert a.model_copy(update={"backend": "x"}) == b.model_copy(update={"backend": "x"}), fx.file
