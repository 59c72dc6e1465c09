"""Exports of the tracker: CSV for a SharePoint list, the DfE SSDA903 Missing table, Annex A.

* ``csv``: every table column under its header; dates as ISO 8601 so an import reads them the
  same in any locale. A cell that a spreadsheet could take for a formula is prefixed with ``'``
  (OWASP's advice for CSV files that people open in Excel).
* ``ssda903``: the children-looked-after return's Missing table for one collection year
  (1 April to 31 March): one row per episode of a looked-after child that overlaps the year,
  ``CHILD,DOB,MISSING,MIS_START,MIS_END``, dates ``dd/mm/yyyy``. Only children this authority
  is *responsible* for: the responsible authority makes the return, not the host, so other
  councils' children placed here are left out. ``MISSING`` follows DfE's definitions (see
  :func:`formkit.tracker.history.missing_code`): ``A`` when the child's whereabouts were known,
  ``M`` when not. An episode still open at the end of the year has a blank ``MIS_END``. Rows are
  checked against DfE rules 567, 574, 586, 1004, 1005 and 1006 first; if any fails nothing is
  written and every offending row is named.
* ``annex-a``: Ofsted ILACS Annex A list 8's missing columns, under Ofsted's own headings, for
  each looked-after child of this authority with an episode in the 12 months to ``as_at``,
  counting the earlier episodes each row's file lists (the *Previous episodes* column).
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any, Literal

from formkit.errors import FormkitError, Problem, TrackerError
from formkit.model import LONDON
from formkit.protocol.episodes import in_window
from formkit.tracker.columns import by_key, columns
from formkit.tracker.history import (
    KnownEpisode,
    known_episodes,
    legal_status_of,
    missing_code,
    status_of,
    yes_no,
)
from formkit.tracker.safety import looks_like_formula, require_defusedxml
from formkit.tracker.xlsx import load_table
from formkit.words import plural, table_date

Format = Literal["csv", "ssda903", "annex-a"]
SSDA903_HEADER = ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"]
ANNEX_A_MISSING = (
    "Number of Episodes the Child has been ‘Missing’ from their Placement in the last 12 months"
)
ANNEX_A_ABSENT = (
    "Number of Episodes the Child has been ‘Absent’ from their Placement in the last 12 months"
)
ANNEX_A_OFFERED = "Was the child offered a Return Interview after their last missing episode (Y/N)?"
ANNEX_A_ACCEPTED = "Did the child accept a Return Interview after their last missing episode (Y/N)?"
ANNEX_A_HEADER = [
    "Child Unique ID",
    "Date of Birth",
    "Age of Child (Years)",
    ANNEX_A_MISSING,
    ANNEX_A_ABSENT,
    ANNEX_A_OFFERED,
    ANNEX_A_ACCEPTED,
]
Row = dict[str, Any]


def read_rows(path: str | Path, *, warnings: list[Problem] | None = None) -> list[Row]:
    """The tracker's episode rows, as column key -> value (typed as the cells are).

    Cells that could not be read as written are kept as text (or blank) and, when
    ``warnings`` is given, named there by row and column.
    """
    require_defusedxml()
    table = load_table(path)
    rows = list(table.iter_rows(by_key()))
    if warnings is not None:
        warnings.extend(table.problems)
    return rows


def _csv_text(header: list[str], rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _plain(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    return "'" + text if looks_like_formula(text) else text


def export_csv(rows: list[Row]) -> str:
    spec = columns()
    return _csv_text(
        [c.header for c in spec], ([_plain(row.get(c.key)) for c in spec] for row in rows)
    )


def _uk(value: Any) -> str:
    return table_date(value) if isinstance(value, date) else ""


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


def _code(row: Row) -> str | None:
    return missing_code(status_of(row.get("status")), yes_no(row.get("whereabouts_known")))


def ssda903_problems(rows: list[Row]) -> list[str]:
    """Every break of DfE rules 567, 574, 586, 1004, 1005, 1006, one line per offending row."""
    problems: list[str] = []
    by_child: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        where = f"{row.get('reference')} (child {row.get('child_id')})"
        start, end, born = (
            _day(row.get("last_seen")),
            row.get("returned"),
            _day(row.get("date_of_birth")),
        )
        if start is None:
            problems.append(f"{where}: rule 1004: MIS_START (Last seen) is not a valid date")
        if end is not None and _day(end) is None:
            problems.append(f"{where}: rule 1005: MIS_END (Returned) is not a valid date")
        if _code(row) is None:
            problems.append(
                f"{where}: rule 1006: MISSING must be M or A, but the status is {row.get('status')!r}"
            )
        end_day = _day(end)
        if start and end_day and end_day < start:
            problems.append(f"{where}: rule 567: MIS_END is before MIS_START")
        if born and start and start <= born:
            problems.append(
                f"{where}: rule 586: the missing period starts on or before the date of birth"
            )
        if start is not None:
            by_child[str(row.get("child_id"))].append(row)
    for child_rows in by_child.values():
        # DfE's order: by end date (the start date while open), then start date.
        ordered = sorted(
            child_rows,
            key=lambda r: (_day(r.get("returned")) or _day(r["last_seen"]), _day(r["last_seen"])),
        )
        for previous, current in zip(ordered, ordered[1:], strict=False):
            previous_end = _day(previous.get("returned"))
            where = f"{current.get('reference')} (child {current.get('child_id')})"
            if previous_end is None:
                problems.append(
                    f"{where}: rule 574: starts while {previous.get('reference')} is still open"
                )
            elif _day(current["last_seen"]) < previous_end:  # type: ignore[operator]
                problems.append(
                    f"{where}: rule 574: overlaps {previous.get('reference')}, which ended later"
                )
    return problems


def looked_after(rows: list[Row]) -> list[Row]:
    """Rows of looked-after children (the legal status read forgivingly: "Looked after")."""
    return [row for row in rows if legal_status_of(row.get("legal_status")) == "looked_after"]


def collection_year(text: str | None = None, *, now: datetime | None = None) -> tuple[date, date]:
    """``"2026-27"`` → (1 April 2026, 31 March 2027); None: the year ``now`` falls in.

    Raises ``ValueError`` with a hint for anything else."""
    if text is None:
        moment = (now or datetime.now(LONDON)).astimezone(LONDON)
        first = moment.year if moment.month >= 4 else moment.year - 1
        return date(first, 4, 1), date(first + 1, 3, 31)
    match = re.fullmatch(r"\s*(\d{4})\s*[-/]\s*(\d{2}|\d{4})\s*", text)
    if match is not None:
        first, second = int(match.group(1)), match.group(2)
        if (int(second) if len(second) == 4 else int(str(first + 1)[:2] + second)) == first + 1:
            return date(first, 4, 1), date(first + 1, 3, 31)
    raise ValueError(
        f"'{text}' is not a collection year; write it as 2026-27 (1 April 2026 to 31 March 2027)"
    )


def responsible_here(row: Row, authority: str | None = None) -> bool:
    """Whether this authority is the child's *responsible* authority (it makes the return).

    ``authority`` names this authority; without it the row's protocol profile says which
    authority it is (its ``authority_names``). A profile naming none (``statutory``) or a blank
    *Responsible authority* cannot tell, and the row counts as this authority's."""
    from formkit.protocol.profile import authority_key, load_profile

    responsible = row.get("responsible_authority")
    if not isinstance(responsible, str) or not responsible.strip():
        return True
    if authority:
        return authority_key(responsible) == authority_key(authority)
    try:
        profile = load_profile(str(row.get("protocol") or "statutory"))
    except FormkitError:
        return True
    return not profile.authority_names or profile.is_own_authority(responsible)


