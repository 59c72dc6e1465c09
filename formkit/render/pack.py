"""Rendering batches: many episode files × one or more templates, into a folder.

Used by both ``formkit render`` (one template) and ``formkit pack`` (every document the protocol
plan calls for, plus any asked for). Records stream through one at a time; each template is
compiled once per batch; each document is written atomically as soon as it is made, so memory
stays flat however many episodes there are. A record that fails is reported and the batch goes on.

Templates are edited by users, so each record is rendered in a box: a worker process with a
memory limit and a time limit (:mod:`formkit.limits`), killed and replaced when a template runs
away; the record is reported and the batch goes on with the next one. With ``jobs`` > 1 there is
a box per job, fed by as many threads. Everything a batch keeps (settings, compiled templates,
boxes) lives in objects made for that batch (:class:`BatchRenderer`, :class:`RenderBoxes`),
never in module globals, so a long-running process sees a template edited between batches.
"""

from __future__ import annotations

import queue
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from formkit.batch import BatchResult, Progress, no_progress, problem_from
from formkit.errors import FormkitError, OutputExists, Problem, RenderError, TemplateError
from formkit.fileio import ensure_folder, write_atomic
from formkit.limits import Messages, Worker
from formkit.model import EpisodeRecord
from formkit.render.catalog import Catalog, CatalogEntry, Format
from formkit.render.context import build_context
from formkit.render.docx import RenderStopped
from formkit.render.made import Manifest, bytes_digest, digest, inputs_digest
from formkit.render.photo import record_photo


@dataclass(frozen=True)
class MissingFacts:
    """The facts a document had to print as "Not known": chase them before sending it."""

    document: str
    template: str
    reference: str
    file: str
    not_known: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "not_known": list(self.not_known)}

    def summary(self, limit: int = 6) -> str:
        """``missing profile BX-2026-0431: not known: photo, school, GP and 3 more``"""
        shown = ", ".join(self.not_known[:limit])
        more = len(self.not_known) - limit
        rest = f" and {more} more" if more > 0 else ""
        name = self.template.replace("-", " ")
        return f"{name} {self.reference}: not known: {shown}{rest}"


@dataclass(kw_only=True)
class RenderResult(BatchResult):
    """What :func:`render_files` made (``written``), found already up to date (``up_to_date``,
    skipped) and could not make (``problems``).

    ``made`` maps each episode reference to the template ids of its documents now in the
    folder (written or up to date), for ``pack --tracker``.
    """

    records: int = 0
    up_to_date: list[Path] = field(default_factory=list)
    made: dict[str, list[str]] = field(default_factory=dict)
    made_now: set[str] = field(default_factory=set)  # references with a document written now
    missing: list[MissingFacts] = field(default_factory=list)  # facts printed as "Not known"
    # Each episode reference's documents now in the folder (written or up to date), in order.
    documents: dict[str, list[Path]] = field(default_factory=dict)

    @property
    def failed_records(self) -> int:
        """Records with at least one problem (a record with two failed documents counts once)."""
        return len({(p.file, p.row, p.reference) for p in self.problems})

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            **super().as_dict(),
            "up_to_date": [str(p) for p in self.up_to_date],
            "failed_records": self.failed_records,
            "missing": [m.as_dict() for m in self.missing],
        }


@dataclass
class RecordOutcome:
    """What one record gave: sent back from a worker to the main process."""

    written: list[Path] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    up_to_date: list[Path] = field(default_factory=list)
    entries: list[dict[str, Any]] = field(default_factory=list)  # manifest lines to append
    reference: str | None = None
    templates: list[str] = field(default_factory=list)
    missing: list[MissingFacts] = field(default_factory=list)


@dataclass(frozen=True)
class BatchSettings:
    """What every worker needs to know (picklable, sent once to each process)."""

    out_dir: Path
    templates: tuple[str, ...]
    planned: bool
    overwrite: bool
    now: datetime | None
    catalog_dir: str | None
    flatten: bool = False
    manifest: Manifest | None = None
    time_limit: float | None = None
    chosen: dict[str, tuple[str, ...]] | None = None  # reference -> exactly these templates


