"""Parsing and validation of the two identifiers that name a credit subject.

A social-credit decision is only as good as the identification of its subject,
so this module is deliberately strict about *structure* (length, alphabet,
calendar dates) and deliberately lenient about *check characters* where real
registries are known to contain anomalies:

* 统一社会信用代码 (Unified Social Credit Code, USCC), GB 32100-2015.
  A wrong check character is reported (``UsccInfo.check_ok is False``) rather
  than raised, because codes that fail the published algorithm exist in real
  registries (e.g. ``91350203M0001QAY9B``) and callers must be able to
  override the arithmetic with registry evidence.
* 公民身份号码 (resident identity number), GB 11643-1999, plus the 15-digit
  legacy format of GB 11643-1989. Here a wrong check digit *is* an error: the
  number is a personal identifier and a typo must not silently attach a record
  to the wrong person.

Every failure raises :class:`IdentifierError` (a :class:`ValueError`) carrying
both an English message and a Chinese ``message_zh`` so that the reason can be
shown to the subject of a decision in their own language.
"""

from __future__ import annotations

import datetime
import functools
import operator
from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "ORG_CODE_WEIGHTS",
    "REGISTRATION_AUTHORITIES",
    "RESIDENT_ID_CHECK_CHARS",
    "RESIDENT_ID_WEIGHTS",
    "USCC_CHARSET",
    "USCC_WEIGHTS",
    "IdentifierError",
    "RegistrationAuthority",
    "ResidentIdInfo",
    "UsccInfo",
    "age_on",
    "birth_date_of",
    "mask_name",
    "mask_resident_id",
    "org_code_check_char",
    "parse_resident_id",
    "parse_uscc",
    "resident_id_check_char",
    "uscc_check_char",
]

# ---------------------------------------------------------------------------
# Constants
# ---------------------------------------------------------------------------

#: The 31 symbols of GB 32100-2015. I, O, S, V and Z are excluded because they
#: are easily confused with 1, 0, 5, U and 2 when codes are copied by hand.
USCC_CHARSET: Final[str] = "0123456789ABCDEFGHJKLMNPQRTUWXY"

#: Weights for positions 1-17 of a USCC (3**i mod 31).
USCC_WEIGHTS: Final[tuple[int, ...]] = (
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
)

#: Weights for the first 8 characters of a GB 11714 organisation code.
#: NOTE: the algorithm is taken from secondary sources and is UNVERIFIED
#: against the standard text, which is why its result is never fatal.
ORG_CODE_WEIGHTS: Final[tuple[int, ...]] = (3, 7, 9, 10, 5, 8, 4, 2)

#: Weights for digits 1-17 of an 18-character resident ID (2**(17-i) mod 11).
RESIDENT_ID_WEIGHTS: Final[tuple[int, ...]] = (
    7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2,
)

#: Check character indexed by (weighted sum mod 11), ISO 7064 MOD 11-2.
RESIDENT_ID_CHECK_CHARS: Final[str] = "10X98765432"

_ASCII_DIGITS: Final[str] = "0123456789"
_ASCII_UPPER: Final[str] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#: GB 11714 alphabet: 0-9 -> 0-9, A-Z -> 10-35 (full Latin alphabet).
_ORG_CODE_ALPHABET: Final[str] = _ASCII_DIGITS + _ASCII_UPPER
_USCC_VALUE: Final[dict[str, int]] = {c: i for i, c in enumerate(USCC_CHARSET)}
_USCC_SET: Final[frozenset[str]] = frozenset(USCC_CHARSET)
_ORG_CODE_VALUE: Final[dict[str, int]] = {c: i for i, c in enumerate(_ORG_CODE_ALPHABET)}
_ASCII_LOWER_TO_UPPER: Final[dict[int, int]] = str.maketrans(
    "abcdefghijklmnopqrstuvwxyz", _ASCII_UPPER
)


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


class IdentifierError(ValueError):
    """A structurally invalid identifier.

    Subclasses :class:`ValueError` so generic callers can catch it, while
    carrying a Chinese rendering (``message_zh``) because the reasons for a
    credit decision must be explainable to the person concerned.
    """

    def __init__(self, message: str, message_zh: str) -> None:
        super().__init__(message)
        self.message: str = message
        self.message_zh: str = message_zh


# ---------------------------------------------------------------------------
# USCC
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationAuthority:
    """One entry of the position-1 registration-authority table.

    ``verified`` records whether the mapping was confirmed from a primary
    source; unverified entries are kept so they can be shown, but must not be
    relied upon for a decision without corroboration.
    """

    code: str
    name_zh: str
    verified: bool