def ssda903_rows(
    rows: list[Row], first: date, last: date, *, authority: str | None = None
) -> list[Row]:
    """The rows the return covers, each as the table shows it: looked-after children this
    authority is responsible for, episodes overlapping ``first``..``last``, and ``returned``
    blank when the child came back after the year ended (still missing at its end)."""
    chosen = []
    for row in looked_after(rows):
        start, end = _day(row.get("last_seen")), _day(row.get("returned"))
        if start is not None and (start > last or (end is not None and end < first)):
            continue
        if not responsible_here(row, authority):
            continue
        chosen.append({**row, "returned": None} if end is not None and end > last else row)
    return sorted(
        chosen,
        key=lambda r: (
            str(r.get("child_id")),
            r["last_seen"] if isinstance(r.get("last_seen"), datetime) else datetime.min,
        ),
    )


def export_ssda903(
    rows: list[Row],
    *,
    year: tuple[date, date] | None = None,
    authority: str | None = None,
    file: str | Path = "tracker",
) -> str:
    """The SSDA903 Missing table for ``year`` (default: the current collection year)."""
    first, last = year or collection_year()
    chosen = ssda903_rows(rows, first, last, authority=authority)
    problems = ssda903_problems(chosen)
    if problems:
        listed = "\n  ".join(problems)
        raise TrackerError(
            f"{plural(len(problems), 'row breaks', 'rows break')} the DfE rules for the SSDA903 "
            "Missing table, so "
            f"nothing was written; correct them in the tracker:\n  {listed}",
            file=file,
        )
    return _csv_text(
        SSDA903_HEADER,
        (
            [
                str(row.get("child_id") or ""),
                _uk(row.get("date_of_birth")),
                _code(row) or "",
                _uk(row.get("last_seen")),
                _uk(row.get("returned")),
            ]
            for row in chosen
        ),
    )


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _interview_answers(last: KnownEpisode | None, moment: datetime) -> tuple[str, str]:
    """Offered and accepted after the last missing episode: Y, N, or blank when not known (the
    episode known only from history, or the child not back by ``moment``)."""
    if last is None or last.row is None or last.end is None or last.end > moment:
        return "", ""
    row = last.row
    offered = yes_no(row.get("rhi_offered")) is True or bool(row.get("rhi_held"))
    if row.get("rhi_held") or yes_no(row.get("rhi_accepted")) is True:
        return "Y", "Y"
    if not offered or yes_no(row.get("rhi_accepted")) is False:
        return ("Y" if offered else "N"), "N"
    return "Y", ""


