"""What formkit made in an output folder, so a re-run skips what is already up to date.

Each output folder holds a small manifest, ``.made-by-formkit.jsonl``: one JSON line per document
formkit wrote there, appended as soon as the document is written (so an interrupted run keeps
what it finished), with

* ``inputs`` — a hash of what the document was made from: the episode record, the template's
  bytes, the options that change the output (``flatten``) and the formkit version (the date the
  document was made on does not count: use ``--force`` to remake a document for a new date);
* ``output`` — a hash of the bytes written, so a document someone edited afterwards is known;
* for a PDF made from a Word document, ``from`` — the hash of that Word document.

A document is *up to date* when its file is there, its inputs are the same and it is unchanged
since formkit made it (or, for a PDF, its Word document is unchanged). A document whose inputs
changed is remade when formkit made the old one and nobody edited it since; otherwise it is kept
and reported (``--force`` replaces it). The last line for a file wins.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from formkit import __version__

MANIFEST = ".made-by-formkit.jsonl"
Verdict = Literal["make", "up_to_date", "kept"]


def digest(*parts: bytes | str) -> str:
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        hasher.update(len(data).to_bytes(8, "big"))
        hasher.update(data)
    return hasher.hexdigest()


def bytes_digest(data: bytes) -> str:
    """The hash of a file's content, as :func:`file_digest` gives it for the file."""
    return hashlib.sha256(data).hexdigest()


def file_digest(path: Path) -> str | None:
    try:
        with path.open("rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


def inputs_digest(record_json: str, template_digest: str, *options: str) -> str:
    """The hash of what a document is made from (see the module docstring)."""
    return digest(__version__, record_json, template_digest, *options)


@dataclass
class Manifest:
    """The manifest of one output folder: file name -> its latest entry."""

    folder: Path
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: str | Path) -> Manifest:
        manifest = cls(Path(folder))
        path = manifest.path
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return manifest
        for line in text.splitlines():
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                continue  # a line cut short by a kill: that document is simply remade
            if isinstance(entry, dict) and isinstance(entry.get("file"), str):
                manifest.entries[entry["file"]] = entry
        return manifest

    @property
    def path(self) -> Path:
        return self.folder / MANIFEST

    def verdict(self, target: Path, inputs: str) -> Verdict:
        """Whether ``target`` must be made, is up to date, or must be kept (edited by someone)."""
        if not _exists(target):
            return "make"  # (a name the disk refuses is said in words when it is written)
        entry = self.entries.get(target.name)
        if entry is None:
            return "kept"
        if entry.get("inputs") == inputs:
            return "up_to_date"  # edited since or not, it was made from these very inputs
        return "make" if file_digest(target) == entry.get("output") else "kept"

    def pdf_verdict(self, pdf: Path, source: Path) -> Verdict:
        """The same for a PDF converted from the Word document ``source``."""
        if not _exists(pdf):
            return "make"
        entry = self.entries.get(pdf.name)
        current = file_digest(pdf)
        if entry is None:
            # Made before formkit kept a manifest here (or by hand): newer than its source is
            # taken as up to date, as make does.
            try:
                newer = pdf.stat().st_mtime >= source.stat().st_mtime
            except OSError:
                newer = False
            return "up_to_date" if newer else "kept"
        if entry.get("from") == file_digest(source):
            return "up_to_date"
        return "make" if entry.get("output") == current else "kept"

    def record(self, entries: Iterable[dict[str, Any]]) -> None:
        """Append entries (each with ``file``) now, so an interrupted run keeps them."""
        lines = []
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        for entry in entries:
            entry = {**entry, "made_at": entry.get("made_at", stamp)}
            self.entries[entry["file"]] = entry
            lines.append(json.dumps(entry, ensure_ascii=False) + "\n")
        if not lines:
            return
        # Written (not fsynced: a killed process loses nothing the OS has) line by line as the
        # batch goes; a manifest that cannot be written only means the next run remakes more.
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.writelines(lines)
        except OSError:
            return

    def record_file(self, target: Path, **extra: Any) -> None:
        self.record([{"file": target.name, "output": file_digest(target), **extra}])


@dataclass
class ConversionPlan:
    """Which Word documents need a PDF made, which PDFs are up to date, and which are kept."""

    to_convert: list[Path] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)  # PDFs formkit will not replace


def pdf_target(source: Path, out_dir: Path | None) -> Path:
    return (out_dir if out_dir is not None else source.parent) / (source.stem + ".pdf")


def plan_conversion(
    sources: Iterable[str | Path], out_dir: str | Path | None, *, force: bool = False
) -> ConversionPlan:
    """Sort ``sources`` for conversion to PDF (beside each, or into ``out_dir``)."""
    folder = Path(out_dir) if out_dir is not None else None
    manifests: dict[Path, Manifest] = {}
    result = ConversionPlan()
    for name in sources:
        source = Path(name)
        pdf = pdf_target(source, folder)
        if force or not source.is_file():
            result.to_convert.append(source)  # a missing file is reported by the conversion
            continue
        manifest = manifests.get(pdf.parent)
        if manifest is None:
            manifest = manifests[pdf.parent] = Manifest.load(pdf.parent)
        verdict = manifest.pdf_verdict(pdf, source)
        if verdict == "make":
            result.to_convert.append(source)
        elif verdict == "up_to_date":
            result.up_to_date.append(pdf)
        else:
            result.kept.append(pdf)
    return result


def record_conversion(pairs: Iterable[tuple[Path, Path]]) -> None:
    """Note each ``(source, pdf)`` made, so the next run knows the PDF is up to date."""
    by_folder: dict[Path, list[dict[str, Any]]] = {}
    for source, pdf in pairs:
        by_folder.setdefault(pdf.parent, []).append(
            {"file": pdf.name, "from": file_digest(source), "output": file_digest(pdf)}
        )
    for folder, entries in by_folder.items():
        Manifest.load(folder).record(entries)
