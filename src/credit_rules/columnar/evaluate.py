"""Deciding a table of list entries at once: the listing question (and the determination it rests on), columnar.

:func:`decide_chunk` is a pure function of (entries chunk, loaded columnar
engine, as-of date): no state carries from one chunk to the next, so the
rescan streams a Parquet file through it chunk by chunk, and a distributed
engine could map it over partitions (``dask.dataframe.map_partitions``).

The steps mirror :meth:`credit_rules.Engine.decide`: the determination's facts
(on the as-of date) and its rules give ``determination.valid`` and
``determination.lenient``; the listing's facts (on the decision date), the
standard's catalog facts and the criteria, then the listing's definitions and
rules, give the outcome, the reasons and the fired rule ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from ..engine.decide import Engine
from ..model.case import Question
from ..model.decision import Outcome
from ..model.subject import SubjectKind
from .compile import JURISDICTION, PARAM_LAYERS, QUESTION_DATE, chain_columns, CompiledQuestion, Compiler, Lookup, fact_dtype
from .context import criteria_facts, editions_context, epoch, field_context, standard_context
from .entries import normalise
from ..facts.schema import all_facts

RESULT_COLUMNS = (
    "case_id", "determination", "outcome", "reasons", "fired", "undetermined_by", "term_years", "catalog_editions", "catalogs_hash",
    "ruleset_hash",
)
"""The columns of a rescan's result, in order (docs/national-scale.md)."""

RESULT_SCHEMA: dict[str, pl.DataType] = {
    c: pl.List(pl.String()) if c in ("reasons", "fired", "undetermined_by", "catalog_editions") else pl.Int64() if c == "term_years" else pl.String()
    for c in RESULT_COLUMNS
}
"""Their types."""


@dataclass
class ColumnarEngine:
    """A loaded engine with its determination and listing questions compiled to polars expressions."""

    engine: Engine
    determination: CompiledQuestion
    listing: CompiledQuestion
    param_layers: pl.Expr

    @classmethod
    def of(cls, engine: Engine) -> ColumnarEngine:
        """Compile *engine*'s determination and listing questions (the lookups they need are in :attr:`lookups`)."""
        compiler = Compiler(engine)
        determination = compiler.question(Question.determination)
        listing = compiler.question(Question.listing, ("list_term_years",))
        return cls(engine, determination, listing, compiler.param_layers())

    @property
    def lookups(self) -> list[Lookup]:
        """The parts evaluated per distinct key by the per-case evaluator (reported at load), both questions."""
        return [*self.determination.lookups, *self.listing.lookups]

    def decide(self, entries: pl.DataFrame, on: date | None = None) -> pl.DataFrame:
        return decide_chunk(entries, self, on)


def _run(frame: pl.DataFrame, q: CompiledQuestion) -> pl.DataFrame:
    """A question's definitions, one column each in evaluation order, then its rules' fired/unknown flags."""
    for exprs in q.levels:
        frame = frame.with_columns(exprs)
    return frame.with_columns(q.flags)


def _drop(frame: pl.DataFrame, q: CompiledQuestion) -> pl.DataFrame:
    """Forget a question's definition and rule columns (the next question computes its own)."""
    defined = {d for d, _ in q.definitions}
    return frame.drop([n for n in frame.columns if n in defined or n.startswith(("fired:", "unknown:"))])


def _missing_facts(frame: pl.DataFrame, q: CompiledQuestion, engine: Engine) -> pl.DataFrame:
    """Null columns for facts a question reads that the table does not give (the per-case engine reads None)."""
    facts = all_facts()
    have = set(frame.columns) | {n for n, _ in q.definitions}
    groups = engine.ruleset.definitions.groups
    reads = {n for r in q.rules for n in r.reads} | {n for name, _ in q.definitions if name in groups for n in groups[name].reads}
    missing = sorted(n for n in reads if n not in have and n in facts)
    return frame.with_columns([pl.lit(None, dtype=fact_dtype(facts[n])).alias(n) for n in missing]) if missing else frame


