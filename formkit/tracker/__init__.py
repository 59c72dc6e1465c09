"""The Missing and Absent Tracker: an Excel workbook that formkit creates, updates and reads.

>>> from formkit.tracker import create_tracker, update_tracker   # doctest: +SKIP
>>> create_tracker("tracker.xlsx")                                 # doctest: +SKIP
>>> update_tracker("tracker.xlsx", ["samples/episodes/a.json"])    # doctest: +SKIP
"""

from __future__ import annotations

from formkit.tracker.columns import TABLE_NAME, Column, columns
from formkit.tracker.export import FORMATS, export_tracker
from formkit.tracker.report import build_report
from formkit.tracker.update import CellChange, RowChange, UpdateResult, update_tracker
from formkit.tracker.workbook import create_tracker

__all__ = [
    "FORMATS",
    "TABLE_NAME",
    "CellChange",
    "Column",
    "RowChange",
    "UpdateResult",
    "build_report",
    "columns",
    "create_tracker",
    "export_tracker",
    "update_tracker",
]
