"""The tracker's exports and reports written to files: the batches behind ``formkit tracker
export`` and ``formkit report``, with the same result shape as every other batch."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from formkit.batch import BatchResult
from formkit.tracker.export import Format


@dataclass(kw_only=True)
class ExportResult(BatchResult):
    """An export: its text (when it was not written to a file) and the file written."""

    format: str
    text: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"format": self.format, "text": self.text, **super().as_dict()}


def export_file(
    tracker: str | Path,
    fmt: Format,
    output: str | Path | None = None,
    *,
    now: datetime | None = None,
    year: str | None = None,
    as_at: datetime | None = None,
    authority: str | None = None,
) -> ExportResult:
    """:func:`~formkit.tracker.export.export_tracker`, written to ``output`` (atomically) when
    given, else kept in ``text``; rows read with a warning give ``warnings``."""
    from formkit.fileio import write_atomic
    from formkit.tracker.export import export_tracker

    result = ExportResult(format=fmt)
    text = export_tracker(
        tracker, fmt, now=now, year=year, as_at=as_at, authority=authority, warnings=result.warnings
    )
    if output is None:
        result.text = text
    else:
        result.written.append(write_atomic(output, text.encode("utf-8")))
    return result


def report_files(
    tracker: str | Path, month: str, out_dir: str | Path, *, now: datetime | None = None
) -> BatchResult:
    """:func:`~formkit.tracker.report.build_report`: the month's .xlsx and .docx in ``written``."""
    from formkit.tracker.report import build_report

    result = BatchResult()
    result.written = list(build_report(tracker, month, out_dir, now=now, warnings=result.warnings))
    return result
