"""Receiving uploaded files: limits while they stream in, names made by the server.

The size of each file, the number of files and the total are checked as the bytes arrive,
before anything is parsed; a file goes straight into the job's private folder under a name
formkit makes (``001.xlsx``, ``002.docx``…). The name the user gave is kept only to be shown
(escaped) and in messages. The library's own intake checks (zip bombs, macros, encrypted
files…) run afterwards, when the job reads the files, exactly as for the CLI.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.exceptions import MultipartParseError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from formkit.errors import FormkitError, Problem
from formkit.web.config import UploadLimits
from formkit.web.security import CSRF_FIELD, check_csrf

# A user's suffix is kept only when it looks like one, so the library can tell the format.
_SUFFIX = re.compile(r"^\.[a-z0-9]{1,5}$")
_FIELD_BYTES = 64 * 1024
_FIELDS = 200
# After a limit is passed the rest of the request is read and dropped (so the browser gets the
# page, not a reset connection), up to this many times the total limit.
_DRAIN_FACTOR = 4


class UploadRefused(FormkitError):
    """An upload broke a limit or was not an upload at all; nothing of it was kept."""


def _megabytes(size: int) -> str:
    """A limit in words: ``20 MB``, ``500 KB``, ``100 bytes``."""
    if size >= 1024 * 1024:
        return f"{round(size / (1024 * 1024), 1):g} MB"
    if size >= 1024:
        return f"{round(size / 1024, 1):g} KB"
    return f"{size} bytes"


@dataclass(frozen=True)
class StoredFile:
    """One uploaded file: where the server put it, and the name the user gave (for display)."""

    path: Path
    name: str
    size: int


@dataclass
class Upload:
    """A received upload form: its text fields and its stored files."""

    folder: Path
    fields: dict[str, list[str]] = field(default_factory=dict)
    files: list[StoredFile] = field(default_factory=list)

    def value(self, name: str) -> str | None:
        values = self.fields.get(name)
        return values[0] if values else None

    def shown_name(self, path: str | Path) -> str:
        """The user's name for a stored file (the server's name if it is not one of them)."""
        for stored in self.files:
            if str(stored.path) == str(path):
                return stored.name
        return Path(path).name

    def shown(self, problem: Problem) -> Problem:
        """``problem`` naming the user's file instead of the server-made one."""
        from dataclasses import replace

        return replace(problem, file=self.shown_name(problem.file))


def stored_name(index: int, user_name: str) -> str:
    """The server's name for the ``index``-th file: a number and the user's suffix if sane."""
    suffix = os.path.splitext(user_name.replace("\\", "/").rsplit("/", 1)[-1])[1].lower()
    return f"{index:03d}{suffix if _SUFFIX.match(suffix) else ''}"


def display_name(user_name: str) -> str:
    """The last part of a user's file name, without folders, for showing it (escaped)."""
    name = user_name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:200] or "unnamed file"


