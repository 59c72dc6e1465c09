"""Creating the tracker workbook and finding its MissingEpisodes table again.

Power Automate and the SharePoint Excel connector read rows only from an Excel *Table* and match
them by a key column, so the episodes live in the Table ``MissingEpisodes`` whose first column,
the episode reference, is unique. Each column is typed (dates are dates), choice columns have a
drop-down list, the header is frozen, overdue return interviews turn red, and a README sheet
explains every column in words.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from formkit.batch import BatchResult
from formkit.errors import FormkitError, OutputExists, TrackerError
from formkit.tracker.columns import (
    README_SHEET,
    SHEET_NAME,
    TABLE_NAME,
    Column,
    columns,
)
from formkit.tracker.safety import set_cell
from formkit.tracker.written import SHEET as WRITTEN_SHEET

LAST_ROW = 1_048_576
OVERDUE_FILL = PatternFill(start_color="FFC7CE", end_color="FFC7CE", fill_type="solid")
OVERDUE_FONT = Font(color="9C0006")
YES_NO = ("Y", "N")


def _list_formula(choices: tuple[str, ...]) -> str:
    formula = '"' + ",".join(choices) + '"'
    # Excel refuses an inline list longer than 255 characters.
    if len(formula) > 257:
        raise TrackerError(f"the drop-down list {choices!r} is too long for Excel")
    return formula


def build_workbook() -> Workbook:
    """A new, empty tracker workbook (not yet saved)."""
    spec = columns()
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET_NAME
    for index, column in enumerate(spec, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        _add_validation(sheet, column, letter)
    last = get_column_letter(len(spec))
    # Excel wants at least one data row in a table: row 2 stays blank until the first episode.
    table = Table(displayName=TABLE_NAME, ref=f"A1:{last}2")
    table.tableStyleInfo = TableStyleInfo(
        name="TableStyleMedium2", showRowStripes=True, showColumnStripes=False
    )
    sheet.add_table(table)
    sheet.freeze_panes = "B2"
    sheet.row_dimensions[1].height = 32
    _add_overdue_rule(sheet, last)
    _add_today(book)
    _add_readme(book)
    _add_written(book)
    return book


def _add_today(book: Workbook) -> None:
    """The Today sheet: the day's list as the Table TodayList, rewritten by every update."""
    from formkit.tracker.today_sheet import HEADERS, SHEET, TABLE, WIDTHS

    sheet = book.create_sheet(SHEET)
    for index, (header, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = width
    table = Table(displayName=TABLE, ref=f"A1:{get_column_letter(len(HEADERS))}2")
    table.tableStyleInfo = TableStyleInfo(
        name="TableStyleMedium4", showRowStripes=True, showColumnStripes=False
    )
    sheet.add_table(table)
    sheet.freeze_panes = "A2"


def _add_validation(sheet: Worksheet, column: Column, letter: str) -> None:
    if column.type == "choice":
        formula = _list_formula(column.words or column.choices)
    elif column.type == "yesno":
        formula = _list_formula(YES_NO)
    else:
        return
    validation = DataValidation(
        type="list",
        formula1=formula,
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=column.header,
        error=f"Choose one of the listed values for '{column.header}'.",
    )
    validation.add(f"{letter}2:{letter}{LAST_ROW}")
    sheet.add_data_validation(validation)


def _add_overdue_rule(sheet: Worksheet, last: str) -> None:
    """Whole row red when the RHI is due, not held, not declined, and the due time has passed."""
    letters = {c.key: get_column_letter(i) for i, c in enumerate(columns(), start=1)}
    due, held, accepted = letters["rhi_due"], letters["rhi_held"], letters["rhi_accepted"]
    formula = f'AND(${due}2<>"",${held}2="",${accepted}2<>"N",${due}2<NOW())'
    sheet.conditional_formatting.add(
        f"A2:{last}{LAST_ROW}",
        FormulaRule(formula=[formula], fill=OVERDUE_FILL, font=OVERDUE_FONT),
    )


def _add_written(book: Workbook) -> None:
    """The very hidden sheet where updates remember what they wrote (formkit.tracker.written)."""
    sheet = book.create_sheet(WRITTEN_SHEET)
    sheet.append(["Episode reference", "Written"])
    sheet.sheet_state = "veryHidden"


def _add_readme(book: Workbook) -> None:
    sheet = book.create_sheet(README_SHEET)
    sheet["A1"] = "Missing and Absent Tracker"
    sheet["A1"].font = Font(bold=True, size=14)
    lines = [
        f"Episodes are rows of the Excel Table '{TABLE_NAME}' on the '{SHEET_NAME}' sheet.",
        "The first column, Episode reference, is the unique key: formkit and Power Automate "
        "match rows by it. Do not edit or repeat it.",
        "formkit tracker update adds new episodes and updates existing rows; your own columns "
        "to the right of the table and your other sheets are kept.",
        "Rows turn red when a return home interview is overdue.",
        "The Today sheet (Table 'TodayList', key column 'Key') lists what is overdue and due in "
        "the next 48 hours, as of the last 'formkit tracker update' or "
        "'formkit today --update-sheet'.",
        "Times are London times.",
        "A cell you correct is never overwritten: formkit remembers what it last wrote (on a "
        "hidden sheet) and, when a later import disagrees with your value, keeps yours and notes "
        "it in Needs review.",
    ]
    for offset, line in enumerate(lines, start=2):
        sheet.cell(row=offset, column=1, value=line)
    header_row = len(lines) + 3
    for index, title in enumerate(("Column", "Meaning", "Where it comes from", "Type"), start=1):
        sheet.cell(row=header_row, column=index, value=title).font = Font(bold=True)
    for row, column in enumerate(columns(), start=header_row + 1):
        for index, value in enumerate(
            (column.header, column.meaning, column.source, column.type), start=1
        ):
            set_cell(sheet.cell(row=row, column=index), value, "General")
    for letter, width in zip("ABCD", (26, 70, 44, 10), strict=True):
        sheet.column_dimensions[letter].width = width


@dataclass
class InitResult(BatchResult):
    """What ``tracker init`` did: the tracker made (``written``) and, when it replaced one,
    its backup."""

    path: Path
    backup: Path | None = None
    replaced_rows: int | None = None

    def __post_init__(self) -> None:
        self.written = [self.path]

    def as_dict(self) -> dict[str, Any]:
        return {
            "backup": str(self.backup) if self.backup else None,
            "replaced_rows": self.replaced_rows,
            **super().as_dict(),
        }


def init_tracker(path: str | Path, *, overwrite: bool = False) -> InitResult:
    """Write a new, empty tracker to ``path`` (atomically).

    An existing file is only replaced with ``overwrite``, and then it is kept as a backup first
    (see :mod:`formkit.tracker.backups`), under the tracker's lock. Without ``overwrite``, a
    tracker that holds rows is refused with a message that says how many.
    """
    from formkit.tracker.backups import count_rows
    from formkit.tracker.save import real_path, save_workbook, tracker_lock

    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise TrackerError("the tracker must be an .xlsx workbook", file=target)
    real = real_path(target)
    if not real.exists():
        save_workbook(build_workbook(), real, backup=False)
        return InitResult(target)
    with tracker_lock(real):
        try:
            rows: int | None = count_rows(real)
        except FormkitError:
            rows = None  # not a tracker formkit can read: replaced only with --force, kept
        if not overwrite:
            if rows:
                raise OutputExists(
                    f"already holds {rows} episode row{'' if rows == 1 else 's'}; 'tracker "
                    "init' would replace it with an empty tracker. Nothing was changed. To "
                    "start again anyway, add --force (the old tracker is kept as a backup first)",
                    file=target,
                )
            raise OutputExists("already exists; use --force to replace it", file=target)
        backup = save_workbook(build_workbook(), real, backup=True)
    return InitResult(target, backup, rows)


def create_tracker(path: str | Path, *, overwrite: bool = False) -> Path:
    """Write a new, empty tracker to ``path``; see :func:`init_tracker`."""
    return init_tracker(path, overwrite=overwrite).path
