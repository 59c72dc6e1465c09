"""A month's reports and returns in one go: what the Reports page of ``formkit serve`` makes.

The same functions as ``formkit report`` and ``formkit tracker export``, for one month: the
monthly management report (Excel and Word), the SSDA903 Missing table of the collection year
the month falls in, Ofsted Annex A list 8 for the 12 months to the month's end, and the whole
tracker as CSV.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Literal

from formkit.batch import no_progress
from formkit.errors import Problem, TrackerError
from formkit.fileio import write_atomic
from formkit.model import LONDON
from formkit.tracker.export import collection_year, export_tracker
from formkit.tracker.report import build_report, parse_month

Output = Literal["report", "ssda903", "annex-a", "csv"]
OUTPUTS: tuple[Output, ...] = ("report", "ssda903", "annex-a", "csv")


def month_end(month: str, now: datetime | None = None) -> datetime:
    """The last minute of ``month`` (London), or ``now`` when the month is not over yet."""
    _, last = parse_month(month)
    end = datetime.combine(last, time(23, 59), tzinfo=LONDON)
    moment = now or datetime.now(LONDON)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=LONDON)
    return min(end, moment)


def write_month_pack(
    tracker: str | Path,
    month: str,
    folder: str | Path,
    *,
    outputs: Collection[Output] = OUTPUTS,
    now: datetime | None = None,
    authority: str | None = None,
    warnings: list[Problem] | None = None,
    progress: Callable[[int], None] = no_progress,
) -> list[Path]:
    """Write the chosen ``outputs`` for ``month`` (``"2026-11"``) into ``folder``.

    Returns the files written; ``progress(1)`` is called after each output.
    """
    unknown = set(outputs) - set(OUTPUTS)
    if unknown or not outputs:
        raise TrackerError(f"choose what to make from: {', '.join(OUTPUTS)}")
    as_at = month_end(month, now)
    target = Path(folder)
    written: list[Path] = []
    for output in (o for o in OUTPUTS if o in outputs):
        if output == "report":
            written.extend(build_report(tracker, month, target, now=as_at, warnings=warnings))
        elif output == "ssda903":
            first, _ = collection_year(now=as_at)
            year = f"{first.year}-{(first.year + 1) % 100:02d}"
            text = export_tracker(
                tracker, "ssda903", year=year, now=as_at, authority=authority, warnings=warnings
            )
            written.append(write_atomic(target / f"ssda903-missing-{year}.csv", text.encode()))
        elif output == "annex-a":
            text = export_tracker(
                tracker, "annex-a", as_at=as_at, now=as_at, authority=authority, warnings=warnings
            )
            name = f"annex-a-missing-to-{as_at:%Y-%m-%d}.csv"
            written.append(write_atomic(target / name, text.encode()))
        else:
            text = export_tracker(tracker, "csv", now=as_at, warnings=warnings)
            written.append(write_atomic(target / f"tracker-{as_at:%Y-%m-%d}.csv", text.encode()))
        progress(1)
    return written


def previous_month(now: datetime) -> str:
    """``"2026-10"`` for any moment in November 2026: the month a report is usually for."""
    first = (
        now.astimezone(LONDON).date().replace(day=1) if now.tzinfo else now.date().replace(day=1)
    )
    return (first - timedelta(days=1)).strftime("%Y-%m")
