"""pytest plugin: collect fixture files (``*.case.yaml``, ``*.info.yaml``, ``*.query.yaml``) as test items.

A ministry keeps its fixture suite beside its other tests and runs it under
plain ``pytest``, with pytest's selection, reporting and CI integration.
The plugin is registered by the ``pytest11`` entry point, so installing
credit_rules is enough; it stays inactive — collecting nothing — unless
asked, so a project that already runs its fixtures another way (this one:
tests/test_fixtures.py) does not run them twice.  Turn it on with
``--credit-rules-fixtures`` or in the ini file::

    [pytest]
    credit_rules_fixtures = true
    credit_rules_catalogs =
        shipped
        catalogs            # relative to the ini file
    credit_rules_rules = shipped

Each fixture of a file — a case, an information request or a query — is one
item, loaded, decided and checked by the same runner as ``credit-rules
test`` (:func:`credit_rules.regression.runner.run_one`), with the same
masking; a failing item shows every expectation it missed, each naming its
field (``listing.outcome: expected 'allowed', got 'refused'``,
``publish.outcome: …``).  A fixture file that cannot be read fails with the
located error (file, line, field), never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .engine.decide import Engine
    from .regression.runner import Item as RunnerItem

SUFFIX = ".case.yaml"
SUFFIXES = (SUFFIX, ".info.yaml", ".query.yaml")
"""Case, information and query fixtures (the runner's kinds; tests check the two lists agree)."""
_ENGINE_KEY = pytest.StashKey["Engine"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("credit-rules", "credit_rules fixture files (*.case.yaml, *.info.yaml, *.query.yaml)")
    group.addoption("--credit-rules-fixtures", action="store_true", default=None, help="collect *.case.yaml, *.info.yaml and *.query.yaml fixture files as tests")
    group.addoption("--credit-rules-catalogs", action="append", metavar="DIR", help="catalog directory or 'shipped' (repeat to layer); default: ini or shipped")
    group.addoption("--credit-rules-rules", metavar="DIR", help="rule directory or 'shipped'; default: ini or shipped")
    parser.addini("credit_rules_fixtures", "collect *.case.yaml, *.info.yaml and *.query.yaml fixture files as tests", type="bool", default=False)
    parser.addini("credit_rules_catalogs", "catalog directories ('shipped' or paths relative to the ini file)", type="linelist", default=[])
    parser.addini("credit_rules_rules", "rule directory ('shipped' or a path relative to the ini file)", default="")


def _enabled(config: pytest.Config) -> bool:
    flag = config.getoption("credit_rules_fixtures")
    return bool(flag) if flag is not None else bool(config.getini("credit_rules_fixtures"))


def _resolve(text: str, base: Path) -> Path:
    from .regression.refs import SHIPPED, catalog_dir

    return catalog_dir(text) if text == SHIPPED else (base / text)


def engine_for(config: pytest.Config) -> Engine:
    """One engine per session: command-line paths are relative to where pytest ran, ini paths to the ini file."""
    if _ENGINE_KEY in config.stash:
        return config.stash[_ENGINE_KEY]
    from .engine.decide import Engine
    from .regression.refs import SHIPPED, rules_dir

    here = config.invocation_params.dir
    ini_dir = config.inipath.parent if config.inipath is not None else config.rootpath
    cli_cats: list[str] | None = config.getoption("credit_rules_catalogs")
    ini_cats: list[str] = config.getini("credit_rules_catalogs")
    catalogs = [_resolve(c, here) for c in cli_cats] if cli_cats else [_resolve(c, ini_dir) for c in ini_cats] or None
    cli_rules: str | None = config.getoption("credit_rules_rules")
    ini_rules: str = config.getini("credit_rules_rules")
    if cli_rules:
        rules: Path | None = rules_dir(cli_rules) if cli_rules == SHIPPED else here / cli_rules
    elif ini_rules:
        rules = rules_dir(ini_rules) if ini_rules == SHIPPED else ini_dir / ini_rules
    else:
        rules = None
    engine = Engine.load(catalogs, rules)
    config.stash[_ENGINE_KEY] = engine
    return engine


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if file_path.name.endswith(SUFFIXES) and _enabled(parent.config):
        collector: CaseFile = CaseFile.from_parent(parent, path=file_path)
        return collector
    return None


class FixtureFailed(Exception):
    """The decision differs from what the fixture expects (or the fixture is bad input); one line per problem."""

    def __init__(self, problems: list[str], bad_input: bool = False) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems
        self.bad_input = bad_input


class CaseFile(pytest.File):
    """A fixture file of any kind: one item per fixture in it."""

    def collect(self) -> Iterator[pytest.Item]:
        from .errors import InputError
        from .regression.runner import items_of, load

        try:
            fixtures = load(self.path)
        except InputError as exc:
            yield BadFixtureFile.from_parent(self, name=self.path.name, error=exc.render())
            return
        for item in items_of(self.path.name, fixtures):
            name = item.ident.split("::", 1)[1].replace("::", ":").replace("\n", " ")
            yield CaseItem.from_parent(self, name=name, item=item)


class CaseItem(pytest.Item):
    """One fixture (a case, an information request or a query): run it as ``credit-rules test`` does."""

    def __init__(self, *, item: RunnerItem, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.item = item

    @property
    def fixture(self) -> Any:
        """The loaded fixture (kept for plugins and conftests that read it)."""
        return self.item.fixture

    def runtest(self) -> None:
        from .regression.runner import Status, run_one

        result = run_one(engine_for(self.config), self.item)  # checks a case's ids first, masks every message
        if result.status is not Status.passed:
            raise FixtureFailed(result.problems, bad_input=result.status is Status.error)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, FixtureFailed):
            where = f"{self.nodeid.split('::', 1)[0]}:{self.item.line}"
            name = self.item.name
            if excinfo.value.bad_input:
                lines = [f"fixture {name!r} ({where}) is bad input:"]
            else:
                kind = "" if self.item.kind.value == "case" else f"{self.item.kind.value} "
                lines = [f"{kind}fixture {name!r} ({where}) differs from its expectation:"]
            return "\n".join([*lines, *(f"  {p}" for p in excinfo.value.problems)])
        from .errors import InputError

        if isinstance(excinfo.value, InputError):
            return f"bad input: {excinfo.value.render()}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, (self.item.line or 1) - 1, f"credit-rules {self.item.kind.value} fixture: {self.name}"


class BadFixtureFile(pytest.Item):
    """A fixture file that cannot be read: fails with the located error."""

    def __init__(self, *, error: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.error = error

    def runtest(self) -> None:
        raise FixtureFailed([self.error], bad_input=True)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        return f"bad fixture file:\n  {self.error}"

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"credit-rules fixture file: {self.path.name}"
