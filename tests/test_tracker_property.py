"""Hypothesis: any sequence of updates leaves exactly one row per reference, holding the last
episode values and every interview value ever given (no duplicates, no loss)."""

from __future__ import annotations

import json
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from support.episodes import tracker_episode

from formkit.model import LONDON, EpisodeRecord
from formkit.tracker import create_tracker, update_tracker
from formkit.tracker.columns import keys_in
from formkit.tracker.export import read_rows
from formkit.tracker.rows import episode_values, interview_values, merge

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=LONDON)
REFERENCES = ["P-1", "P-2", "P-3", "P-4"]
TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
).filter(lambda t: t.strip() == t and t.strip())

step = st.tuples(
    st.sampled_from(REFERENCES),
    st.one_of(st.none(), TEXT | st.sampled_from(["=1+1", "-1", "@SUM(A1)", "\uff1d1"])),
    st.one_of(st.none(), TEXT),
    st.integers(1, 40),
)


def _record(
    reference: str, where: str | None, interviewer: str | None, hours: int
) -> dict[str, Any]:
    data = tracker_episode(
        reference, episode__ended_at=f"2026-10-{6 + hours // 24:02d}T{hours % 24:02d}:00"
    )
    data["episode"]["where_found"] = where
    if interviewer is not None:
        data["return_interview"] = {"interviewer": interviewer, "offered_at": "2026-10-08T10:00"}
    return data


@pytest.mark.slow
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(batches=st.lists(st.lists(step, min_size=1, max_size=3), min_size=1, max_size=3))
def test_random_update_sequences_match_the_model(batches: list[list[tuple[Any, ...]]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tracker = create_tracker(Path(folder) / "t.xlsx")
        model: dict[str, dict[str, Any]] = {}
        for number, batch in enumerate(batches):
            source = Path(folder) / f"batch{number}.jsonl"
            records = [_record(*item) for item in batch]
            source.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
            result = update_tracker(tracker, [source], now=NOW)
            assert result.problems == []
            for data in records:
                record = EpisodeRecord.model_validate(data)
                current = model.get(record.reference, {})
                model[record.reference] = merge(
                    current,
                    episode_values(record, now=NOW),
                    interview_values(record.return_interview),
                )
        _check(tracker, model)
        # Re-reading the last batch ends in the same rows (a batch that names one reference
        # twice rewrites it on the way, but lands where it landed before).
        update_tracker(tracker, [source], now=NOW)
        _check(tracker, model)
        if len({item[0] for item in batches[-1]}) == len(batches[-1]):
            again = update_tracker(tracker, [source], now=NOW)
            assert again.inserted == again.updated == 0


def _check(tracker: Path, model: dict[str, dict[str, Any]]) -> None:
    rows = read_rows(tracker)
    assert sorted(r["reference"] for r in rows) == sorted(model)
    compared = keys_in("episode") + keys_in("interview") + keys_in("derived")
    for row in rows:
        expected = model[row["reference"]]
        for key in compared:
            assert row[key] == (expected.get(key) if expected.get(key) != "" else None), key
