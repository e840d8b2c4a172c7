"""Lint of list regimes (listing standards) against 49号(六)(七).

Loading accepts a non-conforming standard on purpose — the engine must be
able to refuse a listing under it, with reasons.  ``credit-rules lint`` is
stricter: a standard that claims to conform to 49号 (``conforms_to_49: true``)
must have a basis whose form fits its scope, a list field resting on a law,
regulation or central policy document, and one of the four 33号 domains.
"""

from __future__ import annotations

from ..errors import Problem
from ..model.case import ListKind
from .schema import IssuerBranch, ListingStandard
from .store import Catalogs

_FORMS = {
    ("national", IssuerBranch.administrative): {"law", "admin_regulation", "party_state_policy", "departmental_rule"},
    ("local", IssuerBranch.administrative): {"law", "admin_regulation", "local_regulation"},
}
_JUDICIAL = {"law", "judicial_interpretation"}
_FIELD_BASIS = {"law", "admin_regulation", "local_regulation", "party_state_policy"}


def regime_problems(cats: Catalogs) -> list[Problem]:
    out: list[Problem] = []
    for f in cats.files:
        for index, (e, line) in enumerate(zip(f.entries, f.lines, strict=True)):
            if not isinstance(e, ListingStandard) or not e.conforms_to_49:
                continue
            where = f"entries[{index}]"
            basis = cats.legal_basis(e.basis.legal_basis, e.effective_from)
            allowed = _JUDICIAL if e.issuer_branch is IssuerBranch.judicial else _FORMS[(e.scope, e.issuer_branch)]
            if basis is not None and basis.form.value not in allowed:
                out.append(Problem(f.file, line, f"{where}.basis", f"a basis of form {sorted(allowed)} for a {e.scope} list (49号(七))", basis.form.value))
            field_basis = cats.legal_basis(e.establishing_basis.legal_basis, e.effective_from)
            if field_basis is not None and field_basis.form.value not in _FIELD_BASIS:
                out.append(Problem(f.file, line, f"{where}.establishing_basis", "a law, regulation or central policy document (49号(六))", field_basis.form.value))
            if e.list_kind is ListKind.serious and e.domain_category is None:
                out.append(Problem(f.file, line, f"{where}.domain_category", "one of the four 国发〔2016〕33号 domains, 1-4 (49号(六))", "none"))
    return out
