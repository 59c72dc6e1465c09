"""Forms from other providers (built at test time in four layouts) land in the episode data, and
each reaches its tracker row by police reference or by child and dates."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from foreign_forms import LAYOUTS, expected_answers, landed
from support.episodes import tracker_episode, write_json
from test_tracker_helpers import table_rows

from formkit.model import LONDON
from formkit.parse import parse_form
from formkit.tracker import create_tracker, update_tracker

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=LONDON)


def _make(layout: str, folder: Path) -> Path:
    suffix = "pdf" if layout == "pdf" else "docx"
    return LAYOUTS[layout](folder / f"{layout}-provider-form.{suffix}")


@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_nine_in_ten_answers_land_and_the_rest_are_unmapped(layout: str, tmp_path: Path) -> None:
    result = parse_form(_make(layout, tmp_path))
    answers = expected_answers()
    missed = [
        (path, typed) for path, value, typed in answers if not landed(result.data, path, value)
    ]
    assert len(missed) <= len(answers) // 10, missed
    # Whatever did not land is in unmapped as typed: nothing typed is lost.
    parked = [entry["value"] for entry in result.unmapped]
    assert [(path, typed) for path, typed in missed if typed not in parked] == []
    assert result.police_reference == "MP/2026/004417"
    assert result.data["child"] == {
        "first_name": "Kit",
        "last_name": "Example",
        "date_of_birth": "2011-03-12",
        "legal_status": "looked_after",
    }


def _tracker(tmp_path: Path, *, police_reference: str | None) -> Path:
    tracker = create_tracker(tmp_path / "tracker.xlsx")
    child = {
        "child__first_name": "Kit",
        "child__last_name": "Example",
        "child__date_of_birth": "2011-03-12",
        "child__id": "KE-1",
    }
    episodes = [
        tracker_episode(
            "BX-2026-0500",
            episode__last_seen_at="2026-09-01T18:00",
            episode__ended_at="2026-09-02T10:00",
            **child,
        ),  # fmt: skip
        tracker_episode(
            "BX-2026-0512",
            episode__last_seen_at="2026-10-20T18:00",
            episode__ended_at="2026-10-21T08:00",
            episode__police_reference=police_reference,
            **child,
        ),  # fmt: skip
        tracker_episode("BX-2026-0520", episode__police_reference="MP/2026/004999"),
    ]
    update_tracker(tracker, [write_json(tmp_path / "episodes.json", episodes)], now=NOW)
    return tracker


@pytest.mark.parametrize("police_reference", ["MP/2026/004417", None])
def test_every_layout_reaches_its_row(tmp_path: Path, police_reference: str | None) -> None:
    tracker = _tracker(tmp_path, police_reference=police_reference)
    forms = [_make(layout, tmp_path) for layout in sorted(LAYOUTS)]
    result = update_tracker(tracker, forms, now=NOW)
    assert result.problems == []
    how = "police reference" if police_reference else "child and dates"
    assert sorted(result.matched) == sorted((f.name, "BX-2026-0512", how) for f in forms)
    rows = {r["Episode reference"]: r for r in table_rows(tracker)}
    assert len(rows) == 3  # no form became a new row
    assert rows["BX-2026-0512"]["RHI by"] == "Dana Whitlow, missing worker"
    assert rows["BX-2026-0512"]["RHI held"] == datetime(2026, 10, 23, 16, 0)
    assert rows["BX-2026-0500"]["RHI by"] is None
