"""Planning many episode files at once: :func:`plan_files`, the batch behind ``formkit plan``."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from formkit.batch import BatchResult, Progress, attempt, no_progress
from formkit.errors import ProfileError
from formkit.model import EpisodeRecord
from formkit.protocol.evaluate import Plan, plan
from formkit.protocol.profile import Profile, load_profile


@dataclass(kw_only=True)
class PlanResult(BatchResult):
    """The plans made (kept only when no ``on_plan`` took them), with counts and problems."""

    plans: list[Plan] = field(default_factory=list)
    planned: int = 0
    overdue: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "plans": [p.as_dict() for p in self.plans],
            "planned": self.planned,
            "overdue": self.overdue,
            **super().as_dict(),
        }


def plan_files(
    paths: Sequence[str | Path],
    *,
    profile: Profile | str | None = None,
    now: datetime | None = None,
    progress: Progress = no_progress,
    on_plan: Callable[[Plan], None] | None = None,
) -> PlanResult:
    """Plan every valid episode in ``paths`` under ``profile`` (a :class:`Profile`, a bundled
    profile's id or a profile file; default: each episode's own ``local_authority``); episodes
    of the same child count as that child's history. A profile that cannot be loaded raises
    :class:`~formkit.errors.ProfileError` before any file is read.

    Each plan goes to ``on_plan`` as soon as it is made (so a long batch need not keep them
    all), or into ``result.plans``. Unreadable files, invalid records and episodes that cannot
    be planned are problems; the batch goes on past them.
    """
    from formkit.load import expand_files, iter_episodes

    if isinstance(profile, str):
        profile = load_profile(profile)
    result = PlanResult()
    records: list[tuple[str, str, EpisodeRecord]] = []
    for path in expand_files(paths):
        with attempt(result.problems, file=path):
            for loaded in iter_episodes(path):
                if loaded.episode is None:
                    result.problems.extend(loaded.problems)
                else:
                    records.append((loaded.file, loaded.record, loaded.episode))
    by_child: dict[str, list[EpisodeRecord]] = defaultdict(list)
    for _, _, record in records:
        by_child[record.child.id].append(record)
    for file, label, record in records:
        progress(1)
        with attempt(result.problems, file=file, record=label, doing="planned"):
            try:
                made = plan(
                    record,
                    profile=profile or record.local_authority,
                    now=now,
                    others=by_child[record.child.id],
                )
            except ProfileError as error:
                if profile is None and error.field is None:
                    error.field = "local_authority"  # the episode's own profile is missing
                raise
            result.planned += 1
            result.overdue += len(made.by_status("overdue"))
            if on_plan is not None:
                on_plan(made)
            else:
                result.plans.append(made)
    return result
