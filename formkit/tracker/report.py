"""The monthly management report: Bedford's monthly figures and Bexley's 5.2 current position.

Managers would rather look than read, so the workbook has a native Excel chart on each sheet
(episodes by week; return interviews within 72 hours against late ones) and the Word summary
has the same figures as short tables. Everything is computed from the tracker's rows.
"""

from __future__ import annotations

import io
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from pathlib import Path
from typing import Any

from docx import Document
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from formkit.errors import Problem, TrackerError
from formkit.fileio import write_atomic
from formkit.model import LONDON
from formkit.tracker.export import read_rows
from formkit.tracker.history import KnownEpisode, known_episodes
from formkit.tracker.rows import real_hours
from formkit.tracker.safety import set_cell
from formkit.words import label as words_for

Row = dict[str, Any]
SIX_MONTHS = timedelta(days=183)


@dataclass
class MonthlyFigures:
    """What the report shows, computed once and written to both files."""

    month: str
    first_day: date
    last_day: date
    as_at: datetime
    figures: list[tuple[str, int]] = field(default_factory=list)
    weeks: list[tuple[str, int]] = field(default_factory=list)
    rhi_timeliness: list[tuple[str, int]] = field(default_factory=list)
    where_found: list[tuple[str, int]] = field(default_factory=list)
    per_child: list[tuple[str, int, int]] = field(default_factory=list)
    current: list[list[Any]] = field(default_factory=list)


CURRENT_HEADER = [
    "Child ID",
    "Name",
    "Missing now",
    "Episodes in last 6 months",
    "Last episode (hours)",
    "Returned",
    "RI offered",
    "RI done or declined",
    "Risk assessment completed",
    "Contextual issues",
    "SIN sent",
]


def parse_month(text: str) -> tuple[date, date]:
    """``"2026-10"`` -> (1 October 2026, 31 October 2026)."""
    try:
        first = datetime.strptime(text, "%Y-%m").date()
    except ValueError as exc:
        raise TrackerError(f"{text!r} is not a month; write it as 2026-10") from exc
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return first, following - timedelta(days=1)


def _day(value: Any) -> date | None:
    return value.date() if isinstance(value, datetime) else None


def _when(value: Any, as_at: datetime) -> datetime | None:
    """A time cell, if it had happened by ``as_at`` (later ones are not yet known at as_at)."""
    return value if isinstance(value, datetime) and value <= as_at else None


@dataclass(frozen=True)
class Month:
    """What every figure reads: the month, the moment it is reported as at, and the episodes.

    ``episodes`` are all the episodes the tracker knows of — its rows and the earlier episodes
    each row's file lists (*Previous episodes*), each once (:func:`known_episodes`). Figures
    about people and actions (interviews, meetings, placements) need a row, so they read
    ``rows_in_month``; figures that count episodes and children count ``in_month``."""

    first: date
    last: date
    as_at: datetime  # London wall clock: the end of the month, or now if that is earlier
    episodes: list[KnownEpisode]  # sorted by child, then start

    @cached_property
    def in_month(self) -> list[KnownEpisode]:
        """Episodes that began in the month, by ``as_at`` (from rows and from history)."""
        return [
            e
            for e in self.episodes
            if self.first <= e.start.date() <= self.last and e.start <= self.as_at
        ]

    @cached_property
    def rows_in_month(self) -> list[Row]:
        return [e.row for e in self.in_month if e.row is not None]

    @cached_property
    def found(self) -> list[Row]:
        """Rows of the month's episodes whose child had returned by ``as_at``."""
        return [r for r in self.rows_in_month if _when(r.get("returned"), self.as_at)]

    @cached_property
    def long_ones(self) -> list[KnownEpisode]:
        """The month's episodes that lasted 24 hours or more by ``as_at``, open ones included."""
        return [e for e in self.in_month if e.lasted_at(self.as_at) >= 24]

    @cached_property
    def latest_rows(self) -> dict[str, Row]:
        """Each child's most recent row begun by ``as_at``: the child's details now."""
        latest: dict[str, Row] = {}
        for episode in self.episodes:
            if episode.row is not None and episode.start <= self.as_at:
                latest[episode.child_id] = episode.row  # episodes are sorted by start
        return latest


