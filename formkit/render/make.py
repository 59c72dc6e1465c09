"""Making documents end to end: render, convert to PDF, note in the tracker what was made.

:func:`make_documents` is the batch behind ``formkit render`` and ``formkit pack`` (and what a
web page or a notebook calls to do the same); :func:`convert_files` is the one behind
``formkit convert``. Both skip what is already up to date, so a re-run after an interruption
makes only what is missing. Ctrl-C during the conversion raises
:class:`~formkit.render.convert.ConversionInterrupted`, whose ``explain()`` says what was made.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from formkit.batch import Stages, no_progress
from formkit.errors import OutputExists, Problem
from formkit.render.pack import RenderResult, prepare_templates, render_files
from formkit.words import plural

if TYPE_CHECKING:
    from formkit.render.convert import ConversionResult

#: The names of the stages :func:`make_documents` and :func:`convert_files` report.
RENDERING = "Rendering"
CONVERTING = "Converting to PDF"


@dataclass(kw_only=True)
class DocumentsResult(RenderResult):
    """:class:`RenderResult` with the PDFs made from its Word documents (in ``written`` and
    ``up_to_date``) and, with a tracker, the episodes whose ``Documents made`` was recorded.

    ``failed_documents`` counts the problems not tied to a record (a PDF LibreOffice could not
    make, a tracker row); they come last in ``problems``.
    """

    failed_documents: int = 0
    recorded: int | None = None  # episodes recorded in the tracker (None: no tracker given)

    @property
    def failed_records(self) -> int:
        """Records with at least one problem (a record with two failed documents counts once)."""
        own = self.problems[: len(self.problems) - self.failed_documents]
        return len({(p.file, p.row, p.reference) for p in own})

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "failed_documents": self.failed_documents}


def count_records(files: Sequence[str | Path]) -> int | None:
    """How many items the batch of episode files will report progress for, for a progress bar:
    their records, and one for each file that cannot be read (the batch reports it as one
    problem). None when it cannot tell: standard input cannot be read twice."""
    from formkit.load import expand_files, iter_records

    if "-" in [str(f) for f in files]:
        return None
    total = 0
    for name in expand_files(files):
        try:
            total += sum(1 for _ in iter_records(name))
        except Exception:  # noqa: BLE001 - the batch itself reports unreadable files
            total += 1
    return total


def make_documents(
    episode_files: Sequence[str | Path],
    out_dir: str | Path,
    *,
    templates: Sequence[str] = (),
    planned: bool = False,
    overwrite: bool = False,
    now: datetime | None = None,
    jobs: int | None = None,
    flatten: bool = False,
    pdf: bool = False,
    tracker: str | Path | None = None,
    stages: Stages | None = None,
    count_first: bool = True,
    documents: Mapping[str, Sequence[str]] | None = None,
    catalog_dir: str | Path | None = None,
) -> DocumentsResult:
    """:func:`~formkit.render.pack.render_files`, then with ``pdf`` a PDF of every Word
    document of the batch that lacks an up-to-date one, then with ``tracker`` its
    ``Documents made`` column for each episode.

    ``jobs`` is the render processes (default 1) and the LibreOffice processes (default: as
    many as cores and memory allow). A missing template or LibreOffice stops the batch before
    any record; ``stages`` (see :data:`formkit.batch.Stages`) hears of each stage, the
    rendering stage only when ``count_first`` (which reads the episode files twice, to know
    how many records there are).

    ``documents`` chooses exactly the templates of the episodes it names (see
    :func:`~formkit.render.pack.render_files`); ``catalog_dir`` is the council's own templates
    folder (default: formkit's). ``result.documents`` lists each episode's files, its PDFs
    after the Word documents they were made from.
    """
    prepare_templates(templates, catalog_dir)
    if pdf:
        from formkit.render.convert import find_soffice

        find_soffice()  # before any work, so a missing LibreOffice costs nothing
    total = count_records(episode_files) if stages and count_first else None
    rendered = render_files(
        episode_files,
        out_dir,
        templates=templates,
        planned=planned,
        overwrite=overwrite,
        now=now,
        jobs=jobs or 1,
        progress=stages(RENDERING, total) if stages and total is not None else no_progress,
        flatten=flatten,
        documents=documents,
        catalog_dir=catalog_dir,
    )
    result = DocumentsResult(**{k: getattr(rendered, k) for k in rendered.__dataclass_fields__})
    if pdf:
        # Every Word document of the batch, made now or already up to date: a re-run after an
        # interruption makes the PDFs that are missing.
        words = [p for p in [*result.written, *result.up_to_date] if p.suffix == ".docx"]
        from formkit.render.convert import ConversionInterrupted

        try:
            converted = convert_files(words, out_dir, overwrite=overwrite, jobs=jobs, stages=stages)
        except ConversionInterrupted as stopped:
            stopped.before = (
                plural(len(result.written), "document was", "documents were")
                + " rendered"
                + (f" ({len(result.up_to_date)} up to date)" if result.up_to_date else "")
                + ". "
            )
            raise
        result.written += converted.written
        result.up_to_date += converted.up_to_date
        result.warnings += converted.warnings
        _add_other(result, converted.problems)
        _add_pdfs(result, Path(out_dir), {*converted.written, *converted.up_to_date})
    if tracker is not None:
        _record_in_tracker(result, Path(tracker), now=now)
    return result


def _add_pdfs(result: DocumentsResult, out_dir: Path, pdfs: set[Path]) -> None:
    """Each episode's PDFs made from its Word documents, listed after its documents."""
    from formkit.render.made import pdf_target

    for files in result.documents.values():
        words = [p for p in files if p.suffix == ".docx"]
        files += [pdf for pdf in (pdf_target(p, out_dir) for p in words) if pdf in pdfs]


def _add_other(result: DocumentsResult, problems: list[Problem]) -> None:
    result.problems += problems
    result.failed_documents += len(problems)


def _record_in_tracker(result: DocumentsResult, tracker: Path, *, now: datetime | None) -> None:
    from formkit.model import LONDON
    from formkit.tracker.made import record_documents

    moment = now or datetime.now(LONDON)
    recorded = record_documents(tracker, result.made, now=moment, written=result.made_now)
    result.recorded = len(recorded.changes)
    _add_other(result, recorded.problems)


def convert_files(
    files: Sequence[str | Path],
    out_dir: str | Path | None = None,
    *,
    overwrite: bool = False,
    jobs: int | None = None,
    stages: Stages | None = None,
) -> ConversionResult:
    """Convert to PDF the Word ``files`` whose PDF (beside each, or in ``out_dir``) is missing
    or out of date — all of them with ``overwrite`` — with LibreOffice, ``jobs`` at once.

    A PDF already up to date is in ``up_to_date``; a PDF in the way that formkit did not make
    is kept, and is a problem. Each PDF made is noted in its folder's manifest, so the next
    run knows it is up to date.
    """
    from formkit.render.convert import (
        ConversionInterrupted,
        ConversionResult,
        convert_to_pdf,
        find_soffice,
    )
    from formkit.render.made import pdf_target, plan_conversion, record_conversion

    folder = Path(out_dir) if out_dir is not None else None
    todo = plan_conversion(files, folder, force=overwrite)
    converted = ConversionResult()
    if todo.to_convert:
        find_soffice()  # say how to install LibreOffice before drawing anything
        progress = stages(CONVERTING, len(todo.to_convert)) if stages else no_progress
        try:
            # The files are already chosen, so a PDF in the way is formkit's own, out of date.
            converted = convert_to_pdf(
                todo.to_convert, folder, overwrite=True, progress=progress, jobs=jobs
            )
        except ConversionInterrupted as stopped:
            stopped.force = overwrite
            raise
    made_now = set(converted.written)
    record_conversion(
        (source, pdf_target(source, folder))
        for source in todo.to_convert
        if pdf_target(source, folder) in made_now
    )
    converted.problems[:0] = [
        OutputExists(
            "already exists and is older than its Word document, but formkit did not make it "
            "here, so it was kept; use --force to replace it",
            file=pdf,
        ).problem
        for pdf in todo.kept
    ]
    converted.up_to_date = todo.up_to_date
    return converted
