"""The JSON Schema of an episode file, for other systems and editors to check files with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import IO

from formkit.batch import BatchResult
from formkit.model.episode import EpisodeRecord

SCHEMA_ID = "https://formkit.invalid/schema/episode-1.0.json"


def episode_schema() -> dict[str, object]:
    """The episode model as a JSON Schema (draft 2020-12)."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        **EpisodeRecord.model_json_schema(),
    }


def write_schema(output: str | Path | IO[str]) -> BatchResult:
    """Write :func:`episode_schema` to the file ``output`` (atomically; it is then
    ``written``) or to the open text stream ``output``."""
    from formkit.fileio import write_text_out

    text = json.dumps(episode_schema(), indent=2, ensure_ascii=False) + "\n"
    return BatchResult(written=write_text_out(output, text))
