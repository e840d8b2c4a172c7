"""Load, check and compile a rule tree (``rules/``): definitions first, then the rules that read them."""

from __future__ import annotations

import graphlib
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from ..errors import InputError, Problem
from ..safefiles import contained_file_problem, walk
from ..facts.schema import FactSpec, FactType, all_facts
from ..model.case import Question
from ..validation import problems_from, validate
from ..yamlsource import Located, load_file
from .checker import check, parse_type
from .definitions import Case, Definition, DefinitionGroup, DefinitionSet, DefinitionSpec, order_groups
from .evaluate import compile_expr
from .expr import ExprError, Type, names_in, params_in, parse, reads_question_date
from .language import compile_condition, facts_in, fact_type, parse_condition
from .model import Manifest, Rule, RuleFile, RuleSet, RuleSpec

MANIFEST = "ruleset.yaml"

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class _Raw:
    """A rule file's parsed YAML and envelope, before its definitions and rules are compiled."""

    src: Located
    file: RuleFile


class Scope:
    """Names an expression may read: facts, definitions (by declared type) and parameters."""

    def __init__(self, facts: Mapping[str, FactSpec], defs: Mapping[str, Type], params: Mapping[str, Type]) -> None:
        self._facts, self._defs, self._params = facts, defs, params

    def type_of(self, name: str) -> Type | None:
        if name in self._defs:
            return self._defs[name]
        spec = self._facts.get(name)
        return None if spec is None else fact_type(spec)

    def names(self) -> list[str]:
        return [*self._defs, *self._facts]

    def param_type(self, name: str) -> Type | None:
        return self._params.get(name)

    def param_names(self) -> list[str]:
        return list(self._params)


def _same_type(a: Type, b: Type) -> bool:
    return a.kind == b.kind and a.unit == b.unit and set(a.values) == set(b.values)


def _compile_expr(
    text: str, scope: Scope, src: Located, path: Path_, problems: list[Problem], expect: Type | None = None, dated: list[bool] | None = None
) -> tuple[object | None, list[str], list[str]]:
    """Parse, check and compile one expression; a problem located at file:line with the column."""
    try:
        node, t = check(parse(text), scope, expect)
    except ExprError as exc:
        problems.append(src.problem(path, f"an expression (at column {exc.column + 1} of {text!r}: {exc.message})"))
        return None, [], []
    if expect is not None and not _same_type(expect, t) and not (expect.kind == t.kind == "enum" and set(t.values) <= set(expect.values)):
        if not (expect.kind == "decimal" and t.kind == "int"):
            problems.append(src.problem(path, f"an expression of type {expect} (this one is {t})", text))
            return None, [], []
    if dated is not None and reads_question_date(node):
        dated.append(True)
    return compile_expr(node), names_in(node), params_in(node)


