"""Chinese working-day (工作日) arithmetic for legal deadlines.

Why a calendar and not ``weekday() < 5``
----------------------------------------
Chinese statutes count many short deadlines in working days:

* 行政处罚法 (2021) 第八十五条: "本法中“二日”“三日”“五日”“七日”的规定是指工作日，
  不含法定节假日。" (only those four periods; 十五日 etc. stay calendar days);
* 行政许可法 第八十二条: "…期限以工作日计算，不含法定节假日。"

A 工作日 is a calendar day minus Saturdays and Sundays, minus the statutory
holidays of 全国年节及纪念日放假办法 (11 days until 2024, 13 days from 2025),
**plus** the weekend days the State Council designates as 调休上班日 (makeup
working days).  Those makeup days make a plain weekday test wrong several times
a year (2026-02-14 is a Saturday and a working day), and the holiday blocks move
with the lunar calendar and with each year's 国务院办公厅 notice, so they cannot
be computed: they must be looked up.

Where the data comes from
-------------------------
1. Year files ``catalogs/national/calendar/YYYY.yaml`` (:class:`CalendarYear`),
   vendored and source-cited, win whenever present.
2. The ``chinese_calendar`` package (PyPI ``chinesecalendar``) is the fallback
   for years without a file.  :meth:`WorkingDayCalendar.disagreements` shows
   where the two differ, so a stale library or a typo in a file is visible.
3. Any other year raises :class:`CalendarCoverageError`.  The State Council
   publishes next year's schedule around November; before that, a date in that
   year has no knowable working-day status, and guessing "Monday to Friday"
   would silently give wrong deadlines around the Spring Festival.

Counting convention
-------------------
民事诉讼法 第八十五条: "期间开始的时和日，不计算在期间内。期间届满的最后一日是法定休假日的，
以法定休假日后的第一日为期间届满的日期。"  Hence :meth:`WorkingDayCalendar.add_working_days`
does not count the start day unless asked to, and
:meth:`WorkingDayCalendar.roll_forward_if_holiday` moves a calendar-day deadline
that ends on a rest day to the next working day.  Whether a given
administrative rule follows the same convention ("自…之日起") must be read rule
by rule; the keyword arguments make the choice explicit at the call site.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Final, Literal

import chinese_calendar  # type: ignore[import-untyped, unused-ignore]
from dateutil.relativedelta import relativedelta
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from .errors import InputError, Problem
from .shipped import shipped_catalogs_dir
from .validation import validate
from .yamlsource import load_file

__all__ = [
    "CalendarCoverageError",
    "CalendarFileError",
    "CalendarSource",
    "CalendarYear",
    "Disagreement",
    "WorkingDayCalendar",
    "add_calendar_period",
    "default_calendar_dir",
    "library_years",
    "load_calendar_year",
]

_ONE_DAY: Final = timedelta(days=1)

# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


class CalendarCoverageError(ValueError):
    """A date falls in a year for which no working-day data exists.

    Raised instead of guessing Monday-Friday: before the State Council
    publishes a year's 部分节假日安排 (around November of the previous year)
    nobody knows which weekdays are off or which weekends are worked, and a
    deadline computed by guess would be legally wrong without any warning.
    Carries ``message_zh`` because deadlines are explained to the people they
    bind.
    """

    def __init__(self, year: int, covered: frozenset[int], *, library_used: bool) -> None:
        self.year: int = year
        self.covered: frozenset[int] = covered
        span = _describe_years(covered)
        span_zh = _describe_years(covered, zh=True)
        lib = (
            f"chinese_calendar covers {library_years().start}-{library_years().stop - 1}"
            if library_used
            else "the chinese_calendar fallback is switched off"
        )
        lib_zh = (
            f"chinese_calendar 仅覆盖{library_years().start}–{library_years().stop - 1}年"
            if library_used
            else "未启用 chinese_calendar 后备数据"
        )
        if not covered or year > max(covered):
            why = (
                f"the State Council has not published (or this project has not yet vendored) "
                f"the {year} holiday schedule"
            )
            why_zh = f"国务院尚未公布（或本项目尚未收录）{year}年部分节假日安排"
        else:
            why = f"no working-day data was ever vendored for {year}"
            why_zh = f"本项目未收录{year}年的工作日数据"
        message = (
            f"no working-day calendar for {year}: {why}; no catalog year file exists for {year} "
            f"({lib}; covered years: {span}). Add catalogs/national/calendar/{year}.yaml from the "
            f"国务院办公厅 notice; weekdays are never guessed."
        )
        message_zh = (
            f"{year}年工作日日历不可用：{why_zh}，目录中没有{year}年的年份文件（{lib_zh}；"
            f"已覆盖年份：{span_zh}）。请依据国务院办公厅通知添加 {year}.yaml；"
            f"系统不会按周一至周五推定工作日。"
        )
        super().__init__(message)
        self.message: str = message
        self.message_zh: str = message_zh


class CalendarFileError(InputError, ValueError):
    """A calendar year file that cannot be used, naming the file and the field.

    Subclasses the package's :class:`~credit_rules.errors.InputError` (so the
    CLI reports it like any other bad input, with file, line and field) and
    :class:`ValueError` (so generic callers can catch it).  A wrong year file
    would silently shift every deadline that crosses it, so it is rejected
    whole rather than partly used.
    """

    @property
    def file(self) -> str:
        """The file of the first problem."""
        return self.problems[0].file if self.problems else ""

    @property
    def field(self) -> str:
        """The field (``holidays[3]``, ``year``, …) of the first problem."""
        return self.problems[0].field if self.problems else ""


# ---------------------------------------------------------------------------
# Year file model
# ---------------------------------------------------------------------------

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_date(value: Any) -> date:
    """Accept a YAML date or an ISO ``YYYY-MM-DD`` string, nothing else.

    pydantic's lax mode would read an integer as a Unix timestamp; a calendar
    typo such as ``20260101`` must fail instead.
    """
    if isinstance(value, datetime):
        raise PydanticCustomError("date_type", "a date written YYYY-MM-DD (no time of day)")
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError(
                "date_impossible", "a real calendar date (this day does not exist)"
            ) from None
    raise PydanticCustomError("date_type", "a date written YYYY-MM-DD")


def _in_file_year(value: date, info: ValidationInfo) -> date:
    """Every date of a year file lies in that year, so files cannot overlap."""
    year = info.data.get("year")
    if isinstance(year, int) and value.year != year:
        raise PydanticCustomError("date_outside_year", "a date in {year}", {"year": year})
    return value


def _is_weekend(value: date) -> date:
    """A 调休上班日 is a Saturday or Sunday worked; a weekday needs no entry."""
    if value.weekday() < 5:
        raise PydanticCustomError(
            "makeup_not_weekend",
            "a Saturday or Sunday (a 调休上班日 is a weekend day that is worked)",
        )
    return value


_Date = Annotated[date, BeforeValidator(_parse_date)]
_YearDate = Annotated[_Date, AfterValidator(_in_file_year)]
_MakeupDate = Annotated[_YearDate, AfterValidator(_is_weekend)]


class CalendarSource(BaseModel):
    """Where a year file's dates come from (the 国务院办公厅 notice)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title_zh: str = Field(min_length=1)
    url: str | None = None
    note: str | None = None