@dataclass(frozen=True)
class WorkItem:
    file: str
    record: str
    episode: EpisodeRecord | None
    problems: tuple[Problem, ...] = ()


RENDER_MESSAGES = Messages(
    timeout=(
        "rendering this record took longer than {seconds}, so it was stopped; is a "
        "loop in a template running away?"
    ),
    memory=(
        "rendering this record needed more than {megabytes:,} MB of memory, so it was stopped; "
        "is a template building something huge?"
    ),
    crash="this record could not be rendered",
    error=RenderError,
)


class BatchRenderer:
    """One batch's working state in one process: its settings, the catalogue, and each template
    compiled (and its file hashed) once. Made afresh for every batch, so a template edited
    between two batches is read again; a render box holds its own (:class:`RenderBoxes`)."""

    def __init__(self, settings: BatchSettings) -> None:
        self.settings = settings
        self._catalog: Catalog | None = None
        self._compiled: dict[str, Any] = {}
        self._digests: dict[Path, str] = {}

    @property
    def catalog(self) -> Catalog:
        if self._catalog is None:
            self._catalog = Catalog.load(self.settings.catalog_dir)
        return self._catalog

    def template(self, entry: CatalogEntry) -> Any:
        """The template of ``entry``, compiled once for the batch."""
        key = f"{entry.format}:{entry.path}"
        found = self._compiled.get(key)
        if found is None:
            found = self._compiled[key] = compile_template(entry)
        return found

    def template_digest(self, path: Path) -> str:
        """A hash of the template file, read once for the batch."""
        found = self._digests.get(path)
        if found is None:
            found = self._digests[path] = digest(path.read_bytes())
        return found

    def prepare(self, templates: Sequence[str]) -> None:
        """Find and compile ``templates`` now, so a missing or broken one stops the batch."""
        for spec in templates:
            self.template(resolve_template(spec, self.catalog))

    def render(self, item: WorkItem) -> RecordOutcome:
        return _render_one(self, item)


class RenderBoxes:
    """The render boxes of one batch: a worker process per job, each with its own
    :class:`BatchRenderer`, under the time and memory limits; a box whose record runs away is
    killed and started again. Records are sent to whichever box is free."""

    def __init__(self, settings: BatchSettings, jobs: int) -> None:
        self.settings = settings
        self.idle: queue.SimpleQueue[Worker] = queue.SimpleQueue()
        for _ in range(max(1, jobs)):
            box = Worker(initializer=BatchRenderer, initargs=(settings,), keep_state=True)
            if jobs > 1:  # started now, before any thread, so that each can be forked quickly
                box.start(file=settings.out_dir, messages=RENDER_MESSAGES)
            self.idle.put(box)
        self.boxes = jobs

    def render(self, item: WorkItem) -> RecordOutcome:
        """:func:`_render_one` in a free box, under the time and memory limits."""
        if item.episode is None:
            return _unloaded(item)  # nothing of a template runs for a record that did not load
        box = self.idle.get()
        try:
            # The record goes as JSON: pydantic rebuilds it from JSON in a third of the time
            # pickle takes, which keeps the box's cost per record small.
            outcome: RecordOutcome = box.call(
                _render_json,
                (item.file, item.record, item.episode.model_dump_json()),
                file=item.file,
                messages=RENDER_MESSAGES,
                timeout=self.settings.time_limit,
            )
        except FormkitError as exc:
            reference = item.episode.reference
            return RecordOutcome(problems=[_problem(item, reference, exc)], reference=reference)
        finally:
            self.idle.put(box)
        return outcome

    def close(self) -> None:
        for _ in range(self.boxes):
            self.idle.get().close()


def _problem(
    item: WorkItem, reference: str, error: FormkitError, template: str | None = None
) -> Problem:
    """One document (or record) that could not be made: where, and which template."""
    message = f"{template}: {error.message}" if template else error.message
    return Problem(item.file, message, reference=reference, field=error.field)


