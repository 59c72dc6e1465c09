"""The monthly management report: Bedford's monthly figures and Bexley's 5.2 current position.

Managers would rather look than read, so the workbook has a native Excel chart on each sheet
(episodes by week; return interviews within 72 hours against late ones) and the Word summary
has the same figures as short tables. Everything is computed from the tracker's rows.
"""

from __future__ import annotations

import io
import textwrap
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from docx import Document
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image, ImageDraw, ImageFont

from formkit.errors import FormkitError, Problem, TrackerError
from formkit.fileio import write_atomic
from formkit.model import LONDON
from formkit.model.values import EndReason, RiskType
from formkit.ooxml import add_field, keep_rows_whole, set_widths
from formkit.protocol.episodes import episodes_within, window_start
from formkit.tracker.export import read_rows
from formkit.tracker.history import KnownEpisode, known_episodes, placement_of, yes_no
from formkit.tracker.rows import real_hours
from formkit.tracker.safety import set_cell
from formkit.words import MARKING, code_for, day_month, label, plural, table_datetime

Row = dict[str, Any]
SIX_MONTHS = "183 days"  # Bexley 5.2's "last 6 months", as the figures have always counted


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
    previous_first_day: date | None = None
    previous: list[tuple[str, int]] = field(default_factory=list)  # the month before, same figures
    council: str = ""  # whose tracker it is, when every row follows one council's protocol


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
    return len({str(r.get("child_id")) for r in m.found if yes_no(r.get("rhi_offered"))})


def children_found_interviewed(m: Month) -> int:
    """Children back from an episode begun in the month whose interview was held by then."""
    return len({str(r.get("child_id")) for r in m.found if _when(r.get("rhi_held"), m.as_at)})


def children_in_residential(m: Month) -> int:
    """Children missing in the month whose placement (their latest row) is residential."""
    latest = m.latest_rows
    children = {e.child_id for e in m.in_month}
    return sum(
        1
        for c in children
        if placement_of(latest.get(c, {}).get("placement_type")) == "residential"
    )


def children_out_of_borough(m: Month) -> int:
    """Children missing in the month placed outside the host authority's area (In area = N)."""
    latest = m.latest_rows
    children = {e.child_id for e in m.in_month}
    return sum(1 for c in children if yes_no(latest.get(c, {}).get("in_area")) is False)


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

# The label each figure is shown under, so the Word summary finds a figure by how it is counted.
_LABEL = {count: label for label, count in FIGURES}


def weeks(m: Month) -> list[tuple[str, int]]:
    """Episodes begun in each week (Monday to Sunday) that touches the month, counted in it."""
    out = []
    week_start = m.first - timedelta(days=m.first.weekday())
    while week_start <= m.last:
        week_end = week_start + timedelta(days=6)
        count = sum(1 for e in m.in_month if week_start <= e.start.date() <= week_end)
        out.append((f"w/c {day_month(week_start)}", count))
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
        elif yes_no(row.get("rhi_accepted")) is False:
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
    reasons = Counter(label(code_for(EndReason, r["end_reason"]) or r["end_reason"])
                      for r in m.found if r.get("end_reason"))  # fmt: skip
    return sorted(reasons.items())


def per_child(m: Month) -> list[tuple[str, int, int]]:
    """Each child missing in the month: episodes begun in it, and those of 24 hours or more."""
    episodes = Counter(e.child_id for e in m.in_month)
    long = Counter(e.child_id for e in m.long_ones)
    return sorted((child, count, long[child]) for child, count in episodes.items())


def _month(first: date, last: date, moment: datetime, episodes: list[KnownEpisode]) -> Month:
    end_of_month = datetime.combine(last, datetime.max.time()).replace(microsecond=0)
    return Month(first, last, min(moment, end_of_month), episodes)


