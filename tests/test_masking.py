"""The one masking policy (src/credit_rules/masking.py), field by field."""

from __future__ import annotations

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from credit_rules import Engine, load_case
from credit_rules.identifiers import resident_id_check_char
from credit_rules.masking import (
    PersonalField,
    mask,
    mask_address,
    mask_bank_account,
    mask_name,
    mask_phone,
    mask_resident_id,
    mask_subject,
    scrub_text,
)

from .conftest import ROOT


def test_resident_id_keeps_first_three_and_last_two() -> None:
    assert mask_resident_id("450402197809301511") == "450*************11"
    assert mask_resident_id("45040319900214002x") == "450*************2X"
    assert mask_resident_id("1234") == "****"


def test_name_keeps_the_family_name() -> None:
    assert mask_name("黄志强") == "黄**"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("王") == "*"


def test_phone_keeps_three_and_four_of_a_mobile() -> None:
    assert mask_phone("13877405566") == "138****5566"
    assert mask_phone("+86 138-7740-5566") == "138****5566"
    assert mask_phone("2812345") == "*****45"


def test_address_keeps_only_the_divisions() -> None:
    assert mask_address("广西梧州市万秀区新兴二路12号") == "广西梧州市万秀区*******"
    assert mask_address("广西壮族自治区梧州市长洲区新市路3号") == "广西壮族自治区梧州市长洲区*****"
    assert mask_address("某某村3组") == "某某***"


def test_bank_account_keeps_the_last_four() -> None:
    assert mask_bank_account("6222 0210 0100 1234 567") == "***************4567"


def test_disclosure_basis_returns_values_unchanged() -> None:
    for field, value in [
        (PersonalField.resident_id, "450402197809301511"),
        (PersonalField.name, "黄志强"),
        (PersonalField.phone, "13877405566"),
        (PersonalField.address, "广西梧州市万秀区新兴二路12号"),
        (PersonalField.bank_account, "6222021001001234567"),
    ]:
        assert mask(field, value, disclosure_basis="本人同意（授权书 2023-10-01）") == value
        assert mask(field, value) != value


def test_subjects_other_than_natural_persons_are_shown_as_registered() -> None:
    assert mask_subject("legal_person", "梧州市某某食品有限公司", uscc="91450400MA5L0001X8") == (
        "梧州市某某食品有限公司",
        "91450400MA5L0001X8",
    )
    assert mask_subject("natural_person", "黄志强", resident_id="450402197809301511") == ("黄**", "450*************11")


def test_scrub_text_masks_known_values_and_anything_shaped_like_an_identifier() -> None:
    text = "黄志强（450402197809301511，13877405566）住广西梧州市万秀区新兴二路12号；代码 91450400MA5L0001X8"
    out = scrub_text(text, [(PersonalField.name, "黄志强"), (PersonalField.address, "广西梧州市万秀区新兴二路12号")])
    assert "黄志强" not in out and "450402197809301511" not in out and "13877405566" not in out
    assert "新兴二路" not in out
    assert "91450400MA5L0001X8" in out  # a USCC is not personal data and is not cut up
    assert "450404198503150034" not in scrub_text("got '450404198503150034'")  # even an invalid ID


@given(st.text(min_size=0, max_size=40))
def test_masking_never_raises_and_never_returns_a_long_value_whole(value: str) -> None:
    assume("*" not in value)
    for field in PersonalField:
        out = mask(field, value)
        if len(value.strip()) > 6 and field is not PersonalField.address:
            assert out != value.strip()


def test_engine_decide_masks_through_the_policy() -> None:
    """Engine.decide keeps its behaviour, now through credit_rules.masking."""
    engine = Engine.load()
    case = load_case(ROOT / "examples" / "cases" / "court_minor_debtor.yaml")
    masked = engine.decide(case).subject
    assert (masked.name, masked.identifier) == ("韦**", "450*************23")
    clear = engine.decide(case, disclosure_basis="法释〔2017〕7号 第七条").subject
    assert (clear.name, clear.identifier) == (case.subject.name, case.subject.resident_id)


