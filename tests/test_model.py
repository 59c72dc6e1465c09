"""The episode model: samples, the published JSON Schema, round trips and cross-field rules."""

from __future__ import annotations

import json
from datetime import date, datetime
from functools import cache
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from formkit.cli import cli
from formkit.load import load_episodes
from formkit.model import LONDON, EpisodeRecord, LegalStatus, choice_of
from formkit.model.schema import episode_schema
from formkit.synthetic import episode_data, generate_episodes

SAMPLES = sorted((Path(__file__).resolve().parent.parent / "samples" / "episodes").iterdir())


@cache
def schema_validator() -> jsonschema.Draft202012Validator:
    """The published schema, checked against its meta-schema once (checking is the slow part)."""
    schema = episode_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_there_are_enough_samples() -> None:
    assert len(SAMPLES) >= 12
    profiles = {load_episodes(p)[0].local_authority for p in SAMPLES}
    assert profiles == {
        "bedford",
        "bexley",
        "buckinghamshire",
        "kent-medway",
        "rutland",
        "statutory",
    }


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_sample_validates(path: Path) -> None:
    [record] = load_episodes(path)
    assert record.episode.reference


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_json_schema_accepts_every_sample(path: Path) -> None:
    [record] = load_episodes(path)
    document = record.model_dump(mode="json", exclude_none=True)
    schema_validator().validate(document)


def test_json_schema_rejects_what_the_model_rejects() -> None:
    [record] = load_episodes(SAMPLES[0])
    document = record.model_dump(mode="json", exclude_none=True)
    document["child"]["legal_status"] = "orphaned"
    with pytest.raises(jsonschema.ValidationError):
        schema_validator().validate(document)
    document = record.model_dump(mode="json", exclude_none=True)
    document["child"]["nickname"] = "x"
    with pytest.raises(jsonschema.ValidationError):
        schema_validator().validate(document)


def test_schema_command_prints_the_schema(tmp_path: Path) -> None:
    out = tmp_path / "schema.json"
    result = CliRunner().invoke(cli, ["schema", "-o", str(out)])
    assert result.exit_code == 0
    schema = json.loads(out.read_text())
    assert schema["title"] == "EpisodeRecord"
    assert {"child", "episode", "history", "risks", "people", "return_interview", "meetings",
            "notifications", "risk_assessment", "schema_version", "local_authority"} <= set(schema["properties"])  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(index=st.integers(0, 100_000), seed=st.integers(0, 1000))
def test_synthetic_episodes_round_trip_through_json(index: int, seed: int) -> None:
    data = episode_data(index, seed)
    record = EpisodeRecord.model_validate(data)
    again = EpisodeRecord.model_validate_json(record.model_dump_json())
    assert again == record


def test_synthetic_episodes_are_deterministic() -> None:
    assert generate_episodes(20, seed=3) == generate_episodes(20, seed=3)
    assert generate_episodes(5, seed=3) != generate_episodes(5, seed=4)


def test_times_without_a_zone_are_london_time() -> None:
    [record] = generate_episodes(1)
    data = record.model_dump(mode="json")
    data["episode"]["last_seen_at"] = "2026-07-01T12:00:00"
    data["episode"].pop("ended_at", None)
    data["episode"].pop("end_reason", None)
    data["episode"].pop("where_found", None)
    data["return_interview"] = {}
    summer = EpisodeRecord.model_validate(data).episode.last_seen_at
    assert summer == datetime(2026, 7, 1, 11, 0, tzinfo=LONDON).replace(hour=12)
    assert summer.utcoffset() is not None and summer.utcoffset().total_seconds() == 3600


def test_ages_and_durations() -> None:
    [record] = load_episodes(SAMPLES[0])
    assert record.child.age_on(date(2026, 1, 1)) == record.age or record.age >= 0
    born = record.child.model_copy(update={"date_of_birth": date(2012, 2, 29)})
    assert born.age_on(date(2026, 2, 28)) == 13
    assert born.age_on(date(2026, 3, 1)) == 14


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Looked after", "looked_after"), ("looked-after", "looked_after"), ("LOOKED_AFTER", "looked_after"),
     ("  care leaver ", "care_leaver")],
)  # fmt: skip
def test_choices_forgive_case_and_spacing(text: str, expected: str) -> None:
    assert choice_of(LegalStatus, text) == expected


def test_care_leaver_may_be_up_to_24() -> None:
    [record] = load_episodes(SAMPLES[0])
    data = record.model_dump(mode="json")
    data["child"]["legal_status"] = "care_leaver"
    data["child"]["date_of_birth"] = "2003-01-01"
    assert EpisodeRecord.model_validate(data).age == 23


def test_duration_is_real_time_across_the_october_clock_change() -> None:
    [record] = generate_episodes(1)
    episode = record.episode.model_copy(
        update={
            "last_seen_at": datetime(2026, 10, 24, 22, 0, tzinfo=LONDON),
            "ended_at": datetime(2026, 10, 25, 22, 0, tzinfo=LONDON),
        }
    )
    assert episode.duration().total_seconds() == 25 * 3600