class CalendarYear(BaseModel):
    """One ``catalogs/national/calendar/YYYY.yaml`` file.

    ``holidays`` lists every day off in the announced holiday blocks (weekend
    days inside a block included); ``makeup_workdays`` lists the 调休上班日.
    Any other day is a working day exactly when it is Monday-Friday.  The
    model is closed (unknown keys are errors) because a misspelt key such as
    ``makeup_workday`` would otherwise drop all makeup days silently.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: Literal["working_day_calendar"]
    jurisdiction: str = Field(pattern=r"^\d{6}$")
    year: int = Field(strict=True, ge=1900, le=2999)
    source: CalendarSource
    verified: bool = Field(strict=True)
    holidays: tuple[_YearDate, ...]
    makeup_workdays: tuple[_MakeupDate, ...] = ()

    @field_validator("holidays", "makeup_workdays")
    @classmethod
    def _no_duplicates(cls, value: tuple[date, ...]) -> tuple[date, ...]:
        seen: set[date] = set()
        for d in value:
            if d in seen:
                raise PydanticCustomError(
                    "duplicate_date",
                    "each date listed once ({date} is repeated)",
                    {"date": d.isoformat()},
                )
            seen.add(d)
        return value

    @field_validator("makeup_workdays")
    @classmethod
    def _not_also_holiday(cls, value: tuple[date, ...], info: ValidationInfo) -> tuple[date, ...]:
        holidays = info.data.get("holidays")
        if holidays is not None:
            both = sorted(set(value) & set(holidays))
            if both:
                raise PydanticCustomError(
                    "holiday_and_makeup",
                    "dates that are not also holidays ({dates} listed as both)",
                    {"dates": ", ".join(d.isoformat() for d in both)},
                )
        return value

    def is_working_day(self, d: date) -> bool:
        """Working-day status of *d* according to this file alone."""
        if d.year != self.year:
            raise ValueError(f"{d.isoformat()} is not in {self.year}")
        return d in self.makeup_workdays or (d.weekday() < 5 and d not in self.holidays)


# ---------------------------------------------------------------------------
# Loading year files
# ---------------------------------------------------------------------------

def load_calendar_year(path: Path) -> CalendarYear:
    """Read and validate one year file; every failure is a :class:`CalendarFileError`."""
    try:
        src = load_file(path)
        if not isinstance(src.data, dict):
            raise InputError.one(str(path), 1, "(document)", "a mapping with kind: working_day_calendar")
        year = validate(CalendarYear, src)
    except InputError as exc:
        raise CalendarFileError(exc.problems) from None
    if path.stem.isdigit() and int(path.stem) != year.year:
        raise CalendarFileError(
            [src.problem(("year",), f"{path.stem} (the year in the file name)", str(year.year))]
        )
    return year


# ---------------------------------------------------------------------------
# chinese_calendar behind a typed facade
# ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=1)
def library_years() -> range:
    """Years for which ``chinese_calendar`` has data (2004-2026 in 1.11.0).

    Read from the package's own constants rather than hard-coded, so upgrading
    the package extends coverage without touching this module.
    """
    years = [d.year for d in chinese_calendar.holidays]
    return range(min(years), max(years) + 1)


def _library_is_workday(d: date) -> bool:
    """Whether ``chinese_calendar`` counts *d* a working day: a 调休上班日 of its ``workdays`` table, or a Monday to
    Friday not in its ``holidays`` table (its ``is_workday``, read off its tables).

    Why not call ``chinese_calendar.is_workday``: it checks the date's year by scanning both tables for their
    first and last year on every call (about 20 us), and a year's running count asks it 365 times, so the columnar
    evaluator's compile spent 0.14 s in it.  ``tests/test_workdays.py`` compares this with the library's own answer
    on every day it covers."""
    if d.year not in library_years():
        raise CalendarCoverageError(d.year, frozenset(library_years()), library_used=True)
    return _is_working(d, *_library_year(d.year))


def _is_working(d: date, holidays: frozenset[date], makeup: frozenset[date]) -> bool:
    """The 工作日 rule, whichever source gives the year's days: a 调休上班日 works, else a Monday to Friday that is
    not a 法定节假日 (国务院 annual notices; 全国年节及纪念日放假办法)."""
    return d in makeup or (d.weekday() < 5 and d not in holidays)


@functools.lru_cache(maxsize=None)  # at most the library's 23 years
def _library_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """``chinese_calendar``'s holidays and 调休上班日 of *year*."""
    return (
        frozenset(d for d in chinese_calendar.holidays if d.year == year),
        frozenset(d for d in chinese_calendar.workdays if d.year == year),
    )