def compute(rows: list[Row], month: str, *, now: datetime | None = None) -> MonthlyFigures:
    """Every figure of the report for ``month``, as at its last second (or ``now``, if earlier)."""
    first, last = parse_month(month)
    moment = (now or datetime.now(LONDON)).astimezone(LONDON).replace(tzinfo=None)
    episodes = known_episodes(rows)
    m = _month(first, last, moment, episodes)
    before = _month(*parse_month(f"{first - timedelta(days=1):%Y-%m}"), moment, episodes)
    result = MonthlyFigures(month, first, last, m.as_at, previous_first_day=before.first)
    result.figures = [(name, figure(m)) for name, figure in FIGURES]
    result.previous = [(name, figure(before)) for name, figure in FIGURES]
    result.weeks = weeks(m)
    result.rhi_timeliness = rhi_timeliness(m)
    result.where_found = where_found(m)
    result.per_child = per_child(m)
    result.current = current_position(m)
    result.council = council_of(rows)
    return result


def council_of(rows: list[Row]) -> str:
    """The council whose tracker this is: the name of the one protocol profile every row names
    (and that belongs to a council), else "" (a tracker shared by several, or none named)."""
    named = {str(row.get("protocol") or "").strip().lower() for row in rows} - {""}
    if len(named) != 1:
        return ""
    from formkit.protocol import load_profile

    try:
        profile = load_profile(named.pop())
    except FormkitError:
        return ""
    return profile.name if profile.authority_names else ""


def _risk_words(cell: Any) -> str | None:
    """'cse; gangs' → 'Child sexual exploitation; Gangs' (words, not codes)."""
    if not isinstance(cell, str) or not cell.strip():
        return None
    return _risk_text(cell)


@lru_cache(maxsize=1024)
def _risk_text(cell: str) -> str:
    return "; ".join(
        label(code_for(RiskType, part.strip()) or part.strip()) for part in cell.split(";")
    )


def current_position(m: Month) -> list[list[Any]]:
    """Bexley 5.2: each child missing at the report's moment (however long ago they went) or
    with an episode in the six months before it; those missing first. Episodes in the last six
    months count the child's earlier episodes too; the other columns come from the row of the
    child's latest episode."""
    since = window_start(m.as_at, SIX_MONTHS)
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
        done = "done" if held else ("declined" if yes_no(row.get("rhi_accepted")) is False else "")
        lines.append(
            [
                child,
                row.get("child_name"),
                "Y" if any(e.open_at(m.as_at) for e in episodes) else "N",
                episodes_within([e.start for e in episodes], m.as_at, SIX_MONTHS),
                round(latest.lasted_at(m.as_at), 2),
                latest.end if latest.end is not None and latest.end <= m.as_at else None,
                row.get("rhi_offered") or "N",
                done,
                _when(row.get("risk_assessment_completed"), m.as_at),
                _risk_words(row.get("risks")),
                _when(row.get("sin_sent"), m.as_at),
            ]
        )
    lines.sort(key=lambda line: (line[2] != "Y", line[0]))
    return lines


