"""Hostile and broken input (issue 15, items 5-7): refused quickly with a located message, exit 2, never a traceback.

Every file under tests/bad_inputs/ named below goes through the subcommands
that read it; the ceiling on time is generous (a refusal takes milliseconds,
building the alias bomb would take minutes and gigabytes).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from credit_rules.cli import main
from credit_rules.engine.batch import parse_jsonl_line, read_jsonl
from credit_rules.limits import Limits, current, max_processes
from credit_rules.regression.select import compile_k
from credit_rules.terminal import neutralise
from credit_rules.yamlsource import load_text

from .conftest import ROOT

BAD = ROOT / "tests" / "bad_inputs"
CEILING = 20.0
EXAMPLE = ROOT / "examples" / "cases" / "wuzhou_food_listing.yaml"

# bad input -> (line of the problem, words the message must hold)
YAML_BAD = {
    "alias_bomb_list.yaml": (None, "alias"),
    "alias_bomb_map.yaml": (None, "alias"),
    "alias_bomb_merge.yaml": (None, "merge"),
    "self_alias.yaml": (3, "self-referencing alias"),
    "deep_nesting.yaml": (3, "nesting"),
    "huge_number_string.yaml": (4, "exponent"),
    "huge_integer.yaml": (4, "digits"),
    "bool_maybe.yaml": (3, "true or false"),
    "bool_empty.yaml": (3, "true or false"),
    "timestamp_nope.yaml": (3, "date or timestamp"),
    "merge_key.yaml": (5, "merge key"),
}


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "credit_rules.cli", *args], input=stdin, capture_output=True, text=True, cwd=ROOT, check=False, timeout=120,
        env={**os.environ, **(env or {})},
    )


def _assert_refused(code: int, err: str, file: str, line: int | None, words: str, seconds: float) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    assert (f"{file}:{line}:" if line else file) in err, err
    assert words in err, err
    assert seconds < CEILING


@pytest.mark.parametrize("name", sorted(YAML_BAD))
def test_bad_yaml_case_is_refused_by_decide_and_lint(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = BAD / name
    line, words = YAML_BAD[name]
    for argv in (["decide", str(path)], ["lint", str(path)]):
        started = time.perf_counter()
        code = main(argv)
        err = capsys.readouterr().err
        _assert_refused(code, err, str(path), line, words, time.perf_counter() - started)


@pytest.mark.parametrize("name", sorted(YAML_BAD))
def test_bad_yaml_fixture_is_an_error_result_and_the_suite_goes_on(name: str, tmp_path: Path) -> None:
    suite = tmp_path / "suite"
    suite.mkdir()
    (suite / "hostile.case.yaml").write_text((BAD / name).read_text(encoding="utf-8"), encoding="utf-8")
    good = ROOT / "tests" / "fixtures" / "listing" / "good" / "samr_national_list.case.yaml"  # on the shipped catalogs
    (suite / "base").mkdir()
    base = ROOT / "tests" / "fixtures" / "base" / "samr_listing.yaml"
    (suite / "base" / base.name).write_text(base.read_text(encoding="utf-8"), encoding="utf-8")
    (suite / "good.case.yaml").write_text(good.read_text(encoding="utf-8").replace("../../base/", "base/"), encoding="utf-8")
    started = time.perf_counter()
    out = run("test", str(suite), "--junit-xml", str(tmp_path / "junit.xml"))
    assert time.perf_counter() - started < CEILING * 3
    assert "Traceback" not in out.stderr + out.stdout
    assert out.returncode in (1, 2), out.stdout + out.stderr
    assert "hostile.case.yaml" in out.stdout + out.stderr
    assert "1 passed" in out.stdout  # the good fixture still ran
    ET.parse(tmp_path / "junit.xml")


def test_48_megabyte_list_is_refused_before_parsing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.yaml"
    limit = Limits().max_file_bytes
    with path.open("w", encoding="utf-8") as handle:
        handle.write("case_id: huge\nnotes:\n")
        chunk = "- x\n" * 100_000
        while handle.tell() <= limit:
            handle.write(chunk)
    started = time.perf_counter()
    code = main(["decide", str(path)])
    err = capsys.readouterr().err
    _assert_refused(code, err, str(path), None, "CREDIT_RULES_MAX_FILE_BYTES", time.perf_counter() - started)


def test_limits_come_from_the_environment_and_typos_keep_the_default() -> None:
    assert current({"CREDIT_RULES_MAX_DEPTH": "12"}).max_depth == 12
    assert current({"CREDIT_RULES_MAX_DEPTH": "twelve"}).max_depth == Limits().max_depth
    assert current({"CREDIT_RULES_MAX_DEPTH": "0"}).max_depth == Limits().max_depth
    deep = "a: " + "[" * 20 + "]" * 20 + "\n"
    load_text(deep, "ok.yaml")
    with pytest.raises(Exception, match="nesting at most 12 deep"):
        load_text(deep, "deep.yaml", current({"CREDIT_RULES_MAX_DEPTH": "12"}))


def test_shipped_catalogs_and_rules_stay_within_the_limits() -> None:
    for path in [*ROOT.glob("catalogs/**/*.yaml"), *ROOT.glob("rules/**/*.yaml"), *ROOT.glob("tests/fixtures/**/*.yaml")]:
        load_text(path.read_text(encoding="utf-8"), str(path))


def test_processes_are_bounded_by_the_cpu_count(capsys: pytest.CaptureFixture[str]) -> None:
    too_many = str(max_processes() + 1)
    code = main(["decide", "--batch", str(BAD / "batch_bad_lines.jsonl"), "--processes", too_many])
    err = capsys.readouterr().err
    assert code == 2 and "--processes" in err and "--force-processes" in err


def test_date_pushed_past_9999_is_a_located_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "y9999.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace("2023-", "9999-"), encoding="utf-8")
    code = main(["decide", str(path)])
    err = capsys.readouterr().err
    _assert_refused(code, err, str(path), None, "9999-12-31", 0)


# ------------------------------------------------------------------ batches


def _good_line() -> str:
    return json.dumps(yaml.safe_load(EXAMPLE.read_text(encoding="utf-8")), default=str, ensure_ascii=False)


def test_every_kind_of_bad_line_gives_its_own_error_and_the_batch_goes_on(tmp_path: Path) -> None:
    bad_lines = (BAD / "batch_bad_lines.jsonl").read_text(encoding="utf-8").splitlines()
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join([_good_line(), *bad_lines, _good_line()]) + "\n", encoding="utf-8")
    started = time.perf_counter()
    out = run("decide", "--batch", str(path))
    assert time.perf_counter() - started < CEILING * 3
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr
    items = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(items) == len(bad_lines) + 2
    assert items[0]["ok"] and items[-1]["ok"]
    for n, item in enumerate(items[1:-1], start=2):
        assert not item["ok"]
        assert f"{path}:{n}:" in item["error"], item["error"]
    errors = " ".join(i["error"] for i in items[1:-1])
    for words in ("nesting", "digits", "exponent", "surrogate", "duplicate key", "NaN"):
        assert words in errors, words


def test_batch_reads_a_pipe_and_dash_and_dev_stdin() -> None:
    lines = _good_line() + "\n" + _good_line() + "\n"
    for source in ("-", "/dev/stdin"):
        out = run("decide", "--batch", source, stdin=lines)
        assert out.returncode == 0, out.stderr
        assert len(out.stdout.splitlines()) == 2
        assert all(json.loads(x)["ok"] for x in out.stdout.splitlines())


def test_batch_streams_a_pipe_result_before_the_input_ends() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "credit_rules.cli", "decide", "--batch", "-"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, cwd=ROOT,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(_good_line() + "\n")
        proc.stdin.flush()
        first = proc.stdout.readline()  # arrives while stdin is still open
        assert json.loads(first)["ok"]
        proc.stdin.close()
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_duplicate_key_in_a_json_line_is_an_error() -> None:
    raw = parse_jsonl_line(b'{"case_id": "a", "act": {"gravity": "minor", "gravity": "serious"}}', "x.jsonl", 4)
    assert raw.error is not None and "x.jsonl:4:" in raw.error and "duplicate key" in raw.error


def test_overlong_line_is_skipped_without_being_held(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text('{"a": "' + "x" * 300_000 + '"}\n' + _good_line() + "\n", encoding="utf-8")
    raws = list(read_jsonl(path, Limits(max_file_bytes=100_000)))
    assert raws[0].error is not None and "long.jsonl:1:" in raws[0].error
    assert raws[1].error is None and raws[1].line == 2


# ------------------------------------------------------------ output side


def test_broken_pipe_is_quiet_exit_2() -> None:
    script = (
        "import sys, subprocess\n"
        f"p = subprocess.Popen([sys.executable, '-m', 'credit_rules.cli', 'decide', {str(EXAMPLE)!r}], stdout=subprocess.PIPE, stderr=subprocess.PIPE)\n"
        "p.stdout.close()\n"
        "err = p.stderr.read().decode()\n"
        "print(p.wait()); print(err)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False, timeout=120)
    code, _, err = out.stdout.partition("\n")
    assert "Traceback" not in err
    assert code.strip() in ("0", "2"), out.stdout  # 0 when the output fitted in the pipe before it closed


def test_ascii_terminal_gets_escapes_not_a_traceback() -> None:
    out = run("decide", str(EXAMPLE), env={"PYTHONIOENCODING": "ascii"})
    assert out.returncode == 0, out.stderr
    assert "Traceback" not in out.stderr
    assert "\\u" in out.stdout or "\\x" in out.stdout


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_full_disk_is_exit_2() -> None:
    with open("/dev/full", "w") as full:
        out = subprocess.run(
            [sys.executable, "-m", "credit_rules.cli", "decide", str(EXAMPLE)], stdout=full, stderr=subprocess.PIPE, text=True, cwd=ROOT, check=False, timeout=120
        )
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr
    assert "writable" in out.stderr
    batch = run("decide", "--batch", str(BAD / "batch_bad_lines.jsonl"), "--out", "/dev/full")
    assert batch.returncode == 2 and "/dev/full: field '--out'" in batch.stderr and "Traceback" not in batch.stderr


def test_unwritable_output_path_is_exit_2(tmp_path: Path) -> None:
    for target in ("/dev/null/junit.xml", str(tmp_path / "file" / "junit.xml")):
        (tmp_path / "file").write_text("a file, not a folder", encoding="utf-8")
        out = run("test", str(ROOT / "tests" / "fixtures" / "listing" / "bad"), "--junit-xml", target)
        assert out.returncode == 2, out.stderr
        assert "Traceback" not in out.stderr and "writable" in out.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_read_only_output_folder_is_exit_2(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        out = run("test", str(ROOT / "tests" / "fixtures" / "listing" / "bad"), "--junit-xml", str(folder / "sub" / "junit.xml"))
        assert out.returncode == 2, out.stderr
        assert "Traceback" not in out.stderr
    finally:
        folder.chmod(0o700)


def test_thousands_of_parentheses_in_k_is_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    expr = "(" * 5000 + "x" + ")" * 5000
    code = main(["test", str(ROOT / "tests" / "fixtures" / "listing" / "bad"), "-k", expr])
    err = capsys.readouterr().err
    assert code == 2 and "-k" in err and "Traceback" not in err
    assert len(err) < 1000  # the expression is shortened in the message
    assert compile_k("(a or (not b))")("xa")


def _strings(data: object) -> list[str]:
    if isinstance(data, dict):
        return [s for v in data.values() for s in _strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in _strings(v)]
    return [data] if isinstance(data, str) else []


def test_terminal_escapes_are_shown_not_obeyed(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "esc.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8").replace("梧州市某某食品有限公司", '"\\e]0;owned\\a\\e[2J名\\u202e称\\x9b"'), encoding="utf-8")
    for fmt in ("text", "json"):
        assert main(["decide", str(path), "--format", fmt]) == 0
        out = capsys.readouterr().out
        for ch in ("\x1b", "\x07", "\u202e", "\x9b"):
            assert ch not in out
        assert "\\u001b" in out
        if fmt == "json":
            # the escapes are JSON's own: the data read back holds the name as written
            assert "\x1b]0;owned\x07\x1b[2J名\u202e称\x9b" in _strings(json.loads(out))
    assert neutralise("a\tb\nc\rd\x1b") == "a\tb\nc\\u000dd\\u001b"
    assert neutralise("\r", keep_cr=True) == "\r"


HOSTILE_NAME = "x`|</code>[link](http://evil)\n# heading <img src=x onerror=alert(1)>\x1b[31m\x00\ud800\ufffe"


def test_markdown_report_escapes_names() -> None:
    from credit_rules.regression.diff import DiffError, DiffReport
    from credit_rules.regression.report import render_markdown
    from credit_rules.regression.runner import Item

    item = Item(ident=f"suite/{HOSTILE_NAME}.case.yaml::{HOSTILE_NAME}", file="suite/x.case.yaml")
    text = render_markdown(DiffReport("base`", "head", errors=[DiffError(item, HOSTILE_NAME)]))
    errors = text.split("## Errors", 1)[1]
    assert [line for line in errors.splitlines() if line.strip()] == [errors.strip()]  # one list item: newlines flattened
    code, _, message = errors.strip().partition("``: ")
    assert code.startswith("- ``")  # the name is one code span (markup inside is shown, not rendered)
    for escaped in ("\\[link\\]\\(", "\\<img", "\\# heading", "\\`"):
        assert escaped in message, escaped
    assert "``base` ``" in text or "`` base` ``" in text  # a backtick in a code span gets a longer fence


def test_junit_xml_stays_well_formed_with_hostile_names() -> None:
    from credit_rules.regression.junit import junit_xml
    from credit_rules.regression.runner import Item, Result, Status

    item = Item(ident=f"{HOSTILE_NAME}::n", file=f"{HOSTILE_NAME}.case.yaml")
    tree = junit_xml([Result(item, Status.error, [HOSTILE_NAME])], 0.1)
    data = ET.tostring(tree.getroot(), encoding="utf-8")
    back = ET.fromstring(data)  # parses: no control character, no lone surrogate
    case = back.find(".//testcase")
    assert case is not None and "\\u001b" in (case.get("file") or "")


def test_decide_dash_reads_one_case_from_stdin() -> None:
    good = run("decide", "-", "--format", "json", stdin=EXAMPLE.read_text(encoding="utf-8"))
    assert good.returncode == 0, good.stderr
    assert json.loads(good.stdout)["case_id"] == "wz-2023-0412"
    bad = run("decide", "-", stdin=(BAD / "alias_bomb_map.yaml").read_text(encoding="utf-8"))
    assert bad.returncode == 2 and "(stdin):" in bad.stderr and "Traceback" not in bad.stderr


# ------------------------------------------------------------- diff REFs

FIXTURES = str(ROOT / "tests" / "fixtures" / "listing" / "bad")


@pytest.mark.parametrize("base", ["--base=--", "--base=", "--base=-x"])
def test_empty_or_dash_ref_is_refused(base: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["diff", base, "--head", "shipped", FIXTURES])
    err = capsys.readouterr().err
    assert code == 2 and "'--base'" in err and "Traceback" not in err


def test_ref_at_date_reads_yaml_with_the_project_loader(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cats = tmp_path / "cats"
    cats.mkdir()
    (cats / "dup.yaml").write_text("kind: legal_bases\nkind: domains\n", encoding="utf-8")
    code = main(["diff", "--base", f"{cats}@2024-01-01", "--head", "shipped", FIXTURES])
    err = capsys.readouterr().err
    assert code == 2 and f"{cats / 'dup.yaml'}:2:" in err and "duplicate key" in err


def test_git_ref_with_a_symlink_out_of_the_tree_is_refused(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "catalogs").mkdir(parents=True)
    (repo / "catalogs" / "leak.yaml").symlink_to("/etc/passwd")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "leak"], check=True)
    out = run("diff", "--repo", str(repo), "--base", "HEAD", "--head", "shipped", FIXTURES)
    assert out.returncode == 2, out.stderr
    assert "Traceback" not in out.stderr and "root:" not in out.stdout + out.stderr


def test_refusals_stay_within_a_memory_ceiling(tmp_path: Path) -> None:
    """Peak memory of a process refusing every bad input (a generous ceiling: building the bombs would take gigabytes)."""
    big = tmp_path / "big.yaml"
    with big.open("w", encoding="utf-8") as handle:
        handle.write("case_id: huge\nnotes:\n")
        while handle.tell() <= Limits().max_file_bytes * 2:
            handle.write("- x\n" * 100_000)
    paths = [str(BAD / name) for name in sorted(YAML_BAD)] + [str(big)]
    script = (
        "import contextlib, io, resource, sys\n"
        "from credit_rules.cli import main\n"
        "codes = []\n"
        "for p in sys.argv[1:]:\n"
        "    with contextlib.redirect_stderr(io.StringIO()):\n"
        "        codes.append(main(['decide', p]))\n"
        # VmHWM is this process's own peak: ru_maxrss also counts the parent's memory inherited at fork (Linux
        # keeps the larger of the pre-exec and post-exec peaks), so it grew with the pytest process around it
        "hwm = [l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')]\n"
        "print(set(codes), hwm[0] if hwm else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
    )
    out = subprocess.run([sys.executable, "-c", script, *paths], capture_output=True, text=True, cwd=ROOT, check=True, timeout=120)
    codes, _, peak_kb = out.stdout.strip().rpartition(" ")
    assert codes == "{2}", out.stdout + out.stderr
    assert int(peak_kb) < 600_000, f"peak {int(peak_kb) // 1024} MB"  # measured: under 100 MB
