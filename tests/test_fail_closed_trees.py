"""Issue 15 items 1 and 2: catalog and fixture trees fail closed, and a fixture's ``base`` cannot reach outside its suite.

The tests run as root in CI, where ``chmod 000`` does not stop reads, so an
unreadable folder or file is simulated by making ``os.scandir`` or
``Path.read_text`` raise ``PermissionError`` for that one path.  Symlinks and
FIFOs are real.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from credit_rules import InputError
from credit_rules.catalog.store import load_catalogs
from credit_rules.cli import main
from credit_rules.fixtures import load_fixtures
from credit_rules.regression.refs import as_published_on, from_directory
from credit_rules.shipped import shipped_catalogs_dir

from .conftest import FIXTURES

SECRET = "TOP-SECRET-CONTENT-4711"


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def catalogs(tmp_path: Path) -> Path:
    """A copy of the shipped catalogs that a test may damage."""
    target = tmp_path / "catalogs"
    shutil.copytree(shipped_catalogs_dir(), target)
    return target


def _deny_scandir(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    real = os.scandir

    def scandir(path: Any = ".") -> Any:
        if Path(path).resolve() == denied.resolve():
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)


def _deny_read(monkeypatch: pytest.MonkeyPatch, denied: Path) -> None:
    real = Path.read_text

    def read_text(self: Path, *args: Any, **kwargs: Any) -> str:
        if self.resolve() == denied.resolve():
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    real_open = Path.open

    def open_(self: Path, *args: Any, **kwargs: Any) -> Any:
        if self.resolve() == denied.resolve():
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "read_text", read_text)
    monkeypatch.setattr(Path, "open", open_)  # the loader reads at most the size limit through open()


def _a_subfolder(root: Path) -> Path:
    return next(p for p in sorted(root.iterdir()) if p.is_dir())


# ------------------------------------------------------------------ item 1: catalogs


def test_an_unreadable_catalog_subfolder_fails_loading(catalogs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = _a_subfolder(catalogs)
    _deny_scandir(monkeypatch, folder)
    with pytest.raises(InputError) as exc:
        load_catalogs(catalogs)
    assert f"{folder}: field '(directory)': expected a readable directory" in exc.value.render()


def test_an_unreadable_catalog_file_fails_loading(catalogs: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    file = sorted(catalogs.rglob("*.yaml"))[0]
    _deny_read(monkeypatch, file)
    with pytest.raises(InputError) as exc:
        load_catalogs(catalogs)
    assert str(file.name) in exc.value.render() and "a readable UTF-8 file" in exc.value.render()


def test_an_unreadable_catalog_subfolder_is_exit_2_in_the_cli(catalogs: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _deny_scandir(monkeypatch, _a_subfolder(catalogs))
    code, _, err = cli(capsys, "decide", str(FIXTURES / "base" / "samr_listing.yaml"), "--catalogs", str(catalogs))
    assert code == 2
    assert "expected a readable directory" in err and "Traceback" not in err


@pytest.mark.parametrize("layout", ["empty", "readme only", "etc"])
def test_a_catalog_directory_without_catalogs_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str], layout: str) -> None:
    root = Path("/etc") if layout == "etc" else tmp_path / "cats"
    if layout != "etc":
        root.mkdir()
    if layout == "readme only":
        (root / "README.md").write_text("nothing here\n", encoding="utf-8")
    if layout != "etc":
        with pytest.raises(InputError) as exc:
            load_catalogs(root)
        assert "expected a directory holding catalog files" in exc.value.render()
    code, _, err = cli(capsys, "decide", str(FIXTURES / "base" / "samr_listing.yaml"), "--catalogs", str(root))
    assert code == 2 and "Traceback" not in err


def test_broken_and_escaping_symlinks_and_fifos_in_a_catalog_tree_are_errors(catalogs: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.yaml").write_text(f"note: {SECRET}\n", encoding="utf-8")
    (catalogs / "broken.yaml").symlink_to(catalogs / "nowhere.missing")
    (catalogs / "escape").symlink_to(outside)
    os.mkfifo(catalogs / "pipe.yaml")
    with pytest.raises(InputError) as exc:
        load_catalogs(catalogs)
    text = exc.value.render()
    assert "broken.yaml: field '(file)': expected an existing file" in text
    assert "escape: field '(symlink)': expected a symlink that stays inside" in text
    assert "pipe.yaml: field '(file)': expected a regular file, got a FIFO" in text
    assert SECRET not in text


def test_a_yaml_file_that_is_not_a_catalog_is_not_echoed(catalogs: Path) -> None:
    (catalogs / "stray.yaml").write_text(f"{SECRET} line one\n{SECRET} line two\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_catalogs(catalogs)
    assert "stray.yaml:1: field '(document)': expected a catalog" in exc.value.render()
    assert SECRET not in exc.value.render()


# ------------------------------------------------------------------ item 1: fixture suites


@pytest.fixture
def suite(tmp_path: Path) -> Path:
    root = tmp_path / "suite"
    (root / "base").mkdir(parents=True)
    (root / "more").mkdir()
    shutil.copy(FIXTURES / "base" / "samr_listing.yaml", root / "base" / "samr.yaml")
    (root / "ok.case.yaml").write_text("name: ok\nbase: base/samr.yaml\nexpect: {listing: {outcome: allowed}}\n", encoding="utf-8")
    (root / "more" / "hidden.case.yaml").write_text("name: hidden\nbase: ../base/samr.yaml\nexpect: {}\n", encoding="utf-8")
    return root


def test_an_unreadable_fixture_folder_is_an_error_not_a_smaller_suite(suite: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _deny_scandir(monkeypatch, suite / "more")
    code, out, _ = cli(capsys, "test", str(suite))
    assert code == 2
    assert "more: field '(directory)': expected a readable directory" in out
    assert "1 passed, 0 failed, 1 errors" in out


def test_an_unreadable_fixture_file_is_an_error(suite: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    _deny_read(monkeypatch, suite / "more" / "hidden.case.yaml")
    code, out, _ = cli(capsys, "test", str(suite))
    assert code == 2 and "hidden.case.yaml" in out and "a readable UTF-8 file" in out


def test_a_fifo_named_like_a_fixture_is_an_error_and_does_not_hang(suite: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.mkfifo(suite / "pipe.case.yaml")
    code, out, _ = cli(capsys, "test", str(suite))
    assert code == 2 and "pipe.case.yaml: field '(file)': expected a regular file, got a FIFO" in out


# ------------------------------------------------------------------ item 2: base confined to the suite


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.yaml"
    path.write_text(f"{SECRET}\n", encoding="utf-8")
    return path


def _base_cases(suite: Path, secret: Path) -> Iterator[tuple[str, str]]:
    (suite / "link.yaml").symlink_to(secret)
    os.mkfifo(suite / "base" / "fifo.yaml")
    (suite / "notes.txt").write_text(f"{SECRET}: some notes\n", encoding="utf-8")
    (suite / "plain.txt").write_text(f"{SECRET} as plain text\n", encoding="utf-8")
    yield "../secret.yaml", "leads outside it"
    yield str(secret), "an absolute path"
    yield "/dev/zero", "an absolute path"
    yield "link.yaml", "leads outside it"
    yield "base/fifo.yaml", "a FIFO"
    yield "base", "a directory"
    yield "notes.txt", "which is not a case file"
    yield "plain.txt", "which holds a str"
    yield "", "an empty path"


def test_base_cannot_leave_the_suite_or_read_special_files(suite: Path, secret: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for base, why in _base_cases(suite, secret):
        (suite / "evil.case.yaml").write_text(f"name: evil\nbase: {base!r}\nexpect: {{}}\n", encoding="utf-8")
        with pytest.raises(InputError) as exc:
            load_fixtures(suite / "evil.case.yaml", suite)
        text = exc.value.render()
        assert "evil.case.yaml:2: field 'base'" in text, (base, text)
        assert why in text, (base, text)
        assert SECRET not in text
        code, out, err = cli(capsys, "test", str(suite), "--junit-xml", str(suite.parent / "junit.xml"))
        assert code == 2 and SECRET not in out + err
        assert SECRET not in (suite.parent / "junit.xml").read_text(encoding="utf-8")


def test_fixture_root_widens_the_suite_root(suite: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    shared = tmp_path / "shared.yaml"
    shutil.copy(suite / "base" / "samr.yaml", shared)
    (suite / "wide.case.yaml").write_text("name: wide\nbase: ../shared.yaml\nexpect: {listing: {outcome: allowed}}\n", encoding="utf-8")
    code, out, _ = cli(capsys, "test", str(suite / "wide.case.yaml"))
    assert code == 2 and "leads outside it" in out
    code, out, _ = cli(capsys, "test", str(suite / "wide.case.yaml"), "--fixture-root", str(tmp_path))
    assert code == 0, out


# ------------------------------------------------------------------ item 2: REF trees


def test_a_ref_tree_is_read_with_the_project_loader(catalogs: Path, tmp_path: Path) -> None:
    (catalogs / "dup.yaml").write_text("kind: domains\nkind: domains\n", encoding="utf-8")
    source = from_directory(catalogs, "x")
    with pytest.raises(InputError) as exc:
        from datetime import date

        as_published_on(source, date(2025, 1, 1), tmp_path / "out")
    assert "dup.yaml:2: field 'kind': expected a key used once" in exc.value.render()


def test_a_ref_tree_with_an_escaping_symlink_is_refused(tmp_path: Path, secret: Path) -> None:
    ref = tmp_path / "ref"
    ref.mkdir()
    (ref / "x.yaml").symlink_to(secret)
    with pytest.raises(InputError) as exc:
        from_directory(ref, "ref")
    assert "a symlink that stays inside" in exc.value.render()


def test_an_empty_ref_does_not_load_the_working_directory(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "diff", str(FIXTURES / "listing"), "--base", "", "--head", "shipped")
    assert code == 2 and "--base" in err and "Traceback" not in err


def test_an_information_fixture_base_is_confined_too(tmp_path: Path, secret: Path) -> None:
    from credit_rules.information.fixtures import load_info_fixture

    suite = tmp_path / "info"
    suite.mkdir()
    fixture = suite / "evil.info.yaml"
    fixture.write_text("name: evil\nbase: ../secret.yaml\nexpect: {}\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_info_fixture(fixture, suite)
    assert "evil.info.yaml:2: field 'base'" in exc.value.render() and SECRET not in exc.value.render()


def test_catalogs_state_a_content_hash_that_follows_the_content(catalogs: Path, tmp_path: Path) -> None:
    shipped = load_catalogs(shipped_catalogs_dir())
    copy = load_catalogs(catalogs)
    assert len(shipped.content_hash) == 64 and copy.content_hash == shipped.content_hash  # where the tree lies does not matter
    file = sorted(catalogs.rglob("*.yaml"))[-1]
    file.write_text(file.read_text(encoding="utf-8") + "\n# a comment changes nothing\n", encoding="utf-8")
    assert load_catalogs(catalogs).content_hash == shipped.content_hash
    named = next(p for p in sorted(catalogs.rglob("*.yaml")) if "name_zh: " in p.read_text(encoding="utf-8"))
    named.write_text(named.read_text(encoding="utf-8").replace("name_zh: ", "name_zh: 改", 1), encoding="utf-8")
    assert load_catalogs(catalogs).content_hash != shipped.content_hash
