"""One masking (脱敏) policy for every output of the library.

Why one module
--------------
49号(四) and 梧州(五): publishing a natural person's information needs an explicit
law, regulation or State Council decision/order, or the person's consent, **and**
"必要脱敏处理" (the necessary desensitisation).  49号(十四) adds the principle of
minimal use.  A decision, a text report, a query-register listing and an error
message are all places where an identifier can leak, so they must all mask the
same way; a second, slightly different masking function somewhere else is how
leaks happen.  Every output path of ``credit_rules`` therefore calls this module.

The policy
----------
=================  ==============================================  =====================
field              kept                                            example
=================  ==============================================  =====================
resident ID        first 3 and last 2 characters                   ``450*************33``
name (自然人)       first character; every other character → ``*``  ``李**``
phone number       first 3 and last 4 digits of an 11-digit         ``138****5678``
                   mobile; otherwise the last 2 digits
address            the administrative divisions at the start        ``广西梧州市万秀区*******``
                   (省/自治区/市/州/盟/区/县/旗), nothing after them
bank account       the last 4 digits                                ``***************1234``
=================  ==============================================  =====================

* Names of legal persons, unincorporated organisations and individual
  businesses are published names (企业信息公示), not personal data, and are
  never masked; neither is a USCC.
* Masking never validates: it must be safe on bad data, e.g. when an error
  message is written about an invalid identifier.  Short values are masked
  entirely so that nothing short leaks whole.
* **Disclosure.**  Every function takes ``disclosure_basis``: the law,
  regulation, State Council decision or recorded consent that allows the value
  to appear in clear.  With a basis the value is returned unchanged; the caller
  is responsible for the basis being real (the information rules check bases;
  this module only obeys them).  The default is to mask.
* :func:`scrub_text` masks identifiers inside free text (reports, logs,
  error messages): the known personal values of the input first, then anything
  shaped like a resident ID or a mobile number.
"""

from __future__ import annotations

import io
import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from enum import StrEnum
from typing import Any, Final, TextIO

from . import identifiers

__all__ = [
    "PersonalField",
    "mask",
    "mask_address",
    "mask_bank_account",
    "mask_name",
    "mask_phone",
    "mask_resident_id",
    "mask_subject",
    "ScrubbingStream",
    "scrub_json",
    "scrub_text",
    "scrubbed_output",
]

NATURAL_PERSON: Final = "natural_person"


class PersonalField(StrEnum):
    """The kinds of personal data the policy covers."""

    resident_id = "resident_id"  # 公民身份号码
    name = "name"  # 自然人姓名
    phone = "phone"  # 电话号码
    address = "address"  # 住址
    bank_account = "bank_account"  # 银行账号


def mask_resident_id(value: str, *, disclosure_basis: str | None = None) -> str:
    """First 3 and last 2 characters visible (the long-standing output of the library)."""
    if disclosure_basis:
        return value
    return identifiers.mask_resident_id(value)


def mask_name(value: str, *, disclosure_basis: str | None = None) -> str:
    """A natural person's name: the family name (first character) stays, the rest is starred."""
    if disclosure_basis:
        return value
    return identifiers.mask_name(value)


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


def mask_phone(value: str, *, disclosure_basis: str | None = None) -> str:
    """An 11-digit mobile keeps 3 + 4 digits (``138****5678``); other numbers keep the last 2.

    Separators (spaces, dashes, a ``+86`` prefix) are dropped first so that the
    number of visible digits does not depend on how the number was typed.
    """
    if disclosure_basis:
        return value
    digits = _digits(value)
    if len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if len(digits) == 11:
        return digits[:3] + "****" + digits[-4:]
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 2) + digits[-2:]


_DIVISION_RE: Final = re.compile(r"^(?:[\u4e00-\u9fff]{2,8}?(?:自治区|省|市|自治州|州|盟|区|县|旗)){1,4}")