# ---------------------------------------------------------------------------
# The calendar
# ---------------------------------------------------------------------------


def default_calendar_dir(repo_root: Path | None = None) -> Path:
    """The shipped year-file directory, ``<catalogs>/national/calendar``.

    With *repo_root*, the ``catalogs/`` of that checkout; otherwise the one
    :func:`credit_rules.shipped.shipped_catalogs_dir` finds (packaged in a wheel,
    or the checkout this module lives in).  No machine path is written down.
    """
    catalogs = repo_root / "catalogs" if repo_root is not None else shipped_catalogs_dir()
    return catalogs / "national" / "calendar"


@dataclass(frozen=True)
class Disagreement:
    """A date whose working-day status differs between a year file and the library."""

    day: date
    file_says_working: bool
    library_says_working: bool


class WorkingDayCalendar:
    """Working-day status and deadline arithmetic over vendored year files.

    *years* maps a year to its :class:`CalendarYear`; those years are decided
    by the file.  With *use_library* (the default) other years fall back to
    ``chinese_calendar``; any remaining year raises
    :class:`CalendarCoverageError`.
    """

    def __init__(self, years: Mapping[int, CalendarYear], use_library: bool = True) -> None:
        for key, cal in years.items():
            if key != cal.year:
                raise ValueError(f"calendar for {cal.year} given under key {key}")
        self._years: Mapping[int, CalendarYear] = MappingProxyType(dict(years))
        self._holidays: dict[int, frozenset[date]] = {
            y: frozenset(c.holidays) for y, c in years.items()
        }
        self._makeup: dict[int, frozenset[date]] = {
            y: frozenset(c.makeup_workdays) for y, c in years.items()
        }
        self._use_library = use_library
        self._library: frozenset[int] = frozenset(library_years()) if use_library else frozenset()
        self._running: dict[int, tuple[int, ...]] = {}
        self._workdays: dict[int, tuple[date, ...]] = {}

    # -- construction -------------------------------------------------------

    @classmethod
    def from_directory(cls, path: Path, *, use_library: bool = True) -> WorkingDayCalendar:
        """Load every ``*.yaml`` in *path* (one year per file)."""
        if not path.is_dir():
            raise CalendarFileError(
                [
                    Problem(
                        str(path),
                        None,
                        "(directory)",
                        "an existing directory of YYYY.yaml year files",
                        None,
                    )
                ]
            )
        years: dict[int, CalendarYear] = {}
        first_file: dict[int, Path] = {}
        for file in sorted(path.glob("*.yaml")):
            cal = load_calendar_year(file)
            if cal.year in years:
                raise CalendarFileError(
                    [
                        Problem(
                            str(file),
                            None,
                            "year",
                            f"a year not already given by {first_file[cal.year].name}",
                            str(cal.year),
                        )
                    ]
                )
            years[cal.year] = cal
            first_file[cal.year] = file
        return cls(years, use_library=use_library)

    @classmethod
    def default(
        cls, directory: Path | None = None, *, use_library: bool = True
    ) -> WorkingDayCalendar:
        """The shipped national calendar (*directory* defaults to :func:`default_calendar_dir`)."""
        return cls.from_directory(
            directory if directory is not None else default_calendar_dir(), use_library=use_library
        )

    # -- coverage -----------------------------------------------------------

    @property
    def years(self) -> Mapping[int, CalendarYear]:
        """The year files, read-only."""
        return self._years

    def covered_years(self) -> frozenset[int]:
        """Every year whose dates can be answered (files plus library)."""
        return frozenset(self._years) | self._library

    def source_of(self, year: int) -> Literal["file", "library"]:
        """Which source decides *year*; :class:`CalendarCoverageError` if none."""
        if year in self._years:
            return "file"
        if year in self._library:
            return "library"
        raise CalendarCoverageError(year, self.covered_years(), library_used=self._use_library)

    def disagreements(self) -> tuple[Disagreement, ...]:
        """Dates where a year file and ``chinese_calendar`` disagree.

        Compared for every file year the library also covers.  The file wins
        in :meth:`is_working_day`; this list exists so that a stale library, an
        unannounced schedule change or a typo in a file gets noticed.
        """
        out: list[Disagreement] = []
        for year in sorted(set(self._years) & frozenset(library_years())):
            for day in _days_of(year):
                mine = self._file_is_working(day)
                theirs = _library_is_workday(day)
                if mine != theirs:
                    out.append(Disagreement(day, mine, theirs))
        return tuple(out)

    # -- single days --------------------------------------------------------

    def _file_is_working(self, d: date) -> bool:
        y = d.year
        return _is_working(d, self._holidays[y], self._makeup[y])

    def is_working_day(self, d: date) -> bool:
        """Whether *d* is a 工作日: Monday-Friday not on holiday, or a 调休上班日."""
        d = _as_date(d)
        if d.year in self._years:
            return self._file_is_working(d)
        if d.year in self._library:
            return _library_is_workday(d)
        raise CalendarCoverageError(d.year, self.covered_years(), library_used=self._use_library)

    def roll_forward_if_holiday(self, d: date) -> date:
        """*d* itself if it is a working day, else the next working day.

        民事诉讼法 第八十五条: a period whose last day is a 法定休假日 ends on the
        first day after it.  Weekends count as rest days here, and a 调休上班日
        does not (it is a working day), which is why the calendar is needed.
        """
        d = _as_date(d)
        while not self.is_working_day(d):
            d += _ONE_DAY
        return d

    # -- arithmetic ---------------------------------------------------------

    def add_working_days(self, start: date, n: int, *, count_start: bool = False) -> date:
        """The *n*-th working day after *start*.

        By default the start day is not counted (民事诉讼法 第八十五条 "期间开始的
        时和日，不计算在期间内"), so ``add_working_days(d, 1)`` is the next working
        day after *d*.  With ``count_start=True`` a working start day is day 1.
        ``n == 0`` returns *start* unchanged.
        """
        start = _as_date(start)
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"n must be an int, got {type(n).__name__}")
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        if n == 0:
            return start
        day = start if count_start else start + _ONE_DAY
        remaining = n
        while True:
            if self.is_working_day(day):
                remaining -= 1
                if remaining == 0:
                    return day
            day += _ONE_DAY

    def working_days_between(
        self, start: date, end: date, *, include_start: bool = False, include_end: bool = True
    ) -> int:
        """Number of working days from *start* to *end*.

        The defaults count the interval ``(start, end]``, the inverse of
        :meth:`add_working_days`: ``working_days_between(d, add_working_days(d, n)) == n``.
        """
        start, end = _as_date(start), _as_date(end)
        if end < start:
            raise ValueError(f"end {end.isoformat()} is before start {start.isoformat()}")
        first = start if include_start else start + _ONE_DAY
        last = end if include_end else end - _ONE_DAY
        if last < first:
            return 0
        if first.year == last.year:
            running = self._running_count(first.year)
            return running[_day_index(last) + 1] - running[_day_index(first)]
        total = self._running_count(first.year)[-1] - self._running_count(first.year)[_day_index(first)]
        for year in range(first.year + 1, last.year):
            total += self._running_count(year)[-1]
        return total + self._running_count(last.year)[_day_index(last) + 1]

    def working_days(self, year: int) -> tuple[date, ...]:
        """The working days of *year*, in order (:class:`CalendarCoverageError` for a year not covered).

        Worked out once per year, from the year's running count (a day is a working day where the count rises):
        the columnar evaluator searches this list for every question it compiles."""
        hit = self._workdays.get(year)
        if hit is None:
            running = self._running_count(year)
            hit = self._workdays[year] = tuple(day for day, before, after in zip(_days_of(year), running, running[1:]) if after > before)
        return hit

    def _running_count(self, year: int) -> tuple[int, ...]:
        """``r[i]``: working days among the first *i* days of *year* (so ``r[-1]`` is the year's total).

        Worked out once per year, so counting the working days of a period is
        two look-ups instead of a walk through its days.
        """
        hit = self._running.get(year)
        if hit is None:
            counts = [0]
            for day in _days_of(year):
                counts.append(counts[-1] + self.is_working_day(day))
            hit = self._running[year] = tuple(counts)
        return hit