#: Position-1 登记管理部门代码 of GB 32100-2015.
#: Only 1, 5, 9 and Y are confirmed by the research dossier.
REGISTRATION_AUTHORITIES: Final[dict[str, RegistrationAuthority]] = {
    a.code: a
    for a in (
        RegistrationAuthority("1", "机构编制", True),
        RegistrationAuthority("2", "外交", False),
        RegistrationAuthority("3", "司法行政", False),
        RegistrationAuthority("4", "文化", False),
        RegistrationAuthority("5", "民政", True),
        RegistrationAuthority("6", "旅游", False),
        RegistrationAuthority("7", "宗教", False),
        RegistrationAuthority("8", "工会", False),
        RegistrationAuthority("9", "工商（市场监督管理）", True),
        RegistrationAuthority("A", "中央军委改革和编制办公室", False),
        RegistrationAuthority("N", "农业", False),
        RegistrationAuthority("Y", "其他", True),
    )
}


@dataclass(frozen=True)
class UsccInfo:
    """The decoded fields of a structurally valid USCC.

    ``check_ok`` is a *warning*, not a verdict: a False value with the
    ``expected_check`` character lets a caller flag the code for manual
    review or accept it on registry evidence. ``org_code_check_ok`` is an
    extra, non-fatal result of the (unverified) GB 11714 check on the
    embedded organisation code (positions 9-17).
    """

    code: str
    registration_authority: str
    registration_authority_name_zh: str | None
    authority_verified: bool
    category: str
    region_code: str
    org_code: str
    check_ok: bool
    expected_check: str
    org_code_check_ok: bool


def _validate_uscc_chars(text: str, what: str, what_zh: str) -> None:
    """Raise naming the first character outside the USCC alphabet (1-based)."""
    if _USCC_SET.issuperset(text):  # (the usual case, tested at once)
        return
    for pos, ch in enumerate(text, start=1):
        if ch not in _USCC_VALUE:
            raise IdentifierError(
                f"{what}: character {ch!r} at position {pos} is not in the "
                f"USCC character set {USCC_CHARSET!r} "
                "(letters I, O, S, V, Z are never used)",
                f"{what_zh}：第{pos}位字符“{ch}”不在统一社会信用代码字符集内"
                "（不使用字母 I、O、S、V、Z）",
            )


def uscc_check_char(first17: str) -> str:
    """Compute the GB 32100-2015 check character for 17 USCC characters.

    C18 = 31 - (sum(value_i * W_i) mod 31), with 31 mapped to 0, then mapped
    back through :data:`USCC_CHARSET`. Raises :class:`IdentifierError` if the
    input is not exactly 17 characters of the charset, so that a wrong input
    can never yield a plausible-looking check character.
    """
    if len(first17) != 17:
        raise IdentifierError(
            f"USCC check computation needs exactly 17 characters, got {len(first17)}",
            f"计算统一社会信用代码校验码需要17位字符，实际为{len(first17)}位",
        )
    _validate_uscc_chars(first17, "USCC", "统一社会信用代码")
    total = sum(map(operator.mul, map(_USCC_VALUE.__getitem__, first17), USCC_WEIGHTS))
    return USCC_CHARSET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """Compute the GB 11714 organisation-code check character (UNVERIFIED).

    Values: 0-9 -> 0-9, A-Z -> 10-35; weights 3,7,9,10,5,8,4,2;
    c = 11 - (sum mod 11), with 10 -> 'X' and 11 -> '0'. The algorithm comes
    from secondary sources, so callers should treat a mismatch as a hint only.
    """
    if len(first8) != 8:
        raise IdentifierError(
            f"organisation-code check computation needs exactly 8 characters, got {len(first8)}",
            f"计算组织机构代码校验码需要8位字符，实际为{len(first8)}位",
        )
    for pos, ch in enumerate(first8, start=1):
        if ch not in _ORG_CODE_VALUE:
            raise IdentifierError(
                f"organisation code: character {ch!r} at position {pos} is not "
                "an ASCII digit or upper-case letter",
                f"组织机构代码：第{pos}位字符“{ch}”不是数字或大写字母",
            )
    total = sum(map(operator.mul, map(_ORG_CODE_VALUE.__getitem__, first8), ORG_CODE_WEIGHTS))
    c = 11 - total % 11
    if c == 10:
        return "X"
    if c == 11:
        return "0"
    return str(c)