def mask_address(value: str, *, disclosure_basis: str | None = None) -> str:
    """Keep only the administrative divisions an address starts with; star the rest.

    ``广西梧州市万秀区新兴二路12号`` → ``广西梧州市万秀区******``.  The street, house and
    room are what identify a person; the divisions are what a published
    penalty usually states anyway (the deciding authority's area).  An address
    that does not start with divisions keeps only its first 2 characters.
    """
    if disclosure_basis:
        return value
    text = value.strip()
    match = _DIVISION_RE.match(text)
    kept = match.group(0) if match else text[:2]
    if len(kept) >= len(text):
        # nothing but divisions: still hide the last one, so a village-level address never shows whole
        kept = text[: max(0, len(text) - 2)]
    return kept + "*" * (len(text) - len(kept))


def mask_bank_account(value: str, *, disclosure_basis: str | None = None) -> str:
    """Only the last 4 digits stay (the usual bank-statement form)."""
    if disclosure_basis:
        return value
    digits = _digits(value) or value.strip()
    if len(digits) <= 4:
        return "*" * len(digits)
    return "*" * (len(digits) - 4) + digits[-4:]


_MASKERS: Final[dict[PersonalField, Callable[..., str]]] = {
    PersonalField.resident_id: mask_resident_id,
    PersonalField.name: mask_name,
    PersonalField.phone: mask_phone,
    PersonalField.address: mask_address,
    PersonalField.bank_account: mask_bank_account,
}


def mask(field: PersonalField, value: str, *, disclosure_basis: str | None = None) -> str:
    """Mask *value* as the policy says for *field* (unchanged with a disclosure basis)."""
    return _MASKERS[field](value, disclosure_basis=disclosure_basis)


def mask_subject(
    kind: str,
    name: str,
    *,
    resident_id: str | None = None,
    uscc: str | None = None,
    disclosure_basis: str | None = None,
) -> tuple[str, str | None]:
    """(name, identifier) of a credit subject as outputs show it.

    A natural person is shown by masked name and masked resident ID; every
    other kind of subject by its name and USCC, which are public registration
    data.  With a disclosure basis a natural person is shown in clear.
    """
    if str(kind) == NATURAL_PERSON:
        rid = mask_resident_id(resident_id, disclosure_basis=disclosure_basis) if resident_id else None
        return mask_name(name, disclosure_basis=disclosure_basis), rid
    return name, uscc


# Each pattern below begins with what its match begins with (a digit, a "1") and tests the character before
# it by a look-behind placed after that first character: the same matches as the look-behind written first
# (``(?<!\d)(1[3-9]\d{9})`` is ``(1(?<!\d1)[3-9]\d{9})``, for the "1" is already matched), but the regular
# expression engine can then skip ahead to the candidates' first character instead of trying the look-behind at
# every position of the text: a 3.8 KB compact record line with an 11-digit run in its hex digest took ~100 µs
# for the mobile pattern, 4 µs so (tests/test_masking_patterns.py compares each with its look-behind-first form).
# A resident ID inside free text: 17 digits + digit/X, or a legacy 15-digit number,
# not part of a longer run of digits (a USCC or bank account must not be cut up).
_RESIDENT_ID_RE: Final = re.compile(r"(\d(?<![0-9A-Za-z]\d)(?:\d{16}[\dXx]|\d{14}))(?![0-9A-Za-z])")
# The same 18 characters glued to letters (``ID110101…``, ``…0018abc``): masked when the
# GB 11643 check character is right, so that a USCC made of digits is not cut up by chance.
_GLUED_ID_RE: Final = re.compile(r"(\d(?<!\d\d)\d{16}[\dXx])(?!\d)")
# Typed with separators (``110101 19900307 0018``, ``110 - 101…``): up to 3 separator characters
# between any two digits; masked when the check character is right.
_SEP: Final = r"[ \t\-_.,/\u00a0\u3000]"
_SPACED_ID_RE: Final = re.compile(rf"(\d(?<![0-9]\d)(?:{_SEP}{{0,3}}\d){{16}}{_SEP}{{0,3}}[\dXx])(?![0-9])")
_MOBILE_RE: Final = re.compile(r"(1(?<!\d1)[3-9]\d{9})(?!\d)")
# A mobile number typed in its usual groups, 3-4-4 (``138-1234-5678``, ``138 1234 5678``, ``138.1234.5678``): one
# separator (a space, dash, dot or wide space) between groups, no digit on either side.
_GROUPED_MOBILE_RE: Final = re.compile(r"(1(?<!\d1)[3-9]\d[ \-.\u00a0\u3000]\d{4}[ \-.\u00a0\u3000]\d{4})(?!\d)")
# What every pattern above needs: 11 digits in a row, once the separators of _SEP are dropped.
_DROP_SEPARATORS: Final = str.maketrans("", "", " \t-_.,/\u00a0\u3000")
_ASCII_DIGITS: Final = bytes.maketrans(b"123456789", b"000000000")
_ASCII_SEPARATORS: Final = b" \t-_.,/"
_DIGIT_RUN_RE: Final = re.compile(r"\d{11}")