def decide_chunk(entries: pl.DataFrame, cengine: ColumnarEngine, on: date | None = None) -> pl.DataFrame:
    """The listing answer of every row of *entries* (columns: :data:`RESULT_COLUMNS`)."""
    return decide_frame(entries, cengine, on).select(RESULT_COLUMNS).cast(RESULT_SCHEMA)  # type: ignore[arg-type]


DETERMINATION_DATE = "__as_of"
"""The column of :func:`decide_frame` holding the determination's date (its ``question.date``; the column of that
name holds the listing decision date once the listing facts are added)."""


def decide_frame(entries: pl.DataFrame, cengine: ColumnarEngine, on: date | None = None) -> pl.DataFrame:
    """Every column the decision of *entries* computed: the :data:`RESULT_COLUMNS`, the determination's reasons
    and fired rules (``determination.reasons``, ``determination.fired``), and every fact column the two
    questions read (compact records are built from them: :mod:`credit_rules.columnar.compact`)."""
    engine = cengine.engine
    frame = normalise(entries)
    as_of = pl.lit(on, dtype=pl.Date) if on is not None else pl.col("as_of")
    frame = frame.with_columns(as_of.alias("__as_of")).with_columns(
        epoch(engine, "__as_of").alias("__as_of_epoch"), epoch(engine, "listing_decision_date").alias("__std_epoch"),
    )
    # catalog context, once per distinct key of this chunk
    fields = field_context(engine, frame.group_by("act_field", "__as_of_epoch").agg(pl.col("__as_of").first().alias("__on")))
    std = standard_context(
        engine, frame.group_by("listing_standard", "jurisdiction", "__std_epoch").agg(pl.col("listing_decision_date").first().alias("__on"))
    )
    editions = editions_context(
        engine,
        frame.group_by("jurisdiction", "__as_of_epoch", "__std_epoch").agg(
            pl.col("__as_of").first().alias("__on"), pl.col("listing_decision_date").first().alias("__on_listing")
        ),
    )
    frame = frame.join(fields, on=["act_field", "__as_of_epoch"], how="left", nulls_equal=True, maintain_order="left")
    frame = frame.with_columns(_determination_facts()).with_columns(chain_columns())
    frame = frame.with_columns(cengine.param_layers.alias(PARAM_LAYERS))
    d = cengine.determination
    frame = _run(_missing_facts(frame, d, engine), d)
    frame = d.summarise(frame, Outcome.invalid, Outcome.valid, prefix="determination.")
    frame = frame.rename({"determination.outcome": "determination"}).drop("determination.undetermined_by").with_columns(
        pl.when(pl.col("determination") == Outcome.undetermined.value).then(None)
        .otherwise(pl.col("determination") == Outcome.valid.value).alias("determination.valid")
    )
    frame = _drop(frame, d)
    frame = frame.join(std.table, on=["listing_standard", "jurisdiction", "__std_epoch"], how="left", nulls_equal=True, maintain_order="left")
    frame = criteria_facts(frame.with_columns(_listing_facts()), std.standards)
    q = cengine.listing
    frame = _run(_missing_facts(frame, q, engine), q)
    frame = q.summarise(frame, Outcome.refused, Outcome.allowed)
    # the list term an allowed listing states (Engine._listing_details: the definition list_term_years)
    frame = frame.with_columns(
        pl.when((pl.col("outcome") == Outcome.allowed.value) & pl.col("standard.found")).then(pl.col("list_term_years"))
        .otherwise(None).cast(pl.Int64).alias("term_years")
    )
    frame = frame.join(editions, on=["jurisdiction", "__as_of_epoch", "__std_epoch"], how="left", nulls_equal=True, maintain_order="left")
    return frame.with_columns(pl.lit(engine.catalogs.content_hash).alias("catalogs_hash"), pl.lit(engine.ruleset.content_hash).alias("ruleset_hash"))


def determination_fact_names() -> frozenset[str]:
    """The facts the determination question is decided on (:func:`credit_rules.facts.derive.determination_facts`):
    the columns of :func:`_determination_facts` and the field's category."""
    return frozenset({*(e.meta.output_name() for e in _determination_facts()), "act.domain_category"})


