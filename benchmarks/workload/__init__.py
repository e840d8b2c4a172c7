"""The reference workload (../shared/bench/workload.py) in credit_rules' own formats.

* ``rules/`` — R01-R12 as a rule set (``ruleset.yaml`` + a rule file) in the
  project's condition language, over facts of the fact schema.
* ``tables.yaml`` — the 8 domains, the measures M01-M20 and how workload values
  map onto fact values.
* this module — the case generator (the reference's, re-expressed), the fact
  derivation, the measure index, typed input models, and the hand-written
  plain-Python baseline.

Why the lower-level API: a workload case is a flat record (domain, severity,
evidence kind, standard form …), not a :class:`credit_rules.Case`; several of
its values (the 8 domains, the ``none`` evidence kind, a minor legal person)
have no place in a Case.  Every *rule*, though, can be written over facts the
schema has, so the harness loads the rules with :func:`load_ruleset`, derives
facts once per case here, and asks ``PythonBackend.statuses`` /
``DurableBackend.statuses`` — exactly what ``Engine.evaluate`` does inside,
minus the trace objects.  Measures are selected through an index by (domain,
severity), the two things that select them.
"""

from __future__ import annotations

import random
from functools import partial
from itertools import compress
from operator import is_
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal

from typing_extensions import TypedDict

import yaml
from pydantic import BaseModel, ConfigDict

from credit_rules.facts.schema import FactSpec, FactType, all_facts
from credit_rules.model.case import Question
from credit_rules.model.decision import RuleStatus
from credit_rules.ruleset import Rule, load_ruleset

HERE = Path(__file__).parent
RULES_DIR = HERE / "rules"
TABLES = yaml.safe_load((HERE / "tables.yaml").read_text(encoding="utf-8"))

Result = tuple[bool, tuple[str, ...], tuple[str, ...]]
"""(allowed, failed rule ids, applicable measure ids), ids in declaration order (= sorted)."""

# ------------------------------------------------------------------ generator
# The reference generator, draw for draw (random.Random(20261123), same calls in
# the same order), so the corpus is the reference corpus.  One deliberate
# difference: the reference draws a national form with choice(tuple(frozenset)),
# whose order depends on PYTHONHASHSEED, so its corpus changes between
# processes; here the 4 national forms are drawn from a sorted tuple.

SUBJECT_TYPES = ("legal_person", "natural_person")
DOMAINS = ("tax", "customs", "environment", "food_safety", "drug_safety", "labor", "finance", "education")
LISTABLE_SORTED = ("customs", "environment", "food_safety", "tax")
EVIDENCE_KINDS = ("judgment", "arbitral_award", "penalty_decision", "administrative_ruling", "other_statutory", "none")
FORMS = ("law", "admin_regulation", "policy_document", "departmental_rule", "local_regulation", "normative_document")
NATIONAL_FORMS_SORTED = ("admin_regulation", "departmental_rule", "law", "policy_document")
SCOPES = ("national", "local")
SEED = 20261123


def iter_cases(n: int, seed: int = SEED) -> Iterator[dict[str, Any]]:
    """The first *n* reference cases, one at a time (each condition is 'good' with p≈0.9)."""
    rng = random.Random(seed)
    rnd, pick, randint = rng.random, rng.choice, rng.randint
    for i in range(n):
        scope = pick(SCOPES)
        if rnd() < 0.85:
            form = pick(NATIONAL_FORMS_SORTED) if scope == "national" else "local_regulation"
        else:
            form = pick(FORMS)
        subject_type = pick(SUBJECT_TYPES)
        is_minor = rnd() < 0.1
        domain = pick(LISTABLE_SORTED) if rnd() < 0.75 else pick(DOMAINS)
        severity = randint(1, 4)
        evidence = pick(EVIDENCE_KINDS[:5]) if rnd() < 0.92 else pick(EVIDENCE_KINDS)
        effective = rnd() < 0.93
        days = randint(30, 90) if rnd() < 0.9 else randint(0, 60)
        published = rnd() < 0.95
        notice = rnd() < 0.95
        level = "county_or_above" if rnd() < 0.93 else "township"
        yield {
            "case_id": i,
            "subject_type": subject_type,
            "is_minor": is_minor,
            "domain": domain,
            "act_severity": severity,
            "evidence_kind": evidence,
            "evidence_effective": effective,
            "listing_standard_form": form,
            "scope": scope,
            "consultation_days": days,
            "standard_published": published,
            "notice_given": notice,
            "determining_level": level,
        }


