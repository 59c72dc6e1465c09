"""Keep every answer: formkit's own RHI form with every control filled, contradictions included,
gives every value back (in the data, or parked in ``unmapped``) with warnings in words."""

from __future__ import annotations

import subprocess
import typing
from enum import Enum
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from parse_forms import completed_rhi, rhi_template
from support.fill import fill_form

from formkit.cli import cli
from formkit.model import ReturnInterview
from formkit.model.paths import type_at
from formkit.parse import parse_form
from formkit.synthetic import generate_episodes

DECLINED_BUT_HELD = (
    "return_interview.accepted, return_interview.held_at: the form says the interview was "
    "declined but also gives the date it was held; kept the rest, see unmapped"
)
NONE_KNOWN_AND_OTHERS = (
    "return_interview.safeguarding_concerns: the form ticks 'no known safeguarding concerns' "
    "and also ticks other concerns; kept the rest, see unmapped"
)


def _answer(tag: str) -> Any:
    """What an interviewer might put in the control tagged ``tag``: every box ticked."""
    base, _, choice = tag.partition("=")
    if choice:
        return True
    kind = type_at(base)
    if kind is bool:
        return True
    if kind is int:
        return 3
    if isinstance(kind, type) and issubclass(kind, Enum):
        return list(kind)[0].value
    if getattr(kind, "__name__", "") == "datetime":
        return "2026-11-05T10:15"
    return f"typed into {base.rsplit('.', 1)[-1]}"


def _every_control(contradictions: dict[str, Any]) -> dict[str, Any]:
    values = {tag: _answer(tag) for tag in rhi_template().control_tags}
    values.update(contradictions)
    return values


def _filled(tmp_path: Path, values: dict[str, Any]) -> Path:
    record = generate_episodes(1, seed=13)[0]
    blank = record.model_copy(update={"return_interview": ReturnInterview()})
    path = tmp_path / f"{record.reference}.docx"
    path.write_bytes(fill_form(rhi_template().render(blank), values))
    return path


def _found(data: dict[str, Any], unmapped: list[dict[str, Any]], tag: str, value: Any) -> bool:
    parked = {entry["key"] for entry in unmapped}
    if tag in parked:
        return True
    base, _, choice = tag.partition("=")
    node: Any = data
    for key in base.split("."):
        node = node.get(key) if isinstance(node, dict) else None
    if choice:
        return choice in node if isinstance(node, list) else node in (choice, True)
    if typing.get_origin(type_at(base)) is dict:
        return node is not None
    if isinstance(value, str) and isinstance(node, str) and "T" in value:
        return node.startswith(value.replace("T", "T")[:16])
    return node == value


CONTRADICTIONS = {
    "return_interview.accepted": False,  # declined...
    "return_interview.held_at": "2026-11-05T10:15",  # ...but held
    "return_interview.declined_reason": "n/a",
}


def test_every_value_comes_back_with_warnings_for_contradictions(tmp_path: Path) -> None:
    values = _every_control(CONTRADICTIONS)
    result = parse_form(_filled(tmp_path, values))
    lost = [t for t, v in values.items() if not _found(result.data, result.unmapped, t, v)]
    assert lost == []
    assert DECLINED_BUT_HELD in result.warnings
    assert NONE_KNOWN_AND_OTHERS in result.warnings
    interview = result.data["return_interview"]
    assert interview["held_at"].startswith("2026-11-05T10:15")
    assert "accepted" not in interview and "declined_reason" not in interview
    parked = {entry["key"]: entry for entry in result.unmapped}
    assert parked["return_interview.declined_reason"]["value"] == "n/a"
    assert parked["return_interview.accepted"]["value"] in (False, "no")  # as the form says
    assert parked["return_interview.safeguarding_concerns=none_known"]["value"] is True
    # Everything else of the interview is there: 36 answers are not lost over one contradiction.
    assert len(interview["answers"]) == len(
        ReturnInterview.model_fields["answers"].annotation.model_fields
    )  # type: ignore[union-attr]
    assert "none_known" not in interview["safeguarding_concerns"]
    assert len(interview["safeguarding_concerns"]) >= 19


def test_a_reason_for_declining_with_no_answer_to_accepted_reads_as_declined(
    tmp_path: Path,
) -> None:
    values = {"return_interview.declined_reason": "Did not want to talk to anyone"}
    result = parse_form(_filled(tmp_path, values))
    assert result.data["return_interview"]["accepted"] is False
    assert result.data["return_interview"]["declined_reason"] == "Did not want to talk to anyone"
    assert result.warnings == [
        "return_interview.accepted: the form gives a reason the interview was declined but does "
        "not say it was declined; read as declined"
    ]


def test_strict_makes_the_warnings_failures(tmp_path: Path) -> None:
    path = _filled(tmp_path, _every_control(CONTRADICTIONS))
    relaxed = CliRunner().invoke(cli, ["parse", str(path), "--quiet"])
    assert relaxed.exit_code == 0, relaxed.output
    strict = CliRunner().invoke(cli, ["parse", str(path), "--strict", "--quiet"])
    assert strict.exit_code == 1
    assert "the form says the interview was declined but also gives the date it was held" in (
        strict.output
    )


def test_a_police_reference_in_the_reference_box_is_kept_as_the_police_reference(
    tmp_path: Path,
) -> None:
    record = generate_episodes(1, seed=14)[0]
    record.episode.reference = "MP/2026/004417"  # what a provider copies (not validated here)
    record.episode.police_reference = None
    path = tmp_path / "police.docx"
    path.write_bytes(completed_rhi(record))
    result = parse_form(path)
    assert result.reference is None
    assert result.police_reference == "MP/2026/004417"
    assert not any("not a valid episode reference" in w for w in result.warnings)
    assert "episode.reference: the form does not say which episode it is for" not in (
        result.warnings
    )


@pytest.mark.libreoffice
def test_every_value_comes_back_after_a_libreoffice_resave(tmp_path: Path, soffice: str) -> None:
    values = _every_control(CONTRADICTIONS)
    source = _filled(tmp_path, values)
    out = tmp_path / "resaved"
    subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path / 'profile'}", "--headless",
         "--convert-to", "docx", "--outdir", str(out), str(source)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    result = parse_form(out / source.name)
    lost = [t for t, v in values.items() if not _found(result.data, result.unmapped, t, v)]
    assert lost == []
    assert DECLINED_BUT_HELD in result.warnings
