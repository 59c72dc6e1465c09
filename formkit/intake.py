"""Intake safety: checks every Office zip (.docx, .xlsx) and XML part before a parser sees it.

Files arrive by email from other organisations, so they are untrusted. The limits follow Apache
POI's defaults (see ``docs/safety.md``): a member may not inflate more than 100:1 once it is over
100 KiB, the whole package may not inflate past 100 MB, nor hold more than 1,000 members; member
names may not repeat (even in another case), climb out with ``..`` or be absolute. Word and Excel
never write a DTD, so any ``<!DOCTYPE`` is refused before libxml2 could expand an entity. Every
refusal is an :class:`~formkit.errors.UnsafeFileError` (or :class:`~formkit.errors.InputError`)
whose message names the file and says in plain words what is wrong.

Use :func:`check_office_zip` first, then open members through :func:`open_office_zip` and
:func:`read_xml_part`, which turn a bad CRC or a broken deflate stream into the same clear error.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import Literal

from lxml import etree

from formkit.errors import InputError, UnsafeFileError

OfficeKind = Literal["docx", "xlsx"]

MAX_RATIO = 100
RATIO_THRESHOLD = 100 * 1024
MAX_TOTAL_UNCOMPRESSED = 100 * 1024 * 1024
MAX_MEMBERS = 1000
MAX_FILE_SIZE = 100 * 1024 * 1024
MAX_CONTENT_TYPES = 1024 * 1024
CONTENT_TYPES = "[Content_Types].xml"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")
PDF_MAGIC = b"%PDF-"
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
HEAD_BYTES = 1024  # a PDF may have a little junk before %PDF- (the PDF spec allows 1 KB)

# The completed forms formkit reads (Word and PDF; a legacy .doc is taken so that it can be
# refused with advice, not skipped in silence).
FORM_SUFFIXES = frozenset({".docx", ".docm", ".pdf", ".doc"})

_KIND_WORDS: dict[str, tuple[str, str, str]] = {
    # kind: (what it should be, the part that proves it, the legacy format it replaces)
    "docx": ("a Word document (.docx)", "word/document.xml", "an old Word .doc"),
    "xlsx": ("an Excel workbook (.xlsx)", "xl/workbook.xml", "an old Excel .xls"),
}

# "<!DOCTYPE" as UTF-8/ASCII, UTF-16 little- and big-endian: a part re-encoded as UTF-16 must
# not slip a DTD past a byte search.
_DOCTYPE_PATTERNS = [
    re.compile(b"<!doctype", re.IGNORECASE),
    re.compile("<!doctype".encode("utf-16-le"), re.IGNORECASE),
    re.compile("<!doctype".encode("utf-16-be"), re.IGNORECASE),
]
_ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")


def _is_unsafe_name(name: str) -> bool:
    if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name):
        return True
    return ".." in PurePosixPath(name.replace("\\", "/")).parts


def _ole_message(path: Path, kind: str) -> str:
    """Say which kind of OLE file this is: encrypted OOXML or a legacy binary document."""
    wanted, _, legacy = _KIND_WORDS.get(kind, _KIND_WORDS["docx"])
    extension = "docx" if kind == "docx" else "xlsx"
    program = "Word" if kind == "docx" else "Excel"
    # An encrypted .docx/.xlsx is an OLE file with an "EncryptedPackage" stream; the directory
    # is small, so reading a bounded prefix finds it in any real file.
    with path.open("rb") as handle:
        head = handle.read(4 * 1024 * 1024)
    if _ENCRYPTED_PACKAGE in head:
        return (
            f"is a password-protected Office file; formkit cannot read encrypted files. "
            f"Remove the password in {program} (File > Info > Protect) and save it again "
            f"as .{extension}"
        )
    return (
        f"is {legacy} file (or a password-protected Office file), not {wanted}; "
        f"open it in {program} or LibreOffice and save it as .{extension}"
    )


def sniff(path: Path) -> bytes:
    """The first :data:`HEAD_BYTES` bytes of ``path`` (fewer for a small file)."""
    with path.open("rb") as handle:
        return handle.read(HEAD_BYTES)


FileKind = Literal["zip", "ole", "pdf", "utf16", "json", "binary", "text"]


def sniff_kind(head: bytes) -> FileKind:
    """What a file's first bytes say it is, whatever its name: ``zip`` (a Word or Excel
    package, or any zip), ``ole`` (a legacy .doc/.xls or a password-protected Office file),
    ``pdf``, ``utf16`` (text with a UTF-16 byte-order mark), ``json`` (text opening with ``{``
    or ``[``), ``binary`` (a NUL byte) or ``text``. The one file-type sniffer: intake, the
    episode loader and the PDF reader all ask it."""
    if head.startswith(ZIP_MAGIC):
        return "zip"
    if head.startswith(OLE_MAGIC[:4]):
        return "ole"
    if PDF_MAGIC in head[:HEAD_BYTES]:
        return "pdf"
    if head.startswith(UTF16_BOMS):
        return "utf16"
    if b"\x00" in head:
        return "binary"
    if head.removeprefix(b"\xef\xbb\xbf").lstrip()[:1] in (b"{", b"["):
        return "json"
    return "text"


def is_pdf(path: Path) -> bool:
    """Does ``path`` hold a PDF (by its bytes, not its name)? False for an empty file."""
    return sniff_kind(sniff(path)) == "pdf"


def check_office_zip(path: str | Path, *, kind: OfficeKind = "docx") -> None:
    """Refuse ``path`` unless it is a well-formed Office zip within the safety limits.

    Raises :class:`UnsafeFileError` for anything that could harm the machine (bombs, traversal
    names, encrypted or legacy files) and :class:`InputError` for a file that is simply not the
    kind asked for. Reads only the zip's central directory, so it is fast on any size.
    """
    path = Path(path)
    wanted, main_part, _ = _KIND_WORDS[kind]
    if not path.is_file():
        raise InputError("no such file", file=path)
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"is an empty file (0 bytes), not {wanted}", file=path)
    if size > MAX_FILE_SIZE:
        raise UnsafeFileError(
            f"is {size // (1024 * 1024)} MB; formkit refuses files over "
            f"{MAX_FILE_SIZE // (1024 * 1024)} MB",
            file=path,
        )
    found = sniff_kind(sniff(path))
    if found == "ole":
        raise UnsafeFileError(_ole_message(path, kind), file=path)
    if found == "pdf":
        raise InputError(f"is a PDF, not {wanted}", file=path)
    if found != "zip":
        raise InputError(f"is not {wanted}: it is not a zip package", file=path)
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            _check_members(path, infos)
            names = {info.filename for info in infos}
            if main_part not in names:
                if kind == "docx" and "xl/workbook.xml" in names:
                    raise InputError(f"is an Excel workbook, not {wanted}", file=path)
                if kind == "xlsx" and "word/document.xml" in names:
                    raise InputError(f"is a Word document, not {wanted}", file=path)
                raise InputError(
                    f"is a zip file but not {wanted} (it has no {main_part})", file=path
                )
            _check_content_types(package, path, wanted)
    except zipfile.BadZipFile as exc:
        raise UnsafeFileError(
            f"is truncated or damaged: the zip package cannot be opened ({exc})", file=path
        ) from exc
    except (OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise UnsafeFileError(f"is truncated or damaged: {exc}", file=path) from exc


def _check_content_types(package: zipfile.ZipFile, path: Path, wanted: str) -> None:
    """Every Office package lists its parts' types in ``[Content_Types].xml``; a package without
    a readable one is damaged (Word and Excel refuse to open it), so refuse it too."""
    advice = "open it in the program that made it and save it again"
    try:
        info = package.getinfo(CONTENT_TYPES)
    except KeyError:
        raise InputError(
            f"is damaged: it has no {CONTENT_TYPES}, which every {wanted} has; {advice}",
            file=path,
        ) from None
    if info.file_size > MAX_CONTENT_TYPES:
        raise UnsafeFileError(
            f"is damaged or tampered with: its {CONTENT_TYPES} is {info.file_size:,} bytes",
            file=path,
        )
    data = read_part(package, CONTENT_TYPES, file=path)
    check_xml_bytes(data, file=path, part=CONTENT_TYPES)
    try:
        root = etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError:
        root = None
    if root is None or not isinstance(root.tag, str) or etree.QName(root).localname != "Types":
        raise InputError(
            f"is damaged: its {CONTENT_TYPES} is not a list of content types; {advice}",
            file=path,
        )


def _check_members(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > MAX_MEMBERS:
        raise UnsafeFileError(
            f"has {len(infos):,} parts inside its zip package; formkit refuses more than "
            f"{MAX_MEMBERS:,} (a real form has a few dozen)",
            file=path,
        )
    seen: dict[str, str] = {}
    total = 0
    for info in infos:
        name = info.filename
        if _is_unsafe_name(name):
            raise UnsafeFileError(
                f"has a part named {name!r} that points outside the package "
                "('..' or an absolute path); refused",
                file=path,
            )
        folded = name.casefold()
        if folded in seen:
            other = seen[folded]
            how = "twice" if other == name else f"twice, as {other!r} and {name!r}"
            raise UnsafeFileError(
                f"has the part {name!r} {how} in its zip package; refused as tampered",
                file=path,
            )
        seen[folded] = name
        if info.flag_bits & 0x1:
            raise UnsafeFileError(
                "is a zip package with encrypted parts; formkit cannot read encrypted files",
                file=path,
            )
        if info.file_size > RATIO_THRESHOLD:
            ratio = info.file_size / max(info.compress_size, 1)
            if ratio > MAX_RATIO:
                raise UnsafeFileError(
                    f"looks like a zip bomb: the part {name!r} would inflate {ratio:,.0f} times "
                    f"to {info.file_size:,} bytes (the limit is {MAX_RATIO}:1)",
                    file=path,
                )
        total += info.file_size
        if total > MAX_TOTAL_UNCOMPRESSED:
            raise UnsafeFileError(
                f"looks like a zip bomb: its parts would inflate to more than "
                f"{MAX_TOTAL_UNCOMPRESSED // (1024 * 1024)} MB",
                file=path,
            )


@contextmanager
def open_office_zip(path: str | Path, *, kind: OfficeKind = "docx") -> Iterator[zipfile.ZipFile]:
    """Check ``path`` with :func:`check_office_zip`, then open it as a zip for reading parts."""
    path = Path(path)
    check_office_zip(path, kind=kind)
    try:
        package = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        raise UnsafeFileError(f"is truncated or damaged: {exc}", file=path) from exc
    with package:
        yield package


def read_part(package: zipfile.ZipFile, name: str, *, file: str | Path) -> bytes:
    """The bytes of one member; a bad CRC, overlapping entries or broken data is one clear error.

    ``zipfile`` stops at the declared size and then checks the CRC, so a member that lies about
    its size cannot inflate past the limits :func:`check_office_zip` checked.
    """
    try:
        return package.read(name)
    except KeyError as exc:
        raise InputError(f"has no part {name!r}", file=file) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
        raise UnsafeFileError(
            f"is damaged or tampered with: the part {name!r} does not unpack cleanly ({exc})",
            file=file,
        ) from exc
    except NotImplementedError as exc:
        raise UnsafeFileError(
            f"uses a compression method formkit does not read in part {name!r}", file=file
        ) from exc


def check_xml_bytes(data: bytes, *, file: str | Path, part: str) -> None:
    """Refuse an XML part that declares a DTD: Word and Excel never write one, and a DTD is how
    billion-laughs and external-entity attacks get in."""
    for pattern in _DOCTYPE_PATTERNS:
        if pattern.search(data):
            raise UnsafeFileError(
                f"part {part!r} contains a DTD (<!DOCTYPE ...>), which Office never writes; "
                "refused as a possible entity-expansion or external-entity attack",
                file=file,
            )


def safe_xml_parser() -> etree.XMLParser:
    """An lxml parser that never expands entities, never fetches anything, keeps libxml2's limits."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
    )


_PARSER = safe_xml_parser()


def parse_xml(data: bytes, *, file: str | Path, part: str) -> etree._Element:
    """Check ``data`` for a DTD, then parse it with :func:`safe_xml_parser`."""
    check_xml_bytes(data, file=file, part=part)
    try:
        return etree.fromstring(data, parser=_PARSER)
    except etree.XMLSyntaxError as exc:
        raise InputError(f"part {part!r} is not well-formed XML ({exc})", file=file) from exc


def read_xml_part(package: zipfile.ZipFile, name: str, *, file: str | Path) -> etree._Element:
    """Read and safely parse one XML member of an already checked package."""
    return parse_xml(read_part(package, name, file=file), file=file, part=name)
