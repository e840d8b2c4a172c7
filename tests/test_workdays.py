"""Tests for credit_rules.workdays (工作日 arithmetic with 调休).

Known answers are worked out by hand from the 国务院办公厅 schedules:

* 2025 国庆节+中秋: 10-01 (Wed) .. 10-08 (Wed) off; 09-28 (Sun) and 10-11 (Sat) worked.
* 2026 元旦: 01-01 (Thu) .. 01-03 (Sat) off; 01-04 (Sun) worked.
* 2026 春节: 02-15 (Sun) .. 02-23 (Mon) off; 02-14 (Sat) and 02-28 (Sat) worked.
"""

from __future__ import annotations

import shutil
import textwrap
from datetime import date, datetime, timedelta
from pathlib import Path

import chinese_calendar  # type: ignore[import-untyped, unused-ignore]
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from credit_rules.workdays import (
    CalendarCoverageError,
    CalendarFileError,
    CalendarYear,
    WorkingDayCalendar,
    add_calendar_period,
    default_calendar_dir,
    library_years,
    load_calendar_year,
    plus_months,
)

SHIPPED_DIR = default_calendar_dir()
CAL = WorkingDayCalendar.default()

# 调休上班日 from the project's legal dossier (shared/research/legal.md §8).
DOSSIER_MAKEUP = {
    2017: "01-22 02-04 04-01 05-27 09-30",
    2018: "02-11 02-24 04-08 04-28 09-29 09-30 12-29",
    2019: "02-02 02-03 04-28 05-05 09-29 10-12",
    2020: "01-19 04-26 05-09 06-28 09-27 10-10",
    2021: "02-07 02-20 04-25 05-08 09-18 09-26 10-09",
    2022: "01-29 01-30 04-02 04-24 05-07 10-08 10-09",
    2023: "01-28 01-29 04-23 05-06 06-25 10-07 10-08",
    2024: "02-04 02-18 04-07 04-28 05-11 09-14 09-29 10-12",
    2025: "01-26 02-08 04-27 09-28 10-11",
    2026: "01-04 02-14 02-28 05-09 09-20 10-10",
}


def d(text: str) -> date:
    return date.fromisoformat(text)


def days(first: str, last: str) -> list[date]:
    a, b = d(first), d(last)
    return [a + timedelta(days=i) for i in range((b - a).days + 1)]


# ---------------------------------------------------------------------------
# shipped data
# ---------------------------------------------------------------------------


def test_shipped_directory_has_every_year_2017_to_2026() -> None:
    assert sorted(CAL.years) == list(range(2017, 2027))
    assert {p.stem for p in SHIPPED_DIR.glob("*.yaml")} == {str(y) for y in range(2017, 2027)}


@pytest.mark.parametrize("year", sorted(DOSSIER_MAKEUP))
def test_shipped_makeup_days_match_dossier(year: int) -> None:
    expected = tuple(d(f"{year}-{md}") for md in DOSSIER_MAKEUP[year].split())
    assert CAL.years[year].makeup_workdays == expected


@pytest.mark.parametrize("year", range(2017, 2027))
def test_shipped_year_file_equals_library(year: int) -> None:
    cal = CAL.years[year]
    assert set(cal.holidays) == {x for x in chinese_calendar.holidays if x.year == year}
    assert set(cal.makeup_workdays) == {x for x in chinese_calendar.workdays if x.year == year}
    assert cal.kind == "working_day_calendar"
    assert cal.jurisdiction == "000000"
    assert cal.source.title_zh == f"国务院办公厅关于{year}年部分节假日安排的通知"


def test_no_disagreement_between_shipped_files_and_library() -> None:
    assert CAL.disagreements() == ()


def test_2025_and_2026_are_verified_and_2026_cites_the_notice() -> None:
    assert CAL.years[2025].verified and CAL.years[2026].verified
    assert (
        CAL.years[2026].source.url
        == "https://www.gov.cn/zhengce/content/202511/content_7047090.htm"
    )


def test_13_day_law_from_2025_is_reflected() -> None:
    # 2024-11-10 revision of 全国年节及纪念日放假办法 adds 除夕 and 5月2日.
    assert d("2025-01-28") in CAL.years[2025].holidays  # 除夕 2025
    assert d("2026-02-16") in CAL.years[2026].holidays  # 除夕 2026
    assert d("2025-05-02") in CAL.years[2025].holidays
    assert d("2026-05-02") in CAL.years[2026].holidays


