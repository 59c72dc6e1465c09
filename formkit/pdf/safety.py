"""Opening untrusted PDFs: type checks first, low decompression limits, and a time limit.

PDFs arrive by email from other organisations. pypdf (≥ 6.12) guards against many malformed
files, but a hostile one can still loop or eat memory, so forms are read in a worker process
that is killed when the time limit passes; the limits below keep each stream to a size that is
plenty for a form. Every refusal is a sentence a business support officer can act on.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pypdf import PdfReader
from pypdf.errors import PdfReadError, PyPdfError

from formkit.errors import FormkitError, FormParseError, InputError, UnsafeFileError

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
    head = data[:1024]
    if b"%PDF-" not in head:
        if head.startswith(b"PK\x03\x04"):
            kind = "a Word, Excel or other zip file"
        elif head.startswith(b"\xd0\xcf\x11\xe0"):
            kind = "a password-protected Office file or a legacy .doc/.xls"
        elif head.lstrip()[:1] in (b"{", b"["):
            kind = "a JSON file"
        else:
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
    except (PdfReadError, PyPdfError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise FormParseError(f"the PDF is damaged and cannot be read ({exc})", file=file) from exc
    if encrypted:
        raise UnsafeFileError(
            "the PDF is password-protected (encrypted); ask the sender for a copy without a "
            "password, or open it and save it again without protection",
            file=file,
        )
    return reader


def _worker(func: Callable[..., Any], args: tuple[Any, ...], conn: Any) -> None:
    try:
        with pdf_limits():
            result = func(*args)
        conn.send(("ok", result))
    except FormkitError as exc:
        conn.send(("error", type(exc).__name__, exc.message, exc.file))
    except (Exception, RecursionError) as exc:  # a hostile file can break pypdf in any way
        conn.send(
            ("error", "FormParseError", f"the PDF is damaged and cannot be read ({exc})", None)
        )
    finally:
        conn.close()


def _context() -> Any:
    # fork starts in milliseconds; with threads running it is unsafe, so spawn instead.
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def run_limited(
    func: Callable[..., Any], args: tuple[Any, ...], *, timeout: float, file: str | Path
) -> Any:
    """Run ``func(*args)`` in a worker process with the PDF limits; kill it after ``timeout`` s.

    ``func`` must be a module-level function returning picklable data; formkit errors raised
    inside come back as the same class with the same message.
    """
    ctx = _context()
    receiver, sender = ctx.Pipe(duplex=False)
    process = ctx.Process(target=_worker, args=(func, args, sender), daemon=True)
    process.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise FormParseError(
                f"reading the PDF took longer than {timeout:g} seconds, so it was stopped; the "
                "file may be damaged or built to hang readers",
                file=file,
            )
        try:
            outcome = receiver.recv()
        except EOFError as exc:
            raise FormParseError(
                "the PDF reader stopped unexpectedly (the file may be damaged)", file=file
            ) from exc
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        receiver.close()
    if outcome[0] == "ok":
        return outcome[1]
    _, name, message, where = outcome
    error_class = {"UnsafeFileError": UnsafeFileError, "InputError": InputError}.get(
        name, FormParseError
    )
    raise error_class(message, file=where or file)