def missing_episodes(m: Month) -> int:
    """Episodes that began in the month (rows and earlier episodes listed in files, once each)."""
    return len(m.in_month)


def children_missing(m: Month) -> int:
    """Children with at least one episode that began in the month."""
    return len({e.child_id for e in m.in_month})


def long_episodes(m: Month) -> int:
    """Episodes begun in the month that lasted 24 hours or more by the report's moment: closed
    ones by their length, still-open ones by the time missing so far."""
    return len(m.long_ones)


def children_with_long_episode(m: Month) -> int:
    """Children with at least one such episode of 24 hours or more."""
    return len({e.child_id for e in m.long_ones})


def children_missing_at_end(m: Month) -> int:
    """Children missing at the report's moment (month end, or now), whenever they went missing."""
    return len({e.child_id for e in m.episodes if e.open_at(m.as_at)})


def children_found_offered(m: Month) -> int:
    """Children back by the report's moment from an episode begun in the month whose row shows a
    return interview offered (offered, accepted, declined or held)."""
    return len({str(r.get("child_id")) for r in m.found if r.get("rhi_offered") == "Y"})


def children_found_interviewed(m: Month) -> int:
    """Children back from an episode begun in the month whose interview was held by then."""
    return len({str(r.get("child_id")) for r in m.found if _when(r.get("rhi_held"), m.as_at)})


def children_in_residential(m: Month) -> int:
    """Children missing in the month whose placement (their latest row) is residential."""
    latest = m.latest_rows
    children = {e.child_id for e in m.in_month}
    return sum(1 for c in children if latest.get(c, {}).get("placement_type") == "residential")


def children_out_of_borough(m: Month) -> int:
    """Children missing in the month placed outside the host authority's area (In area = N)."""
    latest = m.latest_rows
    children = {e.child_id for e in m.in_month}
    return sum(1 for c in children if latest.get(c, {}).get("in_area") == "N")


def strategy_meetings(m: Month) -> int:
    """Episodes begun in the month with a strategy meeting held by the report's moment."""
    return sum(1 for r in m.rows_in_month if _when(r.get("strategy_meeting_held"), m.as_at))


def risk_assessments(m: Month) -> int:
    """Episodes begun in the month whose risk assessment was completed by then."""
    return sum(1 for r in m.rows_in_month if _when(r.get("risk_assessment_completed"), m.as_at))


def sins_sent(m: Month) -> int:
    """Episodes begun in the month whose serious incident notification was sent by then."""
    return sum(1 for r in m.rows_in_month if _when(r.get("sin_sent"), m.as_at))


def director_letters(m: Month) -> int:
    """Episodes begun in the month whose director's letter was sent by then."""
    return sum(1 for r in m.rows_in_month if _when(r.get("director_letter_sent"), m.as_at))


# Every figure of the "Monthly figures" table, in order: its label and how it is counted.
FIGURES: tuple[tuple[str, Callable[[Month], int]], ...] = (
    ("Missing episodes", missing_episodes),
    ("Children who went missing", children_missing),
    ("Episodes of 24 hours or more", long_episodes),
    ("Children with an episode of 24 hours or more", children_with_long_episode),
    ("Children found who were offered a return interview", children_found_offered),
    ("Children found who received a return interview", children_found_interviewed),
    ("Missing children in residential placements", children_in_residential),
    ("Missing children placed out of borough", children_out_of_borough),
    ("Strategy meetings held", strategy_meetings),
    ("Risk assessments completed", risk_assessments),
    ("Serious incident notifications sent", sins_sent),
    ("Director's letters sent", director_letters),
    ("Children missing at the end of the month", children_missing_at_end),
)


def weeks(m: Month) -> list[tuple[str, int]]:
    """Episodes begun in each week (Monday to Sunday) that touches the month, counted in it."""
    out = []
    week_start = m.first - timedelta(days=m.first.weekday())
    while week_start <= m.last:
        week_end = week_start + timedelta(days=6)
        count = sum(1 for e in m.in_month if week_start <= e.start.date() <= week_end)
        out.append((f"w/c {week_start:%d/%m}", count))
        week_start += timedelta(days=7)
    return out


