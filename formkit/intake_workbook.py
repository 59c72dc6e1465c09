"""A blank intake workbook to start from: ``formkit samples intake -o intake.xlsx``.

The ``Episodes`` sheet has one column per field business support usually fill, headed with the
field's words (``Date of birth``, ``Police risk``: the first words in ``headers.yaml``), a note
on each header saying what goes there, drop-down lists of the choices in words, date formats,
and one example row (an invented child) to copy and then delete. formkit reads it back like any
episode spreadsheet: headers through :mod:`formkit.headers`, choice words through
:mod:`formkit.words`.
"""

from __future__ import annotations

import typing
from datetime import date, datetime
from enum import Enum
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from formkit.batch import BatchResult
from formkit.errors import OutputExists
from formkit.headers import field_info, label_for, listed_paths
from formkit.model.paths import MISSING, resolve
from formkit.words import label

SHEET = "Episodes"
LISTS_SHEET = "Choices"
LAST_ROW = 5000
EXAMPLE_FILL = PatternFill(start_color="EDEDED", end_color="EDEDED", fill_type="solid")
EXAMPLE_FONT = Font(italic=True, color="595959")
FORMATS = {"date": "dd/mm/yyyy", "datetime": "dd/mm/yyyy hh:mm"}


def _kind(annotation: Any) -> tuple[str, type[Enum] | None]:
    """("choice" | "date" | "datetime" | "yesno" | "number" | "text", the enum of a choice)."""
    for argument in (annotation, *_flatten(annotation)):
        if isinstance(argument, type):
            if issubclass(argument, Enum):
                return "choice", argument
            if issubclass(argument, bool):
                return "yesno", None
            if issubclass(argument, datetime):
                return "datetime", None
            if issubclass(argument, date):
                return "date", None
            if issubclass(argument, int | float):
                return "number", None
    return "text", None


def _flatten(annotation: Any) -> list[Any]:
    found: list[Any] = []
    for argument in typing.get_args(annotation):
        found.append(argument)
        found.extend(_flatten(argument))
    return found


def _note(path: str, kind: str, enum: type[Enum] | None, required: bool, about: str | None) -> str:
    parts = []
    if required:
        parts.append("Required.")
    if about:
        parts.append(about.rstrip(".") + ".")
    if kind == "choice" and enum is not None:
        parts.append("Choose from the list: " + ", ".join(label(m) for m in enum) + ".")
    elif path == "local_authority":
        parts.append("The protocol whose deadlines apply: choose from the list.")
    elif kind == "date":
        parts.append("A date, like 03/11/2026.")
    elif kind == "datetime":
        parts.append("A date and time (London time), like 03/11/2026 14:30.")
    elif kind == "yesno":
        parts.append("Yes or No; leave blank if not known.")
    parts.append(f"(formkit field {path})")
    return " ".join(parts)


def _example() -> dict[str, Any]:
    """An invented child's episode, as the example row shows it."""
    from formkit.model import EpisodeRecord
    from formkit.synthetic import episode_data

    return {"record": EpisodeRecord.model_validate(episode_data(3, seed=15))}


def _cell_value(value: Any, kind: str) -> Any:
    if value is MISSING or value is None:
        return None
    if isinstance(value, Enum):
        return label(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        from formkit.model import LONDON

        return value.astimezone(LONDON).replace(tzinfo=None, microsecond=0)
    if isinstance(value, list):
        return "; ".join(str(label(v) if isinstance(v, Enum) else v) for v in value) or None
    return value


def build_intake_workbook() -> Workbook:
    """The blank intake workbook (not yet saved)."""
    from formkit.protocol import bundled_profiles

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = SHEET
    lists = book.create_sheet(LISTS_SHEET)
    lists.sheet_state = "hidden"
    list_columns: dict[str, str] = {}
    record = _example()["record"]

    def choice_range(name: str, words: list[str]) -> str:
        if name not in list_columns:
            column = get_column_letter(len(list_columns) + 1)
            lists.cell(row=1, column=len(list_columns) + 1, value=name)
            for row, word in enumerate(words, start=2):
                lists.cell(row=row, column=len(list_columns) + 1, value=word)
            list_columns[name] = f"'{LISTS_SHEET}'!${column}$2:${column}${len(words) + 1}"
        return list_columns[name]

    for index, path in enumerate(listed_paths(), start=1):
        info = field_info(path)
        assert info is not None, f"headers.yaml names {path}, which is not a field"
        kind, enum = _kind(info.annotation)
        letter = get_column_letter(index)
        header = sheet.cell(row=1, column=index, value=label_for(path))
        header.font = Font(bold=True)
        header.alignment = Alignment(wrap_text=True, vertical="top")
        header.comment = Comment(
            _note(path, kind, enum, info.is_required(), info.description), "formkit", 160, 320
        )
        sheet.column_dimensions[letter].width = max(14, min(30, len(str(header.value)) + 4))
        formula = None
        if kind == "choice" and enum is not None:
            formula = choice_range(enum.__name__, [label(m) for m in enum])
        elif path == "local_authority":
            formula = choice_range("Protocol", bundled_profiles())
        elif kind == "yesno":
            formula = '"Yes,No"'
        if formula is not None:
            validation = DataValidation(
                type="list",
                formula1=formula,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle=str(header.value),
                error=f"Choose one of the listed values for '{header.value}'.",
            )
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
            sheet.add_data_validation(validation)
        example = sheet.cell(row=2, column=index, value=_cell_value(resolve(record, path), kind))
        example.fill = EXAMPLE_FILL
        example.font = EXAMPLE_FONT
        number_format = FORMATS.get(kind)
        if number_format:
            for row in range(2, 202):
                sheet.cell(row=row, column=index).number_format = number_format
    first = sheet.cell(row=2, column=1)
    first.comment = Comment(
        "An invented example, to show how a row is filled in: replace it, or delete the row "
        "before using the workbook.",
        "formkit",
    )
    sheet.freeze_panes = "B2"
    sheet.row_dimensions[1].height = 32
    return book


def write_intake_workbook(path: str | Path, *, overwrite: bool = False) -> Path:
    """Write the blank intake workbook to ``path`` (atomically)."""
    import io

    from formkit.fileio import write_atomic

    target = Path(path)
    if target.exists() and not overwrite:
        raise OutputExists("already exists; use --force to replace it", file=target)
    buffer = io.BytesIO()
    build_intake_workbook().save(buffer)
    return write_atomic(target, buffer.getvalue(), overwrite=True)


def intake_workbook_file(path: str | Path, *, overwrite: bool = False) -> BatchResult:
    """:func:`write_intake_workbook` as a batch result (the workbook in ``written``), the batch
    behind ``formkit samples intake``."""
    return BatchResult(written=[write_intake_workbook(path, overwrite=overwrite)])