@pytest.mark.parametrize("year", [2025, 2026])
def test_at_most_six_consecutive_working_days(year: int) -> None:
    # 全国年节及纪念日放假办法 (2024) 第七条: "…法定节假日假期前后连续工作一般不超过6天。"
    # A sanity check on the vendored dates, not a source of them.
    run = longest = 0
    for day in days(f"{year}-01-01", f"{year}-12-31"):
        run = run + 1 if CAL.is_working_day(day) else 0
        longest = max(longest, run)
    assert longest <= 6


def test_covered_years() -> None:
    covered = CAL.covered_years()
    assert set(range(2004, 2027)) <= covered
    assert 2027 not in covered and 2003 not in covered
    assert library_years() == range(2004, 2027)
    assert CAL.source_of(2026) == "file"
    assert CAL.source_of(2010) == "library"


# ---------------------------------------------------------------------------
# single days
# ---------------------------------------------------------------------------


def test_makeup_saturday_is_a_working_day() -> None:
    assert d("2026-02-14").weekday() == 5
    assert CAL.is_working_day(d("2026-02-14"))
    assert CAL.is_working_day(d("2026-02-28"))
    assert CAL.is_working_day(d("2026-01-04"))  # Sunday


@pytest.mark.parametrize("day", days("2026-02-15", "2026-02-23"))
def test_spring_festival_2026_is_off(day: date) -> None:
    assert not CAL.is_working_day(day)


def test_ordinary_days() -> None:
    assert CAL.is_working_day(d("2026-02-24"))  # Tuesday after 春节
    assert not CAL.is_working_day(d("2026-03-01"))  # plain Sunday
    assert not CAL.is_working_day(d("2025-10-08"))  # Wednesday in 国庆 block
    assert CAL.is_working_day(d("2025-10-11"))  # makeup Saturday
    assert not CAL.is_working_day(d("2025-10-12"))  # plain Sunday


def test_datetime_is_reduced_to_its_date() -> None:
    assert CAL.is_working_day(datetime(2026, 2, 14, 23, 59))


def test_library_fallback_for_years_without_a_file() -> None:
    # 2015-09-03: 抗战胜利70周年纪念日, a one-off holiday (Thursday).
    assert not CAL.is_working_day(d("2015-09-03"))
    assert CAL.is_working_day(d("2015-09-06"))  # makeup Sunday



@pytest.mark.parametrize("year", [2015, 2025, 2026])  # a library year, two file years
def test_working_days_of_a_year_are_the_days_that_are_working_days(year: int) -> None:
    """The list the columnar evaluator searches (``working_days``) agrees day by day with ``is_working_day``."""
    want = tuple(day for day in days(f"{year}-01-01", f"{year}-12-31") if CAL.is_working_day(day))
    assert CAL.working_days(year) == want
    assert len(want) == CAL.working_days_between(d(f"{year - 1}-12-31"), d(f"{year}-12-31"))
    with pytest.raises(CalendarCoverageError):
        CAL.working_days(1990)

# ---------------------------------------------------------------------------
# working-day arithmetic
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        ("2025-09-26", 1, "2025-09-28"),  # Fri -> makeup Sunday
        ("2025-09-26", 3, "2025-09-30"),
        ("2025-09-26", 4, "2025-10-09"),  # jumps the 8-day block
        ("2025-09-26", 5, "2025-10-10"),
        ("2025-09-26", 6, "2025-10-11"),  # makeup Saturday
        ("2025-09-26", 7, "2025-10-13"),
        ("2025-09-30", 1, "2025-10-09"),
        # 行政处罚法 第八十五条 "五日" = five working days, served on 09-30:
        # 10-09, 10-10, 10-11 (Sat, worked), 10-13, 10-14.
        ("2025-09-30", 5, "2025-10-14"),
        ("2025-12-31", 1, "2026-01-04"),  # 元旦 block, then makeup Sunday
        ("2026-02-12", 1, "2026-02-13"),
        ("2026-02-12", 2, "2026-02-14"),  # makeup Saturday
        ("2026-02-12", 3, "2026-02-24"),  # after the 9-day 春节 block
        # 02-14, 02-24, 02-25, 02-26, 02-27, 02-28 (Sat, worked), 03-02.
        ("2026-02-13", 7, "2026-03-02"),
        ("2026-02-15", 1, "2026-02-24"),  # start inside the block
    ],
)
def test_add_working_days_known_answers(start: str, n: int, expected: str) -> None:
    assert CAL.add_working_days(d(start), n) == d(expected)
    assert CAL.working_days_between(d(start), d(expected)) == n