def _render_json(renderer: BatchRenderer, file: str, record: str, episode: str) -> RecordOutcome:
    """:func:`_render_one` for a record sent as JSON (runs in a render box)."""
    return _render_one(renderer, WorkItem(file, record, EpisodeRecord.model_validate_json(episode)))


def resolve_template(spec: str, catalog: Catalog) -> CatalogEntry:
    """A catalogue id, or a path to a .docx (or AcroForm .pdf) outside the catalogue."""
    if spec in catalog:
        return catalog.get(spec)
    path = Path(spec)
    if path.suffix.lower() in (".docx", ".pdf"):
        if not path.is_file():
            raise TemplateError("no such template file", file=path)
        fmt: Format = "pdf" if path.suffix.lower() == ".pdf" else "docx"
        return CatalogEntry(
            id=path.stem,
            title=path.stem,
            format=fmt,
            path=path,
            profiles="all",
            output="{episode.reference}-" + path.stem + path.suffix.lower(),
        )
    return catalog.get(spec)


def compile_template(entry: CatalogEntry) -> Any:
    """The template of ``entry``, compiled (a :class:`WordTemplate` or a PDF template)."""
    if entry.format == "pdf":
        try:
            from formkit.pdf import PdfTemplate
        except ImportError as exc:
            raise TemplateError(
                "PDF templates need formkit.pdf, which is not installed", file=entry.path
            ) from exc
        return PdfTemplate(entry.path)
    from formkit.render.docx import WordTemplate

    return WordTemplate(entry.path, name=entry.id)


KEPT_UNKNOWN = (
    "{name} already exists and formkit did not make it here, so it was kept; use --force to "
    "replace it"
)
KEPT_EDITED = (
    "{name} was changed after formkit made it and its episode or template has changed since, "
    "so it was kept; use --force to replace it"
)


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _unloaded(item: WorkItem) -> RecordOutcome:
    """A record that did not load: its problems, and nothing rendered."""
    return RecordOutcome(
        problems=[
            p if p.record else Problem(p.file, p.message, item.record, p.field)
            for p in item.problems
        ]
    )


def _wanted(settings: BatchSettings, record: EpisodeRecord) -> tuple[list[str], Any]:
    """The templates to make for ``record`` and its protocol plan (None unless the documents
    due are asked for); raises :class:`FormkitError` when the record cannot be planned."""
    wanted = list(settings.templates)
    plan = None
    if settings.planned:
        from formkit.protocol import plan as make_plan

        plan = make_plan(record, now=settings.now)
        wanted = list(dict.fromkeys([*plan.documents_due(), *wanted]))
    if settings.chosen is not None and record.reference in settings.chosen:
        wanted = list(settings.chosen[record.reference])
    return wanted, plan


@dataclass
class _Making:
    """One record's inputs shared by its documents, each worked out once and only when a
    template needs it: the template context, the photograph, the values PDF forms show."""

    record: EpisodeRecord
    file: str
    settings: BatchSettings
    plan: Any
    warnings: list[Problem]
    _context: dict[str, Any] | None = None
    _shown: dict[str, str] | None = None
    _photo: Any = None
    _photo_read: bool = False

    def photo(self) -> Any:
        if not self._photo_read:
            self._photo_read = True
            if self.record.child.photo:
                self._photo, warning = record_photo(self.record, self.file)
                self.warnings += [warning] if warning else []
        return self._photo

    def document(self, template: Any, entry: CatalogEntry) -> tuple[bytes, list[str]]:
        """The document's bytes and, for a facts document, the facts it printed as unknown."""
        record, settings = self.record, self.settings
        if entry.format == "pdf":
            from formkit.render.context import form_shown

            if self._shown is None:
                self._shown = form_shown(record, now=settings.now, plan=self.plan)
            photo = self.photo() if template.shows_photo else None
            data = template.render(record, flatten=settings.flatten, shown=self._shown, photo=photo)
            return data, []
        if self._context is None:
            self._context = build_context(record, now=settings.now, plan=self.plan)
        if template.uses_photo:
            self._context["photo"] = self.photo() or ""
        data, gaps = template.render_with_gaps(record, self._context)
        return data, list(gaps)


