"""The rescan on a local Dask cluster of two worker processes gives the single-machine result, row for row."""

from __future__ import annotations

from pathlib import Path

import pytest

pl = pytest.importorskip("polars")
distributed = pytest.importorskip("distributed")

from credit_rules import Engine  # noqa: E402
from credit_rules.columnar.cluster import rescan_on_cluster  # noqa: E402
from credit_rules.columnar.evaluate import ColumnarEngine  # noqa: E402
from credit_rules.columnar.generate import generate  # noqa: E402
from credit_rules.columnar.rescan import rescan  # noqa: E402
from credit_rules.errors import InputError  # noqa: E402
from credit_rules.shipped import shipped_catalogs_dir, shipped_rules_dir  # noqa: E402


@pytest.fixture(scope="module")
def client():  # type: ignore[no-untyped-def]
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as cluster:
        with distributed.Client(cluster) as c:
            yield c


def test_two_workers_give_the_single_machine_result(tmp_path: Path, client) -> None:  # type: ignore[no-untyped-def]
    engine = Engine.load()
    entries = tmp_path / "entries.parquet"
    generate(engine.catalogs, 1_000, seed=5).write_parquet(entries)
    single, spread = tmp_path / "single.parquet", tmp_path / "cluster.parquet"
    a = rescan(entries, single, ColumnarEngine.of(engine), chunk_rows=1_000)
    b = rescan_on_cluster(entries, spread, client, [shipped_catalogs_dir()], shipped_rules_dir(), chunk_rows=150, parts_dir=tmp_path)
    assert a.outcomes == b.outcomes and b.rows == 1_000
    assert pl.read_parquet(single).equals(pl.read_parquet(spread))
    workers = {w for w in client.has_what() if client.has_what()[w] is not None}
    assert len(workers) == 2


def test_a_bad_row_is_located_in_the_whole_table(tmp_path: Path, client) -> None:  # type: ignore[no-untyped-def]
    engine = Engine.load()
    entries = tmp_path / "entries.parquet"
    frame = generate(engine.catalogs, 100, seed=5)
    frame = frame.with_columns(pl.when(pl.int_range(pl.len()) == 61).then(pl.lit("nowhere")).otherwise(pl.col("authority_level")).alias("authority_level"))
    frame.write_parquet(entries)
    with pytest.raises(InputError) as err:
        rescan_on_cluster(entries, tmp_path / "r.parquet", client, [shipped_catalogs_dir()], shipped_rules_dir(), chunk_rows=25, parts_dir=tmp_path)
    assert f"{entries}:62" in err.value.render() and "authority_level" in err.value.render()


def test_the_command_line_runs_on_a_local_cluster(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from credit_rules.cli import main

    entries = tmp_path / "entries.parquet"
    generate(Engine.load().catalogs, 300, seed=9).write_parquet(entries)
    single, spread = tmp_path / "single.parquet", tmp_path / "cluster.parquet"
    assert main(["rescan", str(entries), "--out", str(single)]) == 0
    assert main(["rescan", str(entries), "--out", str(spread), "--dask", "local:2", "--chunk-rows", "100"]) == 0
    assert "300 entries decided" in capsys.readouterr().out
    assert pl.read_parquet(single).equals(pl.read_parquet(spread))