def rhi_timeliness(m: Month) -> list[tuple[str, int]]:
    """Return interviews for the month's episodes whose child was back by the report's moment:
    held within 72 hours of the return, held later, not held though due (RHI due passed, not
    declined), and declined."""
    within = late = overdue = declined = 0
    for row in m.found:
        held = _when(row.get("rhi_held"), m.as_at)
        if held is not None:
            if real_hours(row["returned"], held) <= 72:
                within += 1
            else:
                late += 1
        elif row.get("rhi_accepted") == "N":
            declined += 1
        elif isinstance(row.get("rhi_due"), datetime) and row["rhi_due"] < m.as_at:
            overdue += 1
    return [
        ("Within 72 hours", within),
        ("Late", late),
        ("Overdue, not yet held", overdue),
        ("Declined", declined),
    ]


def where_found(m: Month) -> list[tuple[str, int]]:
    """How the month's episodes ended (LCS end reason), for those back by the report's moment."""
    ended = Counter(words_for(str(r["end_reason"])) for r in m.found if r.get("end_reason"))
    return sorted(ended.items())


def per_child(m: Month) -> list[tuple[str, int, int]]:
    """Each child missing in the month: episodes begun in it, and those of 24 hours or more."""
    episodes = Counter(e.child_id for e in m.in_month)
    long = Counter(e.child_id for e in m.long_ones)
    return sorted((child, count, long[child]) for child, count in episodes.items())


def compute(rows: list[Row], month: str, *, now: datetime | None = None) -> MonthlyFigures:
    """Every figure of the report for ``month``, as at its last second (or ``now``, if earlier)."""
    first, last = parse_month(month)
    end_of_month = datetime.combine(last, datetime.max.time()).replace(microsecond=0)
    moment = (now or datetime.now(LONDON)).astimezone(LONDON).replace(tzinfo=None)
    m = Month(first, last, min(moment, end_of_month), known_episodes(rows))
    result = MonthlyFigures(month, first, last, m.as_at)
    result.figures = [(label, figure(m)) for label, figure in FIGURES]
    result.weeks = weeks(m)
    result.rhi_timeliness = rhi_timeliness(m)
    result.where_found = where_found(m)
    result.per_child = per_child(m)
    result.current = current_position(m)
    return result


def current_position(m: Month) -> list[list[Any]]:
    """Bexley 5.2: each child missing at the report's moment (however long ago they went) or
    with an episode in the six months before it; those missing first. Episodes in the last six
    months count the child's earlier episodes too; the other columns come from the row of the
    child's latest episode."""
    since = m.as_at - SIX_MONTHS
    by_child: dict[str, list[KnownEpisode]] = {}
    for episode in m.episodes:
        if episode.start <= m.as_at and (episode.start >= since or episode.open_at(m.as_at)):
            by_child.setdefault(episode.child_id, []).append(episode)
    latest_rows = m.latest_rows
    lines = []
    for child, episodes in by_child.items():
        latest = episodes[-1]
        row = latest_rows.get(child, {})
        held = _when(row.get("rhi_held"), m.as_at)
        done = "done" if held else ("declined" if row.get("rhi_accepted") == "N" else "")
        lines.append(
            [
                child,
                row.get("child_name"),
                "Y" if any(e.open_at(m.as_at) for e in episodes) else "N",
                sum(1 for e in episodes if e.start >= since),
                round(latest.lasted_at(m.as_at), 2),
                latest.end if latest.end is not None and latest.end <= m.as_at else None,
                row.get("rhi_offered") or "N",
                done,
                _when(row.get("risk_assessment_completed"), m.as_at),
                row.get("risks"),
                _when(row.get("sin_sent"), m.as_at),
            ]
        )
    lines.sort(key=lambda line: (line[2] != "Y", line[0]))
    return lines


def _table(
    sheet: Worksheet, top: int, header: list[str], lines: list[list[Any]] | list[tuple[Any, ...]]
) -> None:
    for col, title in enumerate(header, start=1):
        sheet.cell(row=top, column=col, value=title).font = Font(bold=True)
    for offset, line in enumerate(lines, start=1):
        for col, value in enumerate(line, start=1):
            fmt = "dd/mm/yyyy hh:mm" if isinstance(value, datetime) else "General"
            set_cell(sheet.cell(row=top + offset, column=col), value, fmt)