def gen_cases(n: int, seed: int = SEED) -> list[dict[str, Any]]:
    return list(iter_cases(n, seed))


# -------------------------------------------------------------- typed inputs


class WorkloadCase(BaseModel):
    """A workload case as a pydantic model (typed input, validated once)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    case_id: int
    subject_type: Literal["legal_person", "natural_person"]
    is_minor: bool
    domain: Literal["tax", "customs", "environment", "food_safety", "drug_safety", "labor", "finance", "education"]
    act_severity: int
    evidence_kind: Literal["judgment", "arbitral_award", "penalty_decision", "administrative_ruling", "other_statutory", "none"]
    evidence_effective: bool
    listing_standard_form: Literal["law", "admin_regulation", "policy_document", "departmental_rule", "local_regulation", "normative_document"]
    scope: Literal["national", "local"]
    consultation_days: int
    standard_published: bool
    notice_given: bool
    determining_level: Literal["county_or_above", "township"]


class WorkloadCaseDict(TypedDict):
    """The same record as a TypedDict: validated, but no model objects."""

    case_id: int
    subject_type: Literal["legal_person", "natural_person"]
    is_minor: bool
    domain: Literal["tax", "customs", "environment", "food_safety", "drug_safety", "labor", "finance", "education"]
    act_severity: int
    evidence_kind: Literal["judgment", "arbitral_award", "penalty_decision", "administrative_ruling", "other_statutory", "none"]
    evidence_effective: bool
    listing_standard_form: Literal["law", "admin_regulation", "policy_document", "departmental_rule", "local_regulation", "normative_document"]
    scope: Literal["national", "local"]
    consultation_days: int
    standard_published: bool
    notice_given: bool
    determining_level: Literal["county_or_above", "township"]


# -------------------------------------------------------- facts and measures

_DOMAIN = {name: (bool(d["listable"]), bool(d["minors_excluded"])) for name, d in TABLES["domains"].items()}
_EVIDENCE: dict[str, str | None] = TABLES["facts"]["evidence_kind"]
_FORM: dict[str, str] = TABLES["facts"]["listing_standard_form"]
_LEVEL: dict[str, str] = TABLES["facts"]["determining_level"]
_MINOR_AGE: int = TABLES["facts"]["minor_age"]


def derive(c: Mapping[str, Any]) -> dict[str, object]:
    """The facts of one workload case (fact names from the fact schema), derived once.

    Takes a dict, a validated TypedDict, or a :class:`WorkloadCase`'s
    ``__dict__`` (no re-validation, no copy of the model).
    """
    listable, minors_excluded = _DOMAIN[c["domain"]]
    evidence = c["evidence_kind"]
    return {
        "document.present": evidence != "none",
        "document.kind": _EVIDENCE[evidence],
        "document.effective": c["evidence_effective"],
        "subject.kind": c["subject_type"],
        "subject.age_at_act": _MINOR_AGE if c["is_minor"] else None,
        "act.field_known": listable,
        "act.gravity_rank": c["act_severity"],
        "standard.minors_excluded": minors_excluded,
        "standard.scope": c["scope"],
        "standard.basis_form": _FORM[c["listing_standard_form"]],
        "standard.consultation_days": c["consultation_days"],
        "standard.published_on_credit_china": c["standard_published"],
        "procedure.notice_given": c["notice_given"],
        "authority.level": _LEVEL[c["determining_level"]],
    }


MEASURES: tuple[tuple[str, frozenset[str], int], ...] = tuple(
    (m["id"], frozenset(m["domains"]), int(m["min_severity"])) for m in TABLES["measures"]
)


def measure_index(measures: Sequence[tuple[str, frozenset[str], int]] = MEASURES) -> dict[tuple[str, int], tuple[str, ...]]:
    """(domain, severity) -> the measures that apply, in declaration order: built once, looked up per case."""
    return {
        (domain, severity): tuple(mid for mid, doms, least in measures if domain in doms and severity >= least)
        for domain in DOMAINS
        for severity in range(1, 5)
    }


def workload_facts() -> dict[str, FactSpec]:
    """The engine's fact schema plus the three synthetic facts of the reference workload (its cases give an age, an
    "evidence effective" flag and a severity number directly, where the engine derives them with definitions)."""
    facts = dict(all_facts())
    facts.update({
        "document.effective": FactSpec("document.effective", FactType.bool, "workload: the evidence is effective"),
        "subject.age_at_act": FactSpec("subject.age_at_act", FactType.int, "workload: age at the act"),
        "act.gravity_rank": FactSpec("act.gravity_rank", FactType.int, "workload: act severity 1-4"),
    })
    return facts


def load_rules() -> tuple[Rule, ...]:
    """R01-R12, loaded, checked and compiled by credit_rules' own loader (over the workload's fact schema)."""
    ruleset = load_ruleset(RULES_DIR, facts=workload_facts())
    return ruleset.by_question[Question.listing]


def make_decider(backend: Any, rules: tuple[Rule, ...] | None = None) -> Callable[[Mapping[str, Any]], Result]:
    """Decide one workload case (as a mapping) with *backend*'s ``statuses``."""
    rules = rules if rules is not None else load_rules()
    short = tuple(r.id.split(".", 1)[0] for r in rules)
    index = measure_index()
    if hasattr(backend, "compiled"):  # the default backend: the rule list's plan, looked up once
        statuses_of = backend.compiled(rules)
    else:
        statuses_of = partial(backend.statuses, rules)
    is_failed = partial(is_, RuleStatus.failed)

    def decide(c: Mapping[str, Any]) -> Result:
        st = statuses_of(derive(c))
        fired = tuple(compress(short, map(is_failed, st)))
        return (not fired, fired, index[c["domain"], c["act_severity"]])

    return decide


