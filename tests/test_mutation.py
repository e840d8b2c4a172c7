"""Mutation testing (credit-rules mutate): the operators, the verdicts, the report and the command."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from credit_rules.cli import main
from credit_rules.mutation import Tree, Verdict, mutants, run, score
from credit_rules.mutation.report import render_text
from credit_rules.regression.runner import collect
from credit_rules.shipped import shipped_catalogs_dir, shipped_rules_dir
from credit_rules.yamlsource import Located

from .conftest import FIXTURES, ROOT, TEST_CATALOGS


def _ops(data: object) -> list[tuple[str, str, object]]:
    return [(m.field, m.operator, m.after) for m in mutants(Located(data, "f.yaml", {}), "catalogs")]


def test_operators_cover_numbers_dates_flags_lists_and_operators() -> None:
    data = {
        "entries": [
            {
                "id": "x", "name_zh": "不变", "citation": "某法 第一条", "years": 3, "verified": True,
                "effective_from": dt.date(2021, 1, 1), "fields": ["a", "b"],
                "thresholds": [{"quantity": "amount", "op": "ge", "value": 1000}],
            }
        ]
    }
    found = _ops(data)
    assert ("entries.0.years", "number_plus_one", 4) in found and ("entries.0.years", "number_minus_one", 2) in found
    assert ("entries.0.verified", "flag_flipped", False) in found
    assert ("entries.0.effective_from", "date_minus_day", dt.date(2020, 12, 31)) in found
    assert ("entries.0.effective_from", "date_plus_year", dt.date(2022, 1, 1)) in found
    assert ("entries.0.fields.1", "item_removed", None) in found
    assert ("entries.0.thresholds.0.op", "operator_shifted", "gt") in found
    assert ("entries.0.thresholds.0.value", "number_times_1.1", 1100) in found
    assert not [f for f in found if f[0].endswith(("name_zh", "citation", ".id"))]  # text and identity are not law
    cited = next(m for m in mutants(Located(data, "f.yaml", {}), "catalogs") if m.field == "entries.0.years")
    assert cited.cited == "某法 第一条" and cited.meaning() == "某法 第一条 years 3 → 4"


def test_rule_operators_shift_comparisons_weaken_effects_and_drop_exceptions() -> None:
    rules = {
        "definitions": [
            {"id": "adult", "type": "bool", "source": "民法典 第十七条", "value": "age >= 18"},
            {"id": "adult", "label": "court", "exception_to": "adult", "type": "bool", "source": "法释", "value": "true"},
        ],
        "rules": [{"id": "R1", "source": "49号(二)", "effect": "refuse", "require": {"fact": "document.present", "eq": True}}],
    }
    found = {(m.field, m.operator): m for m in mutants(Located(rules, "r.yaml", {}), "rules")}
    assert found[("definitions.0.value", "operator_shifted")].after == "age > 18"
    assert found[("definitions.1", "exception_dropped")].cited == "法释"
    assert found[("rules.0.effect", "effect_weakened")].after == "warn"
    shifted = found[("rules.0.require", "operator_shifted")]
    assert shifted.after == {"fact": "document.present", "ne": True}
    assert shifted.apply(rules)["rules"][0]["require"] == {"fact": "document.present", "ne": True}
    dropped = found[("definitions.1", "exception_dropped")].apply(rules)
    assert len(dropped["definitions"]) == 1 and len(rules["definitions"]) == 2  # the original is never touched


@pytest.fixture(scope="module")
def tree() -> Tree:
    return Tree.read([shipped_catalogs_dir(), TEST_CATALOGS], shipped_rules_dir(), [shipped_catalogs_dir()])


@pytest.fixture(scope="module")
def listing_fixtures() -> list:  # type: ignore[type-arg]
    return [i for i in collect([FIXTURES / "listing"]) if i.fixture is not None]


def _pick(tree: Tree, file_end: str, field: str, operator: str):  # type: ignore[no-untyped-def]
    return next((p, m) for p, m in tree.mutants() if m.file.endswith(file_end) and m.field == field and m.operator == operator)


def test_verdicts_killed_caught_and_survived(tree: Tree, listing_fixtures: list) -> None:  # type: ignore[type-arg]
    params = tree.files[next(p for p in tree.files if p.name == "parameters.yaml" and "national" in p.parts)].data
    index = next(i for i, e in enumerate(params["entries"]) if e["id"] == "min_consultation_days")
    consultation = _pick(tree, "national/parameters.yaml", f"entries.{index}.values.0.value", "number_plus_one")
    doomed = _pick(tree, "rules/national/gbf-2020-49/listing.yaml", "rules.0.effect", "effect_weakened")  # C0: no valid determination
    never_read = _pick(tree, "national/parameters.yaml", f"entries.{index}.values.0.from", "date_minus_day")
    outcomes = run(tree, listing_fixtures, [consultation, doomed, never_read])
    verdicts = [o.verdict for o in outcomes]
    assert verdicts[0] is Verdict.killed and verdicts[1] is Verdict.killed, outcomes
    assert verdicts[2] is Verdict.survived  # moving the date the 30 days apply from by a day: no fixture sits there
    s = score(outcomes)
    assert (s.total, s.killed, s.survived) == (3, 2, 1) and round(s.percent, 1) == 66.7
    text = render_text(tree, listing_fixtures, outcomes)
    assert "mutation score: 66.7%" in text and "49号(七)" in text and "→ add a fixture" in text


def test_a_change_the_schema_refuses_is_caught_at_load_time(tree: Tree, listing_fixtures: list) -> None:  # type: ignore[type-arg]
    def ends_before_it_starts(m) -> bool:  # type: ignore[no-untyped-def]
        if m.operator not in ("date_minus_year", "date_minus_day") or not m.field.endswith("effective_to"):
            return False
        node = tree.files[next(p for p in tree.files if tree.files[p].file == m.file)].data
        for step in m.path[:-1]:
            node = node[step]
        start = node.get("effective_from")
        return isinstance(start, dt.date) and m.after < start

    caught = next((p, m) for p, m in tree.mutants("catalogs") if ends_before_it_starts(m))
    outcome = run(tree, listing_fixtures[:3], [caught])[0]
    assert outcome.verdict is Verdict.caught_at_load and "effective_to" in outcome.by


def test_the_command_reports_json_and_honours_the_floor(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["mutate", str(FIXTURES / "listing"), "--catalogs", "shipped", "--catalogs", str(TEST_CATALOGS), "--mutate", "shipped",
            "--only", "rules", "--budget", "4", "--seed", "3", "--format", "json"]
    assert main(args) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["score"]["total"] == 4 and len(payload["mutants"]) == 4
    assert all(m["file"].startswith("rules/") for m in payload["mutants"])
    assert main([*args[:-2], "--fail-under", "100.1"]) == 1


def test_the_command_refuses_bad_options(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mutate", str(FIXTURES / "listing"), "--processes", "0"]) == 2
    assert main(["mutate", str(FIXTURES / "listing"), "--mutate", str(tmp_path)]) == 2
    assert "--mutate" in capsys.readouterr().err


def test_reusing_the_unchanged_half_gives_the_same_verdicts(tree: Tree, listing_fixtures: list) -> None:  # type: ignore[type-arg]
    """A rule mutant reuses the catalogs, a catalog mutant the compiled rules: the verdict is the one a full reload gives."""
    from credit_rules.mutation.run import first_failure

    base = tree.engine()
    picked = [next((p, m) for p, m in tree.mutants("rules") if m.operator == "effect_weakened"),
              next((p, m) for p, m in tree.mutants("catalogs") if m.operator == "number_plus_one" and "listing_standards" in m.file)]
    for path, mutant in picked:
        order = list(range(len(listing_fixtures)))
        reused, fresh = tree.engine(path, mutant, base), tree.engine(path, mutant)
        assert (reused.ruleset is base.ruleset) == (mutant.area == "catalogs")
        assert (reused.catalogs is base.catalogs) == (mutant.area == "rules")
        assert first_failure(reused, listing_fixtures, order) == first_failure(fresh, listing_fixtures, list(order))


def test_equivalent_mutants_are_recorded_with_why_and_left_out_of_the_score(tree: Tree, listing_fixtures: list, tmp_path: Path) -> None:  # type: ignore[type-arg]
    from credit_rules.mutation.equivalent import anchor, load_equivalents, stale
    from credit_rules.mutation.run import mark_equivalent

    params_path = next(p for p in tree.files if p.name == "parameters.yaml" and "national" in p.parts)
    params = tree.files[params_path].data
    index = next(i for i, e in enumerate(params["entries"]) if e["id"] == "min_consultation_days")
    path, never_read = _pick(tree, "national/parameters.yaml", f"entries.{index}.values.0.from", "date_minus_day")
    assert anchor(params, never_read) == ("min_consultation_days", "values.0.from")
    registry_file = tmp_path / "equivalent.yaml"
    registry_file.write_text(
        "equivalent:\n"
        f"  - file: {never_read.file}\n    entry: min_consultation_days\n    field: values.0.from\n"
        f"    operator: date_minus_day\n    before: {never_read.before}\n    why: no list decision predates 49号\n"
        f"  - file: {never_read.file}\n    entry: no_such_parameter\n    field: values.0.value\n"
        "    operator: number_plus_one\n    why: stale on purpose\n",
        encoding="utf-8",
    )
    registry = load_equivalents(registry_file)
    outcomes, wrongly = mark_equivalent(tree, run(tree, listing_fixtures, [(path, never_read)]), registry)
    assert outcomes[0].verdict is Verdict.equivalent and outcomes[0].by == "no list decision predates 49号" and not wrongly
    s = score(outcomes)
    assert (s.total, s.equivalent, s.percent) == (1, 1, 100.0)
    assert "why: no list decision predates 49号" in render_text(tree, listing_fixtures, outcomes)
    assert [e.entry for e in stale(registry, [m for _, m in tree.mutants()], {src.file: src for src in tree.files.values()})] == ["no_such_parameter"]


def test_after_singles_out_one_of_several_mutants_of_one_datum(tree: Tree, tmp_path: Path) -> None:
    """An expression with two ``<=`` gives two operator_shifted mutants of one datum; ``after`` names which one is
    equivalent (list_regime_in_force's last day), so the other (its first day) stays judged."""
    from credit_rules.mutation.equivalent import anchor, load_equivalents, stale

    files = {src.file: src for src in tree.files.values()}
    shifted = [
        m for _, m in tree.mutants()
        if m.file.endswith("ndrc-repair/repair.yaml") and m.operator == "operator_shifted"
        and anchor(files[m.file].data, m) == ("list_regime_in_force", "value")
    ]
    assert len(shifted) == 2
    last_day = next(m for m in shifted if "application_date < repair.list_regime_effective_to" in m.after)
    first_day = next(m for m in shifted if m is not last_day)
    registry_file = tmp_path / "equivalent.yaml"
    registry_file.write_text(
        "equivalent:\n"
        f"  - file: {last_day.file}\n    entry: list_regime_in_force\n    field: value\n    operator: operator_shifted\n"
        f"    after: {json.dumps(last_day.after, ensure_ascii=False)}\n    why: the last day only\n"
        f"  - file: {last_day.file}\n    entry: list_regime_in_force\n    field: value\n    operator: operator_shifted\n"
        "    after: no such text\n    why: stale on purpose\n",
        encoding="utf-8",
    )
    exact, wrong = load_equivalents(registry_file)
    assert exact.after == last_day.after
    assert exact.matches(last_day, anchor(files[last_day.file].data, last_day))
    assert not exact.matches(first_day, anchor(files[first_day.file].data, first_day))
    assert stale([exact, wrong], shifted, files) == [wrong]


def test_an_equivalent_file_without_why_is_refused_located(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "equivalent.yaml"
    bad.write_text("equivalent:\n  - file: x.yaml\n    field: a\n    operator: flag_flipped\n    colour: red\n", encoding="utf-8")
    assert main(["mutate", str(FIXTURES / "listing"), "--equivalent", str(bad), "--budget", "1"]) == 2
    err = capsys.readouterr().err
    assert "equivalent.yaml:5" in err and "colour" in err and "Traceback" not in err


def test_file_globs_narrow_the_mutants_and_a_glob_matching_nothing_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["mutate", str(FIXTURES / "listing"), "--catalogs", "shipped", "--catalogs", str(TEST_CATALOGS), "--mutate", "shipped",
            "--file", "*/jurisdiction.yaml", "--format", "json"]
    assert main(args) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["mutants"] and all(m["file"].endswith("/jurisdiction.yaml") for m in payload["mutants"])
    assert main([*args[:-4], "--file", "*/nothing-like-this.yaml"]) == 2
    assert "--file" in capsys.readouterr().err


def test_after_singles_out_one_of_two_mutants_of_the_same_datum(tmp_path: Path) -> None:
    """`list_regime_in_force` has two `<=`; each shift is a mutant of the same field, operator and `before`. The
    registry's `after` (the mutated value) tells them apart, so one can be recorded as equivalent and the other not."""
    from credit_rules.mutation.equivalent import anchor, load_equivalents
    from credit_rules.mutation.operators import mutants, shown
    from credit_rules.yamlsource import Located, load_file

    loaded = load_file(ROOT / "rules/national/ndrc-repair/repair.yaml")
    src = Located(loaded.data, "rules/national/ndrc-repair/repair.yaml", loaded.lines)  # shown as the registry names it
    shifts = [m for m in mutants(src, "rules") if anchor(src.data, m)[0] == "list_regime_in_force" and m.operator == "operator_shifted"]
    assert len(shifts) == 2 and shifts[0].field == shifts[1].field and shown(shifts[0].before) == shown(shifts[1].before)
    last_day = next(m for m in shifts if "application_date < repair.list_regime_effective_to" in shown(m.after))
    registry_file = tmp_path / "equivalent.yaml"
    registry_file.write_text(
        "equivalent:\n"
        "  - file: rules/national/ndrc-repair/repair.yaml\n    entry: list_regime_in_force\n    field: value\n"
        "    operator: operator_shifted\n"
        f"    after: {json.dumps(shown(last_day.after), ensure_ascii=False)}\n"
        "    why: no shipped list regime has an end date\n",
        encoding="utf-8",
    )
    (entry,) = load_equivalents(registry_file)
    matched = [m for m in shifts if entry.matches(m, anchor(src.data, m))]
    assert matched == [last_day]