def _definitions(raws: list[_Raw], params: Mapping[str, Type], problems: list[Problem], facts: Mapping[str, FactSpec]) -> DefinitionSet:
    specs: list[tuple[DefinitionSpec, Type, _Raw, Path_]] = []
    for raw in raws:
        for i, d in enumerate(raw.file.definitions):
            path: Path_ = ("definitions", i)
            try:
                spec = DefinitionSpec.model_validate(d)
                t = parse_type(spec.type)
            except ValidationError as exc:
                problems += problems_from(exc, raw.src, path, DefinitionSpec)
                continue
            except ValueError as exc:
                problems.append(raw.src.problem((*path, "type"), str(exc), repr(d.get("type"))))
                continue
            specs.append((spec, t, raw, path))
    declared: dict[str, Type] = {}
    for spec, t, raw, path in specs:
        if spec.id in facts:
            problems.append(raw.src.problem((*path, "id"), "a definition id that is not a fact's name", spec.id))
        first = declared.setdefault(spec.id, t)
        if not _same_type(first, t):
            problems.append(raw.src.problem((*path, "type"), f"the type the other definitions of '{spec.id}' declare ({first})", spec.type))
    scope = Scope(facts, declared, params)
    members: dict[str, list[Definition]] = {}
    for spec, t, raw, path in specs:
        n_before = len(problems)
        dated: list[bool] = []  # set when an expression reads the question's date implicitly
        when: object | None = None
        w_reads: list[str] = []
        w_params: list[str] = []
        if spec.when is not None:
            when, w_reads, w_params = _compile_expr(spec.when, scope, raw.src, (*path, "when"), problems, Type("bool"), dated)
        value: object | None = None
        v_reads: list[str] = []
        v_params: list[str] = []
        if spec.value is not None:
            value, v_reads, v_params = _compile_expr(spec.value, scope, raw.src, (*path, "value"), problems, t, dated)
        cases: list[Case] = []
        reads, used_params = [*w_reads, *v_reads], [*w_params, *v_params]
        if spec.verified_by is not None:  # a name of type bool; read (so remembered values are keyed on it) and traced
            _, vb_reads, _ = _compile_expr(spec.verified_by, scope, raw.src, (*path, "verified_by"), problems, Type("bool"))
            reads += vb_reads
        for j, c in enumerate(spec.cases or []):
            cpath = (*path, "cases", j)
            cw = None
            if c.when is not None:
                cw, r, p = _compile_expr(c.when, scope, raw.src, (*cpath, "when"), problems, Type("bool"), dated)
                reads += r
                used_params += p
            cv, r, p = _compile_expr(c.value, scope, raw.src, (*cpath, "value"), problems, t, dated)
            reads += r
            used_params += p
            if cv is not None:
                cases.append(Case(c.case, cw, cv, c.source))  # type: ignore[arg-type]
        if len(problems) != n_before:
            continue
        members.setdefault(spec.id, []).append(
            Definition(
                spec=spec, type=t, jurisdiction=raw.file.jurisdiction, when=when, value=value,  # type: ignore[arg-type]
                cases=tuple(cases), reads=tuple(dict.fromkeys(reads)), params=tuple(dict.fromkeys(used_params)),
                file=raw.src.file, line=raw.src.line_of(path), dated=bool(dated),
            )
        )
    groups: dict[str, DefinitionGroup] = {}
    for ident, ds in members.items():
        group = _group(ident, ds, problems)
        if group is not None:
            groups[ident] = group
    try:
        order = order_groups(groups)
    except graphlib.CycleError as exc:
        cycle = [str(c) for c in exc.args[1]] if len(exc.args) > 1 else []
        head = groups[cycle[0]].general if cycle and cycle[0] in groups else None
        problems.append(Problem(head.file if head else "(rules)", head.line if head else None, "definitions",
                                "definitions that do not read each other in a circle", " -> ".join(cycle)))
        order = ()
    return DefinitionSet(groups, order)


def _group(ident: str, ds: list[Definition], problems: list[Problem]) -> DefinitionGroup | None:
    general = [d for d in ds if d.spec.exception_to is None]
    if len(general) != 1:
        where = ds[0]
        if not general:
            problems.append(Problem(where.file, where.line, f"definitions.{ident}", "one general definition (without exception_to)", "only exceptions"))
        else:
            extra = general[1]
            problems.append(Problem(extra.file, extra.line, f"definitions.{ident}",
                                    f"one general definition of '{ident}': make the others exceptions (exception_to: <label>) so the priority is explicit",
                                    f"another at {general[0].file}:{general[0].line}"))
        return None
    labels: dict[str, Definition] = {}
    for d in ds:
        if d.label in labels:
            problems.append(Problem(d.file, d.line, f"definitions.{ident}.label", "a label used once per definition id", d.label))
        labels[d.label] = d
    exceptions: dict[str, list[Definition]] = {}
    for d in ds:
        if d.spec.exception_to is None:
            continue
        if d.spec.exception_to not in labels:
            problems.append(Problem(d.file, d.line, f"definitions.{ident}.exception_to", f"the label of another definition of '{ident}' ({', '.join(sorted(labels))})", d.spec.exception_to))
            return None
        exceptions.setdefault(d.spec.exception_to, []).append(d)
    reads = tuple(dict.fromkeys(r for d in ds for r in d.reads))
    return DefinitionGroup(ident, general[0].type, general[0], {k: tuple(v) for k, v in exceptions.items()}, reads)


def _names_for_rules(defs: DefinitionSet, facts: Mapping[str, FactSpec]) -> dict[str, FactSpec]:
    """Facts plus definitions a rule leaf can compare (bool, int, enum and str definitions)."""
    names = dict(facts)
    kinds = {"bool": FactType.bool, "int": FactType.int, "str": FactType.str, "enum": FactType.enum, "date": FactType.date, "decimal": FactType.decimal}
    for ident, g in defs.groups.items():
        kind = kinds.get(g.type.kind)
        if kind is not None:
            names[ident] = FactSpec(ident, kind, g.general.spec.description or g.general.spec.source, g.type.values)
    return names


