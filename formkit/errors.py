"""formkit's exceptions: one tree, so the CLI can turn any of them into a plain message.

Every error can say *where*: the file, the record (a row, a line, an episode reference) and the
field (a data path such as ``episode.last_seen_at``). The CLI prints ``str(error)`` and exits 1;
nothing here is meant to reach the user as a traceback.

    FormkitError
    ├── InputError            a file could not be read as episodes (format, encoding, size)
    │   └── UnsafeFileError   a file was refused for safety (zip bomb, DTD, encrypted, .doc …)
    ├── EpisodeInvalid        a record does not fit the episode model
    ├── ProfileError          a protocol profile file is malformed
    ├── TemplateError         a template is broken or refused by the sandbox
    ├── RenderError           a document could not be produced for a record
    ├── ConversionError       LibreOffice could not convert a document
    ├── FormParseError        a completed form could not be read back
    ├── TrackerError          the tracker workbook could not be read or updated
    │   └── TrackerBusy       someone (Excel or another formkit) has the tracker open
    ├── OutputExists          an output file is already there and --force was not given
    └── OutputError           an output file or folder could not be written (disk full, read-only…)
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from pathlib import Path

# "row 3 (BX-1)", "line 2", "record 1 (REF-1)": where a record is, and its episode reference.
_LABEL = re.compile(
    r"^(?P<row>(?:row|line|record|entry|rule|form|document|page|item|sheet|template|column)\b[^()]*?)"
    r"(?: \((?P<reference>.*)\))?$"
)


def split_record(record: str | None) -> tuple[str | None, str | None]:
    """``"row 3 (BX-1)"`` → ``("row 3", "BX-1")``; a bare ``"BX-1"`` is taken as a reference."""
    if record is None or record.strip() in ("", "-"):
        return None, None
    match = _LABEL.match(record.strip())
    if match is None:
        return None, record.strip()
    return match["row"].strip(), match["reference"]


@dataclass(frozen=True, init=False)
class Problem:
    """One thing wrong with one record or file, in plain English.

    ``row`` says where in the file (``row 3``, ``line 2``, ``record 1``), ``reference`` is the
    episode reference when it is known, ``field`` the data path. Every batch function returns
    these, and every command's ``--json`` prints them with exactly these keys. ``record`` (the
    display label ``row 3 (BX-1)``) is still accepted when building one, and split into the two.
    """

    file: str
    row: str | None
    reference: str | None
    field: str | None
    message: str

    def __init__(
        self,
        file: str,
        message: str,
        record: str | None = None,
        field: str | None = None,
        *,
        row: str | None = None,
        reference: str | None = None,
    ) -> None:
        if record is not None and row is None and reference is None:
            row, reference = split_record(record)
        object.__setattr__(self, "file", str(file))
        object.__setattr__(self, "row", row)
        object.__setattr__(self, "reference", reference)
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "message", message)

    @property
    def record(self) -> str | None:
        """Where the record is, for people: ``row 3 (BX-1)``, ``line 2`` or ``BX-1``."""
        if self.row and self.reference:
            return f"{self.row} ({self.reference})"
        return self.row or self.reference

    def __str__(self) -> str:
        where = [self.file]
        if self.record:
            where.append(self.record)
        if self.field:
            where.append(self.field)
        return f"{': '.join(where)}: {self.message}"

    def as_dict(self) -> dict[str, str | None]:
        """The same keys in every command's JSON: file, row, reference, field, message."""
        return asdict(self)


class FormkitError(Exception):
    """Base of every formkit error. ``str(error)`` is a complete sentence for the user."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        record: str | None = None,
        field: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.record = record
        self.field = field

    @property
    def problem(self) -> Problem:
        return Problem(
            file=self.file or "-", message=self.message, record=self.record, field=self.field
        )

    def __str__(self) -> str:
        if self.file is None and self.record is None and self.field is None:
            return self.message
        return str(self.problem)


class InputError(FormkitError):
    """A file could not be read: wrong format, bad encoding, too large, empty."""


class UnsafeFileError(InputError):
    """A file was refused because reading it could harm the machine or hide its content."""


class EpisodeInvalid(FormkitError):
    """A record does not fit the episode model; ``problems`` lists every fault found."""

    def __init__(self, problems: list[Problem]) -> None:
        first = problems[0]
        super().__init__(first.message, file=first.file, record=first.record, field=first.field)
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


class ProfileError(FormkitError):
    """A protocol profile file is malformed (unknown trigger, bad duration, missing field)."""


class TemplateError(FormkitError):
    """A template is broken, or the sandbox refused something in it."""


class RenderError(FormkitError):
    """A document could not be produced for a record."""


class ConversionError(FormkitError):
    """LibreOffice is missing or could not convert a document."""


class FormParseError(FormkitError):
    """A completed form could not be read back into data."""


class TrackerError(FormkitError):
    """The tracker workbook could not be read or safely updated."""


class TrackerBusy(TrackerError):
    """Excel (a ``~$`` owner file) or another formkit run has the tracker open."""


class OutputExists(FormkitError):
    """An output file exists already and overwriting was not asked for."""


class OutputError(FormkitError):
    """An output file or folder could not be written: ``str(error)`` says why in words
    ("cannot write to out/: the disk is full; nothing was changed")."""
