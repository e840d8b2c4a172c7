"""Tests for credit_rules.identifiers (USCC and resident ID handling)."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from credit_rules.identifiers import (
    birth_date_of,
    REGISTRATION_AUTHORITIES,
    USCC_CHARSET,
    IdentifierError,
    ResidentIdInfo,
    UsccInfo,
    age_on,
    mask_name,
    mask_resident_id,
    org_code_check_char,
    parse_resident_id,
    parse_uscc,
    resident_id_check_char,
    uscc_check_char,
)

AS_OF = datetime.date(2025, 1, 1)

REAL_USCCS = [
    "91350200776049653A",
    "91440101MA5CJQ4N59",
    "913502000728319549",
    "9135021359498494XQ",
]
ANOMALY = "91350203M0001QAY9B"


# ---------------------------------------------------------------------------
# USCC
# ---------------------------------------------------------------------------


def test_charset_has_31_symbols_without_confusables() -> None:
    assert len(USCC_CHARSET) == 31
    assert len(set(USCC_CHARSET)) == 31
    for banned in "IOSVZ":
        assert banned not in USCC_CHARSET


@pytest.mark.parametrize("code", REAL_USCCS)
def test_real_uscc_codes_are_valid(code: str) -> None:
    info = parse_uscc(code)
    assert isinstance(info, UsccInfo)
    assert info.check_ok is True
    assert info.expected_check == code[-1]
    assert uscc_check_char(code[:17]) == code[-1]
    assert info.code == code
    assert info.org_code == code[8:17]
    assert info.org_code_check_ok is True


def test_uscc_field_decoding() -> None:
    info = parse_uscc("91440101MA5CJQ4N59")
    assert info.registration_authority == "9"
    assert info.registration_authority_name_zh is not None
    assert "工商" in info.registration_authority_name_zh
    assert info.authority_verified is True
    assert info.category == "1"
    assert info.region_code == "440101"
    assert info.org_code == "MA5CJQ4N5"


def test_known_anomaly_is_a_warning_not_an_error() -> None:
    info = parse_uscc(ANOMALY)
    assert info.check_ok is False
    assert info.expected_check == "9"
    assert info.code == ANOMALY
    # the rest of the decoding is still available to the caller
    assert info.region_code == "350203"
    assert info.org_code == "M0001QAY9"


def test_uscc_normalises_whitespace_and_case() -> None:
    info = parse_uscc("  91440101ma5cjq4n59\n")
    assert info.code == "91440101MA5CJQ4N59"
    assert info.check_ok is True


@pytest.mark.parametrize("code", ["", "9135020077604965", "91350200776049653AA"])
def test_uscc_wrong_length(code: str) -> None:
    with pytest.raises(IdentifierError, match="18 characters") as exc:
        parse_uscc(code)
    assert "18" in exc.value.message_zh


@pytest.mark.parametrize(
    ("code", "position", "char"),
    [
        ("9135I200776049653A", 5, "I"),
        ("91350200776049653O", 18, "O"),
        ("S1350200776049653A", 1, "S"),
        ("913502007760496-3A", 16, "-"),
    ],
)
def test_uscc_bad_character_names_position(code: str, position: int, char: str) -> None:
    with pytest.raises(IdentifierError) as exc:
        parse_uscc(code)
    assert f"position {position}" in str(exc.value)
    assert repr(char) in str(exc.value)
    assert f"第{position}位" in exc.value.message_zh


def test_identifier_error_is_value_error() -> None:
    with pytest.raises(ValueError):
        parse_uscc("bad")


def test_authority_table_verification_flags() -> None:
    verified = {k for k, v in REGISTRATION_AUTHORITIES.items() if v.verified}
    assert verified == {"1", "5", "9", "Y"}
    assert REGISTRATION_AUTHORITIES["A"].verified is False


def test_unknown_and_unverified_authority() -> None:
    first17 = "B1350200776049653"
    unknown = parse_uscc(first17 + uscc_check_char(first17))
    assert unknown.registration_authority_name_zh is None
    assert unknown.authority_verified is False

    first17 = "21350200776049653"
    unverified = parse_uscc(first17 + uscc_check_char(first17))
    assert unverified.registration_authority_name_zh == "外交"
    assert unverified.authority_verified is False


def test_uscc_check_char_rejects_bad_input() -> None:
    with pytest.raises(IdentifierError):
        uscc_check_char("123")
    with pytest.raises(IdentifierError, match="position 1"):
        uscc_check_char("I" * 17)


def test_org_code_check_char() -> None:
    assert org_code_check_char("77604965") == "3"
    assert org_code_check_char("MA5CJQ4N") == "5"
    assert org_code_check_char("59498494") == "X"
    with pytest.raises(IdentifierError):
        org_code_check_char("1234567")
    with pytest.raises(IdentifierError):
        org_code_check_char("1234567-")


def test_org_code_mismatch_is_non_fatal() -> None:
    # org code 776049654 has a wrong GB 11714 check digit (expects 3)
    first17 = "91350200776049654"
    info = parse_uscc(first17 + uscc_check_char(first17))
    assert info.check_ok is True
    assert info.org_code_check_ok is False


uscc_body = st.text(alphabet=USCC_CHARSET, min_size=17, max_size=17)


@given(uscc_body)
def test_appending_check_char_is_valid(first17: str) -> None:
    info = parse_uscc(first17 + uscc_check_char(first17))
    assert info.check_ok is True


@given(uscc_body, st.sampled_from(USCC_CHARSET))
def test_any_other_last_char_is_invalid(first17: str, other: str) -> None:
    check = uscc_check_char(first17)
    assume(other != check)
    info = parse_uscc(first17 + other)
    assert info.check_ok is False
    assert info.expected_check == check


@given(st.text())
def test_parse_uscc_only_raises_identifier_error(text: str) -> None:
    try:
        parse_uscc(text)
    except IdentifierError:
        pass


@given(st.text(alphabet=USCC_CHARSET + "iosvz -١", min_size=16, max_size=20))
def test_parse_uscc_near_valid_only_raises_identifier_error(text: str) -> None:
    try:
        parse_uscc(text)
    except IdentifierError:
        pass


# ---------------------------------------------------------------------------
# Resident ID
# ---------------------------------------------------------------------------


def test_resident_id_valid_vector() -> None:
    info = parse_resident_id("34052419800101001X", as_of=AS_OF)
    assert info == ResidentIdInfo(
        number="34052419800101001X",
        region_code="340524",
        birth_date=datetime.date(1980, 1, 1),
        sex="male",
        legacy=False,
    )


def test_resident_id_lowercase_x_normalised() -> None:
    info = parse_resident_id("34052419800101001x", as_of=AS_OF)
    assert info.number == "34052419800101001X"


def test_resident_id_wrong_check_names_expected_and_given() -> None:
    with pytest.raises(IdentifierError) as exc:
        parse_resident_id("340524198001010013", as_of=AS_OF)
    assert "expected 'X'" in str(exc.value)
    assert "given '3'" in str(exc.value)
    assert "X" in exc.value.message_zh and "3" in exc.value.message_zh


def test_resident_id_impossible_date() -> None:
    first17 = "34052419800230001"
    with pytest.raises(IdentifierError, match="calendar date"):
        parse_resident_id(first17 + resident_id_check_char(first17), as_of=AS_OF)


def test_resident_id_year_zero_is_rejected() -> None:
    first17 = "34052400000101001"
    with pytest.raises(IdentifierError, match="calendar date"):
        parse_resident_id(first17 + resident_id_check_char(first17), as_of=AS_OF)


def test_resident_id_future_birth_date() -> None:
    first17 = "34052420250102001"
    number = first17 + resident_id_check_char(first17)
    with pytest.raises(IdentifierError, match="after 2025-01-01"):
        parse_resident_id(number, as_of=AS_OF)
    # born on as_of itself is allowed
    assert parse_resident_id(number, as_of=datetime.date(2025, 1, 2)).birth_date == (
        datetime.date(2025, 1, 2)
    )


def test_resident_id_without_as_of_never_reads_the_clock() -> None:
    """Decisions are pure: with no as_of, a far-future birth date is not judged."""
    first17 = "340524" + "29990101" + "001"
    number = first17 + resident_id_check_char(first17)
    assert parse_resident_id(number).birth_date == datetime.date(2999, 1, 1)
    with pytest.raises(IdentifierError):
        parse_resident_id(number, as_of=AS_OF)


@pytest.mark.parametrize(
    "number",
    ["", "3405241980010100", "340524198001010010X", "34052419800101001Y", "X40524198001010013"],
)
def test_resident_id_bad_shape(number: str) -> None:
    with pytest.raises(IdentifierError):
        parse_resident_id(number, as_of=AS_OF)


def test_resident_id_non_ascii_digits_rejected() -> None:
    # Arabic-Indic digits satisfy str.isdigit() but are not valid here
    with pytest.raises(IdentifierError, match="position 1"):
        parse_resident_id("٣4052419800101001X", as_of=AS_OF)


def test_legacy_15_digit() -> None:
    info = parse_resident_id("340524800101002", as_of=AS_OF)
    assert info.legacy is True
    assert info.birth_date == datetime.date(1980, 1, 1)
    assert info.sex == "female"
    assert info.region_code == "340524"


def test_legacy_bad_date_rejected() -> None:
    with pytest.raises(IdentifierError):
        parse_resident_id("340524800230001", as_of=AS_OF)


dates = st.dates(min_value=datetime.date(1900, 1, 1), max_value=AS_OF)
regions = st.text(alphabet="0123456789", min_size=6, max_size=6)
sequences = st.integers(min_value=0, max_value=999)


@given(regions, dates, sequences)
def test_resident_id_round_trip(region: str, born: datetime.date, seq: int) -> None:
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    number = first17 + resident_id_check_char(first17)
    info = parse_resident_id(number, as_of=AS_OF)
    assert info.number == number
    assert info.region_code == region
    assert info.birth_date == born
    assert birth_date_of(info.number) == born  # (what a subject's validation reads once the field has passed)
    assert info.sex == ("male" if seq % 2 else "female")
    assert info.legacy is False
    # the lower-case variant of an X check parses to the same result
    assert parse_resident_id(number.lower(), as_of=AS_OF) == info


@given(
    regions,
    st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(1999, 12, 31)),
    sequences,
)
def test_legacy_round_trip(region: str, born: datetime.date, seq: int) -> None:
    number = f"{region}{born:%y%m%d}{seq:03d}"
    info = parse_resident_id(number, as_of=AS_OF)
    assert info.legacy is True
    assert info.birth_date == born
    assert birth_date_of(info.number) == born
    assert info.sex == ("male" if seq % 2 else "female")


@given(regions, dates, sequences, st.sampled_from("0123456789X"))
def test_resident_id_wrong_check_always_raises(
    region: str, born: datetime.date, seq: int, other: str
) -> None:
    first17 = f"{region}{born:%Y%m%d}{seq:03d}"
    assume(other != resident_id_check_char(first17))
    with pytest.raises(IdentifierError, match="expected"):
        parse_resident_id(first17 + other, as_of=AS_OF)


@given(st.text())
def test_parse_resident_id_only_raises_identifier_error(text: str) -> None:
    try:
        parse_resident_id(text, as_of=AS_OF)
    except IdentifierError:
        pass


@given(st.text(alphabet="0123456789Xx ١", min_size=14, max_size=19))
def test_parse_resident_id_near_valid_only_raises_identifier_error(text: str) -> None:
    try:
        parse_resident_id(text, as_of=AS_OF)
    except IdentifierError:
        pass


# ---------------------------------------------------------------------------
# age_on
# ---------------------------------------------------------------------------


def test_age_day_before_and_on_18th_birthday() -> None:
    born = datetime.date(2000, 6, 15)
    assert age_on(born, datetime.date(2018, 6, 14)) == 17
    assert age_on(born, datetime.date(2018, 6, 15)) == 18
    assert age_on(born, datetime.date(2018, 6, 16)) == 18


def test_age_feb_29_birthday() -> None:
    born = datetime.date(2000, 2, 29)
    # 2018 is not a leap year: 18 only from 1 March
    assert age_on(born, datetime.date(2018, 2, 28)) == 17
    assert age_on(born, datetime.date(2018, 3, 1)) == 18
    # 2016 is a leap year: 16 on 29 February itself
    assert age_on(born, datetime.date(2016, 2, 28)) == 15
    assert age_on(born, datetime.date(2016, 2, 29)) == 16


def test_age_on_birth_day_is_zero_and_before_birth_raises() -> None:
    born = datetime.date(2000, 1, 1)
    assert age_on(born, born) == 0
    with pytest.raises(ValueError):
        age_on(born, datetime.date(1999, 12, 31))


@given(st.dates(max_value=datetime.date(9000, 1, 1)), st.integers(0, 900))
def test_age_on_matches_anniversary(born: datetime.date, years: int) -> None:
    year = born.year + years
    if born.month == 2 and born.day == 29:
        try:
            anniversary = datetime.date(year, 2, 29)
        except ValueError:
            anniversary = datetime.date(year, 3, 1)
    else:
        anniversary = datetime.date(year, born.month, born.day)
    assert age_on(born, anniversary) == years
    if anniversary > born:
        assert age_on(born, anniversary - datetime.timedelta(days=1)) == years - 1


# ---------------------------------------------------------------------------
# Masking
# ---------------------------------------------------------------------------


def test_mask_resident_id() -> None:
    assert mask_resident_id("34052419800101001X") == "340*************1X"
    assert mask_resident_id("34052419800101001x") == "340*************1X"
    assert mask_resident_id("340524800101002") == "340**********02"
    assert mask_resident_id("12345") == "*****"
    assert mask_resident_id("") == ""


@given(st.text(alphabet="0123456789X", min_size=6, max_size=18))
def test_mask_resident_id_hides_middle(number: str) -> None:
    masked = mask_resident_id(number)
    assert len(masked) == len(number)
    assert masked[:3] == number[:3]
    assert masked[-2:] == number[-2:]
    assert set(masked[3:-2]) <= {"*"}


def test_mask_name() -> None:
    assert mask_name("张三丰") == "张**"
    assert mask_name("张三") == "张*"
    assert mask_name("张") == "*"
    assert mask_name("") == ""


def test_a_resident_id_number_is_not_remembered_between_calls() -> None:
    """A personal number is kept no longer than the call that reads it: no cache holds the numbers parsed (a
    long-running service would otherwise keep the last ones in memory)."""
    import gc

    from credit_rules import identifiers

    number = "652901197702124615"  # no other test uses it
    assert identifiers.parse_resident_id(number).number == number
    assert not hasattr(identifiers.parse_resident_id, "cache_info")
    gc.collect()
    held = [o for o in gc.get_objects() if isinstance(o, identifiers.ResidentIdInfo) and o.number == number]
    assert held == []


def test_a_case_id_holding_a_resident_id_number_is_not_remembered() -> None:
    """The engine remembers the case ids masking leaves as they are (a case decided again names the same id);
    an id that holds a personal number is masked afresh each time and never kept."""
    from pathlib import Path

    from credit_rules import Engine
    from credit_rules.engine import decide
    from credit_rules.model.case import Case
    from credit_rules.yamlsource import load_file

    engine = Engine.load()
    example = Path(__file__).resolve().parents[1] / "examples" / "cases" / "wuzhou_food_listing.yaml"
    base = Case.model_validate(load_file(example).data)
    number = "652901197702124615"
    personal = engine.decide(base.model_copy(update={"case_id": f"案件{number}"}), check_ids=False)
    assert personal.case_id == "案件652*************15"
    assert not any(number in held for held in decide._masked_id._seen)
    plain = engine.decide(base.model_copy(update={"case_id": "plain-case-7"}), check_ids=False)
    assert plain.case_id == "plain-case-7" and "plain-case-7" in decide._masked_id._seen


def test_a_natural_persons_summary_is_not_remembered() -> None:
    """The masked subject of a decision is remembered for organisations only: a natural person's name and number
    are not kept after the decision that reads them."""
    from pathlib import Path

    from credit_rules import Engine, subject_summary
    from credit_rules.model.case import Case
    from credit_rules.yamlsource import load_file

    engine = Engine.load()
    example = Path(__file__).resolve().parents[1] / "examples" / "cases" / "wuzhou_food_listing.yaml"
    base = Case.model_validate(load_file(example).data)
    data = {**base.subject.model_dump(mode="json", exclude_none=True), "kind": "natural_person", "name": "韦某某甲", "resident_id": "652901197702124615"}
    data.pop("uscc", None)
    person = type(base.subject).model_validate(data)
    decided = engine.decide(base.model_copy(update={"subject": person}), check_ids=False)
    assert "652901197702124615" not in decided.to_json() and "韦某某甲" not in decided.to_json()
    held = [key for key in subject_summary._SUMMARIES if "韦某某甲" in key or "652901197702124615" in key]
    assert held == []


def test_a_subjects_birth_date_is_read_from_its_resident_id_and_must_agree() -> None:
    """``Subject``: the birth date comes from the resident ID when absent, and a different one is refused."""
    from pydantic import ValidationError

    from credit_rules.model.subject import Subject

    first17 = "11010520070301002"
    number = first17 + resident_id_check_char(first17)
    person = {"kind": "natural_person", "name": "张三", "resident_id": number}
    assert Subject.model_validate(person).birth_date == datetime.date(2007, 3, 1)
    assert Subject.model_validate({**person, "birth_date": "2007-03-01"}).birth_date == datetime.date(2007, 3, 1)
    with pytest.raises(ValidationError, match="differs from the birth date in resident_id"):
        Subject.model_validate({**person, "birth_date": "2007-03-02"})
    legacy = {"kind": "natural_person", "name": "李四", "resident_id": "110105870301002"}
    assert Subject.model_validate(legacy).birth_date == datetime.date(1987, 3, 1)
