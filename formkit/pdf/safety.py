"""Opening untrusted PDFs: type checks first, low decompression limits, and a time limit.

PDFs arrive by email from other organisations. pypdf (≥ 6.12) guards against many malformed
files, but a hostile one can still loop or eat memory, so forms are read in a worker process
that is killed when the time limit passes; the limits below keep each stream to a size that is
plenty for a form (the worker is :mod:`formkit.limits`, shared with Word forms and templates).
pypdf's own warnings about a damaged file are caught rather than printed. Every refusal is a
sentence a business support officer can act on.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from collections.abc import Iterator
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from formkit.errors import FormParseError, InputError, UnsafeFileError
from formkit.intake import HEAD_BYTES, sniff_kind
from formkit.limits import Messages

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_STREAM_BYTES = 20 * 1024 * 1024
MAX_FIELDS = 5_000


@contextlib.contextmanager
def pdf_limits() -> Iterator[None]:
    """pypdf's decompression and structure limits, lowered to what a form needs."""
    try:
        from pypdf import apply_configuration
    except ImportError:  # pragma: no cover - pypdf before the Configuration API
        yield
        return
    with apply_configuration(
        maximum_declared_stream_length=MAX_STREAM_BYTES,
        array_based_stream_maximum_output_length=MAX_STREAM_BYTES,
        lzw_maximum_output_length=MAX_STREAM_BYTES,
        run_length_maximum_output_length=MAX_STREAM_BYTES,
        zlib_maximum_output_length=MAX_STREAM_BYTES,
        image_maximum_buffer_size=MAX_STREAM_BYTES,
        form_fields_maximum_entries=MAX_FIELDS,
        form_fields_maximum_depth=32,
    ):
        yield


class _Collect(logging.Handler):
    def __init__(self, notes: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.notes = notes

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.notes.append(record.getMessage())
        except Exception:  # a message that cannot be formatted is still a note
            self.notes.append(str(record.msg))


@contextlib.contextmanager
def pypdf_notes() -> Iterator[list[str]]:
    """Collect what pypdf would print to stderr about a damaged file (its log warnings and
    Python warnings) into a list, instead of letting it reach the user's terminal."""
    notes: list[str] = []
    logger = logging.getLogger("pypdf")
    handler = _Collect(notes)
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield notes
        notes.extend(str(w.message) for w in caught)
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def repair_warning(notes: list[str]) -> str | None:
    """One warning for the report when pypdf had to repair the file while reading it."""
    unique = list(dict.fromkeys(n.strip() for n in notes if n.strip()))
    if not unique:
        return None
    more = f" and {len(unique) - 1} more" if len(unique) > 1 else ""
    return (
        f"the PDF is slightly damaged and was repaired while reading ({unique[0][:200]}{more}); "
        "check the values read"
    )


_NOT_PDF = {
    "zip": "a Word, Excel or other zip file",
    "ole": "a password-protected Office file or a legacy .doc/.xls",
    "json": "a JSON file",
}


def check_bytes(data: bytes, file: str | Path) -> None:
    """Refuse what is not a whole PDF, naming what it is when we can tell."""
    if not data:
        raise InputError("the file is empty", file=file)
    if len(data) > MAX_FILE_BYTES:
        raise UnsafeFileError(
            f"the file is {len(data) // (1024 * 1024)} MB; a PDF form should be far smaller "
            f"(limit {MAX_FILE_BYTES // (1024 * 1024)} MB)",
            file=file,
        )
    found = sniff_kind(data[:HEAD_BYTES])
    if found != "pdf":
        kind = _NOT_PDF.get(found)
        if kind is None:
            raise FormParseError("this is not a PDF (it does not start with %PDF-)", file=file)
        raise FormParseError(f"this is {kind}, not a PDF form", file=file)
    if b"%%EOF" not in data[-2048:]:
        raise FormParseError(
            "the PDF is incomplete (it stops before its end marker); ask for the file to be "
            "sent again",
            file=file,
        )


def open_pdf(data: bytes, file: str | Path) -> PdfReader:
    """A pypdf reader for ``data`` after the checks above; encrypted files are refused."""
    check_bytes(data, file)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except (
        PdfReadError,
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
    ) as exc:
        raise FormParseError(f"the PDF is damaged and cannot be read ({exc})", file=file) from exc
    if encrypted:
        raise UnsafeFileError(
            "the PDF is password-protected (encrypted); ask the sender for a copy without a "
            "password, or open it and save it again without protection",
            file=file,
        )
    return reader


PDF_MESSAGES = Messages(
    timeout=(
        "reading the PDF took longer than {seconds}, so it was stopped; the file may "
        "be damaged or built to hang readers"
    ),
    memory=(
        "reading the PDF needed more than {megabytes:,} MB of memory, so it was stopped; the "
        "file may be damaged or built to exhaust readers"
    ),
    crash="the PDF is damaged and cannot be read",
    error=FormParseError,
)
"""How the PDF reader's worker reports a file it had to stop."""