IDENTIFIER_CANDIDATE: Final = r"\d(?:\D{0,3}\d){10}"
"""Eleven digits with at most three other characters between any two: every string :func:`scrub_text` can change (a
resident ID in any spelling, a mobile number plain or grouped) holds such a run, so callers that scrub many values
(the service's response bodies, rescan's Parquet) hand it only those that do."""


def _check_ok(candidate: str) -> bool:
    """True when *candidate* (separators dropped, digits normalised) has a correct GB 11643 check character."""
    compact = "".join(str(unicodedata.digit(ch)) if ch.isdigit() else ch for ch in candidate if ch.isdigit() or ch in "Xx")
    if len(compact) != 18 or not compact[:17].isdigit():
        return False
    try:
        return identifiers.resident_id_check_char(compact[:17]) == compact[17].upper()
    except ValueError:
        return False


def _mask_if_valid(match: re.Match[str]) -> str:
    text = match.group(1)
    if not _check_ok(text) or _in_digest(match):
        return match.group(0)
    compact = "".join(ch for ch in text if ch.isdigit() or ch in "Xx")
    return identifiers.mask_resident_id(compact)


def scrub_text(
    text: str,
    known: Iterable[tuple[PersonalField, str]] = (),
    *,
    disclosure_basis: str | None = None,
) -> str:
    """Mask personal data inside free text (a report, a log line, an error message, a file name).

    *known* are the personal values of the input (a natural person's name, the
    address given …): each occurrence is replaced by its masked form, longest
    first so that a name inside an address is not masked twice.  Then anything
    shaped like a resident ID or a mobile number is masked, whether or not it
    was known, because a value that failed validation is exactly what an
    error message repeats.  A valid resident ID is also found glued to
    letters (``ID110101…``) or typed with spaces or dashes between its digits.
    """
    if disclosure_basis:
        return text
    pairs = sorted({(f, v) for f, v in known if v and v.strip()}, key=lambda p: -len(p[1]))
    out = text
    for field, value in pairs:
        out = out.replace(value, mask(field, value))
    id_run, phone_run, grouped_run = _digit_runs(out)
    if id_run:
        # valid IDs in any spelling first (a spaced ID must not be half-taken for a legacy 15-digit one), then any ID shape
        out = _GLUED_ID_RE.sub(_mask_if_valid, out)
        out = _SPACED_ID_RE.sub(_mask_if_valid, out)
        # (no letter or digit may touch this pattern's match, so it never lies inside a digest: see _in_digest)
        out = _RESIDENT_ID_RE.sub(lambda m: identifiers.mask_resident_id(m.group(1)), out)
    if phone_run or id_run:  # (a masked ID keeps digits: the phone pattern runs on the masked text too)
        out = _MOBILE_RE.sub(lambda m: m.group(0) if _in_digest(m) else mask_phone(m.group(1)), out)
    if grouped_run:  # (separators, so never inside a digest)
        out = _GROUPED_MOBILE_RE.sub(lambda m: mask_phone(m.group(1)), out)
    return out


_HEX: Final = frozenset("0123456789abcdef")
_ALNUM: Final = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")


