"""Load each mutant in memory and run the fixture suite against it: killed, caught at load time, or survived.

Why in memory: a ministry runs this on its own catalogs before publishing an amendment; writing hundreds of
mutated trees to disk would be slow and leave debris.  Every file is read once; a mutant replaces one file's
data and the loaders take the rest from memory (``preloaded``).  A mutant is *killed* as soon as one fixture
fails (the fixtures that killed earlier mutants are tried first), *caught at load time* when the loaders or the
engine refuse it with a located error (the schema or a cross-check noticed the change), and *survives* when
every fixture still passes — the suite cannot tell the amended law from the original.

Deterministic: mutants are generated in document order and sampled with a seeded random generator; results
do not depend on the number of worker processes.
"""

from __future__ import annotations

import multiprocessing
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ..catalog.kinds.parameters import PARAMETERS, parameters_of
from ..catalog.store import CALENDAR_KIND, load_catalogs
from ..engine.decide import Engine
from ..errors import InputError
from ..masking import scrub_text
from ..regression.runner import Item, Status, run_one
from ..ruleset.loader import load_ruleset
from ..safefiles import walk
from ..workdays import WorkingDayCalendar, load_calendar_year
from ..yamlsource import Located, load_file
from .equivalent import Equivalent, anchor
from .operators import Mutant, mutants


class Verdict(StrEnum):
    killed = "killed"
    caught_at_load = "caught_at_load"
    survived = "survived"
    equivalent = "equivalent"  # survived, and recorded (with why) as changing no decision


@dataclass(frozen=True)
class Outcome:
    mutant: Mutant
    verdict: Verdict
    by: str = ""  # the fixture that failed, or the load error


@dataclass
class Tree:
    """The catalogs and rules as read once from disk: every file's content, by path."""

    catalog_dirs: tuple[Path, ...]
    rules_dir: Path
    files: dict[Path, Located] = field(default_factory=dict)
    areas: dict[Path, str] = field(default_factory=dict)  # path of a file that may be mutated -> "catalogs" | "rules"

    @classmethod
    def read(cls, catalog_dirs: Sequence[Path], rules_dir: Path, mutable: Sequence[Path] | None = None) -> Tree:
        """Read every file once.  *mutable* names the catalog roots whose data is mutated (default: all of them;
        a ministry layering its own catalogs over the shipped ones names its own layer); the rules always are."""
        tree = cls(tuple(catalog_dirs), rules_dir)
        chosen = {p.resolve() for p in (mutable if mutable is not None else catalog_dirs)}
        for area, roots in (("catalogs", catalog_dirs), ("rules", [rules_dir])):
            for root in roots:
                found = walk(root, ".yaml")
                if found.problems:
                    raise InputError(found.problems)
                for path in found.files:
                    src = load_file(path)
                    shown = path.relative_to(root.parent).as_posix()
                    tree.files[path] = Located(src.data, shown, src.lines)
                    calendar = isinstance(src.data, dict) and src.data.get("kind") == CALENDAR_KIND
                    if (area == "rules" or root.resolve() in chosen) and not calendar:  # a holiday calendar is not law
                        tree.areas[path] = area
        return tree

    def mutants(self, only: str | None = None) -> list[tuple[Path, Mutant]]:
        """Every mutant of every file (of *only* one area), in a fixed order; calendars are not law."""
        out: list[tuple[Path, Mutant]] = []
        for path in sorted(self.areas):
            area = self.areas[path]
            if only is None or area == only:
                out += [(path, m) for m in mutants(self.files[path], area)]
        return out

    def engine(self, changed: Path | None = None, mutant: Mutant | None = None, base: Engine | None = None) -> Engine:
        """An engine over the tree, with *mutant* applied to file *changed* (none: the original).

        Only what the change can reach is loaded again (*base* is the unmutated engine): a rule file's mutant reuses
        the catalogs, parameters and calendar; a catalog file's mutant reuses the compiled rules unless it changes the
        parameters, whose types the rules are checked against.
        """
        files = dict(self.files)
        if changed is not None and mutant is not None:
            src = files[changed]
            files[changed] = Located(mutant.apply(src.data), src.file, src.lines)
        if base is not None and mutant is not None and mutant.area == "rules":
            cats, params, calendar = base.catalogs, base.parameters, base.calendar
        else:
            cats = load_catalogs(list(self.catalog_dirs), relative_to=self.catalog_dirs[0].parent, preloaded=files)
            params = parameters_of(cats)
            calendar = base.calendar if base is not None else WorkingDayCalendar(
                {y.year: y for y in map(load_calendar_year, cats.calendar_files)}
            )
        changed_kind = files[changed].data.get("kind") if changed is not None and isinstance(files[changed].data, dict) else None
        if base is not None and mutant is not None and mutant.area == "catalogs" and changed_kind != PARAMETERS:
            ruleset = base.ruleset
        else:
            ruleset = load_ruleset(self.rules_dir, relative_to=self.rules_dir.parent, parameters=params.types(), preloaded=files)
        return Engine(cats, ruleset, calendar, None, params)


