"""Credit repair regimes (信用修复) as a catalog kind: ``repair_regimes``.

Each edition of the national catalog is one regime — 发改办财金〔2019〕527号,
国家发展改革委令第58号 (2023-05-01 … 2026-03-31), 第36号 (2026-04-01 …) — so
the regime in force on the date that matters is picked like any other
catalog edition.  Figures the sources do not confirm carry ``verified: false``
and the decision says so when one of them decides the answer.

A list whose own rule says how its entries end — the court list, 法释〔2017〕7号
第十条 — has a ``list_repair_regimes`` entry naming the list: that rule, not
the NDRC regimes, answers a repair application for it.  Which regime governs
is decided by definitions in ``rules/national/ndrc-repair/repair.yaml`` (the
special list rule as an exception to the general regime), not here.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from ...errors import Problem
from ...model.legal import Source, maintainer_note, maintainer_notes
from ..registry import register_catalog_kind, register_cross_check
from ..schema import BasisRef, ListingStandard
from ..store import Catalogs
from ..._empty import empty_list


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class InfoTier(StrEnum):
    """Tier of dishonesty information (失信信息分类)."""

    minor = "minor"  # 轻微
    general = "general"  # 一般
    serious = "serious"  # 严重
    especially_serious = "especially_serious"  # 特定严重 (527号), 特别严重


class RepairAfter(StrEnum):
    min_period = "min_period"  # 最短公示期届满后方可申请
    on_performance = "on_performance"  # 法定责任义务履行完毕即可申请
    never = "never"  # 不予修复


class Tier(_Strict):
    tier: InfoTier
    published: bool = Field(description="whether the information is published at all")
    min_months: int | None = Field(None, ge=0)
    max_months: int | None = Field(None, ge=0, description="publication stops automatically after this")
    repair_after: RepairAfter
    examples_zh: list[str] = Field(default_factory=empty_list)
    citation: str
    verified: bool = True
    note: str | None = maintainer_note()


class FieldMinimum(_Strict):
    """A longer minimum period for some fields (e.g. 特种设备、安全生产、消防 under 58号)."""

    fields: list[str] = Field(min_length=1)
    min_months: int = Field(ge=0)
    citation: str
    verified: bool = True


class Transition(_Strict):
    """Whether a shorter period of the regime in force when the information was recorded still applies.

    立法法 第一百零四条: rules do not reach back, except special provisions that better protect the subject — so
    a regime that lengthens a period may not apply to information recorded under a shorter one, unless the new
    regime says otherwise.  ``keeps_softer_earlier_periods: null`` means the regime's own transition article was
    not read: a decision where it matters is undetermined, never allowed on a guess.
    """

    keeps_softer_earlier_periods: bool | None = None
    citation: str
    verified: bool = True


class Condition(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    zh: str
    en: str
    citation: str
    verified: bool = True


class Bar(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    zh: str
    en: str
    years: int | None = Field(None, ge=1, description="bar period; none = not confirmed")
    citation: str
    verified: bool = True


class Deadlines(_Strict):
    accept_working_days: int | None = None
    decide_working_days: int | None = None
    citation: str
    verified: bool = True


class RepairRegime(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str
    basis: BasisRef
    chosen_by: str = Field(description="which date selects this regime, and why (text shown in the decision)")
    information: list[str] = Field(description="kinds of dishonesty information it covers (失信信息)")
    tiers: list[Tier] = Field(min_length=1)
    field_minimums: list[FieldMinimum] = Field(
        default_factory=empty_list, max_length=1,
        description="at most one: its fields and months are copied into facts the rules read (repair.field_minimum_*)",
    )
    period_starts: str = Field(description="what the publicity period is counted from")
    conditions: list[Condition]
    bars: list[Bar] = Field(default_factory=empty_list)
    deadlines: Deadlines | None = None
    free_of_charge_citation: str
    effects: list[str] = Field(description="what repair does (终止公示、停止共享 …)")
    methods: list[str] = Field(default_factory=empty_list, description="accepted methods (35号(十三))")
    transition: Transition | None = Field(None, description="how the periods of the regime it replaces carry over")
    source: Source
    notes: list[str] = maintainer_notes()


class DeletionDeadline(_Strict):
    """A duty to delete a list entry within working days of a date (法释〔2017〕7号 第十条第一款、第二款)."""

    working_days: int = Field(ge=1)
    citation: str
    verified: bool = True


class ListRepairRegime(_Strict):
    """A list's own rule on how its entries end, which governs repair of that list instead of the NDRC regimes.

    The court list (失信被执行人名单): an entry without a term is deleted within 3 working days once a ground of
    法释〔2017〕7号 第十条第一款 arises; an entry with a term is not (第十条第二款) — it is deleted within 3 working
    days after the term ends, or earlier only if the court so decides (第二条第二款, 可以).
    """

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str
    basis: BasisRef
    lists: list[str] = Field(min_length=1, description="ids of the listing standards whose entries it governs")
    chosen_by: str = Field(description="why this rule and not the NDRC regime governs (text shown in the decision)")
    ground_deletion: DeletionDeadline = Field(description="deletion of an entry without a term once a ground arises")
    term_end_deletion: DeletionDeadline = Field(description="deletion of an entry with a term after the term ends")
    early_deletion_citation: str = Field(description="the court's discretion to delete early (not a right of the subject)")
    free_of_charge_citation: str
    effects: list[str] = Field(description="what deletion does")
    source: Source
    notes: list[str] = maintainer_notes()


register_catalog_kind("repair_regimes", RepairRegime)
register_catalog_kind("list_repair_regimes", ListRepairRegime)


@register_cross_check
def check_deletion_restated(cats: Catalogs) -> list[Problem]:
    """A listing standard's ``deletion`` restates its list's deletion rule for the reader; the decisions read the
    deadline from the list repair regime (``ground_deletion``). The two must agree, and a standard that states a
    deletion deadline must have a regime that carries it — else the reader and the decisions see different law
    (a drafting error caught at load, not a silently ignored number)."""
    regimes = [e for f in cats.files for e in f.entries if isinstance(e, ListRepairRegime)]
    problems: list[Problem] = []
    for f in cats.files:
        for index, (e, line) in enumerate(zip(f.entries, f.lines, strict=True)):
            if not isinstance(e, ListingStandard) or e.deletion is None:
                continue
            where = f"entries[{index}].deletion.deadline_working_days"
            governing = [r for r in regimes if e.id in r.lists]
            if not governing:
                problems.append(Problem(f.file, line, where, f"a list repair regime (list_repair_regimes) listing {e.id!r} that carries this deadline (decisions read it there)", str(e.deletion.deadline_working_days)))
            for r in governing:
                if r.ground_deletion.working_days != e.deletion.deadline_working_days:
                    problems.append(Problem(f.file, line, where, f"the deadline of list repair regime {r.id!r} (ground_deletion.working_days: {r.ground_deletion.working_days}), which decisions read", str(e.deletion.deadline_working_days)))
    return problems