def _render_one(renderer: BatchRenderer, item: WorkItem) -> RecordOutcome:
    settings = renderer.settings
    if item.episode is None:
        return _unloaded(item)
    record = item.episode
    catalog = renderer.catalog
    try:
        wanted, plan = _wanted(settings, record)
    except FormkitError as exc:
        return RecordOutcome(problems=[_problem(item, record.reference, exc, "plan")])
    outcome = RecordOutcome(reference=record.reference)
    written, problems, warnings = outcome.written, outcome.problems, outcome.warnings
    making = _Making(record, item.file, settings, plan, warnings)
    record_json = record.model_dump_json()
    manifest = settings.manifest
    for spec in wanted:
        try:
            entry = resolve_template(spec, catalog)
            target = settings.out_dir / entry.output_name(record)
            inputs = inputs_digest(
                record_json, renderer.template_digest(entry.path), f"flatten={settings.flatten}"
            )
            verdict = (
                "make"
                if settings.overwrite or manifest is None
                else manifest.verdict(target, inputs)
            )
            if verdict == "up_to_date":
                outcome.up_to_date.append(target)
                outcome.templates.append(entry.id)
                continue
            known = manifest is not None and target.name in manifest.entries
            if verdict == "kept" and known:
                raise OutputExists(KEPT_EDITED.format(name=target.name), file=target)
            data, gaps = making.document(renderer.template(entry), entry)
            if verdict == "kept":
                # A file formkit has no note of: the very bytes it would make now (a run stopped
                # between writing it and noting it) count as up to date; anything else is kept.
                if _same_bytes(target, data):
                    outcome.up_to_date.append(target)
                    outcome.templates.append(entry.id)
                    outcome.entries.append(
                        {"file": target.name, "inputs": inputs, "output": bytes_digest(data)}
                    )
                    continue
                raise OutputExists(KEPT_UNKNOWN.format(name=target.name), file=target)
            written.append(write_atomic(target, data, overwrite=True))
            if gaps:
                outcome.missing.append(
                    MissingFacts(str(target), entry.id, record.reference, item.file, tuple(gaps))
                )
            outcome.templates.append(entry.id)
            outcome.entries.append(
                {"file": target.name, "inputs": inputs, "output": bytes_digest(data)}
            )
        except FormkitError as exc:
            problems.append(_problem(item, record.reference, exc, spec))
            if isinstance(exc, RenderStopped):
                break  # the record's time (or memory) is used up: its other documents wait
    return outcome


def _render_failed(item: WorkItem, error: BaseException) -> RecordOutcome:
    """A record whose rendering raised something unforeseen: one problem, the batch goes on."""
    problem = problem_from(error, file=item.file, record=item.record, doing="rendered")
    if item.episode is not None and problem.reference is None:
        problem = replace(problem, reference=item.episode.reference)
    return RecordOutcome(problems=[problem])


def _work_items(episode_files: Iterable[str | Path]) -> Iterator[WorkItem]:
    from formkit.load import expand_files, iter_episodes

    for path in expand_files(episode_files):
        try:
            for loaded in iter_episodes(path):
                yield WorkItem(loaded.file, loaded.record, loaded.episode, tuple(loaded.problems))
        except Exception as exc:  # noqa: BLE001 - an unreadable file is one problem, not the end
            yield WorkItem(str(path), "-", None, (problem_from(exc, file=path),))


