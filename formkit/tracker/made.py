"""Recording in the tracker which documents formkit made: ``formkit pack --tracker``.

Made is not sent: the ``Documents made`` column lists the template ids of the documents in the
pack's folder for each episode, and ``Documents made at`` when one was last written. Sending is
recorded by people in the done columns (``Missing profile sent`` ...); until then
``formkit today`` shows a made document's obligation with "made, not recorded as sent".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path

from formkit.tracker.rows import wall_clock
from formkit.tracker.sources import Change
from formkit.tracker.update import UpdateResult, update_tracker


def record_documents(
    tracker: str | Path,
    made: Mapping[str, Iterable[str]],
    *,
    now: datetime,
    written: Iterable[str] = (),
    source: str = "formkit pack",
) -> UpdateResult:
    """Set ``Documents made`` for each episode reference in ``made`` (template ids), and
    ``Documents made at`` to ``now`` for the references in ``written``."""
    fresh = set(written)
    changes = []
    for reference, templates in made.items():
        values: dict[str, object] = {"documents_made": "; ".join(dict.fromkeys(templates))}
        if reference in fresh:
            values["documents_made_at"] = wall_clock(now)
        changes.append(
            Change(
                reference,
                source,
                reference,
                interview=values,
                unmatched="the documents made were not recorded; add the episode file first",
            )
        )
    return update_tracker(tracker, [], now=now, changes=changes)
