"""Realistic cases for the shipped rule set: the example cases, varied with a fixed seed.

Each generated case starts from one of ``examples/cases/*.yaml`` and changes
what varies between real cases: the dates (all shifted together, so a
natural person may be a minor or not on the act date and different catalog
editions and calendars apply), gravity, intent and circumstances, the state
of the legally effective document, the prior notice, the deciding
authority's level, the amounts (criteria thresholds), a fresh valid USCC for
organisations, and, for some Wuzhou cases, "every applicable measure".  The
result is JSON-ready (dates as ISO strings), as a batch file would hold it.
"""

from __future__ import annotations

import copy
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from credit_rules.identifiers import USCC_CHARSET, uscc_check_char

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples" / "cases").glob("*.yaml"))
SEED = 20261124


def templates() -> list[dict[str, Any]]:
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in EXAMPLES]


def _shift(value: Any, days: int) -> Any:
    """Every date inside *value* moved by *days*; dates become ISO strings."""
    if isinstance(value, date):
        return (value + timedelta(days=days)).isoformat()
    if isinstance(value, dict):
        return {k: _shift(v, days) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift(v, days) for v in value]
    return value


def _uscc(rng: random.Random, region: str) -> str:
    body = "91" + region + "".join(rng.choice(USCC_CHARSET) for _ in range(9))
    return body + uscc_check_char(body)


def vary(template: dict[str, Any], rng: random.Random, ident: str) -> dict[str, Any]:
    case: dict[str, Any] = _shift(copy.deepcopy(template), rng.randint(-400, 700))
    case["case_id"] = ident
    act = case["act"]
    act["gravity"] = rng.choices(["minor", "general", "serious", "especially_serious"], [1, 3, 5, 2])[0]
    act["intent"] = rng.choices(["intentional", "negligent", "none"], [8, 2, 1])[0]
    for flag, p in (("malicious", 0.8), ("serious_circumstances", 0.8), ("high_social_harm", 0.75), ("repeated", 0.2), ("force_majeure", 0.03)):
        act[flag] = rng.random() < p
    act["amounts"] = {k: int(v * rng.uniform(0.3, 3.0)) for k, v in act.get("amounts", {}).items()}
    doc = act.get("document")
    if doc is not None:
        r = rng.random()
        if r < 0.04:
            del act["document"]
        elif r < 0.09:
            doc.pop("effective", None)
        elif r < 0.12:
            doc["revoked"] = doc["issued"]
        doc["under_review"] = rng.random() < 0.05
    subject = case["subject"]
    if subject.get("uscc"):
        subject["uscc"] = _uscc(rng, case["jurisdiction"])
    listing = case.get("listing")
    if listing is not None:
        listing["authority"]["level"] = rng.choices(["township", "county", "municipal", "provincial"], [1, 6, 6, 2])[0]
        if rng.random() < 0.1:
            listing.pop("notice", None)
        elif "notice" in listing:
            for part in ("states_reasons", "states_basis", "states_rights"):
                listing["notice"][part] = rng.random() < 0.93
    if case["jurisdiction"] == "450400" and subject["kind"] != "natural_person" and rng.random() < 0.15:
        case["measures"] = {"all_applicable": True}
    return case


def iter_realistic(n: int, seed: int = SEED) -> Iterator[dict[str, Any]]:
    """*n* varied cases, round-robin over the example templates."""
    rng = random.Random(seed)
    base = templates()
    for i in range(n):
        yield vary(base[i % len(base)], rng, f"gen-{i:06d}")


def example_raws() -> list[dict[str, Any]]:
    """The shipped examples themselves, JSON-ready."""
    out: list[dict[str, Any]] = [_shift(t, 0) for t in templates()]
    return out
