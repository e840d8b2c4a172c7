"""The fact schema: every name a rule may compare, with its type.

Python derives facts (age at the act date, legal form of a basis, whether a
transition deadline has passed, working days between two dates); rules in YAML
only compare them.  A rule naming a fact that is not listed here fails at load
time.  A fact whose value is unknown is ``None``; every comparison with an
unknown fact is false (so a requirement on missing information fails — the
engine is strict about legal basis), and ``present`` tests for it explicitly.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ..model.act import Gravity, Intent
from ..model.case import ListKind
from ..model.evidence import DocumentKind
from ..model.legal import LegalForm, Level
from ..model.subject import SubjectKind


class FactType(StrEnum):
    bool = "bool"
    int = "int"
    enum = "enum"
    str = "str"
    set = "set"  # a set of enumeration values, read by definitions (intersects, in)
    date = "date"  # read by definitions (date arithmetic); rule leaves compare definitions instead
    decimal = "decimal"  # amounts and ratios, read by definitions


@dataclass(frozen=True)
class FactSpec:
    name: str
    type: FactType
    description: str
    values: tuple[str, ...] = ()


def _enum(e: type[StrEnum]) -> tuple[str, ...]:
    return tuple(m.value for m in e)


_B, _I, _E, _S = FactType.bool, FactType.int, FactType.enum, FactType.str

_SPECS: list[FactSpec] = [
    # the legally effective document (49号(二))
    FactSpec("document.present", _B, "the case names a legally effective document"),
    FactSpec("document.kind", _E, "kind of that document", _enum(DocumentKind)),
    FactSpec("document.named_by_form", _E, "legal form of the document naming an 'other' document as a basis", _enum(LegalForm)),
    FactSpec("document.effective_on", FactType.date, "the date the document took legal effect (none: not yet effective)"),
    FactSpec("document.revoked_on", FactType.date, "the date the document was revoked or annulled (none: not revoked)"),
    FactSpec("document.served_on", FactType.date, "the date the document was served on the party (送达)"),
    FactSpec("document.final_on", FactType.date, "the date a review decision or judgment upholding the document took effect"),
    FactSpec("document.under_review", _B, "administrative reconsideration or litigation is pending"),
    # the subject
    FactSpec("subject.kind", _E, "kind of credit subject", _enum(SubjectKind)),
    FactSpec("subject.birth_date", FactType.date, "date of birth (natural persons; from the resident ID)"),
    FactSpec("subject.on_red_list", _B, "the subject is on a red list"),
    FactSpec("subject.on_serious_list", _B, "the subject is on a serious dishonesty list"),
    FactSpec("subject.uscc_check_mismatch", _B, "the USCC check character fails GB 32100 (registry-confirmed)"),
    # the date the question is judged on
    FactSpec("question.date", FactType.date, "the date the question is asked on (as-of date; the listing decision date for listing)"),
    # the act
    FactSpec("act.date", FactType.date, "the date of the act"),
    FactSpec("act.field", _S, "the act's sub-field (an id of the domains catalog)"),
    FactSpec("act.field_known", _B, "the act's sub-field is in the domains catalog in force"),
    FactSpec("act.domain_category", _I, "which of the four 国发〔2016〕33号 domains the act's field is in (1-4)"),
    FactSpec("act.gravity", _E, "gravity tier of the act", _enum(Gravity)),
    FactSpec("act.intent", _E, "intent", _enum(Intent)),
    FactSpec("act.force_majeure", _B, "the act was caused by force majeure (natural disaster, epidemic)"),
    FactSpec("act.repeated", _B, "the act is a repeated violation"),
    FactSpec("act.malicious", _B, "性质恶劣"),
    FactSpec("act.serious_circumstances", _B, "情节严重"),
    FactSpec("act.high_social_harm", _B, "社会危害较大"),
    # outcome of the determination question, for the listing question
    FactSpec("determination.valid", _B, "the determination of the act is valid (unknown when it is undetermined)"),
    FactSpec("determination.lenient", _B, "the determination found a ground for leniency (49号(十六))"),
    # the listing request
    FactSpec("listing.list_kind", _E, "which kind of list the subject is proposed for", _enum(ListKind)),
    FactSpec("listing.term_set", _B, "the decision sets its own list term (period_years)"),
    FactSpec("listing.term_years", _I, "the list term the decision sets, in years (unknown: it sets none)"),
    FactSpec("listing.candidate_publicity_start", FactType.date, "first day candidates were publicised (初选对象公示)"),
    FactSpec("listing.candidate_publicity_end", FactType.date, "last day candidates were publicised"),
    FactSpec("authority.level", _E, "level of the deciding authority", _enum(Level)),
    FactSpec("listing.decision_date", FactType.date, "the date of the listing decision"),
    FactSpec("listing.stated_criterion_met", _B, "the decision states the act meets the criterion it applied (read where the catalogs model none; unknown when not stated)"),
    FactSpec("listing.upper_level_approved", _B, "the next level up consented to the listing (unknown when the case does not say)"),
    # the listing standard, from the catalogs in force on the decision date
    FactSpec("standard.found", _B, "the named listing standard is in a catalog in force for this jurisdiction"),
    FactSpec("standard.effective_from", FactType.date, "the first day the standard's catalog entry is in force"),
    FactSpec("standard.effective_to", FactType.date, "the last day it is in force (unknown: no end)"),
    FactSpec("standard.list_kind", _E, "kind of list the standard sets", _enum(ListKind)),
    FactSpec("standard.scope", _E, "where the list applies", ("national", "local")),
    FactSpec("standard.issuer_branch", _E, "administrative or judicial list", ("administrative", "judicial")),
    FactSpec("standard.basis_form", _E, "legal form of the document setting the standard", _enum(LegalForm)),
    FactSpec("standard.basis_id", _S, "the id (legal_bases catalog) of the document setting the standard"),
    FactSpec("standard.establishing_basis_form", _E, "legal form of the basis setting up the list's field", _enum(LegalForm)),
    FactSpec("standard.domain_category", _I, "which of the four 33号 domains the list serves (1-4)"),
    FactSpec("standard.fields", FactType.set, "the sub-fields the standard's list covers"),
    FactSpec("standard.consultation_days", _I, "days of public consultation on the standard"),
    FactSpec("standard.published_on_credit_china", _B, "standard published on 信用中国"),
    FactSpec("standard.published_on_department_site", _B, "standard published on the department's designated site"),
    FactSpec("standard.states_removal_conditions", _B, "standard states removal conditions"),
    FactSpec("standard.states_procedure", _B, "standard states the removal procedure"),
    FactSpec("standard.states_remedies", _B, "standard states remedies"),
    FactSpec("standard.third_party_evaluation", _B, "standard is evaluated by a third party periodically"),
    FactSpec("standard.conforms_to_49", _B, "standard was brought in line with 国办发〔2020〕49号"),
    FactSpec("standard.minors_excluded", _B, "the standard excludes minors"),
    FactSpec("standard.min_authority_level", _E, "the lowest level the list's own rule lets decide (tightens 49号(八))", _enum(Level)),
    FactSpec("standard.approval_required_below", _E, "authorities below this level need the next level's consent", _enum(Level)),
    FactSpec("standard.authority_rule_verified", _B, "the list's own rule on who decides is confirmed in the sources"),
    FactSpec("standard.listing_mandatory", _B, "a law or judicial interpretation says the subject shall be listed (应当纳入)"),
    FactSpec("standard.requires_final_penalty", _B, "the list takes only penalties that have become final (e.g. 税务总局令第54号 第七条)"),
    FactSpec("standard.objection_limit_known", _B, "the standard sets a time limit for answering objections"),
    FactSpec("standard.objection_answer_limit_days", _I, "that time limit, in days"),
    FactSpec("standard.objection_answer_limit_in_working_days", _B, "the limit counts working days (else calendar days)"),
    # procedure (49号(八))
    FactSpec("procedure.notice_given", _B, "prior notice was given before the decision date"),
    FactSpec("procedure.notice_states_reasons", _B, "notice states the reasons"),
    FactSpec("procedure.notice_states_basis", _B, "notice states the basis"),
    FactSpec("procedure.notice_states_rights", _B, "notice states the party's rights"),
    FactSpec("procedure.objection_raised", _B, "the party raised an objection"),
    FactSpec("procedure.objection_answered", _B, "the objection was answered by the decision date"),
    FactSpec("procedure.objection_raised_on", FactType.date, "the day the objection was raised"),
    FactSpec("procedure.objection_answered_on", FactType.date, "the day it was answered (unknown: not yet)"),
    FactSpec("procedure.objection_well_founded", _B, "verification found the information wrong"),
    # where
    FactSpec("jurisdiction.code", _S, "GB/T 2260 code of the deciding jurisdiction"),
]

FACTS: dict[str, FactSpec] = {spec.name: spec for spec in _SPECS}
_DISCOVERED = False


def all_facts() -> dict[str, FactSpec]:
    """The core facts plus every ``SPECS`` list in the modules of ``facts.specs``.

    Each question family (measures, repair, information …) declares its facts
    in a module of its own there, so adding facts never edits a shared file.
    """
    global _DISCOVERED
    if not _DISCOVERED:
        _DISCOVERED = True
        import importlib
        import pkgutil

        from . import specs

        for info in sorted(pkgutil.iter_modules(specs.__path__), key=lambda m: m.name):
            module = importlib.import_module(f"{specs.__name__}.{info.name}")
            for spec in getattr(module, "SPECS", []):
                if spec.name in FACTS and FACTS[spec.name] != spec:
                    raise ValueError(f"fact {spec.name!r} declared twice")
                FACTS[spec.name] = spec
    return FACTS