# ------------------------------------------------ hand-written plain Python


def plain_decide(c: Mapping[str, Any]) -> Result:
    """The checks written by hand as an if-chain: what a user would write instead (implementation c)."""
    failed = []
    evidence = c["evidence_kind"]
    domain = c["domain"]
    form = c["listing_standard_form"]
    scope = c["scope"]
    days = c["consultation_days"]
    if evidence == "none":
        failed.append("R01")
    if not c["evidence_effective"]:
        failed.append("R02")
    if domain not in ("tax", "customs", "environment", "food_safety"):
        failed.append("R03")
    if scope == "national":
        if form not in ("law", "admin_regulation", "policy_document", "departmental_rule"):
            failed.append("R04")
    elif form != "local_regulation":
        failed.append("R04")
    if days < 30:
        failed.append("R05")
    if not c["standard_published"]:
        failed.append("R06")
    if not c["notice_given"]:
        failed.append("R07")
    if c["determining_level"] != "county_or_above":
        failed.append("R08")
    if c["is_minor"] and domain in ("food_safety", "education"):
        failed.append("R09")
    if c["subject_type"] == "natural_person" and c["act_severity"] < 2:
        failed.append("R10")
    if evidence == "other_statutory" and form not in ("law", "admin_regulation"):
        failed.append("R11")
    if scope == "local" and days < 45:
        failed.append("R12")
    severity = c["act_severity"]
    measures = tuple([mid for mid, doms, least in MEASURES if domain in doms and severity >= least])
    return (not failed, tuple(failed), measures)
