"""Size limits on everything the package reads, so hostile input is refused before it costs memory or time.

A YAML alias bomb, a 48 MB list in an unknown field or a number with a
billion-digit exponent is cheap to write and expensive to build into Python
objects.  The loaders check these limits on the parser's node tree (YAML) or
on the raw text (JSON lines) *before* any object is constructed, and refuse
with a located :class:`~credit_rules.errors.InputError`.

Every limit has a documented default (docs/security.md, "Limits") and can be
raised or lowered with an environment variable, read each time
:func:`current` is called, or by passing a :class:`Limits` object.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields


@dataclass(frozen=True)
class Limits:
    """The limits in force; each field's default is the documented one."""

    max_file_bytes: int = 8 * 1024 * 1024
    """Largest YAML file (or one JSON line) read; the shipped catalogs are all under 200 kB."""
    max_depth: int = 100
    """Deepest nesting of mappings and sequences; the shipped rules nest about 15 deep."""
    max_nodes: int = 250_000
    """Most values in one document, counting every expansion of an alias (stops alias bombs)."""
    max_aliases: int = 1_000
    """Most alias uses (``*name``) in one document."""
    max_number_digits: int = 100
    """Most digits in a number, or in a string that looks like one (``"-1e999999999"``)."""
    max_exponent: int = 100
    """Largest exponent (``1e100``) in a number or number-like string."""
    max_processes_factor: int = 1
    """``--processes`` may use this many workers per CPU unless forced."""


ENV_PREFIX = "CREDIT_RULES_"
"""``max_depth`` is set by ``CREDIT_RULES_MAX_DEPTH``, and so on for every field."""


def env_name(field: str) -> str:
    return ENV_PREFIX + field.upper()


def current(environ: dict[str, str] | None = None) -> Limits:
    """The defaults, overridden by any ``CREDIT_RULES_MAX_…`` environment variable holding a positive integer.

    A variable that is not a positive integer is ignored in favour of the
    default: a typo must not switch a limit off.
    """
    env = os.environ if environ is None else environ
    values: dict[str, int] = {}
    for f in fields(Limits):
        raw = env.get(env_name(f.name))
        if raw is None:
            continue
        try:
            value = int(raw.strip().replace("_", ""))
        except ValueError:
            continue
        if value > 0:
            values[f.name] = value
    return Limits(**values)


_NUMBER_LIKE = re.compile(r"[-+]?[0-9_,]*(?:\.[0-9_]*)?(?:[eE][-+]?([0-9_]+))?")


def number_problem(text: str, limits: Limits) -> str | None:
    """Why *text*, a number or a string shaped like one, is too large to use, or None.

    ``int("9" * 5000)`` fails and ``Decimal("-1e999999999")`` builds but
    overflows the first sum it enters: both are refused on their text, before
    any number is built.  Text that is not shaped like a number is never a problem.
    """
    value = text.strip()
    m = _NUMBER_LIKE.fullmatch(value)
    if m is None:
        return None
    digits = sum(ch.isdigit() for ch in value)
    if digits == 0:
        return None
    exponent = m.group(1)
    mantissa_digits = digits - (sum(ch.isdigit() for ch in exponent) if exponent else 0)
    if mantissa_digits > limits.max_number_digits:
        return f"a number of {mantissa_digits} digits"
    if exponent:
        e = exponent.replace("_", "").lstrip("0")
        if len(e) > len(str(limits.max_exponent)) or int(e or "0") > limits.max_exponent:
            return f"a number with exponent {e[:20]}{'…' if len(e) > 20 else ''}"
    return None


def number_expected(limits: Limits) -> str:
    """What a too large number is told it should be (one wording for YAML and JSON)."""
    return (
        f"a number of at most {limits.max_number_digits} digits and exponent {limits.max_exponent} "
        f"(limits {env_name('max_number_digits')}, {env_name('max_exponent')})"
    )


def max_processes(limits: Limits | None = None) -> int:
    """Upper bound for ``--processes`` without ``--force-processes``: the CPU count (times the factor)."""
    lim = limits or current()
    return max(1, (os.cpu_count() or 1) * lim.max_processes_factor)


__all__ = ["ENV_PREFIX", "Limits", "current", "env_name", "max_processes", "number_expected", "number_problem"]