def _in_order(
    render: Callable[[WorkItem], RecordOutcome],
    items: Iterator[WorkItem],
    jobs: int,
    progress: Progress,
) -> Generator[RecordOutcome, None, None]:
    """``render`` each item, ``jobs`` at a time (threads, each waiting on its render box), in
    order; at most ``2 * jobs`` in flight, so memory stays flat. Whatever ``render`` raises
    becomes that record's problem, and the batch goes on."""

    def attempt(item: WorkItem) -> RecordOutcome:
        try:
            return render(item)
        except Exception as error:  # noqa: BLE001 - one record's fault, not the batch's
            return _render_failed(item, error)

    if jobs <= 1:
        for item in items:
            outcome = attempt(item)
            progress(1)
            yield outcome
        return
    with ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="formkit-render") as pool:
        pending: deque[Future[RecordOutcome]] = deque()
        try:
            for item in items:
                pending.append(pool.submit(attempt, item))
                if len(pending) >= 2 * jobs:
                    outcome = pending.popleft().result()
                    progress(1)
                    yield outcome
            while pending:
                outcome = pending.popleft().result()
                progress(1)
                yield outcome
        finally:
            for future in pending:
                future.cancel()


def prepare_templates(templates: Sequence[str], catalog_dir: str | Path | None = None) -> None:
    """Find and compile ``templates`` now, so a missing or broken one stops before any record."""
    catalog = Catalog.load(catalog_dir)
    for spec in templates:
        compile_template(resolve_template(spec, catalog))


def render_files(
    episode_files: Sequence[str | Path],
    out_dir: str | Path,
    *,
    templates: Sequence[str] = (),
    planned: bool = False,
    overwrite: bool = False,
    now: datetime | None = None,
    jobs: int = 1,
    progress: Progress = no_progress,
    catalog_dir: str | Path | None = None,
    flatten: bool = False,
    time_limit: float | None = None,
    documents: Mapping[str, Sequence[str]] | None = None,
) -> RenderResult:
    """Render ``templates`` (ids or paths) — and with ``planned`` every document each episode's
    protocol plan calls for — for every record of ``episode_files`` into ``out_dir``.

    Templates named on the command line are checked (and compiled) before the first record, so
    a broken template stops the batch at once instead of failing every record. ``flatten``
    locks the fields of PDF forms so the output cannot be edited. Each record is rendered in a
    worker process limited to ``time_limit`` seconds (default :data:`formkit.limits.TIME_LIMIT`
    or ``FORMKIT_TIME_LIMIT``) and :data:`formkit.limits.MEMORY_LIMIT_MB` of memory.

    ``documents`` maps episode references to the templates chosen for them (a person ticked
    them on the Make documents page): an episode named there gets exactly those, instead of
    its plan's and ``templates``. ``result.documents`` lists each episode's files.
    """
    ensure_folder(out_dir)  # a folder that cannot be written is said once, not once per record
    manifest = Manifest.load(out_dir)
    settings = BatchSettings(
        out_dir=Path(out_dir),
        templates=tuple(templates),
        planned=planned,
        overwrite=overwrite,
        now=now,
        catalog_dir=str(catalog_dir) if catalog_dir is not None else None,
        flatten=flatten,
        manifest=manifest,
        time_limit=time_limit,
        chosen=None if documents is None else {k: tuple(v) for k, v in documents.items()},
    )
    # Templates named by the caller are checked before the first record, here in this process.
    BatchRenderer(settings).prepare(templates)
    result = RenderResult()
    boxes = RenderBoxes(settings, jobs)
    outcomes = _in_order(boxes.render, _work_items(episode_files), jobs, progress)
    try:
        for outcome in outcomes:
            result.records += 1
            result.written.extend(outcome.written)
            result.problems.extend(outcome.problems)
            result.warnings.extend(outcome.warnings)
            result.up_to_date.extend(outcome.up_to_date)
            result.missing.extend(outcome.missing)
            if outcome.reference is not None and outcome.templates:
                result.made.setdefault(outcome.reference, []).extend(outcome.templates)
                if outcome.written:
                    result.made_now.add(outcome.reference)
                files = [*outcome.written, *outcome.up_to_date]
                result.documents.setdefault(outcome.reference, []).extend(files)
            manifest.record(outcome.entries)  # at once, so an interrupted run keeps what it made
    finally:
        outcomes.close()
        boxes.close()
    return result