def parse_uscc(code: str) -> UsccInfo:
    """Parse and check a 统一社会信用代码.

    Surrounding whitespace is stripped and ASCII letters are upper-cased,
    because codes are routinely copied from documents and forms. Wrong length
    and characters outside the charset raise :class:`IdentifierError`; a
    check-character mismatch does **not** raise (see :class:`UsccInfo`).
    The result (frozen) is remembered for the most recent codes.
    """
    return _parse_uscc(code)


@functools.lru_cache(maxsize=256)  # a decision parses its subject's code more than once; codes rarely repeat across cases
def _parse_uscc(code: str) -> UsccInfo:
    normalised = code.strip().translate(_ASCII_LOWER_TO_UPPER)
    if len(normalised) != 18:
        raise IdentifierError(
            f"USCC must be 18 characters long, got {len(normalised)}: {normalised!r}",
            f"统一社会信用代码应为18位，实际为{len(normalised)}位",
        )
    _validate_uscc_chars(normalised, "USCC", "统一社会信用代码")

    expected = uscc_check_char(normalised[:17])
    org_code = normalised[8:17]
    authority = REGISTRATION_AUTHORITIES.get(normalised[0])
    return UsccInfo(
        code=normalised,
        registration_authority=normalised[0],
        registration_authority_name_zh=authority.name_zh if authority else None,
        authority_verified=authority.verified if authority else False,
        category=normalised[1],
        region_code=normalised[2:8],
        org_code=org_code,
        check_ok=normalised[17] == expected,
        expected_check=expected,
        org_code_check_ok=org_code_check_char(org_code[:8]) == org_code[8],
    )


# ---------------------------------------------------------------------------
# Resident identity number
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ResidentIdInfo:
    """The decoded fields of a valid 公民身份号码.

    ``number`` is the normalised form (upper-case 'X'). ``legacy`` is True for
    15-digit GB 11643-1989 numbers, which have no check digit and an implied
    19xx century; their integrity therefore cannot be verified arithmetically.
    """

    number: str
    region_code: str
    birth_date: datetime.date
    sex: Literal["male", "female"]
    legacy: bool


def resident_id_check_char(first17: str) -> str:
    """Compute the GB 11643-1999 check character for 17 ASCII digits."""
    if len(first17) != 17 or not (first17.isascii() and first17.isdigit()):  # (ASCII digits are the only ASCII isdigit)
        raise IdentifierError(
            "resident ID check computation needs exactly 17 ASCII digits",
            "计算公民身份号码校验码需要17位数字",
        )
    total = sum(map(operator.mul, map(int, first17), RESIDENT_ID_WEIGHTS))
    return RESIDENT_ID_CHECK_CHARS[total % 11]


def _parse_birth_date(text: str, *, as_of: datetime.date | None) -> datetime.date:
    """Turn YYYYMMDD into a real calendar date not after ``as_of``."""
    try:
        born = datetime.date(int(text[:4]), int(text[4:6]), int(text[6:8]))
    except ValueError:
        raise IdentifierError(
            f"resident ID birth date {text!r} is not a real calendar date",
            f"公民身份号码中的出生日期“{text}”不是有效日期",
        ) from None
    if as_of is not None and born > as_of:
        raise IdentifierError(
            f"resident ID birth date {born.isoformat()} is after {as_of.isoformat()}",
            f"公民身份号码中的出生日期{born.isoformat()}晚于{as_of.isoformat()}",
        )
    return born


def _birth_digits(number: str) -> str:
    """The YYYYMMDD a resident ID records: its 7th to 14th digits, or for a legacy 15-digit number its 7th to
    12th, a date in the 1900s (GB 11643-1999 §5; the legacy numbers' years are two digits)."""
    return number[6:14] if len(number) == 18 else "19" + number[6:12]


def birth_date_of(number: str) -> datetime.date:
    """The birth date of a resident ID that :func:`parse_resident_id` has accepted and returned (``.number``).

    Why: a model validating a subject checks the ID field by field, then needs its birth date; parsing the whole
    number again cost 5 us.  Nothing else is checked here: give it only a number that passed."""
    digits = _birth_digits(number)
    return datetime.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))


