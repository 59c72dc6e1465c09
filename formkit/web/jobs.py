"""Long work in the background: a job per request, its progress, its files, its clean-up.

A page starts a job with :meth:`JobRunner.start` and sends the browser to ``/jobs/<id>``; the
work runs in a small thread pool (the batch functions it calls use their own processes), so
other people's pages stay responsive. The work reports progress through the same callback the
CLI's progress bar uses. Each job has a private folder (mode 0700) for its uploads and
results, removed when its download is taken or ``keep`` after it ended, whichever is first.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from formkit.batch import internal_error_message
from formkit.errors import FormkitError

State = Literal["waiting", "running", "done", "failed"]
FOLDER_PREFIX = "formkit-job-"


@dataclass
class Job:
    """One piece of background work, as its page shows it."""

    id: str
    title: str
    user: str
    folder: Path
    state: State = "waiting"
    done: int = 0
    total: int | None = None
    stage: str | None = None  # the stage of a job done in stages ("Converting to PDF")
    message: str | None = None  # why it failed, in words
    result: Any = None  # what the work returned (a BatchResult, a dict…)
    download: Path | None = None  # the file the user takes away, inside ``folder``
    download_name: str | None = None  # the name the browser saves it under
    next_url: str | None = None  # a page to continue on when the job is done
    result_template: str | None = None  # a template fragment showing ``result``
    taken: bool = False  # the download was taken (and its files removed)
    started: float = field(default_factory=time.time)
    ended: float | None = None

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed")

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.done / self.total))

    def advance(self, count: int = 1) -> None:
        """The progress callback the batch functions call after each ``count`` items."""
        self.done += count


Work = Callable[[Job], None]


def _uid() -> int:
    """This process's user id (0 where there is none: Windows)."""
    getuid = getattr(os, "getuid", None)
    return int(getuid()) if getuid else 0


def private_folder(parent: Path | None = None, prefix: str = FOLDER_PREFIX) -> Path:
    """A new folder only this process's user can read (``mkdtemp`` makes it 0700)."""
    if parent is not None:
        parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=prefix, dir=parent))


class JobRunner:
    """The app's jobs: started, looked up by id and user, and cleaned up."""

    def __init__(self, work_dir: Path | None = None, *, keep: float = 3600, workers: int = 2):
        self.work_dir = work_dir
        self.keep = keep
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="formkit-job")

    def new_folder(self) -> Path:
        """A private folder for a job about to start (uploads are streamed into it first)."""
        return private_folder(self.work_dir)

    def start(
        self,
        work: Work,
        *,
        title: str,
        user: str,
        folder: Path | None = None,
        result_template: str | None = None,
        next_url: str | None = None,
    ) -> Job:
        """Run ``work(job)`` in the background; the job is returned at once.

        ``result_template`` is a template fragment that shows ``job.result`` on the job page
        when it is done; ``next_url`` a page to continue on.
        """
        self.sweep()
        job = Job(
            id=secrets.token_urlsafe(16),
            title=title,
            user=user,
            folder=folder or self.new_folder(),
            result_template=result_template,
            next_url=next_url,
        )
        with self._lock:
            self._jobs[job.id] = job
        self._pool.submit(self._run, job, work)
        return job

    def _run(self, job: Job, work: Work) -> None:
        job.state = "running"
        try:
            work(job)
        except FormkitError as error:
            job.message = str(error)
            job.state = "failed"
        except Exception as error:  # noqa: BLE001 - the job page says it failed, the app goes on
            job.message = internal_error_message(error, doing="do")
            job.state = "failed"
        else:
            job.state = "done"
        finally:
            job.ended = time.time()

    def get(self, job_id: str, user: str) -> Job | None:
        """The job ``job_id`` if ``user`` started it (another person's job is not found)."""
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or not secrets.compare_digest(job.user, user):
            return None
        return job

    def taken(self, job: Job) -> None:
        """The download was sent: remove the job's files (its page still says what it did)."""
        job.taken = True
        job.download = None
        shutil.rmtree(job.folder, ignore_errors=True)

    def sweep(self, now: float | None = None) -> int:
        """Remove jobs that ended more than ``keep`` ago, and stray job folders as old."""
        moment = now if now is not None else time.time()
        with self._lock:
            old = [
                job
                for job in self._jobs.values()
                if job.ended is not None and moment - job.ended > self.keep
            ]
            for job in old:
                del self._jobs[job.id]
            live = {job.folder for job in self._jobs.values()}
        for job in old:
            shutil.rmtree(job.folder, ignore_errors=True)
        removed = len(old)
        # Folders left by a previous run of the app (stopped mid-job) go after ``keep`` too.
        parent = self.work_dir or Path(tempfile.gettempdir())
        try:
            strays = [p for p in parent.glob(f"{FOLDER_PREFIX}*") if p not in live]
        except OSError:
            strays = []
        for folder in strays:
            try:
                stat = folder.stat()
                if folder.is_dir() and stat.st_uid == _uid() and moment - stat.st_mtime > self.keep:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed += 1
            except OSError:
                continue
        return removed

    def close(self) -> None:
        """Stop taking work; wait for running jobs."""
        self._pool.shutdown(wait=True, cancel_futures=True)


def jobs_of(request: Any) -> JobRunner:
    """The app's job runner, for a page or API call (``request.app.state.jobs``)."""
    runner: JobRunner = request.app.state.jobs
    return runner


def user_of(request: Any) -> str:
    """Who is asking, as the security middleware found them (``request.state.user``)."""
    return str(request.state.user)
