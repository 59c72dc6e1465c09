"""Reading episodes from files: JSON, YAML, JSON Lines, and spreadsheet rows (CSV, XLSX).

Business support keep episodes in spreadsheets, so a flat row whose headers are dotted data
paths (``child.first_name``, ``risks.0.type``) is as good an input as a JSON document. Every
fault is reported with the file, the record (row, line or document number, with the episode
reference when it is known) and the field path, in plain English.
"""

from __future__ import annotations

import csv
import glob
import io
import json
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from formkit.batch import problem_from
from formkit.errors import EpisodeInvalid, FormkitError, InputError, Problem
from formkit.intake import sniff_kind
from formkit.model import EpisodeRecord
from formkit.model.paths import nest
from formkit.validation import problems_from

# Input limits. Each is far beyond any real episode and each has its own message, so a hostile
# or broken file is refused in words instead of exhausting the machine or raising a traceback.
# JSON and YAML documents are read whole; JSON Lines and CSV stream record by record.
MAX_DOCUMENT_BYTES = 25 * 1024 * 1024
MAX_RECORD_BYTES = 1024 * 1024  # one JSON Lines line (one episode)
MAX_DOCUMENT_RECORDS = 100_000  # records in one JSON or YAML document; more → JSON Lines
MAX_NESTING = 64  # levels of lists and mappings in one record (an episode needs about 5)
MAX_NUMBER_DIGITS = 40  # digits in one number (Python refuses to convert more than 4,300)
MAX_CELL_CHARS = 131_072  # characters in one CSV cell (Python's csv module's own limit)
MAX_PATH_PARTS = 16  # parts of a column header's data path (risks.0.type has 3)
UNREADABLE_START = 20  # this many unreadable records at the start: the file is not that format


_GLOB_CHARS = frozenset("*?[")


def has_glob(value: str) -> bool:
    """Whether ``value`` is a pattern (``samples/*.yaml``) rather than a plain name."""
    return bool(_GLOB_CHARS & set(value))


def expand_files(paths: Iterable[str | Path], suffixes: Iterable[str] | None = None) -> list[str]:
    """Files as given, the files inside folders, and glob patterns expanded (by formkit, so
    ``"samples/*.yaml"`` works in any shell).

    In a folder (and its sub-folders) only names ending in one of ``suffixes`` are taken,
    in sorted order; other files, hidden files and Word's ``~$`` owner files are skipped
    quietly. A name that does not exist is kept, so reading it reports it; ``-`` is standard
    input.
    """
    wanted = {s.lower() for s in (SUFFIXES if suffixes is None else suffixes)}
    found: list[str] = []
    for value in map(str, paths):
        path = Path(value)
        if value != "-" and path.is_dir():
            found.extend(_files_in(path, wanted))
        elif value != "-" and not path.exists() and has_glob(value):
            for match in sorted(glob.glob(value, recursive=True)):
                if Path(match).is_dir():
                    found.extend(_files_in(Path(match), wanted))
                elif Path(match).is_file():
                    found.append(match)
        else:
            found.append(value)
    return found


def _files_in(folder: Path, suffixes: set[str]) -> list[str]:
    return [
        str(p)
        for p in sorted(folder.rglob("*"))
        if p.suffix.lower() in suffixes and not p.name.startswith(("~$", ".")) and p.is_file()
    ]


@dataclass
class Loaded:
    """One record read from a file: the episode if it is valid, else what is wrong with it."""

    file: str
    record: str
    episode: EpisodeRecord | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.episode is not None


def load_episodes(path: str | Path) -> list[EpisodeRecord]:
    """Every episode in ``path``; :class:`EpisodeInvalid` lists every fault if any record fails."""
    episodes: list[EpisodeRecord] = []
    problems: list[Problem] = []
    for loaded in iter_episodes(path):
        if loaded.episode is not None:
            episodes.append(loaded.episode)
        problems.extend(loaded.problems)
    if problems:
        raise EpisodeInvalid(problems)
    return episodes


def iter_episodes(path: str | Path) -> Iterator[Loaded]:
    """Validate the records of ``path`` one at a time (``-`` reads standard input).

    A file that cannot be read at all raises :class:`InputError`; a record that does not fit
    the model is yielded with its problems, so a batch can go on past it.
    """
    name = str(path)
    for label, data in iter_records(path):
        yield validate_record(data, file=name, record=label)