def test_count_start() -> None:
    assert CAL.add_working_days(d("2026-02-13"), 1, count_start=True) == d("2026-02-13")
    assert CAL.add_working_days(d("2026-02-13"), 2, count_start=True) == d("2026-02-14")
    # a rest start day is never day 1
    assert CAL.add_working_days(d("2026-02-15"), 1, count_start=True) == d("2026-02-24")


def test_zero_and_negative() -> None:
    assert CAL.add_working_days(d("2026-02-15"), 0) == d("2026-02-15")
    with pytest.raises(ValueError, match=">= 0"):
        CAL.add_working_days(d("2026-02-15"), -1)
    with pytest.raises(TypeError):
        CAL.add_working_days(d("2026-02-15"), True)


def test_working_days_between_bounds() -> None:
    # 2026-02-13 (Fri, working) .. 2026-02-24 (Tue, working): 02-14 and 02-24 inside.
    assert CAL.working_days_between(d("2026-02-13"), d("2026-02-24")) == 2
    assert CAL.working_days_between(d("2026-02-13"), d("2026-02-24"), include_start=True) == 3
    assert CAL.working_days_between(d("2026-02-13"), d("2026-02-24"), include_end=False) == 1
    assert CAL.working_days_between(d("2026-02-13"), d("2026-02-13")) == 0
    assert CAL.working_days_between(d("2026-02-13"), d("2026-02-13"), include_start=True) == 1
    with pytest.raises(ValueError, match="before"):
        CAL.working_days_between(d("2026-02-24"), d("2026-02-13"))


def test_whole_year_counts() -> None:
    # By hand: 2026 starts on a Thursday, so 52*5 + 1 = 261 weekdays.  Weekday days off:
    # 元旦 2 (01-01, 01-02), 春节 6 (02-16..02-20, 02-23), 清明 1, 劳动节 3 (05-01, 05-04,
    # 05-05), 端午 1, 中秋 1, 国庆 5 (10-01, 10-02, 10-05..10-07) = 19.  Plus 6 makeup days.
    # 261 - 19 + 6 = 248.
    weekdays = sum(1 for x in days("2026-01-01", "2026-12-31") if x.weekday() < 5)
    weekday_holidays = sum(1 for x in CAL.years[2026].holidays if x.weekday() < 5)
    assert (weekdays, weekday_holidays) == (261, 19)
    expected = weekdays - weekday_holidays + len(CAL.years[2026].makeup_workdays)
    assert CAL.working_days_between(d("2025-12-31"), d("2026-12-31")) == expected == 248


# ---------------------------------------------------------------------------
# calendar periods and the 民事诉讼法 roll-forward
# ---------------------------------------------------------------------------


def test_add_calendar_period() -> None:
    assert add_calendar_period(d("2024-01-31"), months=1) == d("2024-02-29")
    assert add_calendar_period(d("2025-01-31"), months=1) == d("2025-02-28")
    assert add_calendar_period(d("2024-02-29"), years=1) == d("2025-02-28")
    assert add_calendar_period(d("2026-03-01"), days=15) == d("2026-03-16")
    assert add_calendar_period(d("2026-03-01"), years=1, months=2, days=3) == d("2027-05-04")


def test_roll_forward_if_holiday() -> None:
    assert CAL.roll_forward_if_holiday(d("2026-02-15")) == d("2026-02-24")
    assert CAL.roll_forward_if_holiday(d("2025-10-04")) == d("2025-10-09")
    assert CAL.roll_forward_if_holiday(d("2026-03-01")) == d("2026-03-02")  # plain Sunday
    assert CAL.roll_forward_if_holiday(d("2026-02-14")) == d("2026-02-14")  # worked Saturday
    assert CAL.roll_forward_if_holiday(d("2026-02-24")) == d("2026-02-24")