def _determination_facts() -> list[pl.Expr]:
    """The facts :func:`credit_rules.facts.derive.determination_facts` gives, from the entries' columns."""
    doc = pl.col("document_kind").is_not_null()

    def of_doc(col: str) -> pl.Expr:
        return pl.when(doc).then(pl.col(col)).otherwise(None)

    def flag(col: str) -> pl.Expr:  # a pydantic default of False
        return pl.col(col).fill_null(False)

    return [
        pl.col("__as_of").alias(QUESTION_DATE),
        doc.alias("document.present"),
        pl.col("document_kind").alias("document.kind"),
        of_doc("document_named_by_form").alias("document.named_by_form"),
        of_doc("document_effective").alias("document.effective_on"),
        of_doc("document_revoked").alias("document.revoked_on"),
        of_doc("document_served_on").alias("document.served_on"),
        of_doc("document_final_on").alias("document.final_on"),
        (doc & flag("document_under_review")).alias("document.under_review"),
        pl.col("subject_kind").alias("subject.kind"),
        pl.when(pl.col("subject_kind") == SubjectKind.natural_person.value).then(pl.col("subject_birth_date")).otherwise(None).alias("subject.birth_date"),
        flag("subject_on_red_list").alias("subject.on_red_list"),
        flag("subject_on_serious_list").alias("subject.on_serious_list"),
        pl.lit(False).alias("subject.uscc_check_mismatch"),
        pl.col("act_date").alias("act.date"),
        pl.col("act_field").alias("act.field"),
        pl.col("act.domain_category").is_not_null().alias("act.field_known"),
        pl.col("act_gravity").alias("act.gravity"),
        pl.col("act_intent").fill_null("intentional").alias("act.intent"),
        flag("act_force_majeure").alias("act.force_majeure"),
        flag("act_repeated").alias("act.repeated"),
        flag("act_malicious").alias("act.malicious"),
        flag("act_serious_circumstances").alias("act.serious_circumstances"),
        flag("act_high_social_harm").alias("act.high_social_harm"),
        pl.col("act_conduct").fill_null(pl.lit([], dtype=pl.List(pl.String()))).alias("act.conduct"),
        pl.col("jurisdiction").alias(JURISDICTION),
    ]


def _listing_facts() -> list[pl.Expr]:
    """The facts :func:`credit_rules.facts.derive.listing_facts` adds, judged on the decision date."""
    on = pl.col("listing_decision_date")
    notice = pl.col("notice_given_on").is_not_null()
    raised = pl.col("objection_raised_on").is_not_null()
    answered = pl.col("objection_answered_on")
    return [
        on.alias(QUESTION_DATE),
        on.alias("listing.decision_date"),
        pl.col("authority_upper_level_approved").alias("listing.upper_level_approved"),
        pl.col("listing_stated_criterion_met").alias("listing.stated_criterion_met"),
        pl.col("listing_list_kind").fill_null("serious").alias("listing.list_kind"),
        pl.col("listing_period_years").is_not_null().alias("listing.term_set"),
        pl.col("listing_period_years").cast(pl.Int64).alias("listing.term_years"),
        pl.col("candidate_publicity_start").alias("listing.candidate_publicity_start"),
        pl.col("candidate_publicity_end").alias("listing.candidate_publicity_end"),
        pl.col("authority_level").alias("authority.level"),
        (notice & (pl.col("notice_given_on") <= on)).fill_null(False).alias("procedure.notice_given"),
        (notice & pl.col("notice_states_reasons").fill_null(False)).alias("procedure.notice_states_reasons"),
        (notice & pl.col("notice_states_basis").fill_null(False)).alias("procedure.notice_states_basis"),
        (notice & pl.col("notice_states_rights").fill_null(False)).alias("procedure.notice_states_rights"),
        raised.alias("procedure.objection_raised"),
        pl.col("objection_raised_on").alias("procedure.objection_raised_on"),
        pl.when(raised).then(answered).otherwise(None).alias("procedure.objection_answered_on"),
        (raised & answered.is_not_null() & (answered <= on)).fill_null(False).alias("procedure.objection_answered"),
        (raised & pl.col("objection_well_founded").fill_null(False)).alias("procedure.objection_well_founded"),
    ]


__all__ = ["DETERMINATION_DATE", "RESULT_COLUMNS", "ColumnarEngine", "decide_chunk", "decide_frame", "determination_fact_names"]