def find_episode(folder: str | Path, reference: str) -> EpisodeRecord | None:
    """The valid episode ``reference`` among the episode files of ``folder`` (the first found,
    in sorted order), or None; files that cannot be read are passed over."""
    for name in expand_files([folder]):
        try:
            for loaded in iter_episodes(name):
                if loaded.episode is not None and loaded.episode.reference == reference:
                    return loaded.episode
        except FormkitError:
            continue
    return None


def validate_record(data: Any, *, file: str, record: str) -> Loaded:
    """Validate one raw record against the episode model."""
    label = _label_with_reference(record, data)
    if isinstance(data, _Unreadable):
        return Loaded(file, label, problems=[Problem(file, data.message, label)])
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "nothing"
        return Loaded(
            file,
            label,
            problems=[Problem(file, f"an episode must be a mapping of fields, not {kind}", label)],
        )
    try:
        return Loaded(file, label, episode=EpisodeRecord.model_validate(data))
    except ValidationError as exc:
        return Loaded(file, label, problems=problems_from(exc, file=file, record=label))
    except Exception as exc:  # noqa: BLE001 - a record that breaks the model is still data
        return Loaded(file, label, problems=[problem_from(exc, file=file, record=label)])


def _label_with_reference(label: str, data: Any) -> str:
    if isinstance(data, dict):
        episode = data.get("episode")
        if isinstance(episode, dict):
            reference = episode.get("reference")
            if isinstance(reference, str | int) and str(reference).strip():
                return f"{label} ({str(reference).strip()[:64]})"
    return label


def iter_records(path: str | Path) -> Iterator[tuple[str, Any]]:
    """Raw records of a file with a label each (``row 3``, ``line 2``, ``record 1``)."""
    name = str(path)
    if name == "-":
        text = _decode(sys.stdin.buffer.read(), name)
        yield from _records_from_text(text, name, _sniff_stdin(text))
        return
    file = Path(path)
    if not file.exists():
        raise InputError("no such file", file=name)
    if file.is_dir():
        raise InputError("is a folder; give the episode files inside it", file=name)
    kind = SUFFIXES.get(file.suffix.lower())
    if kind is None:
        known = ", ".join(sorted(set(SUFFIXES)))
        raise InputError(
            f"cannot read '{file.suffix or 'no extension'}' files; use one of {known}", file=name
        )
    reader = _READERS[kind]
    size = file.stat().st_size
    if size == 0:
        raise InputError("is empty", file=name)
    if reader.binary is not None:
        yield from reader.binary(file)
        return
    if reader.one_document and size > MAX_DOCUMENT_BYTES:
        raise InputError(
            f"is {size / 1024 / 1024:.1f} MB, more than the {MAX_DOCUMENT_BYTES // 1024 // 1024} MB "
            "a single JSON or YAML document may be; split it, or use JSON Lines (.jsonl)",
            file=name,
        )
    with file.open("rb") as handle:
        head = handle.read(8192)
    _refuse_binary(head, name)
    if reader.stream is not None:
        yield from reader.stream(file, name, size, head)
        return
    yield from _records_from_text(_decode(file.read_bytes(), name), name, reader)


def _sniff_stdin(text: str) -> Reader:
    stripped = text.lstrip()
    if stripped.startswith("{") and "\n{" in stripped.strip():
        return _READERS["jsonl"]
    if stripped.startswith(("{", "[")):
        return _READERS["json"]
    return _READERS["yaml"]


def _records_from_text(text: str, name: str, reader: Reader) -> Iterator[tuple[str, Any]]:
    if not text.strip():
        raise InputError("is empty", file=name)
    assert reader.text is not None  # every reader but the workbook's reads text
    yield from reader.text(text, name)


def _jsonl_text(text: str, name: str) -> Iterator[tuple[str, Any]]:
    lines = (
        (f"line {number}", _json_line(line))
        for number, line in enumerate(text.splitlines(), start=1)
        if line.strip()
    )
    yield from _unless_all_unreadable(lines, name, "JSON Lines")