def test_period_end_rolls_off_a_rest_day() -> None:
    """The rule language's period_end (民法典 第二百零三条) on the shipped calendar."""
    from credit_rules.ruleset.evaluate import Duration, period_end

    # 15 calendar days from 02-05 end on 02-20, inside 春节: roll to 02-24.
    assert period_end(d("2026-02-05"), Duration(15, "days"), CAL) == d("2026-02-24")
    # 15 days from 01-30 end on Saturday 02-14, a 调休上班日: no roll.
    assert period_end(d("2026-01-30"), Duration(15, "days"), CAL) == d("2026-02-14")


# ---------------------------------------------------------------------------
# coverage errors: never a weekday guess
# ---------------------------------------------------------------------------


def test_2027_is_an_error_not_a_guess() -> None:
    with pytest.raises(CalendarCoverageError) as info:
        CAL.is_working_day(d("2027-01-05"))
    err = info.value
    assert isinstance(err, ValueError)
    assert err.year == 2027
    assert "2027" in str(err) and "not published" in str(err)
    assert "2027" in err.message_zh and "国务院尚未公布" in err.message_zh
    assert "年份文件" in err.message_zh


def test_arithmetic_running_into_2027_is_an_error() -> None:
    with pytest.raises(CalendarCoverageError):
        CAL.add_working_days(d("2026-12-28"), 5)
    with pytest.raises(CalendarCoverageError):
        CAL.roll_forward_if_holiday(d("2027-01-01"))
    with pytest.raises(CalendarCoverageError):
        CAL.working_days_between(d("2026-12-30"), d("2027-01-04"))
    with pytest.raises(CalendarCoverageError):
        CAL.source_of(2027)


def test_past_uncovered_year_message() -> None:
    with pytest.raises(CalendarCoverageError) as info:
        CAL.is_working_day(d("2003-06-02"))
    assert "not published" not in str(info.value)
    assert "2003" in info.value.message_zh


def test_without_library_only_files_count() -> None:
    cal = WorkingDayCalendar({2026: CAL.years[2026]}, use_library=False)
    assert cal.covered_years() == frozenset({2026})
    assert cal.is_working_day(d("2026-02-14"))
    with pytest.raises(CalendarCoverageError):
        cal.is_working_day(d("2025-06-03"))


def test_mapping_key_must_match_year() -> None:
    with pytest.raises(ValueError, match="under key"):
        WorkingDayCalendar({2025: CAL.years[2026]})


@settings(max_examples=50)
@given(st.dates(min_value=date(2027, 1, 1), max_value=date(2200, 12, 31)))
def test_every_future_date_raises(day: date) -> None:
    with pytest.raises(CalendarCoverageError):
        CAL.is_working_day(day)


# ---------------------------------------------------------------------------
# year files written to tmp_path
# ---------------------------------------------------------------------------