def first_failure(engine: Engine, fixtures: Sequence[Item], order: list[int]) -> int | None:
    """The index of the first fixture (tried in *order*) whose expectations the engine no longer meets: case,
    information and query fixtures alike, run as ``credit-rules test`` runs them."""
    for i in order:
        try:
            result = run_one(engine, fixtures[i])
        except Exception:  # a mutant that crashes the engine is noticed too
            return i
        if result.status is not Status.passed:
            return i
    return None


def judge(tree: Tree, fixtures: Sequence[Item], path: Path, mutant: Mutant, order: list[int], base: Engine) -> Outcome:
    """Load one mutant and run the suite until a fixture fails; move the killer to the front of *order*."""
    try:
        engine = tree.engine(path, mutant, base)
    except InputError as exc:
        return Outcome(mutant, Verdict.caught_at_load, scrub_text(exc.problems[0].render() if exc.problems else exc.render()))
    except Exception as exc:  # a loader that crashes on the change has noticed it, too
        return Outcome(mutant, Verdict.caught_at_load, type(exc).__name__)
    killer = first_failure(engine, fixtures, order)
    if killer is None:
        return Outcome(mutant, Verdict.survived)
    order.remove(killer)
    order.insert(0, killer)
    return Outcome(mutant, Verdict.killed, fixtures[killer].ident)


def mark_equivalent(tree: Tree, outcomes: Sequence[Outcome], registry: Sequence[Equivalent]) -> tuple[list[Outcome], list[Outcome]]:
    """Survivors the registry records as legally equivalent become ``equivalent`` (the registry's why in ``by``);
    also returns the mutants the registry lists that a fixture killed anyway (wrongly listed: they were not)."""
    if not registry:
        return list(outcomes), []
    by_file = {src.file: src for src in tree.files.values()}
    marked: list[Outcome] = []
    wrongly: list[Outcome] = []
    for o in outcomes:
        data = by_file[o.mutant.file].data if o.mutant.file in by_file else None
        hit = next((e for e in registry if e.matches(o.mutant, anchor(data, o.mutant))), None)
        if hit is not None and o.verdict is Verdict.survived:
            o = Outcome(o.mutant, Verdict.equivalent, hit.why)
        elif hit is not None and o.verdict is Verdict.killed:
            wrongly.append(o)
        marked.append(o)
    return marked, wrongly


def sample(items: list[Any], budget: int | None, seed: int) -> list[Any]:
    """At most *budget* items, drawn with *seed*, kept in their original order (deterministic)."""
    if budget is None or budget >= len(items):
        return items
    chosen = sorted(random.Random(seed).sample(range(len(items)), budget))
    return [items[i] for i in chosen]


# --------------------------------------------------------------- processes
#
# Workers are forked with the tree and fixtures already in memory (module globals set before the pool starts),
# so nothing is pickled but a mutant's index and its outcome.

_STATE: dict[str, Any] = {}


def _work(index: int) -> Outcome:
    tree: Tree = _STATE["tree"]
    path, mutant = _STATE["mutants"][index]
    return judge(tree, _STATE["fixtures"], path, mutant, _STATE["order"], _STATE["base"])


def run(
    tree: Tree,
    fixtures: Sequence[Item],
    chosen: list[tuple[Path, Mutant]],
    *,
    processes: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> list[Outcome]:
    """Judge every chosen mutant; the outcomes come back in the mutants' order whatever the process count."""
    base = tree.engine()
    failing = [f.ident for f in fixtures if first_failure(base, [f], [0]) is not None]
    if failing:
        raise InputError.one("(fixtures)", None, "fixtures", "a suite that passes on the unmutated catalogs and rules", ", ".join(failing[:5]))
    order = list(range(len(fixtures)))
    outcomes: list[Outcome] = []
    if processes <= 1 or len(chosen) < 2:
        for n, (path, mutant) in enumerate(chosen, 1):
            outcomes.append(judge(tree, fixtures, path, mutant, order, base))
            if progress is not None:
                progress(n, len(chosen))
        return outcomes
    _STATE.update(tree=tree, fixtures=list(fixtures), mutants=chosen, order=order, base=base)
    try:
        with multiprocessing.get_context("fork").Pool(processes) as pool:
            for n, outcome in enumerate(pool.imap(_work, range(len(chosen)), chunksize=4), 1):
                outcomes.append(outcome)
                if progress is not None:
                    progress(n, len(chosen))
    finally:
        _STATE.clear()
    return outcomes


__all__ = ["Outcome", "Tree", "Verdict", "first_failure", "judge", "mark_equivalent", "run", "sample"]
