"""Facts of supervision by credit tier (35号(一)(七)(九))."""

from __future__ import annotations

from ...model.case import CreditStanding
from ..schema import FactSpec, FactType

SPECS: list[FactSpec] = [
    FactSpec("supervision.credit_standing", FactType.enum, "the subject's credit standing", tuple(c.value for c in CreditStanding)),
    FactSpec("supervision.unkept_commitments", FactType.int, "credit commitments the subject did not keep"),
    FactSpec("supervision.rectified_in_time", FactType.bool, "the subject rectified within the set time"),
]
