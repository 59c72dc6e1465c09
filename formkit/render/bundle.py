"""A document pack as one zip: a folder per episode, each with its "what is missing" list.

This is what an officer downloads from the Make documents page (and ``/api/pack``): the
documents are made by :func:`formkit.render.make.make_documents` (as ``formkit pack`` makes
them) into a working folder, converted to PDF when asked, and packed as

    BX-2026-0440/BX-2026-0440-missing-profile.docx
    BX-2026-0440/BX-2026-0440-missing-profile.pdf
    BX-2026-0440/what-is-missing.txt
    problems.txt            (only when a record or a document could not be made)

A record that fails is listed in ``problems.txt`` and in the result; the other episodes'
documents are still made and packed.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from formkit.batch import BatchResult, Progress, no_progress
from formkit.errors import OutputError, Problem
from formkit.fileio import ensure_folder, write_atomic
from formkit.render.make import CONVERTING, RENDERING, make_documents
from formkit.render.pack import MissingFacts

MISSING_LIST = "what-is-missing.txt"
PROBLEMS_LIST = "problems.txt"

Stage = Callable[[str, int], None]
#: The stages of :func:`~formkit.render.make.make_documents` as the Make documents page says them.
STAGE_LABELS = {RENDERING: "Making documents", CONVERTING: "Converting to PDF"}


def no_stage(_label: str, _total: int) -> None:
    """The default stage callback: say nothing."""


@dataclass(kw_only=True)
class PackedZip(BatchResult):
    """What :func:`pack_zip` made: ``written`` holds the zip; ``episodes`` the names inside it,
    by episode reference; ``missing`` the facts each document printed as "Not known" (each
    ``document`` named as in the zip, ``REF/REF-missing-profile.docx``)."""

    records: int = 0
    zip: Path | None = None
    episodes: dict[str, list[str]] = field(default_factory=dict)
    missing: list[MissingFacts] = field(default_factory=list)

    @property
    def documents(self) -> int:
        return sum(1 for names in self.episodes.values() for n in names if not n.endswith(".txt"))

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "zip": str(self.zip) if self.zip else None,
            "episodes": self.episodes,
            "missing": [m.as_dict() for m in self.missing],
            **super().as_dict(),
        }


def missing_text(reference: str, documents: Sequence[Path], missing: Sequence[MissingFacts]) -> str:
    """The ``what-is-missing.txt`` of one episode: each document and the facts to chase."""
    by_document = {Path(m.document).stem: m for m in missing if m.reference == reference}
    lines = [
        f'Episode {reference}: what each document had to print as "Not known".',
        "Chase these facts before sending the document.",
        "",
    ]
    for document in documents:
        gaps = by_document.get(document.stem)
        if gaps is None or not gaps.not_known:
            lines.append(f"{document.name}: nothing missing")
            continue
        lines.append(f"{document.name}:")
        lines += [f"  - {fact}" for fact in gaps.not_known]
    return "\n".join(lines) + "\n"


def problems_text(problems: Sequence[Problem]) -> str:
    """``problems.txt``: one line per record or document that could not be made."""
    lines = ["These could not be made; the other documents in this pack were.", ""]
    lines += [str(problem) for problem in problems]
    return "\n".join(lines) + "\n"


def _renamed(problem: Problem, names: Mapping[str, str]) -> Problem:
    return replace(problem, file=names.get(problem.file, problem.file))


def pack_zip(
    episode_files: Sequence[str | Path],
    zip_path: str | Path,
    *,
    work_dir: str | Path,
    documents: Mapping[str, Sequence[str]] | None = None,
    templates: Sequence[str] = (),
    planned: bool = True,
    word: bool = True,
    pdf: bool = False,
    flatten: bool = False,
    now: datetime | None = None,
    jobs: int = 1,
    progress: Progress = no_progress,
    stage: Stage = no_stage,
    names: Mapping[str, str] | None = None,
    catalog_dir: str | Path | None = None,
) -> PackedZip:
    """Make every episode's documents in ``work_dir`` and pack them into ``zip_path``.

    ``planned`` makes the documents each episode's protocol plan calls for (plus
    ``templates``); ``documents`` chooses exactly the templates of the episodes it names (see
    :func:`~formkit.render.pack.render_files`). The documents are made, and with ``pdf``
    converted, by :func:`~formkit.render.make.make_documents`, as ``formkit pack`` makes them.
    ``word`` keeps the Word documents, ``pdf`` converts them to PDF with LibreOffice (fillable
    PDF forms are always kept; ``flatten`` locks their fields). ``stage(label, total)`` is
    called as each stage starts ("Making documents", "Converting to PDF", "Packing"), then
    ``progress(n)`` as its items finish. ``names`` maps
    the paths of ``episode_files`` to the names people know them by, for the problems;
    ``catalog_dir`` is the council's own templates folder (default: formkit's).
    """
    if not word and not pdf:
        raise OutputError("choose Word, PDF or both: a pack of neither would be empty")
    names = dict(names or {})

    def stages(name: str, total: int | None) -> Progress:
        stage(STAGE_LABELS.get(name, name), total or 0)
        return progress

    made = make_documents(
        episode_files,
        ensure_folder(work_dir),
        templates=templates,
        planned=planned,
        overwrite=True,
        now=now,
        jobs=jobs,
        flatten=flatten,
        pdf=pdf,
        stages=stages,
        documents=documents,
        catalog_dir=catalog_dir,
    )
    # Each document as the zip names it (REF/REF-missing-profile.docx), its episode file as
    # the person knows it.
    missing = [
        replace(
            m, document=f"{m.reference}/{Path(m.document).name}", file=names.get(m.file, m.file)
        )
        for m in made.missing
    ]
    result = PackedZip(records=made.records, missing=missing)
    result.problems += [_renamed(p, names) for p in made.problems]
    result.warnings += [_renamed(w, names) for w in made.warnings]
    files = {ref: list(paths) for ref, paths in made.documents.items()}
    if not word:
        files = {ref: [p for p in paths if p.suffix != ".docx"] for ref, paths in files.items()}
    stage("Packing", sum(len(paths) for paths in files.values()))
    _write_zip(Path(zip_path), files, result, progress)
    return result


def _write_zip(
    zip_path: Path, files: dict[str, list[Path]], result: PackedZip, progress: Progress
) -> None:
    """Write the zip atomically: a download never sees a half-made one."""

    def write(handle: BinaryIO) -> None:
        with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            for reference, paths in files.items():
                for path in paths:
                    # Word documents are zips already: stored as they are, they pack at once.
                    kind = zipfile.ZIP_STORED if path.suffix == ".docx" else zipfile.ZIP_DEFLATED
                    archive.write(path, f"{reference}/{path.name}", compress_type=kind)
                    progress(1)
                text = missing_text(reference, paths, result.missing)
                archive.writestr(f"{reference}/{MISSING_LIST}", text)
                result.episodes[reference] = [*(p.name for p in paths), MISSING_LIST]
            if result.problems:
                archive.writestr(PROBLEMS_LIST, problems_text(result.problems))

    ensure_folder(zip_path.parent)
    result.zip = write_atomic(zip_path, write)
    result.written.append(result.zip)