def _table(
    sheet: Worksheet, top: int, header: list[str], lines: list[list[Any]] | list[tuple[Any, ...]]
) -> None:
    for col, title in enumerate(header, start=1):
        cell = sheet.cell(row=top, column=col, value=title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
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


def _print_setup(
    sheet: Worksheet,
    title_rows: str,
    freeze: str,
    council: str,
    *,
    one_page: bool = False,
    narrow: bool = False,
) -> None:
    """A4 landscape, fitted to one page wide (``one_page``: and tall, so no chart is cut; a
    ``narrow`` sheet prints portrait at its own size), header rows repeated on every page, panes
    frozen; OFFICIAL-SENSITIVE in bold at the top and bottom of every printed page, the
    council's name and "Page X of Y" in the footer."""
    sheet.page_setup.orientation = "portrait" if narrow else "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    if not narrow:
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 1 if one_page else 0
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    if title_rows:
        sheet.print_title_rows = title_rows
    sheet.freeze_panes = freeze
    sheet.oddHeader.center.text = f"&B{MARKING}"
    sheet.oddFooter.left.text = council.replace("&", "&&")
    sheet.oddFooter.center.text = f"&B{MARKING}"
    sheet.oddFooter.right.text = "Page &P of &N"


def _joined(council: str, title: str) -> str:
    """ "London Borough of Bexley: missing episodes, …", or "Missing episodes, …" alone."""
    return f"{council}: {title}" if council else title[:1].upper() + title[1:]


def _month_words(day: date | None) -> str:
    return f"{day:%B %Y}" if day else "Previous month"


def report_workbook(figures: MonthlyFigures) -> bytes:
    book = Workbook()
    monthly = book.active
    assert monthly is not None
    monthly.title = "Monthly figures"
    monthly["A1"] = _joined(
        figures.council, f"missing episodes, {figures.first_day:%B %Y}: monthly figures"
    )
    monthly["A1"].font = Font(bold=True, size=13)
    previous = dict(figures.previous)
    _table(
        monthly,
        3,
        ["Figure", _month_words(figures.first_day), _month_words(figures.previous_first_day)],
        [(name, count, previous.get(name)) for name, count in figures.figures],
    )
    week_top = 5 + len(figures.figures)
    _table(monthly, week_top, ["Week", "Episodes"], figures.weeks)
    _bar_chart(monthly, "Episodes by week", week_top, len(figures.weeks), "E3")
    rhi_top = week_top + len(figures.weeks) + 2
    _table(monthly, rhi_top, ["Return interviews", "Number"], figures.rhi_timeliness)
    _bar_chart(
        monthly,
        "Return interviews within 72 hours and late",
        rhi_top,
        len(figures.rhi_timeliness),
        f"E{week_top + 12}",
    )
    found_top = rhi_top + len(figures.rhi_timeliness) + 2
    _table(monthly, found_top, ["How the episode ended", "Episodes"], figures.where_found)
    monthly.column_dimensions["A"].width = 52
    for letter in "BC":
        monthly.column_dimensions[letter].width = 16
    # A fixed number of rows beside two charts: one printed page, so no chart is cut in two.
    _print_setup(monthly, "", "B4", figures.council, one_page=True)
    by_child = book.create_sheet("By child")
    by_child["A1"] = f"Episodes by child, {figures.first_day:%B %Y}"
    by_child["A1"].font = Font(bold=True, size=13)
    _table(by_child, 3, ["Child ID", "Episodes", "Of 24 hours or more"], figures.per_child)
    for letter, width in zip("ABC", (24, 16, 22), strict=True):
        by_child.column_dimensions[letter].width = width
    _print_setup(by_child, "3:3", "A4", figures.council, narrow=True)
    current = book.create_sheet("Current position")
    current["A1"] = f"Current position at {table_datetime(figures.as_at)}"
    current["A1"].font = Font(bold=True, size=13)
    _table(current, 3, CURRENT_HEADER, figures.current)
    for letter in "ABCDEFGHIJK":
        current.column_dimensions[letter].width = 18
    _print_setup(current, "3:3", "B4", figures.council)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def chart_png(title: str, bars: list[tuple[str, int]]) -> bytes:
    """A plain bar chart as a PNG, for the Word summary (Word cannot take Excel's native charts)."""
    width, height, left, bottom, top = 1200, 560, 90, 90, 70
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=30)
    small = ImageFont.load_default(size=24)
    draw.text((left, 20), title, fill="black", font=font)
    peak = max([count for _, count in bars] + [1])
    area = height - bottom - top
    draw.line((left, top, left, height - bottom, width - 30, height - bottom), fill="black")
    slot = (width - left - 40) / max(len(bars), 1)
    for index, (name, count) in enumerate(bars):
        x0 = left + 10 + index * slot
        bar = area * count / peak
        draw.rectangle(
            (x0, height - bottom - bar, x0 + slot * 0.7, height - bottom), fill="#4472C4"
        )
        draw.text((x0, height - bottom - bar - 24), str(count), fill="black", font=small)
        # The label under its bar, on up to two lines, never cut short mid-word.
        lines = textwrap.wrap(name, width=max(6, int(slot / 13)))[:2]
        draw.multiline_text((x0, height - bottom + 8), "\n".join(lines), fill="black", font=small)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _marked(section: Any, council: str) -> None:
    """OFFICIAL-SENSITIVE in bold at the top and bottom of every page; the council's name and
    "Page X of Y" in the footer, as every document formkit makes has them."""
    top = section.header.paragraphs[0]
    top.alignment = 1  # centre
    top.add_run(MARKING).bold = True
    bottom = section.footer.paragraphs[0]
    bottom.alignment = 1
    bottom.add_run(f"{council} · Page " if council else "Page ")
    add_field(bottom, "PAGE")
    bottom.add_run(" of ")
    add_field(bottom, "NUMPAGES")
    section.footer.add_paragraph().add_run(MARKING).bold = True
    section.footer.paragraphs[-1].alignment = 1