def parse_resident_id(
    number: str, *, as_of: datetime.date | None = None
) -> ResidentIdInfo:
    """Parse and fully validate a 公民身份号码 (18-digit or legacy 15-digit).

    ``as_of`` is the date against which a future birth date is rejected; with
    no ``as_of`` that check is skipped, because decisions are pure functions of
    their inputs and must never read the wall clock. Surrounding whitespace is stripped and a
    lower-case 'x' check character is normalised to 'X'. Unlike a USCC, a
    wrong check digit raises: there is no known population of valid numbers
    failing the check, and a typo would identify a different person.
    Nothing is remembered between calls: a personal number is kept no longer
    than the call that reads it (a USCC, an organisation's code, is).
    """
    reference = as_of
    normalised = number.strip()
    if len(normalised) == 18 and normalised[17] == "x":
        normalised = normalised[:17] + "X"

    if len(normalised) == 15:
        for pos, ch in enumerate(normalised, start=1):
            if ch not in _ASCII_DIGITS:
                raise IdentifierError(
                    f"legacy 15-digit resident ID: character {ch!r} at position {pos} "
                    "is not an ASCII digit",
                    f"15位公民身份号码：第{pos}位字符“{ch}”不是数字",
                )
        born = _parse_birth_date(_birth_digits(normalised), as_of=reference)
        seq_last = int(normalised[14])
        legacy = True
    elif len(normalised) == 18:
        body = normalised[:17]
        plain = body.isascii() and body.isdigit() and normalised[17] in "0123456789X"  # (the usual case, at once)
        for pos, ch in enumerate("" if plain else normalised, start=1):
            if ch in _ASCII_DIGITS or (pos == 18 and ch == "X"):
                continue
            allowed = "an ASCII digit or 'X'" if pos == 18 else "an ASCII digit"
            allowed_zh = "数字或X" if pos == 18 else "数字"
            raise IdentifierError(
                f"resident ID: character {ch!r} at position {pos} is not {allowed}",
                f"公民身份号码：第{pos}位字符“{ch}”不是{allowed_zh}",
            )
        born = _parse_birth_date(_birth_digits(normalised), as_of=reference)
        expected = resident_id_check_char(normalised[:17])
        if normalised[17] != expected:
            raise IdentifierError(
                f"resident ID check character mismatch: expected {expected!r}, "
                f"given {normalised[17]!r}",
                f"公民身份号码校验码错误：应为“{expected}”，实际为“{normalised[17]}”",
            )
        seq_last = int(normalised[16])
        legacy = False
    else:
        raise IdentifierError(
            f"resident ID must be 18 characters (or 15 for legacy numbers), "
            f"got {len(normalised)}",
            f"公民身份号码应为18位（旧版为15位），实际为{len(normalised)}位",
        )

    sex: Literal["male", "female"] = "male" if seq_last % 2 == 1 else "female"
    return ResidentIdInfo(
        number=normalised,
        region_code=normalised[:6],
        birth_date=born,
        sex=sex,
        legacy=legacy,
    )


# ---------------------------------------------------------------------------
# Age and masking
# ---------------------------------------------------------------------------


def age_on(birth: datetime.date, on: datetime.date) -> int:
    """Completed years of age on date ``on``.

    Age thresholds (e.g. 18 for full civil capacity) decide whether rules
    apply, so this counts whole years only. A person born on 29 February
    becomes a year older on 1 March in non-leap years (they have not reached
    "29 February" on the 28th). Raises :class:`ValueError` if ``on`` precedes
    ``birth``, since a negative age indicates a data error.
    """
    if on < birth:
        raise ValueError(
            f"date {on.isoformat()} is before birth date {birth.isoformat()}"
        )
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


def mask_resident_id(number: str) -> str:
    """Mask a resident ID for display or logs: keep first 3 and last 2 chars.

    The region code and birth date are personal data, so only the province
    prefix and the last two characters (enough to tell records apart for a
    human) are kept, e.g. ``340*************1X``. Inputs of 5 characters or
    fewer are masked entirely so that nothing short leaks in full. This never
    validates: it must be safe to call on bad data when logging an error.
    """
    text = number.strip()
    if len(text) <= 5:
        return "*" * len(text)
    return text[:3] + "*" * (len(text) - 5) + text[-2:].replace("x", "X")


def mask_name(name: str) -> str:
    """Mask a personal name: keep the first character, star the rest.

    ``张三丰`` -> ``张**``; a single-character name becomes ``*`` because the
    character alone would be the whole name.
    """
    text = name.strip()
    if len(text) <= 1:
        return "*" * len(text)
    return text[0] + "*" * (len(text) - 1)
