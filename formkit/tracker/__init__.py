"""The Missing and Absent Tracker: an Excel workbook that formkit creates, updates and reads.

>>> from formkit.tracker import create_tracker, update_tracker   # doctest: +SKIP
>>> create_tracker("tracker.xlsx")                                 # doctest: +SKIP
>>> update_tracker("tracker.xlsx", ["samples/episodes/a.json"])    # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from formkit.lazy import lazy_names
from formkit.tracker.columns import TABLE_NAME, Column, columns

if TYPE_CHECKING:
    from formkit.tracker.export import FORMATS, export_tracker
    from formkit.tracker.report import build_report
    from formkit.tracker.update import CellChange, RowChange, UpdateResult, update_tracker
    from formkit.tracker.workbook import create_tracker

# name -> the module it lives in, imported when the name is first used
_PUBLIC = {
    "FORMATS": "formkit.tracker.export",
    "export_tracker": "formkit.tracker.export",
    "build_report": "formkit.tracker.report",
    "CellChange": "formkit.tracker.update",
    "RowChange": "formkit.tracker.update",
    "UpdateResult": "formkit.tracker.update",
    "update_tracker": "formkit.tracker.update",
    "create_tracker": "formkit.tracker.workbook",
}
__getattr__, __dir__ = lazy_names(__name__, _PUBLIC)

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