def _jsonl_stream(file: Path, name: str, size: int, head: bytes) -> Iterator[tuple[str, Any]]:
    """A JSON Lines file read line by line, never whole (it may be large)."""
    if sniff_kind(head) == "utf16":
        yield from _utf16_lines(file, size)
        return
    yield from _unless_all_unreadable(_jsonl_records(file), name, "JSON Lines")


_NOT_TEXT = {
    "zip": "is a zip file (perhaps a Word or Excel file with the wrong name)",
    "ole": "is an old-style Office file (.doc or .xls), not text",
    "pdf": "is a PDF, not an episode file",
    "binary": "is a binary file, not text",
}


def _refuse_binary(head: bytes, name: str) -> None:
    refused = _NOT_TEXT.get(sniff_kind(head))
    if refused is not None:
        raise InputError(refused, file=name)


def _decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without Excel's BOM), UTF-16 with a BOM, else Windows-1252 as Excel saves CSV."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError("is not readable UTF-16 text; save it as UTF-8", file=name) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"is not readable text (byte {exc.start} is neither UTF-8 nor Windows-1252); "
            "save it as 'CSV UTF-8' or JSON",
            file=name,
        ) from exc


class _Refused(ValueError):
    """A value a reader will not take (a 5,000-digit number, NaN); the message says why."""


def _json_int(text: str) -> int:
    if len(text) > MAX_NUMBER_DIGITS:
        raise _Refused(_too_many_digits(text))
    return int(text)


def _json_float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS:
        raise _Refused(_too_many_digits(text))
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _Refused(f"has the number {text}, which is too large")
    return value


def _json_constant(text: str) -> Any:
    raise _Refused(f"holds {text}, which is not a number formkit accepts")


def _too_many_digits(text: str) -> str:
    return (
        f"has a number with {len(text):,} digits, more than the {MAX_NUMBER_DIGITS} formkit reads"
    )


# Made once: json.loads with hooks would build a new decoder for every line.
_DECODER = json.JSONDecoder(
    parse_int=_json_int, parse_float=_json_float, parse_constant=_json_constant
)


def _parse_json(text: str) -> Any:
    """``json.loads`` within formkit's limits: numbers, NaN/Infinity and nesting checked."""
    data = _DECODER.decode(text)
    # Cheap test first: a text with few brackets cannot be deep, so most records skip the walk.
    if text.count("{") + text.count("[") > MAX_NESTING and _too_deep(data):
        raise _Refused(_TOO_DEEP)
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(data):
        raise _Refused(_SURROGATE)
    return data


# \uD800-\uDFFF escapes: half of a surrogate pair unless the other half follows.
_SURROGATE_ESCAPE = re.compile(r"\\[uU]0{0,4}[dD][89a-fA-F]")
_SURROGATE = (
    "holds a broken character (half of a \\uD800-\\uDFFF pair), which is not text; "
    "save the file again as UTF-8"
)


def _has_lone_surrogate(data: Any) -> bool:
    """Whether a JSON ``\\ud800`` escape left half a character that no file can hold."""
    try:
        json.dumps(data, ensure_ascii=False, default=str).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


_TOO_DEEP = (
    f"is nested more than {MAX_NESTING} levels deep (lists within lists or fields within fields)"
)


def _too_deep(data: Any, limit: int = MAX_NESTING) -> bool:
    """Whether ``data`` nests lists and mappings more than ``limit`` levels (without recursion)."""
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children: Any = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def _json_records(text: str, name: str) -> Iterator[tuple[str, Any]]:
    try:
        data = _parse_json(text)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"is not valid JSON: {exc.msg.lower()} at line {exc.lineno}, column {exc.colno}",
            file=name,
        ) from exc
    except _Refused as exc:
        raise InputError(str(exc), file=name) from exc
    except RecursionError as exc:
        raise InputError(_TOO_DEEP, file=name) from exc
    if isinstance(data, dict) and isinstance(data.get("episodes"), list):
        data = data["episodes"]
    if isinstance(data, list):
        if not data:
            raise InputError(NO_EPISODES + " (an empty list)", file=name)
        _check_count(len(data), name)
        for number, item in enumerate(data, start=1):
            yield f"record {number}", item
    else:
        yield "record 1", data


NO_EPISODES = "has no episodes"