def report_document(figures: MonthlyFigures) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.0))
    _marked(section, figures.council)
    document.add_heading(
        _joined(figures.council, f"missing children, {figures.first_day:%B %Y}"), level=1
    )
    counts = dict(figures.figures)
    episodes, children = counts[_LABEL[missing_episodes]], counts[_LABEL[children_missing]]
    missing_now = counts[_LABEL[children_missing_at_end]]
    document.add_paragraph(
        f"{plural(episodes, 'missing episode', 'missing episodes')} "
        f"involving {plural(children, 'child', 'children')} "
        f"began this month; {counts[_LABEL[long_episodes]]} lasted 24 hours or more. "
        f"{plural(missing_now, 'child was', 'children were')} missing at "
        f"{table_datetime(figures.as_at)}."
    )
    previous = dict(figures.previous)
    this_month, last_month = (
        _month_words(figures.first_day),
        _month_words(figures.previous_first_day),
    )
    sections: list[tuple[str, list[str], list[tuple[Any, ...]]]] = [
        (
            "Figures",
            ["Figure", this_month, last_month],
            [(n, c, previous.get(n, "")) for n, c in figures.figures],
        ),
        ("Episodes by week", ["Week", "Episodes"], list(figures.weeks)),
        ("Return interviews", ["Return interviews", "Number"], list(figures.rhi_timeliness)),
        ("How episodes ended", ["How the episode ended", "Episodes"], list(figures.where_found)),
    ]
    for title, header, lines in sections:
        document.add_heading(title, level=2).paragraph_format.keep_with_next = True
        table = document.add_table(rows=1, cols=len(header))
        table.style = "Light Grid Accent 1"
        for cell, text in zip(table.rows[0].cells, header, strict=True):
            cell.text = text
        for line in lines:
            for cell, value in zip(table.add_row().cells, line, strict=True):
                cell.text = str(value)
        keep_rows_whole(table, header=True)
        set_widths(table, [Cm(9.0)] + [Cm(8.0 / (len(header) - 1))] * (len(header) - 1))
        if title in {"Episodes by week", "Return interviews"}:
            for row in table.rows:  # a short table stays on the page with its chart
                for cell in row.cells:
                    for paragraph in cell.paragraphs:
                        paragraph.paragraph_format.keep_with_next = True
            picture = io.BytesIO(chart_png(title, [(str(a), int(b)) for a, b in lines]))
            document.add_picture(picture, width=Cm(13))
    closing = document.add_paragraph(
        "The workbook beside this summary has the same figures with Excel charts, the "
        "episodes by child and the current position."
    )
    closing.paragraph_format.space_before = Pt(12)
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