def _rules(raw: _Raw, names: Mapping[str, FactSpec], problems: list[Problem]) -> list[Rule]:
    src, rf = raw.src, raw.file
    rules: list[Rule] = []
    for index, item in enumerate(rf.rules):
        path: Path_ = ("rules", index)
        try:
            spec = RuleSpec.model_validate(item)
        except ValidationError as exc:
            problems += problems_from(exc, src, path, RuleSpec)
            continue
        when = None
        if spec.when is not None:
            when, found = parse_condition(spec.when, src, (*path, "when"), names)
            problems += found
        require, found = parse_condition(spec.require, src, (*path, "require"), names)
        problems += found
        if require is None or (spec.when is not None and when is None):
            continue
        reads = facts_in(when) if when is not None else []
        reads += [f for f in facts_in(require) if f not in reads]
        rules.append(
            Rule(
                spec=spec, jurisdiction=rf.jurisdiction, when=when, require=require,
                when_fn=compile_condition(when) if when is not None else None, require_fn=compile_condition(require),
                reads=tuple(reads), file=src.file, line=src.line_of(path),
            )
        )
    return rules


def shipped_parameter_types() -> dict[str, Type]:
    """The parameter types of the shipped catalogs (for loading rules without naming catalogs)."""
    from ..catalog.kinds.parameters import parameters_of
    from ..catalog.store import load_catalogs
    from ..shipped import shipped_catalogs_dir

    return parameters_of(load_catalogs(shipped_catalogs_dir())).types()


def load_ruleset(
    root: Path | str, *, relative_to: Path | None = None, parameters: Mapping[str, Type] | None = None,
    preloaded: Mapping[Path, Located] | None = None, facts: Mapping[str, FactSpec] | None = None,
) -> RuleSet:
    """Load every rule file below *root*; all problems are reported together.

    *parameters* are the types of the parameters expressions may read (those
    of the catalogs the rules will run with); without them, the shipped
    catalogs' parameters.  *preloaded* maps a file's path to its already-read content, used instead of
    reading it (the mutation tester's in-memory mutants).  *facts* replaces the fact schema (default: the
    engine's, ``all_facts()``): a synthetic rule tree such as the benchmark workload brings its own.
    """
    base = Path(root)
    if not base.is_dir():
        raise InputError.one(str(base), None, "(directory)", "a directory of rule YAML files", "not a directory")
    manifest_path = base / MANIFEST
    problems: list[Problem] = []
    if preloaded is not None and manifest_path in preloaded:
        src = preloaded[manifest_path]
    else:
        # opened by its fixed name, so checked like every file the walk lists: a link out of the folder is never read
        refused = contained_file_problem(manifest_path, base)
        if refused is not None:
            raise InputError([refused])
        src = load_file(manifest_path)
    manifest = validate(Manifest, src)
    raws: list[_Raw] = []
    found_files = walk(base, ".yaml")  # an unreadable folder or a link out of the tree is an error, never skipped
    problems += found_files.problems
    digest = hashlib.sha256()
    for path in found_files.files:
        if path == manifest_path:
            continue
        shown = str(path.relative_to(relative_to)) if relative_to else str(path)
        try:
            loaded = preloaded[path] if preloaded is not None and path in preloaded else load_file(path)
            digest.update(path.relative_to(base).as_posix().encode("utf-8") + b"\0")
            digest.update(json.dumps(loaded.data, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8") + b"\0")
            located = Located(loaded.data, shown, loaded.lines)
            raws.append(_Raw(located, validate(RuleFile, located)))
        except InputError as exc:
            problems += exc.problems
    params = parameters if parameters is not None else shipped_parameter_types()
    schema = facts if facts is not None else all_facts()
    definitions = _definitions(raws, params, problems, schema)
    names = _names_for_rules(definitions, schema)
    rules: list[Rule] = []
    for raw in raws:
        rules += _rules(raw, names, problems)
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
        tuple(item.statement() for item in manifest.listing_decision_document),
        tuple((item.jurisdiction, item.statement()) for item in manifest.measure_prior_notice),
        definitions,
        digest.hexdigest(),
    )