class _Receiver:
    """python-multipart callbacks that write file parts into ``folder`` within ``limits``."""

    def __init__(self, folder: Path, limits: UploadLimits) -> None:
        self.folder = folder
        self.limits = limits
        self.upload = Upload(folder)
        self.total = 0
        self.headers: dict[bytes, bytes] = {}
        self.header_field = b""
        self.header_value = b""
        self.field_name: str | None = None
        self.field_data = bytearray()
        self.file: IO[bytes] | None = None
        self.file_name = ""
        self.file_path: Path | None = None
        self.file_size = 0
        self.skip = False
        self.field_count = 0

    def on_part_begin(self) -> None:
        self.headers = {}
        self.field_name = None
        self.field_data = bytearray()
        self.skip = False

    def on_header_field(self, data: bytes, start: int, end: int) -> None:
        self.header_field += data[start:end]

    def on_header_value(self, data: bytes, start: int, end: int) -> None:
        self.header_value += data[start:end]

    def on_header_end(self) -> None:
        self.headers[self.header_field.lower()] = self.header_value
        self.header_field = b""
        self.header_value = b""

    def on_headers_finished(self) -> None:
        _, options = parse_options_header(self.headers.get(b"content-disposition", b""))
        self.field_name = options.get(b"name", b"").decode("utf-8", "replace")
        filename = options.get(b"filename")
        if filename is None:
            self.field_count += 1
            if self.field_count > _FIELDS:
                raise UploadRefused(f"the form has more than {_FIELDS} fields")
            return
        user_name = filename.decode("utf-8", "replace")
        if not user_name:  # a file input left empty
            self.skip = True
            return
        count = len(self.upload.files) + 1
        if count > self.limits.files:
            raise UploadRefused(
                f"too many files: at most {self.limits.files} can be uploaded at once"
            )
        self.file_name = display_name(user_name)
        self.file_path = self.folder / stored_name(count, user_name)
        descriptor = os.open(self.file_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        self.file = os.fdopen(descriptor, "wb")
        self.file_size = 0

    def on_part_data(self, data: bytes, start: int, end: int) -> None:
        if self.skip:
            return
        chunk = data[start:end]
        if self.file is None:
            self.field_data += chunk
            if len(self.field_data) > _FIELD_BYTES:
                raise UploadRefused("a field of the form is too long")
            return
        self.file_size += len(chunk)
        self.total += len(chunk)
        if self.file_size > self.limits.file_bytes:
            raise UploadRefused(
                f"{self.file_name} is larger than the {_megabytes(self.limits.file_bytes)} "
                "a file may be"
            )
        if self.total > self.limits.total_bytes:
            raise UploadRefused(
                f"the files are larger than the {_megabytes(self.limits.total_bytes)} "
                "one upload may be in all"
            )
        self.file.write(chunk)

    def on_part_end(self) -> None:
        if self.skip:
            return
        if self.file is not None and self.file_path is not None:
            self.file.close()
            self.file = None
            self.upload.files.append(StoredFile(self.file_path, self.file_name, self.file_size))
        elif self.field_name is not None:
            value = self.field_data.decode("utf-8", "replace")
            self.upload.fields.setdefault(self.field_name, []).append(value)

    def close(self) -> None:
        if self.file is not None:
            self.file.close()
            self.file = None


async def receive_upload(
    request: Request, folder: Path, limits: UploadLimits, *, csrf: bool = True
) -> Upload:
    """Stream a ``multipart/form-data`` request into ``folder``, then check its CSRF token
    (``csrf=False`` for the API, whose bearer token stands in for it).

    Raises :class:`UploadRefused` (with a sentence for the page) when a limit is passed; the
    caller removes ``folder``. Raises :class:`~formkit.web.security.CsrfRefused` when the form
    did not carry the page's token.
    """
    kind, options = parse_options_header(request.headers.get("content-type", ""))
    boundary = options.get(b"boundary")
    if kind != b"multipart/form-data" or not boundary:
        raise UploadRefused("the form was not sent as a file upload")
    declared = request.headers.get("content-length", "")
    hard_limit = limits.total_bytes * _DRAIN_FACTOR + 1024 * 1024
    if declared.isdigit() and int(declared) > hard_limit:
        raise UploadRefused(
            f"the files are larger than the {_megabytes(limits.total_bytes)} "
            "one upload may be in all"
        )
    receiver = _Receiver(folder, limits)
    parser = MultipartParser(
        boundary,
        {
            "on_part_begin": receiver.on_part_begin,
            "on_header_field": receiver.on_header_field,
            "on_header_value": receiver.on_header_value,
            "on_header_end": receiver.on_header_end,
            "on_headers_finished": receiver.on_headers_finished,
            "on_part_data": receiver.on_part_data,
            "on_part_end": receiver.on_part_end,
        },
    )
    refused: UploadRefused | None = None
    received = 0
    try:
        async for chunk in request.stream():
            received += len(chunk)
            if refused is not None:
                if received > hard_limit:
                    break
                continue
            try:
                parser.write(chunk)
            except UploadRefused as error:
                refused = error
        if refused is None:
            parser.finalize()
    except UploadRefused as error:
        refused = error
    except MultipartParseError:
        refused = UploadRefused("the upload could not be read: it is not a well-formed form")
    finally:
        receiver.close()
    if refused is not None:
        raise refused
    if csrf:
        check_csrf(request, receiver.upload.value(CSRF_FIELD))
    return receiver.upload


async def receive_job_upload(request: Request, *, csrf: bool = True) -> Upload:
    """:func:`receive_upload` into a new private job folder, with the app's limits.

    The folder is removed if the upload is refused; otherwise it becomes the job's folder
    (``jobs.start(work, folder=upload.folder, …)``) and goes when the job does.
    """
    import shutil

    folder = request.app.state.jobs.new_folder()
    try:
        return await receive_upload(request, folder, request.app.state.settings.limits, csrf=csrf)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