def add_calendar_period(start: date, *, years: int = 0, months: int = 0, days: int = 0) -> date:
    """*start* plus a period of calendar years, months and days.

    Uses ``dateutil.relativedelta``: a month period ending in a month without
    the corresponding day ends on that month's last day (2024-01-31 + 1 month
    = 2024-02-29).  That is the usual Chinese reading for 月/年 periods (民法典
    第二百零三条: "没有对应日的，月末日为期间的最后一日"; not quoted in the project
    dossier, so check it before relying on it for a specific rule).
    The start day is not part of the period (start + 15 days is the 15th day
    after *start*).  No holiday adjustment: see
    :meth:`WorkingDayCalendar.roll_forward_if_holiday`.
    """
    return _as_date(start) + relativedelta(years=years, months=months, days=days)


# ---------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------


def plus_months(start: date, months: int) -> date:
    """*start* plus whole calendar months, ending on the month's last day where the day does not exist.

    The same answer as ``start + relativedelta(months=months)`` (the tests check
    this on every day of a range of years), in a few integer operations: periods
    of months and years are computed for every repair and listing decision.
    """
    index = start.year * 12 + start.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if not date.min.year <= year <= date.max.year:
        # as ``date + timedelta`` does: callers (the CLI, a batch) report it as a date out of range
        raise OverflowError(f"{start.isoformat()} plus {months} months is after {date.max.isoformat()}" if year > 1 else f"{start.isoformat()} plus {months} months is before {date.min.isoformat()}")
    day = start.day
    if day > 28:
        day = min(day, calendar.monthrange(year, month)[1])
    return start.replace(year=year, month=month, day=day)


def _as_date(value: date) -> date:
    """Accept ``date`` (and ``datetime``, reduced to its date); refuse anything else."""
    if isinstance(value, datetime):
        return value.date()
    if not isinstance(value, date):
        raise TypeError(f"expected a datetime.date, got {type(value).__name__}")
    return value


def _day_index(d: date) -> int:
    """0 for 1 January."""
    return d.timetuple().tm_yday - 1


def _date_range(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += _ONE_DAY


def _days_of(year: int) -> Iterator[date]:
    return _date_range(date(year, 1, 1), date(year, 12, 31))


def _describe_years(years: frozenset[int], *, zh: bool = False) -> str:
    """Render {2004, …, 2026} as ``2004-2026`` (runs joined by commas)."""
    if not years:
        return "无" if zh else "none"
    ordered = sorted(years)
    runs: list[tuple[int, int]] = []
    for y in ordered:
        if runs and y == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], y)
        else:
            runs.append((y, y))
    dash = "–" if zh else "-"
    return ", ".join(str(a) if a == b else f"{a}{dash}{b}" for a, b in runs)
