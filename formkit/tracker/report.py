"""The monthly management report: Bedford's monthly figures and Bexley's 5.2 current position.

Managers would rather look than read, so the workbook has a native Excel chart on each sheet
(episodes by week; return interviews within 72 hours against late ones) and the Word summary
has the same figures as short tables. Everything is computed from the tracker's rows.
"""

from __future__ import annotations

import io
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from docx import Document
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from formkit.errors import TrackerError
from formkit.fileio import write_atomic
from formkit.model import LONDON
from formkit.tracker.export import read_rows
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


def compute(rows: list[Row], month: str, *, now: datetime | None = None) -> MonthlyFigures:
    first, last = parse_month(month)
    end_of_month = datetime.combine(last, datetime.max.time()).replace(microsecond=0)
    moment = (now or datetime.now(LONDON)).astimezone(LONDON).replace(tzinfo=None)
    as_at = min(moment, end_of_month)
    result = MonthlyFigures(month, first, last, as_at)
    in_month = [r for r in rows if (d := _day(r.get("last_seen"))) and first <= d <= last]
    children = Counter(str(r.get("child_id")) for r in in_month)
    long_ones = [r for r in in_month if r.get("over_24h") == "Y"]
    closed = [r for r in in_month if r.get("open_closed") == "closed"]
    offered = {str(r.get("child_id")) for r in closed if r.get("rhi_offered") == "Y"}
    received = {str(r.get("child_id")) for r in closed if r.get("rhi_held")}
    result.figures = [
        ("Missing episodes", len(in_month)),
        ("Children who went missing", len(children)),
        ("Episodes of 24 hours or more", len(long_ones)),
        (
            "Children with an episode of 24 hours or more",
            len({r.get("child_id") for r in long_ones}),
        ),
        ("Children found who were offered a return interview", len(offered)),
        ("Children found who received a return interview", len(received)),
        (
            "Missing children in residential placements",
            len({r.get("child_id") for r in in_month if r.get("placement_type") == "residential"}),
        ),
        (
            "Missing children placed out of borough",
            len({r.get("child_id") for r in in_month if r.get("in_area") == "N"}),
        ),
        ("Strategy meetings held", sum(1 for r in in_month if r.get("strategy_meeting_held"))),
        (
            "Risk assessments completed",
            sum(1 for r in in_month if r.get("risk_assessment_completed")),
        ),
        ("Serious incident notifications sent", sum(1 for r in in_month if r.get("sin_sent"))),
        ("Director's letters sent", sum(1 for r in in_month if r.get("director_letter_sent"))),
    ]
    week_start = first - timedelta(days=first.weekday())
    while week_start <= last:
        week_end = week_start + timedelta(days=6)
        count = sum(1 for r in in_month if week_start <= r["last_seen"].date() <= week_end)
        result.weeks.append((f"w/c {week_start:%d/%m}", count))
        week_start += timedelta(days=7)
    within = sum(1 for r in closed if r.get("rhi_within_72h") == "Y")
    late = sum(1 for r in closed if r.get("rhi_within_72h") == "N")
    overdue = sum(
        1
        for r in closed
        if not r.get("rhi_held")
        and r.get("rhi_accepted") != "N"
        and isinstance(r.get("rhi_due"), datetime)
        and r["rhi_due"] < as_at
    )
    declined = sum(1 for r in closed if r.get("rhi_accepted") == "N")
    result.rhi_timeliness = [
        ("Within 72 hours", within),
        ("Late", late),
        ("Overdue, not yet held", overdue),
        ("Declined", declined),
    ]
    result.where_found = sorted(
        Counter(words_for(str(r.get("end_reason"))) for r in closed if r.get("end_reason")).items()
    )
    result.per_child = sorted(
        (child, count, sum(1 for r in long_ones if str(r.get("child_id")) == child))
        for child, count in children.items()
    )
    result.current = _current_position(rows, as_at)
    return result


def _current_position(rows: list[Row], as_at: datetime) -> list[list[Any]]:
    """Bexley 5.2: each child missing now or missing in the last six months, latest first."""
    since = as_at - SIX_MONTHS
    recent = [
        r
        for r in rows
        if isinstance(r.get("last_seen"), datetime) and since <= r["last_seen"] <= as_at
    ]
    by_child: dict[str, list[Row]] = {}
    for row in recent:
        by_child.setdefault(str(row.get("child_id")), []).append(row)
    lines = []
    for child, episodes in by_child.items():
        latest = max(episodes, key=lambda r: r["last_seen"])
        returned = latest.get("returned")
        missing_now = returned is None or returned > as_at
        done = (
            "done"
            if latest.get("rhi_held")
            else ("declined" if latest.get("rhi_accepted") == "N" else "")
        )
        lines.append(
            [
                child,
                latest.get("child_name"),
                "Y" if missing_now else "N",
                len(episodes),
                latest.get("duration_hours"),
                returned,
                latest.get("rhi_offered") or "N",
                done,
                latest.get("risk_assessment_completed"),
                latest.get("risks"),
                latest.get("sin_sent"),
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
    tracker: str | Path, month: str, out_dir: str | Path, *, now: datetime | None = None
) -> tuple[Path, Path]:
    """Write ``missing-report-YYYY-MM.xlsx`` and ``.docx`` into ``out_dir``; returns both."""
    figures = compute(read_rows(tracker), month, now=now)
    folder = Path(out_dir)
    xlsx = write_atomic(folder / f"missing-report-{month}.xlsx", report_workbook(figures))
    docx = write_atomic(folder / f"missing-report-{month}.docx", report_document(figures))
    return xlsx, docx
