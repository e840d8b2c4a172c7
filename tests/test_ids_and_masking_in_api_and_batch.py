"""Issue 15 items 3 and 8 (leftovers): the Python API and ``decide --batch`` check ids and mask like the CLI.

- A misspelled id is bad input everywhere: ``Engine.decide`` raises
  :class:`InputError` with a did-you-mean; in a batch it is that line's
  located error (file, line, field) and the batch goes on — never a legal
  refusal such as ``no_criterion_met``.
- ``Decision.to_json()`` and every batch item mask a ``case_id`` shaped like a
  resident ID unless the caller names a disclosure basis; ``decide --batch
  --out FILE`` writes through the same masking pass as stdout.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from credit_rules import Engine, InputError, load_case
from credit_rules.cli import main
from credit_rules.engine.batch import decide_many
from credit_rules.identifiers import resident_id_check_char

from .conftest import ROOT

_FIRST17 = "11010519491231002"
ID = _FIRST17 + resident_id_check_char(_FIRST17)
EXAMPLE = ROOT / "examples" / "cases" / "wuzhou_food_listing.yaml"
PERSON = ROOT / "examples" / "cases" / "court_minor_debtor.yaml"


def _shows(text: str) -> bool:
    return ID[3:16] in re.sub(r"[\s\-_.,/]", "", text)


def _data(path: Path, **update: Any) -> dict[str, Any]:
    data = load_case(path).model_dump(mode="json", exclude_unset=True)
    data.update(update)
    return data


def _misspelled() -> dict[str, Any]:
    data = _data(EXAMPLE, case_id="typo")
    data["act"]["conduct"] = [c + "x" for c in data["act"]["conduct"]]
    return data


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.load()


def test_engine_decide_refuses_a_misspelled_id_with_a_did_you_mean(engine: Engine) -> None:
    from credit_rules.model.case import Case

    case = Case.model_validate(_misspelled())
    with pytest.raises(InputError) as exc:
        engine.decide(case)
    text = exc.value.render()
    assert "act.conduct[0]" in text and "did you mean" in text


def test_engine_decide_can_skip_the_check_for_callers_that_checked(engine: Engine) -> None:
    from credit_rules.model.case import Case

    decision = engine.decide(Case.model_validate(_misspelled()), check_ids=False)
    assert decision.listing is not None and decision.listing.outcome.value != "allowed"


def test_a_misspelled_id_in_a_batch_line_is_that_lines_located_error(engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = json.dumps(_data(EXAMPLE, case_id="good"), ensure_ascii=False)
    bad = json.dumps(_misspelled(), ensure_ascii=False)
    path = tmp_path / "cases.jsonl"
    path.write_text(f"{good}\n{bad}\n{good}\n", encoding="utf-8")
    assert main(["decide", "--batch", str(path)]) == 1
    items = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [i["ok"] for i in items] == [True, False, True]
    assert items[1]["error"].startswith(f"{path}:2: field 'act.conduct[0]'") and "did you mean" in items[1]["error"]
    assert items[1]["decision"] is None  # not a legal refusal


def test_a_misspelled_id_in_a_mapping_given_to_decide_many_is_an_item_error(engine: Engine) -> None:
    items = list(decide_many(engine, [_misspelled(), _data(EXAMPLE, case_id="ok")]))
    assert [i.ok for i in items] == [False, True]
    assert items[0].error is not None and "(case 0): field 'act.conduct[0]'" in items[0].error


def test_to_json_masks_a_case_id_shaped_like_a_resident_id(engine: Engine) -> None:
    case = load_case(PERSON).model_copy(update={"case_id": f"案-{ID}"})
    masked = engine.decide(case)
    assert not _shows(masked.to_json()) and masked.case_id.startswith("案-110")
    clear = engine.decide(case, disclosure_basis="当事人书面同意")
    assert clear.case_id == f"案-{ID}"


def test_batch_items_mask_the_case_id_unless_a_basis_is_given(engine: Engine) -> None:
    data = _data(PERSON, case_id=ID)
    (item,) = decide_many(engine, [data])
    assert item.ok and not _shows(item.to_json_line())
    (clear,) = decide_many(engine, [data], disclosure_basis="当事人书面同意")
    assert clear.case_id == ID


def test_batch_out_file_shows_no_planted_resident_id(tmp_path: Path) -> None:
    """A resident ID planted in every string field of a case, one line each: the --out file never shows it."""
    base = _data(PERSON)

    def paths(node: Any, at: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        if isinstance(node, dict):
            return [p for k, v in node.items() for p in paths(v, (*at, k))]
        if isinstance(node, list):
            return [p for i, v in enumerate(node) for p in paths(v, (*at, i))]
        return [at] if isinstance(node, str) else []

    lines = []
    for where in paths(base):
        data = json.loads(json.dumps(base))
        node = data
        for step in where[:-1]:
            node = node[step]
        node[where[-1]] = ID
        lines.append(json.dumps(data, ensure_ascii=False))
    batch = tmp_path / "cases.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "results.jsonl"
    main(["decide", "--batch", str(batch), "--out", str(out)])
    text = out.read_text(encoding="utf-8")
    assert len(text.splitlines()) == len(lines)
    assert not _shows(text)


def test_batch_out_file_is_clear_under_a_disclosure_basis(tmp_path: Path) -> None:
    batch = tmp_path / "cases.jsonl"
    batch.write_text(json.dumps(_data(PERSON, case_id=ID), ensure_ascii=False) + "\n", encoding="utf-8")
    out = tmp_path / "results.jsonl"
    assert main(["decide", "--batch", str(batch), "--out", str(out), "--disclosure-basis", "当事人书面同意"]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["case_id"] == ID