def _in_digest(match: re.Match[str]) -> bool:
    """Whether *match* lies inside a sha256 digest as the project writes it (``case_sha256``, ``ruleset_hash``,
    register hashes): a token of exactly 64 lowercase hex characters with no ASCII letter or digit on either side.

    A digest is not personal data, and a phone-shaped run of its digits must not be masked (a record's
    ``case_sha256`` would no longer find its case).  Tested only for a match, so text without one costs nothing
    more.  A digest in upper case, a shorter one, one glued to letters, or a match reaching outside the token (a
    separator in it) is masked as any text.  (A resident ID written inside such a token on purpose is not found:
    the exemption is for the digests the project writes, not a way to ask for clear text, which is
    ``--disclosure-basis``.)"""
    text, start, end = match.string, match.start(), match.end()
    if not _HEX.issuperset(text[start:end]):
        return False
    while start > 0 and text[start - 1] in _HEX:
        start -= 1
    while end < len(text) and text[end] in _HEX:
        end += 1
    return end - start == 64 and (start == 0 or text[start - 1] not in _ALNUM) and (end == len(text) or text[end] not in _ALNUM)


def _digit_runs(text: str) -> tuple[bool, bool, bool]:
    """Whether *text* could hold what the patterns mask: (15 digits in a row once the separators of ``_SEP`` are
    dropped — every resident-ID pattern needs that; 11 as written — a mobile number needs that; 11 once the
    separators are dropped — a grouped mobile number needs that).  A pattern that cannot match is not run: the
    patterns cost about a millisecond on a 4 KB record line, this test about 30 µs.  Dropping separators only joins
    runs, so the test never misses what a pattern finds.  ASCII text is tested by a translation (digits to ``0``)
    and a substring search; other text (``\\d`` also matches other scripts' digits) by one pattern, and as if it
    held every run when it holds the shortest."""
    if text.isascii():
        digits = text.encode("ascii").translate(_ASCII_DIGITS)
        joined = digits.translate(None, _ASCII_SEPARATORS)
        return b"0" * 15 in joined, b"0" * 11 in digits, b"0" * 11 in joined
    found = _DIGIT_RUN_RE.search(text.translate(_DROP_SEPARATORS)) is not None
    return found, found, found


def scrub_json(value: Any, *, disclosure_basis: str | None = None) -> Any:
    """*value* (JSON-like data) with :func:`scrub_text` applied to every string in it, keys included."""
    if disclosure_basis:
        return value
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {scrub_json(k) if isinstance(k, str) else k: scrub_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [scrub_json(v) for v in value]
    if isinstance(value, tuple):
        return tuple(scrub_json(v) for v in value)
    return value


class ScrubbingStream(io.TextIOBase):
    """A text stream that masks personal data in everything written through it.

    The CLI wraps ``sys.stdout`` and ``sys.stderr`` in one of these, so every
    output channel — reports, decision JSON, ``case_id``, request and query
    ids, file and fixture names, progress lines, error messages — passes
    through the same masking pass, whichever command wrote it.  Each
    ``write`` is scrubbed as a whole; writers emit whole lines or values, so
    an identifier is not split across two writes.
    """

    def __init__(self, inner: TextIO) -> None:
        super().__init__()
        self._inner = inner

    def write(self, text: str) -> int:
        self._inner.write(scrub_text(text))
        return len(text)

    def flush(self) -> None:
        self._inner.flush()

    def isatty(self) -> bool:
        return bool(self._inner.isatty())

    def fileno(self) -> int:
        return self._inner.fileno()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return str(getattr(self._inner, "encoding", "utf-8"))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


@contextmanager
def scrubbed_output(*, stdout: bool = True, stderr: bool = True) -> Iterator[None]:
    """Route ``sys.stdout`` and/or ``sys.stderr`` through :class:`ScrubbingStream` for the duration.

    The CLI leaves stdout in clear only when the caller names a disclosure
    basis (law or consent); stderr — warnings and error messages — is always
    masked.
    """
    out, err = sys.stdout, sys.stderr
    if stdout:
        sys.stdout = ScrubbingStream(out)
    if stderr:
        sys.stderr = ScrubbingStream(err)
    try:
        yield
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            sys.stdout, sys.stderr = out, err