def _check_count(count: int, name: str) -> None:
    if count > MAX_DOCUMENT_RECORDS:
        raise InputError(
            f"holds {count:,} records, more than the {MAX_DOCUMENT_RECORDS:,} one JSON or YAML "
            "document may hold; use JSON Lines (.jsonl) for big batches",
            file=name,
        )


def _json_line(line: str) -> Any:
    try:
        return _parse_json(line)
    except json.JSONDecodeError as exc:
        return _Unreadable(f"is not valid JSON: {exc.msg.lower()} at column {exc.colno}")
    except _Refused as exc:
        return _Unreadable(str(exc))
    except RecursionError:
        return _Unreadable(_TOO_DEEP)


def _unless_all_unreadable(
    records: Iterator[tuple[str, Any]], name: str, kind: str
) -> Iterator[tuple[str, Any]]:
    """Records as they come, unless the first :data:`UNREADABLE_START` are all unreadable:
    then the file is not in this format at all, and one message says so (not a million)."""
    first: list[tuple[str, Any]] = []
    for label, data in records:
        first.append((label, data))
        if not isinstance(data, _Unreadable):
            break
        if len(first) == UNREADABLE_START:
            raise InputError(
                f"this does not look like a {kind} file: its first {UNREADABLE_START} "
                f"records cannot be read ({first[0][0]} {first[0][1].message})",
                file=name,
            )
    yield from first
    yield from records


@dataclass(frozen=True)
class _Unreadable:
    """A record that could not even be parsed; validation reports its message."""

    message: str


def _jsonl_records(file: Path) -> Iterator[tuple[str, Any]]:
    name = str(file)
    with file.open("rb") as handle:
        number = 0
        # Lines are read at most MAX_RECORD_BYTES at a time, so one endless line cannot fill
        # memory before it is refused.
        while raw := handle.readline(MAX_RECORD_BYTES + 1):
            number += 1
            if len(raw) > MAX_RECORD_BYTES:
                raise InputError(
                    f"line {number} is {_line_size(raw, handle)}, more than the "
                    f"{MAX_RECORD_BYTES // 1024 // 1024} MB one episode may be",
                    file=name,
                )
            if not raw.strip():
                continue
            text = _decode(raw, name) if number == 1 else _decode_line(raw, name, number)
            yield f"line {number}", _json_line(text)


def _line_size(start: bytes, handle: Any) -> str:
    """How long the rest of an over-long line is, read in chunks (for the message only)."""
    size = len(start)
    while not start.endswith(b"\n") and (start := handle.readline(MAX_RECORD_BYTES)):
        size += len(start)
    return f"{size / 1024 / 1024:.1f} MB"


def _utf16_lines(file: Path, size: int) -> Iterator[tuple[str, Any]]:
    """JSON Lines saved as UTF-16 (Windows Notepad's "Unicode"): read whole, within the limit."""
    name = str(file)
    if size > MAX_DOCUMENT_BYTES:
        raise InputError(
            f"is a UTF-16 file of {size / 1024 / 1024:.1f} MB; save it as UTF-8 to read files "
            f"over {MAX_DOCUMENT_BYTES // 1024 // 1024} MB",
            file=name,
        )
    try:
        text = file.read_bytes().decode("utf-16")
    except UnicodeDecodeError as exc:
        raise InputError("is not readable UTF-16 text; save it as UTF-8", file=name) from exc
    yield from _records_from_text(text, name, _READERS["jsonl"])