_DIGEST = "b13198371077e87855f9cfa50ecdcc5c93e3e174243bef1007ed16de2b55d23a"
"""A case_sha256 of the realistic benchmark batch: ``13198371077`` reads like a mobile number."""


def test_a_sha256_digest_is_not_masked_but_what_is_around_it_is() -> None:
    """A record's digests pass every output channel whole (before, 172 of 50,000 compact lines had their
    case_sha256 cut by the phone pattern, so the record no longer named its case); a number next to one is
    still masked, and a look-alike that is not a digest as the project writes one is scanned as any text."""
    line = f'{{"case_sha256":"{_DIGEST}","ruleset_hash":"{_DIGEST}","note":"13198371077"}}'
    assert scrub_text(line) == f'{{"case_sha256":"{_DIGEST}","ruleset_hash":"{_DIGEST}","note":"131****1077"}}'
    assert scrub_text(f"{_DIGEST} 11010519491231002X") == f"{_DIGEST} 110*************2X"
    assert "13198371077" not in scrub_text(_DIGEST.upper())  # not as the project writes digests
    assert "13198371077" not in scrub_text("x" + _DIGEST)  # glued to a letter: part of a longer word
    assert "13198371077" not in scrub_text(_DIGEST[:-1])  # 63 characters


_DIGESTS = st.builds(
    lambda head, run, tail: (head + run + "a" + tail)[:64],  # a digest with a run of digits that reads like a number
    st.text(alphabet="abcdef", min_size=1, max_size=30),
    st.sampled_from(["13198371077", "13912345678", "11010519491231002", "110105194912310028"]),
    st.text(alphabet="0123456789abcdef", min_size=64, max_size=64),
)


@given(st.one_of(_DIGESTS, st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)), st.text(alphabet="0123456789Xx abcdef-_.,/电话\u3000", max_size=60))
def test_a_digest_is_kept_and_the_text_beside_it_masked_as_alone(digest: str, text: str) -> None:
    assert scrub_text(f'"{digest}" {text}') == f'"{digest}" ' + scrub_text(text)
    assert scrub_text(f"{text} [{digest}]") == scrub_text(text) + f" [{digest}]"


_VALID_ID = "11010119900307001" + resident_id_check_char("11010119900307001")
_PIECE = st.one_of(
    st.text(alphabet="0123456789Xx -_.,/\t\u00a0\u3000abcdef号ID\n", max_size=20),
    st.sampled_from([_VALID_ID, f"{_VALID_ID[:6]} {_VALID_ID[6:14]} {_VALID_ID[14:]}", "13912345678", "9" * 64, "a" * 64]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECE, max_size=5).map("".join))
def test_a_line_is_masked_as_it_would_be_with_its_newline(text: str) -> None:
    """Batch workers mask each line alone (``batch._block``), the masking pass of a stream masks each write of the
    line and its newline: no pattern reaches a newline, so the two agree (an ID or a phone number at the very end
    of the line included)."""
    assert scrub_text(text + "\n") == scrub_text(text) + "\n"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话 138-1234-5678", "电话 138****5678"),
        ("tel 138 1234 5678.", "tel 138****5678."),
        ("138.1234.5678", "138****5678"),
        ("138\u30001234\u30005678", "138****5678"),
        ("138-1234 5678", "138****5678"),
    ],
)
def test_a_mobile_number_typed_in_groups_is_masked(text: str, masked: str) -> None:
    assert scrub_text(text) == masked


@pytest.mark.parametrize("text", ["2138-1234-5678", "138-1234-56789", "0774-3825678", "12-3456-7890"])
def test_other_digit_groups_are_not_taken_for_a_mobile_number(text: str) -> None:
    assert scrub_text(text) == text
