"""Shared test set-up: one engine over the shipped catalogs plus the test-only layers."""

from __future__ import annotations

from pathlib import Path

import pytest

from credit_rules import Engine
from credit_rules.fixtures import Fixture, find_fixtures, load_fixtures
from credit_rules.shipped import shipped_catalogs_dir

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
TEST_CATALOGS = TESTS / "catalogs"
ROOT = TESTS.parent


def catalog_roots() -> list[Path]:
    return [shipped_catalogs_dir(), TEST_CATALOGS]


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine.load(catalog_roots())


def all_fixtures() -> list[Fixture]:
    return [fx for p in find_fixtures(FIXTURES) for fx in load_fixtures(p)]
