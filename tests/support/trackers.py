"""Trackers the tests start from, made from the sample episodes, and the forms that fill them.

:func:`samples_tracker` is a tracker holding every sample episode (the Today, reports and
export tests read it); :func:`tracker_before_interviews` holds them as the tracker knew them
before their return interviews came back, so :data:`COMPLETED_FORMS` (the completed RHIs
``support/make_completed_rhis.py`` made into ``samples/completed-rhi``) change it. :func:`rows`
reads a tracker back by episode reference, leaving out what every save changes.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

from test_tracker_helpers import table_rows

from formkit.load import load_episodes
from formkit.tracker import create_tracker, update_tracker
from support.episodes import ROOT, SAMPLE_EPISODES

COMPLETED_FORMS = sorted((ROOT / "samples" / "completed-rhi").glob("*.docx"))
# Changed by every save, whoever makes it: not part of what a form changes.
STAMPS = {"Last updated"}


def samples_tracker(path: Path, *, now: datetime) -> Path:
    """A new tracker at ``path`` holding every sample episode, as at ``now``."""
    create_tracker(path)
    result = update_tracker(path, sorted(SAMPLE_EPISODES.iterdir()), now=now)
    assert not result.problems, result.problems
    return path


def episodes_without_interviews(folder: Path) -> Path:
    """The sample episodes as the tracker knew them before their interviews came back."""
    folder.mkdir()
    for path in sorted(SAMPLE_EPISODES.iterdir()):
        for record in load_episodes(path):
            data = json.loads(record.model_dump_json(exclude_none=True))
            data.pop("return_interview", None)
            (folder / f"{record.reference}.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def tracker_before_interviews(folder: Path, *, now: datetime) -> Path:
    """``folder/tracker.xlsx`` holding the sample episodes without their return interviews."""
    tracker = create_tracker(folder / "tracker.xlsx")
    update_tracker(tracker, [episodes_without_interviews(folder / "episodes")], now=now)
    return tracker


def rows(path: Path) -> dict[str, dict[str, Any]]:
    """The tracker's rows by episode reference, without the cells every save changes."""
    return {
        r["Episode reference"]: {k: v for k, v in r.items() if k not in STAMPS}
        for r in table_rows(path)
    }