FAKE_2027 = """\
kind: working_day_calendar
jurisdiction: "000000"
year: 2027
source:
  title_zh: 测试用 2027 年日历（非官方）
  url: null
  note: test fixture only
verified: false
holidays:
  - 2027-01-01
  - 2027-02-05
  - 2027-02-08
makeup_workdays:
  - 2027-02-06
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_a_2027_year_file_makes_2027_work(tmp_path: Path) -> None:
    for f in SHIPPED_DIR.glob("*.yaml"):
        shutil.copy(f, tmp_path)
    write(tmp_path, "2027.yaml", FAKE_2027)
    cal = WorkingDayCalendar.from_directory(tmp_path)
    assert 2027 in cal.covered_years()
    assert cal.is_working_day(d("2027-01-05"))
    assert not cal.is_working_day(d("2027-01-01"))
    assert cal.is_working_day(d("2027-02-06"))  # Saturday, makeup
    assert cal.add_working_days(d("2026-12-31"), 1) == d("2027-01-04")
    assert cal.add_working_days(d("2027-02-04"), 2) == d("2027-02-09")  # 02-06, 02-09
    assert cal.disagreements() == ()  # the library has no 2027 to disagree with
    with pytest.raises(CalendarCoverageError):
        cal.is_working_day(d("2028-01-03"))
    # default() takes the directory as a parameter
    assert 2027 in WorkingDayCalendar.default(tmp_path).covered_years()


def test_year_file_wins_over_library_and_disagreement_is_listed(tmp_path: Path) -> None:
    text = (SHIPPED_DIR / "2026.yaml").read_text(encoding="utf-8")
    text = text.replace("  - 2026-01-01", "  - 2026-01-01\n  - 2026-03-02", 1)
    write(tmp_path, "2026.yaml", text)
    cal = WorkingDayCalendar.from_directory(tmp_path)
    assert not cal.is_working_day(d("2026-03-02"))
    (dis,) = cal.disagreements()
    assert dis.day == d("2026-03-02")
    assert (dis.file_says_working, dis.library_says_working) == (False, True)


def test_default_calendar_dir_takes_a_root(tmp_path: Path) -> None:
    assert default_calendar_dir(tmp_path) == tmp_path / "catalogs" / "national" / "calendar"
    assert (SHIPPED_DIR / "2026.yaml").is_file()


def test_quoted_dates_are_accepted(tmp_path: Path) -> None:
    path = write(tmp_path, "2027.yaml", FAKE_2027.replace("- 2027-01-01", '- "2027-01-01"'))
    assert load_calendar_year(path).holidays[0] == d("2027-01-01")


def _replace(old: str, new: str) -> str:
    assert old in FAKE_2027
    return FAKE_2027.replace(old, new, 1)


@pytest.mark.parametrize(
    ("name", "text", "field"),
    [
        ("2027.yaml", _replace("- 2027-02-05", "- 2027-02-30"), "holidays[1]"),
        ("2027.yaml", _replace("- 2027-02-05", "- 2027-2-5"), "holidays[1]"),
        ("2027.yaml", _replace("- 2027-02-05", "- 20270205"), "holidays[1]"),
        ("2027.yaml", _replace("- 2027-02-05", "- tomorrow"), "holidays[1]"),
        ("2027.yaml", _replace("- 2027-01-01", "- 2026-12-31"), "holidays[0]"),
        ("2027.yaml", _replace("- 2027-02-06", "- 2028-01-08"), "makeup_workdays[0]"),
        ("2027.yaml", _replace("- 2027-02-06", "- 2027-02-09"), "makeup_workdays[0]"),  # a Tuesday
        ("2027.yaml", _replace("- 2027-02-08", "- 2027-02-08\n  - 2027-02-06"), "makeup_workdays"),
        ("2027.yaml", _replace("- 2027-02-08", "- 2027-02-08\n  - 2027-02-08"), "holidays"),
        ("2027.yaml", _replace("makeup_workdays:", "makeup_workday:"), "makeup_workday"),
        ("2027.yaml", _replace("year: 2027\n", ""), "year"),
        ("2027.yaml", _replace("year: 2027", 'year: "2027"'), "year"),
        ("2027.yaml", _replace("kind: working_day_calendar", "kind: calendar"), "kind"),
        ("2027.yaml", _replace('jurisdiction: "000000"', "jurisdiction: national"), "jurisdiction"),
        (
            "2027.yaml",
            _replace("  title_zh: 测试用 2027 年日历（非官方）\n", ""),
            "source.title_zh",
        ),
        ("2027.yaml", _replace("verified: false", "verified: maybe"), "verified"),
        ("2027.yaml", _replace("holidays:", "holidays: 2027-01-01\nholidays:"), "holidays"),
        ("2028.yaml", FAKE_2027, "year"),  # file name and year disagree
        ("2027.yaml", "- just\n- a list\n", "(document)"),
        ("2027.yaml", "kind: [unclosed\n", "(syntax)"),
    ],
)
def test_malformed_year_files_name_file_and_field(
    tmp_path: Path, name: str, text: str, field: str
) -> None:
    path = write(tmp_path, name, text)
    with pytest.raises(CalendarFileError) as info:
        WorkingDayCalendar.from_directory(tmp_path)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.field == field
    assert err.file == str(path)
    assert name in str(err) and f"field '{field}'" in str(err)


def test_malformed_file_reports_line(tmp_path: Path) -> None:
    write(tmp_path, "2027.yaml", _replace("- 2027-02-05", "- 2027-02-30"))
    with pytest.raises(CalendarFileError) as info:
        WorkingDayCalendar.from_directory(tmp_path)
    assert info.value.problems[0].line == 11
    assert "2027-02-30" in str(info.value)


def test_two_files_for_one_year(tmp_path: Path) -> None:
    write(tmp_path, "2027.yaml", FAKE_2027)
    write(tmp_path, "2027-copy.yaml", FAKE_2027)
    with pytest.raises(CalendarFileError) as info:
        WorkingDayCalendar.from_directory(tmp_path)
    assert info.value.field == "year"


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(CalendarFileError) as info:
        WorkingDayCalendar.from_directory(tmp_path / "nope")
    assert info.value.field == "(directory)"


def test_calendar_year_model_validates_directly() -> None:
    with pytest.raises(ValueError):
        CalendarYear.model_validate(
            {
                "kind": "working_day_calendar",
                "jurisdiction": "000000",
                "year": 2027,
                "source": {"title_zh": "x"},
                "verified": False,
                "holidays": [date(2027, 1, 1)],
                "makeup_workdays": [date(2027, 1, 1)],
            }
        )


# ---------------------------------------------------------------------------
# properties
# ---------------------------------------------------------------------------

covered_dates = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 6, 30))


@given(covered_dates, st.integers(min_value=1, max_value=100))
def test_add_working_days_lands_on_a_working_day(start: date, n: int) -> None:
    end = CAL.add_working_days(start, n)
    assert end > start
    assert CAL.is_working_day(end)
    assert CAL.working_days_between(start, end) == n


@given(covered_dates, st.integers(min_value=1, max_value=100))
def test_count_start_inverse(start: date, n: int) -> None:
    end = CAL.add_working_days(start, n, count_start=True)
    assert end >= start
    assert CAL.is_working_day(end)
    assert CAL.working_days_between(start, end, include_start=True) == n


@given(
    covered_dates, st.integers(min_value=1, max_value=60), st.integers(min_value=0, max_value=60)
)
def test_add_working_days_composes(start: date, a: int, b: int) -> None:
    assert CAL.add_working_days(CAL.add_working_days(start, a), b) == CAL.add_working_days(
        start, a + b
    )


@given(covered_dates)
def test_roll_forward_is_the_first_working_day(day: date) -> None:
    rolled = CAL.roll_forward_if_holiday(day)
    assert CAL.is_working_day(rolled)
    assert all(not CAL.is_working_day(x) for x in days(day.isoformat(), rolled.isoformat())[:-1])


@given(st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31)))
def test_matches_library_on_every_covered_date(day: date) -> None:
    assert CAL.is_working_day(day) == chinese_calendar.is_workday(day)


def test_library_tables_answer_as_the_library_on_every_day_it_covers() -> None:
    """``_library_is_workday`` reads chinese_calendar's tables instead of calling its slow ``is_workday``."""
    from credit_rules import workdays

    years = library_years()
    day, last = date(years.start, 1, 1), date(years.stop - 1, 12, 31)
    while day <= last:
        assert workdays._library_is_workday(day) == chinese_calendar.is_workday(day), day
        day += timedelta(days=1)
    for outside in (date(years.start - 1, 12, 31), date(years.stop, 1, 1)):
        with pytest.raises(CalendarCoverageError):
            workdays._library_is_workday(outside)


@given(covered_dates, st.integers(min_value=0, max_value=800), st.booleans(), st.booleans())
def test_working_days_between_equals_counting_day_by_day(start: date, span: int, include_start: bool, include_end: bool) -> None:
    """The running-count arithmetic (two look-ups) gives what walking the days gives, across year ends too."""
    end = min(start + timedelta(days=span), date(2026, 12, 31))
    first = start if include_start else start + timedelta(days=1)
    last = end if include_end else end - timedelta(days=1)
    walked = sum(1 for k in range((last - first).days + 1) if CAL.is_working_day(first + timedelta(days=k)))
    assert CAL.working_days_between(start, end, include_start=include_start, include_end=include_end) == walked


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)), st.integers(min_value=-600, max_value=600))
def test_plus_months_equals_relativedelta(start: date, months: int) -> None:
    """The integer month arithmetic gives exactly what python-dateutil gives (month ends clamp)."""
    assert plus_months(start, months) == start + relativedelta(months=months)


def test_plus_months_known_answers() -> None:
    assert plus_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert plus_months(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert plus_months(date(2023, 12, 15), 1) == date(2024, 1, 15)
    assert plus_months(date(2024, 3, 31), -1) == date(2024, 2, 29)
