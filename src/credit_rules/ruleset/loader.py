"""Load, check and compile a rule tree (``rules/``)."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError, Problem
from ..model.case import Question
from ..validation import problems_from, validate
from ..yamlsource import Located, load_file
from .language import compile_condition, facts_in, parse_condition
from .model import Manifest, Rule, RuleFile, RuleSet, RuleSpec

MANIFEST = "ruleset.yaml"


def _load_rules_file(src: Located) -> tuple[list[Rule], list[Problem]]:
    rf = validate(RuleFile, src)
    rules: list[Rule] = []
    problems: list[Problem] = []
    for index, raw in enumerate(rf.rules):
        path: tuple[str | int, ...] = ("rules", index)
        try:
            spec = RuleSpec.model_validate(raw)
        except ValidationError as exc:
            problems += problems_from(exc, src, path)
            continue
        when = None
        if spec.when is not None:
            when, found = parse_condition(spec.when, src, (*path, "when"))
            problems += found
        require, found = parse_condition(spec.require, src, (*path, "require"))
        problems += found
        if require is None or (spec.when is not None and when is None):
            continue
        reads = facts_in(when) if when is not None else []
        reads += [f for f in facts_in(require) if f not in reads]
        rules.append(
            Rule(
                spec=spec,
                jurisdiction=rf.jurisdiction,
                when=when,
                require=require,
                when_fn=compile_condition(when) if when is not None else None,
                require_fn=compile_condition(require),
                reads=tuple(reads),
                file=src.file,
                line=src.line_of(path),
            )
        )
    return rules, problems


def load_ruleset(root: Path | str, *, relative_to: Path | None = None) -> RuleSet:
    """Load every rule file below *root*; all problems are reported together."""
    base = Path(root)
    if not base.is_dir():
        raise InputError.one(str(base), None, "(directory)", "a directory of rule YAML files", "not a directory")
    manifest_path = base / MANIFEST
    problems: list[Problem] = []
    src = load_file(manifest_path)
    manifest = validate(Manifest, src)
    rules: list[Rule] = []
    for path in sorted(base.rglob("*.yaml")):
        if path == manifest_path:
            continue
        shown = str(path.relative_to(relative_to)) if relative_to else str(path)
        try:
            loaded = load_file(path)
            found, more = _load_rules_file(Located(loaded.data, shown, loaded.lines))
            rules += found
            problems += more
        except InputError as exc:
            problems += exc.problems
    seen: dict[str, Rule] = {}
    for rule in rules:
        if rule.id in seen:
            first = seen[rule.id]
            problems.append(
                Problem(rule.file, rule.line, "id", f"a unique rule id (already used at {first.file}:{first.line})", rule.id)
            )
        seen[rule.id] = rule
    if problems:
        raise InputError(problems)
    by_question = {q: tuple(r for r in rules if r.spec.question is q) for q in Question}
    return RuleSet(
        manifest.name,
        manifest.version,
        tuple(rules),
        by_question,
        tuple(item.render() for item in manifest.listing_decision_document),
        tuple(item.render() for item in manifest.measure_prior_notice),
    )