def annex_a_rows(
    rows: list[Row], *, as_at: datetime, authority: str | None = None
) -> list[list[str]]:
    """List 8's columns for each looked-after child of this authority with an episode in the
    12 months to ``as_at`` (from the same moment a year before, up to ``as_at``, counted as
    every other episode window is: :func:`formkit.protocol.episodes.in_window`).

    Counts include the child's earlier episodes that each row lists (*Previous episodes*), once
    each. ``Missing`` and ``Absent`` follow the SSDA903 codes ``M`` and ``A``: whereabouts not
    known, or known (away from placement without authorisation). The return-interview answers
    come from the row of the child's last missing episode; blank when that episode is known
    only from history, the child is not back yet, or the interview was offered and the answer
    is not yet in."""
    moment = as_at.astimezone(LONDON).replace(tzinfo=None) if as_at.tzinfo else as_at
    if moment.time() == time(0, 0):  # a date alone: the whole of that day
        moment = datetime.combine(moment.date(), time(23, 59, 59))
    latest: dict[str, Row] = {}
    for row in rows:
        seen = row.get("last_seen")
        if isinstance(seen, datetime) and seen <= moment and row.get("child_id"):
            child = str(row["child_id"])
            if child not in latest or seen > latest[child]["last_seen"]:
                latest[child] = row
    children = {
        child
        for child, row in latest.items()
        if legal_status_of(row.get("legal_status")) == "looked_after"
        and responsible_here(row, authority)
    }
    by_child: dict[str, list[KnownEpisode]] = defaultdict(list)
    for episode in known_episodes(rows):
        if episode.child_id in children and in_window(episode.start, moment, "12 months"):
            by_child[episode.child_id].append(episode)
    out = []
    for child, episodes in sorted(by_child.items()):
        missing = [e for e in episodes if e.code == "M"]
        absent = [e for e in episodes if e.code == "A"]
        if not missing and not absent:
            continue
        last = max(missing, key=lambda e: e.start, default=None)
        offered, accepted = _interview_answers(last, moment)
        born = _day(latest[child].get("date_of_birth"))
        out.append(
            [
                child,
                _uk(born),
                str(_age(born, moment.date())) if born else "",
                str(len(missing)),
                str(len(absent)),
                offered,
                accepted,
            ]
        )
    return out


@dataclass(frozen=True)
class _Job:
    """What an export writer is given: the rows and the options of the run."""

    rows: list[Row]
    file: str | Path
    moment: datetime
    year: tuple[date, date] | None
    as_at: datetime | None
    authority: str | None


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its name, what it is in a few words, and its writer."""

    name: Format
    words: str
    write: Callable[[_Job], str]
    needs_year: bool = False  # reads the SSDA903 collection year (checked before the tracker)


EXPORTS: dict[str, ExportFormat] = {
    f.name: f
    for f in (
        ExportFormat("csv", "all columns", lambda job: export_csv(job.rows)),
        ExportFormat(
            "ssda903",
            "DfE Missing table",
            lambda job: export_ssda903(
                job.rows, year=job.year, authority=job.authority, file=job.file
            ),
            needs_year=True,
        ),
        ExportFormat(
            "annex-a",
            "Ofsted list 8",
            lambda job: _csv_text(
                ANNEX_A_HEADER,
                annex_a_rows(job.rows, as_at=job.as_at or job.moment, authority=job.authority),
            ),
        ),
    )
}
FORMATS: tuple[Format, ...] = tuple(f.name for f in EXPORTS.values())
FORMAT_HELP = (
    ", ".join(f"{f.name} ({f.words})" for f in list(EXPORTS.values())[:-1])
    + f" or {FORMATS[-1]} ({EXPORTS[FORMATS[-1]].words})."
)


def export_tracker(
    path: str | Path,
    fmt: Format,
    *,
    now: datetime | None = None,
    year: str | None = None,
    as_at: datetime | None = None,
    authority: str | None = None,
    warnings: list[Problem] | None = None,
) -> str:
    """The tracker at ``path`` in format ``fmt`` (one of :data:`EXPORTS`), as CSV text (see
    :func:`read_rows` for ``warnings``).

    ``year`` (``"2026-27"``) is the SSDA903 collection year, default the one ``now`` falls in;
    ``as_at`` ends Annex A's 12 months, default ``now``; ``authority`` names this authority
    when the rows' profiles do not (see :func:`responsible_here`)."""
    chosen = EXPORTS.get(fmt)
    if chosen is None:
        raise TrackerError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    moment = now or datetime.now(LONDON)
    chosen_year = None
    if chosen.needs_year:
        try:
            chosen_year = collection_year(year, now=moment)
        except ValueError as exc:
            raise TrackerError(str(exc)) from None
    rows = read_rows(path, warnings=warnings)
    return chosen.write(_Job(rows, path, moment, chosen_year, as_at, authority))
