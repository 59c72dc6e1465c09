"""Exports of the tracker: CSV for a SharePoint list, the DfE SSDA903 Missing table, Annex A.

* ``csv``: every table column under its header; dates as ISO 8601 so an import reads them the
  same in any locale. A cell that a spreadsheet could take for a formula is prefixed with ``'``
  (OWASP's advice for CSV files that people open in Excel).
* ``ssda903``: the children-looked-after return's Missing table, one row per episode of a
  looked-after child: ``CHILD,DOB,MISSING,MIS_START,MIS_END``, dates ``dd/mm/yyyy``, ``M`` for
  missing and ``A`` for away from placement without authorisation (the police "absent" category
  is also whereabouts-known, so it is ``A`` too). Rows are checked against DfE rules 567, 574,
  586, 1004, 1005 and 1006 first; if any fails nothing is written and every offending row is
  named.
* ``annex-a``: Ofsted ILACS Annex A list 8's four missing columns for each looked-after child.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Literal

from formkit.errors import Problem, TrackerError
from formkit.model import LONDON
from formkit.tracker.columns import by_key, columns
from formkit.tracker.safety import looks_like_formula, require_defusedxml
from formkit.tracker.xlsx import load_table

Format = Literal["csv", "ssda903", "annex-a"]
FORMATS: tuple[Format, ...] = ("csv", "ssda903", "annex-a")
SSDA903_HEADER = ["CHILD", "DOB", "MISSING", "MIS_START", "MIS_END"]
ANNEX_A_HEADER = [
    "Child Unique ID",
    "Number of episodes of being missing in the last 12 months",
    "Number of episodes of being absent (away without authorisation) in the last 12 months",
    "Was the child offered a return interview after the last missing episode? (Y/N)",
    "Did the child accept the return interview? (Y/N)",
]
MISSING_CODES = {"missing": "M", "away_without_authorisation": "A", "absent": "A"}
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
    if isinstance(value, datetime):
        value = value.date()
    return value.strftime("%d/%m/%Y") if isinstance(value, date) else ""


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    return value if isinstance(value, date) else None


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
        if MISSING_CODES.get(str(row.get("status"))) is None:
            problems.append(
                f"{where}: rule 1006: MISSING must be M or A, but the status is {row.get('status')!r}"
            )
        end_day = _day(end)
        if start and end_day and end_day < start:
            problems.append(f"{where}: rule 567: MIS_END is before MIS_START")
        if born and ((start and start < born) or (end_day and end_day < born)):
            problems.append(f"{where}: rule 586: the missing period is before the date of birth")
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
    return [row for row in rows if row.get("legal_status") == "looked_after"]


def export_ssda903(rows: list[Row], *, file: str | Path = "tracker") -> str:
    chosen = sorted(
        looked_after(rows),
        key=lambda r: (
            str(r.get("child_id")),
            r["last_seen"] if isinstance(r.get("last_seen"), datetime) else datetime.min,
        ),
    )
    problems = ssda903_problems(chosen)
    if problems:
        listed = "\n  ".join(problems)
        raise TrackerError(
            f"{len(problems)} row(s) break the DfE rules for the SSDA903 Missing table, so "
            f"nothing was written; correct them in the tracker:\n  {listed}",
            file=file,
        )
    return _csv_text(
        SSDA903_HEADER,
        (
            [
                str(row.get("child_id") or ""),
                _uk(row.get("date_of_birth")),
                MISSING_CODES[str(row.get("status"))],
                _uk(row.get("last_seen")),
                _uk(row.get("returned")),
            ]
            for row in chosen
        ),
    )


def annex_a_rows(rows: list[Row], *, now: datetime) -> list[list[str]]:
    """List 8's four missing columns for each looked-after child, as of ``now``."""
    since = now.replace(tzinfo=None) - timedelta(days=365)
    children: dict[str, list[Row]] = defaultdict(list)
    for row in looked_after(rows):
        children[str(row.get("child_id"))].append(row)
    out = []
    for child, episodes in sorted(children.items()):
        recent = [
            r
            for r in episodes
            if isinstance(r.get("last_seen"), datetime) and r["last_seen"] >= since
        ]
        missing = [r for r in recent if r.get("status") == "missing"]
        absent = [r for r in recent if MISSING_CODES.get(str(r.get("status"))) == "A"]
        last = max(missing, key=lambda r: r["last_seen"]) if missing else None
        offered = accepted = ""
        if last is not None:
            offered = "Y" if last.get("rhi_offered") == "Y" else "N"
            accepted = "Y" if last.get("rhi_accepted") == "Y" or last.get("rhi_held") else "N"
        out.append([child, str(len(missing)), str(len(absent)), offered, accepted])
    return out


def export_tracker(
    path: str | Path,
    fmt: Format,
    *,
    now: datetime | None = None,
    warnings: list[Problem] | None = None,
) -> str:
    """The tracker at ``path`` in format ``fmt``, as CSV text (see :func:`read_rows` for
    ``warnings``)."""
    rows = read_rows(path, warnings=warnings)
    if fmt == "csv":
        return export_csv(rows)
    if fmt == "ssda903":
        return export_ssda903(rows, file=path)
    if fmt == "annex-a":
        return _csv_text(ANNEX_A_HEADER, annex_a_rows(rows, now=now or datetime.now(LONDON)))
    raise TrackerError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