def _bar_chart(sheet: Worksheet, title: str, top: int, count: int, anchor: str) -> None:
    chart = BarChart()
    chart.title = title
    chart.legend = None
    chart.y_axis.title = "Number"
    data = Reference(sheet, min_col=2, min_row=top, max_row=top + count)
    categories = Reference(sheet, min_col=1, min_row=top + 1, max_row=top + count)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(categories)
    chart.width, chart.height = 16, 7.5
    sheet.add_chart(chart, anchor)


def report_workbook(figures: MonthlyFigures) -> bytes:
    book = Workbook()
    monthly = book.active
    assert monthly is not None
    monthly.title = "Monthly figures"
    monthly["A1"] = f"Missing episodes, {figures.first_day:%B %Y} (Bedford monthly figures)"
    monthly["A1"].font = Font(bold=True, size=13)
    _table(monthly, 3, ["Figure", "Number"], figures.figures)
    week_top = 5 + len(figures.figures)
    _table(monthly, week_top, ["Week", "Episodes"], figures.weeks)
    _bar_chart(monthly, "Episodes by week", week_top, len(figures.weeks), "D3")
    found_top = week_top + len(figures.weeks) + 2
    _table(monthly, found_top, ["How the episode ended", "Episodes"], figures.where_found)
    child_top = found_top + len(figures.where_found) + 2
    _table(monthly, child_top, ["Child ID", "Episodes", "Of 24 hours or more"], figures.per_child)
    monthly.column_dimensions["A"].width = 52
    current = book.create_sheet("Current position")
    current["A1"] = f"Current position at {figures.as_at:%d/%m/%Y %H:%M} (Bexley 5.2)"
    current["A1"].font = Font(bold=True, size=13)
    _table(current, 3, ["Return interviews", "Number"], figures.rhi_timeliness)
    _bar_chart(
        current, "Return interviews within 72 hours and late", 3, len(figures.rhi_timeliness), "D2"
    )
    list_top = 20
    _table(current, list_top, CURRENT_HEADER, figures.current)
    for letter in "ABCDEFGHIJK":
        current.column_dimensions[letter].width = 18
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_document(figures: MonthlyFigures) -> bytes:
    document = Document()
    document.add_heading(f"Missing children: {figures.first_day:%B %Y}", level=1)
    episodes = dict(figures.figures)
    document.add_paragraph(
        f"{episodes['Missing episodes']} missing episodes involving "
        f"{episodes['Children who went missing']} children began this month; "
        f"{episodes['Episodes of 24 hours or more']} lasted 24 hours or more. "
        f"{sum(1 for line in figures.current if line[2] == 'Y')} children were missing at "
        f"{figures.as_at:%d/%m/%Y %H:%M}."
    )
    for title, lines in (
        ("Figures", figures.figures),
        ("Episodes by week", figures.weeks),
        ("Return interviews", figures.rhi_timeliness),
    ):
        document.add_heading(title, level=2)
        table = document.add_table(rows=1, cols=2)
        table.style = "Light Grid Accent 1"
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = title, "Number"
        for label, count in lines:
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, str(count)
    document.add_paragraph(
        "The workbook beside this summary has the charts and the current-position list by child."
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def build_report(
    tracker: str | Path,
    month: str,
    out_dir: str | Path,
    *,
    now: datetime | None = None,
    warnings: list[Problem] | None = None,
) -> tuple[Path, Path]:
    """Write ``missing-report-YYYY-MM.xlsx`` and ``.docx`` into ``out_dir``; returns both.

    Cells of the tracker that could not be read as written are named in ``warnings``."""
    figures = compute(read_rows(tracker, warnings=warnings), month, now=now)
    folder = Path(out_dir)
    xlsx = write_atomic(folder / f"missing-report-{month}.xlsx", report_workbook(figures))
    docx = write_atomic(folder / f"missing-report-{month}.docx", report_document(figures))
    return xlsx, docx
