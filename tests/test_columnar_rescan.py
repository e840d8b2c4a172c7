"""``credit-rules rescan`` and ``rescan-diff`` end to end on small generated Parquet tables, generated entries
agreeing with the per-case engine (hypothesis picks the seed and slice), and bad tables exiting 2 located."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pl = pytest.importorskip("polars")

from credit_rules import Engine  # noqa: E402
from credit_rules.cli import main  # noqa: E402
from credit_rules.columnar.entries import to_case  # noqa: E402
from credit_rules.columnar.evaluate import ColumnarEngine, decide_chunk  # noqa: E402
from credit_rules.columnar.generate import generate, standards  # noqa: E402


@pytest.fixture(scope="module")
def shipped() -> Engine:
    return Engine.load()


@pytest.fixture(scope="module")
def cengine(shipped: Engine) -> ColumnarEngine:
    return ColumnarEngine.of(shipped)


def per_case(engine: Engine, frame: pl.DataFrame, on: date | None = None) -> list[tuple[object, ...]]:
    out = []
    for row in frame.iter_rows(named=True):
        d = engine.decide(to_case(row), on, check_ids=False)
        assert d.listing is not None and d.determination is not None
        out.append((d.determination.outcome.value, d.listing.outcome.value, d.listing.reasons, d.listing.fired,
                    d.listing.period.years if d.listing.period else None))
    return out


def columnar(cengine: ColumnarEngine, frame: pl.DataFrame, on: date | None = None) -> list[tuple[object, ...]]:
    result = decide_chunk(frame, cengine, on)
    return [(r["determination"], r["outcome"], r["reasons"], r["fired"], r["term_years"]) for r in result.iter_rows(named=True)]


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), offset=st.integers(0, 10**9), on=st.none() | st.dates(date(2019, 1, 1), date(2026, 6, 30)))
def test_generated_entries_agree_with_the_per_case_engine(shipped: Engine, cengine: ColumnarEngine, seed: int, offset: int, on: date | None) -> None:
    frame = generate(shipped.catalogs, 40, seed=seed, offset=offset)
    assert per_case(shipped, frame, on) == columnar(cengine, frame, on)


def test_the_generator_reaches_every_listing_standard(shipped: Engine) -> None:
    frame = generate(shipped.catalogs, 2000, seed=0)
    assert set(frame["listing_standard"]) == {s.std.id for s in standards(shipped.catalogs)}


def test_rescan_end_to_end(tmp_path: Path, shipped: Engine, cengine: ColumnarEngine, capsys: pytest.CaptureFixture[str]) -> None:
    entries = tmp_path / "entries.parquet"
    frame = generate(shipped.catalogs, 300, seed=7)
    frame.write_parquet(entries)
    out = tmp_path / "result.parquet"
    assert main(["rescan", str(entries), "--out", str(out), "--chunk-rows", "128"]) == 0
    assert "300 entries decided" in capsys.readouterr().out
    result = pl.read_parquet(out)
    assert result["case_id"].to_list() == frame["case_id"].to_list()
    assert set(result["ruleset_hash"]) == {shipped.ruleset.content_hash}
    assert set(result["catalogs_hash"]) == {shipped.catalogs.content_hash}
    assert all(result["catalog_editions"].list.len() > 0)
    sample = frame.head(60)
    want = per_case(shipped, sample)
    got = [(r["determination"], r["outcome"], r["reasons"], r["fired"], r["term_years"]) for r in result.head(60).iter_rows(named=True)]
    assert want == got


def test_rescan_diff_counts_and_writes_the_changed_entries(tmp_path: Path, shipped: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    entries = tmp_path / "entries.parquet"
    generate(shipped.catalogs, 400, seed=11).write_parquet(entries)
    out = tmp_path / "changed.parquet"
    assert main(["rescan-diff", str(entries), "--out", str(out), "--format", "json"]) == 0  # one state against itself
    assert pl.read_parquet(out).height == 0
    capsys.readouterr()
    assert main(["rescan-diff", str(entries), "--out", str(out), "--head-on", "2026-06-30", "--chunk-rows", "150"]) == 1
    text = capsys.readouterr().out
    changed = pl.read_parquet(out)
    assert changed.height > 0 and "unchanged" not in set(changed["change"])
    assert f"{changed.height} changed" in text
    row = changed.row(0, named=True)
    assert {"base_outcome", "head_outcome", "base_reasons", "head_reasons", "change"} <= set(row)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda f: f.drop("listing_standard"), "listing_standard"),
        (lambda f: f.with_columns(pl.col("act_date").cast(pl.String)), "act_date"),
        (lambda f: f.with_columns(pl.lit("martian").alias("subject_kind")), "subject_kind"),
        (lambda f: f.with_columns(pl.lit("x").alias("figure.tax_evaded_cny")), "figure.tax_evaded_cny"),
    ],
)
def test_bad_tables_exit_2_located(tmp_path: Path, shipped: Engine, change, expected: str, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    entries = tmp_path / "entries.parquet"
    change(generate(shipped.catalogs, 20, seed=1)).write_parquet(entries)
    assert main(["rescan", str(entries), "--out", str(tmp_path / "r.parquet")]) == 2
    err = capsys.readouterr().err
    assert str(entries) in err and expected in err and "Traceback" not in err
    assert not (tmp_path / "r.parquet").exists()


@pytest.mark.parametrize("command", ["rescan", "rescan-diff"])
def test_a_bad_value_names_its_row(tmp_path: Path, shipped: Engine, command: str, capsys: pytest.CaptureFixture[str]) -> None:
    entries = tmp_path / "entries.parquet"
    frame = generate(shipped.catalogs, 30, seed=1)
    frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == 17).then(pl.lit("nowhere")).otherwise(pl.col("authority_level")).alias("authority_level"))
    frame.write_parquet(entries)
    assert main([command, str(entries), "--out", str(tmp_path / "r.parquet"), "--chunk-rows", "10"]) == 2
    err = capsys.readouterr().err
    assert f"{entries}:18" in err and "authority_level" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entries.parquet"], "no result and no partial file is left"


@pytest.mark.parametrize("command", ["rescan", "rescan-diff"])
def test_an_empty_table_gives_an_empty_typed_result(tmp_path: Path, shipped: Engine, command: str) -> None:
    """Both commands write through the one streaming writer; no chunk at all still gives a file with the schema."""
    from credit_rules.columnar.diff import CHANGES_SCHEMA
    from credit_rules.columnar.evaluate import RESULT_SCHEMA

    entries = tmp_path / "entries.parquet"
    generate(shipped.catalogs, 5, seed=1).head(0).write_parquet(entries)
    out = tmp_path / "r.parquet"
    assert main([command, str(entries), "--out", str(out), "--on", "2024-01-01"] if command == "rescan" else
                [command, str(entries), "--out", str(out), "--base-on", "2024-01-01", "--head-on", "2024-01-01"]) == 0
    result = pl.read_parquet(out)
    assert result.height == 0 and dict(result.schema) == (RESULT_SCHEMA if command == "rescan" else CHANGES_SCHEMA)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["entries.parquet", "r.parquet"]


def test_the_changes_file_has_its_documented_types(tmp_path: Path, shipped: Engine) -> None:
    from credit_rules.columnar.diff import CHANGES_SCHEMA

    entries = tmp_path / "entries.parquet"
    generate(shipped.catalogs, 200, seed=11).write_parquet(entries)
    out = tmp_path / "changed.parquet"
    main(["rescan-diff", str(entries), "--out", str(out), "--head-on", "2026-06-30", "--chunk-rows", "64"])
    changed = pl.read_parquet(out)
    assert changed.height > 0 and dict(changed.schema) == CHANGES_SCHEMA


def test_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rescan", str(tmp_path / "none.parquet"), "--out", str(tmp_path / "r.parquet")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_every_entries_column_is_documented() -> None:
    from credit_rules.columnar.entries import COLUMNS

    from .conftest import ROOT

    text = (ROOT / "docs" / "national-scale.md").read_text(encoding="utf-8")
    missing = [c.name for c in COLUMNS if f"| `{c.name}` | {c.dtype} | {'yes' if c.required else ''} |" not in text]
    assert not missing, f"docs/national-scale.md does not list {missing}"
    assert "national-scale.md" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_stated_criterion_needs_both_columns(tmp_path: Path, shipped: Engine, capsys: pytest.CaptureFixture[str]) -> None:
    """`listing.stated_criterion` is {citation, met}: the case model refuses one without the other, and so does the
    table (a `met` with no citation is a statement nobody can check)."""
    entries = tmp_path / "entries.parquet"
    frame = generate(shipped.catalogs, 30, seed=1).with_columns(
        pl.when(pl.int_range(pl.len()) == 4).then(pl.lit(True)).otherwise(pl.col("listing_stated_criterion_met")).alias("listing_stated_criterion_met"),
        pl.when(pl.int_range(pl.len()) == 4).then(pl.lit(None, pl.String)).otherwise(pl.col("listing_stated_criterion_citation")).alias("listing_stated_criterion_citation"),
    )
    frame.write_parquet(entries)
    assert main(["rescan", str(entries), "--out", str(tmp_path / "r.parquet")]) == 2
    err = capsys.readouterr().err
    assert f"{entries}:5" in err and "listing_stated_criterion_citation" in err and "Traceback" not in err