def _decode_line(raw: bytes, name: str, number: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return _decode(raw, f"{name} line {number}")


class _NoAliasLoader(yaml.SafeLoader):
    """YAML anchors and aliases can multiply a small file into a huge one: episodes never need them.

    Numbers, dates and binary data are checked as they are built (see the constructors below).
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.constructor.ConstructorError(
                None,
                None,
                "uses a YAML alias (*name), which formkit does not accept",
                event.start_mark,
            )
        return super().compose_node(parent, index)


def _yaml_refuse(node: Any, message: str) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(None, None, message, node.start_mark)


def _yaml_int(loader: yaml.SafeLoader, node: Any) -> Any:
    text = str(node.value)
    if sum(c.isdigit() for c in text) > MAX_NUMBER_DIGITS:
        raise _yaml_refuse(node, _too_many_digits(text))
    return loader.construct_yaml_int(node)


def _yaml_float(loader: yaml.SafeLoader, node: Any) -> Any:
    text = str(node.value)
    if len(text) > MAX_NUMBER_DIGITS:
        raise _yaml_refuse(node, _too_many_digits(text))
    value = loader.construct_yaml_float(node)
    if value != value or value in (float("inf"), float("-inf")):
        raise _yaml_refuse(node, f"holds {text}, which is not a number formkit accepts")
    return value


def _yaml_timestamp(loader: yaml.SafeLoader, node: Any) -> Any:
    # YAML's own date reader raises on 2010-02-30; keep the text instead, so the episode check
    # says which record and field hold an impossible date.
    try:
        return loader.construct_yaml_timestamp(node)
    except (ValueError, OverflowError):
        return str(node.value)


def _yaml_binary(loader: yaml.SafeLoader, node: Any) -> Any:
    raise _yaml_refuse(node, "holds !!binary data, which formkit does not accept")


_NoAliasLoader.add_constructor("tag:yaml.org,2002:int", _yaml_int)
_NoAliasLoader.add_constructor("tag:yaml.org,2002:float", _yaml_float)
_NoAliasLoader.add_constructor("tag:yaml.org,2002:timestamp", _yaml_timestamp)
_NoAliasLoader.add_constructor("tag:yaml.org,2002:binary", _yaml_binary)


def _yaml_records(text: str, name: str) -> Iterator[tuple[str, Any]]:
    try:
        documents = [d for d in yaml.load_all(text, Loader=_NoAliasLoader) if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise InputError(f"is not valid YAML: {problem}{where}", file=name) from exc
    except RecursionError as exc:
        raise InputError(_TOO_DEEP, file=name) from exc
    if not documents:
        raise InputError("is empty", file=name)
    _check_count(len(documents), name)
    if any(_too_deep(document) for document in documents):
        raise InputError(_TOO_DEEP, file=name)
    if _SURROGATE_ESCAPE.search(text) and _has_lone_surrogate(documents):
        raise InputError(_SURROGATE, file=name)
    if (
        len(documents) == 1
        and isinstance(documents[0], dict)
        and isinstance(documents[0].get("episodes"), list)
    ):
        documents = documents[0]["episodes"]
    elif len(documents) == 1 and isinstance(documents[0], list):
        documents = documents[0]
    if not documents:
        raise InputError(NO_EPISODES + " (an empty list)", file=name)
    _check_count(len(documents), name)
    for number, document in enumerate(documents, start=1):
        yield f"record {number}", document


def _csv_records(text: str, name: str) -> Iterator[tuple[str, Any]]:
    if "\r" in text:
        # Windows (CR LF) and old Mac (CR alone) line ends, also inside quoted cells.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    first_line, _, rest = text.partition("\n")
    if first_line.strip().lower().startswith("sep=") and len(first_line.strip()) == 5:
        # Excel's "sep=;" line names the separator and is not part of the data.
        delimiter, text = first_line.strip()[4], rest
    else:
        # Headers are data paths, which never contain a separator, so the header line alone
        # says which one this file uses (cells may hold "a; b" lists, so the data cannot).
        delimiter = max(",;\t", key=first_line.count)
    # strict: a quote never closed, or text after a closing quote, is an error with a row
    # number instead of a cell that silently swallows the rest of the file.
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    rows = _csv_rows(reader, name)
    try:
        header = next(rows)
    except StopIteration as exc:
        raise InputError("is empty", file=name) from exc
    columns = _check_header(header, name)
    episodes = 0
    for row in rows:
        number = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        episodes += 1
        if len(row) > len(columns):
            extra = [c for c in row[len(columns) :] if c.strip()]
            if extra:
                yield (
                    f"row {number}",
                    _Unreadable(f"has {len(row)} cells but the header has {len(columns)} columns"),
                )
                continue
        yield f"row {number}", unflatten(zip(columns, row, strict=False))
    if not episodes:
        raise InputError(NO_EPISODES + " (only a header row)", file=name)


_CSV_ERRORS = {
    "field larger than field limit": f"has a cell longer than the {MAX_CELL_CHARS:,} characters "
    "a cell may hold",
    "unexpected end of data": 'has a quote (") that is opened and never closed',
    "expected after": 'has text after the closing quote (") of a cell; put the whole cell in '
    'quotes and double any quote inside it ("")',
    "line contains nul": "holds a NUL character, which text files do not have",
}


def _csv_rows(reader: Any, name: str) -> Iterator[list[str]]:
    """The rows of a CSV reader, with Python's csv errors said in words and a row number."""
    while True:
        start = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            text = str(exc).lower()
            words = next((w for key, w in _CSV_ERRORS.items() if key in text), None)
            raise InputError(
                f"row {start} {words or 'is not valid CSV (' + str(exc) + ')'}",
                file=name,
            ) from exc
        yield row


def _check_header(header: list[Any], name: str) -> list[str]:
    columns = [str(h).strip() if h is not None else "" for h in header]
    if not any(columns):
        raise InputError("has no header row (the first row must name the fields)", file=name)
    seen: set[str] = set()
    for column in columns:
        if column in seen and column:
            raise InputError(f"has the column '{column}' twice", file=name)
        seen.add(column)
    for number, column in enumerate(columns, start=1):
        parts = column.count(".") + 1
        if parts > MAX_PATH_PARTS:
            raise InputError(
                f"column {number}'s header '{column[:40]}…' has {parts:,} parts; a data path "
                f"has at most {MAX_PATH_PARTS}",
                file=name,
            )
    from formkit.headers import resolve_headers

    # "Police risk" -> episode.police_risk_level; unknown headers are refused once, in words.
    return resolve_headers(columns, file=name)


def unflatten(cells: Any) -> dict[str, Any]:
    """Turn ``[("child.first_name", "Ana"), ("risks.0.type", "cse")]`` into nested data.

    Blank cells are left out (a blank means "not given"); numeric path parts make lists.
    """
    return nest(
        (path, _cell_value(value))
        for path, value in cells
        if path and value is not None and not (isinstance(value, str) and not value.strip())
    )


def _cell_value(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _xlsx_records(file: Path) -> Iterator[tuple[str, Any]]:
    import openpyxl

    from formkit.intake import check_office_zip

    name = str(file)
    check_office_zip(file, kind="xlsx")
    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged workbook
        raise InputError(f"could not be opened as an Excel workbook ({exc})", file=name) from exc
    try:
        sheet = workbook["Episodes"] if "Episodes" in workbook.sheetnames else workbook.active
        if sheet is None:
            raise InputError("has no worksheet", file=name)
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            raise InputError("has an empty first sheet", file=name)
        columns = _check_header(list(header), name)
        episodes = 0
        for number, row in enumerate(rows, start=2):
            if not any(cell not in (None, "") for cell in row):
                continue
            episodes += 1
            cells = list(zip(columns, row, strict=False))
            yield f"row {number}", unflatten(cells)
        if not episodes:
            raise InputError(NO_EPISODES + " (only a header row)", file=name)
    finally:
        workbook.close()


@dataclass(frozen=True)
class Reader:
    """How one kind of episode file is read: its names, and a reader of its text (which
    standard input also uses), of the file as a stream, or of the binary file itself."""

    kind: str
    suffixes: tuple[str, ...]
    text: Callable[[str, str], Iterator[tuple[str, Any]]] | None = None
    stream: Callable[[Path, str, int, bytes], Iterator[tuple[str, Any]]] | None = None
    binary: Callable[[Path], Iterator[tuple[str, Any]]] | None = None
    one_document: bool = False  # read whole into memory: held to MAX_DOCUMENT_BYTES


# Every kind of episode file formkit reads, by the endings of its name: the one table
# (``SUFFIXES``, folder expansion and the "use one of" hint come from it).
READERS = (
    Reader("json", (".json",), text=_json_records, one_document=True),
    Reader("jsonl", (".jsonl", ".ndjson"), text=_jsonl_text, stream=_jsonl_stream),
    Reader("yaml", (".yaml", ".yml"), text=_yaml_records, one_document=True),
    Reader("csv", (".csv",), text=_csv_records),
    Reader("xlsx", (".xlsx", ".xlsm"), binary=_xlsx_records),
)
_READERS = {reader.kind: reader for reader in READERS}
SUFFIXES = {suffix: reader.kind for reader in READERS for suffix in reader.suffixes}
