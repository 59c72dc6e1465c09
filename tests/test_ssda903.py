"""The SSDA903 Missing table: one collection year, the responsible authority's children, M/A by
DfE's definitions, and a generated year checked by the DfE's own rules (csc-validator-be-903).

The validator pins pandas < 2, so it lives in its own virtual environment, ``.venv-903/`` in the
checkout (git-ignored), made by the first test that needs it and reused after. In CI (``CI=1``)
failing to make it fails the test; it is never skipped.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import ROOT
from support.episodes import tracker_episode, write_json

from formkit.cli import cli
from formkit.model import LONDON
from formkit.synthetic import iter_episodes
from formkit.tracker import create_tracker, update_tracker
from formkit.tracker.export import collection_year, export_ssda903, read_rows
from formkit.tracker.rows import episode_values, interview_values, merge

VALIDATOR = "csc-validator-be-903==0.1.17"
VENV = ROOT / ".venv-903"
RULES_SCRIPT = Path(__file__).with_name("dfe903_rules.py")
# The DfE rules of the Missing table that must flag no row (issue 14).
REQUIRED_RULES = {"564", "565", "566", "567", "570", "571", "574", "586", "1004", "1005", "1006"}
YEAR = collection_year("2026-27")


def _row(reference: str, child: str = "C1", **values: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "reference": reference,
        "child_id": child,
        "date_of_birth": date(2011, 4, 2),
        "legal_status": "looked_after",
        "responsible_authority": "London Borough of Bexley",
        "protocol": "bexley",
        "status": "missing",
        "last_seen": datetime(2026, 10, 5, 18, 0),
        "returned": datetime(2026, 10, 6, 9, 30),
    }
    row.update(values)
    return row


def _table(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))[1:]


@pytest.mark.parametrize(
    ("text", "first"),
    [("2026-27", 2026), ("2026/27", 2026), ("2026-2027", 2026), ("1999-00", 1999)],
)
def test_a_collection_year_runs_1_april_to_31_march(text: str, first: int) -> None:
    assert collection_year(text) == (date(first, 4, 1), date(first + 1, 3, 31))


def test_the_default_year_is_the_one_now_falls_in() -> None:
    assert collection_year(now=datetime(2027, 3, 31, 23, 0, tzinfo=LONDON))[0] == date(2026, 4, 1)
    assert collection_year(now=datetime(2027, 4, 1, 0, 30, tzinfo=LONDON))[0] == date(2027, 4, 1)


@pytest.mark.parametrize("text", ["2026-28", "2026", "twenty-six", "2026-2028"])
def test_a_wrong_year_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not a collection year; write it as 2026-27"):
        collection_year(text)


def test_a_wrong_year_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    tracker = create_tracker(tmp_path / "t.xlsx")
    result = CliRunner().invoke(
        cli, ["tracker", "export", str(tracker), "--format", "ssda903", "--year", "2026-28"]
    )
    assert result.exit_code == 2
    assert (
        "Invalid value for '--year': '2026-28' is not a collection year; write it as 2026-27 "
        "(1 April 2026 to 31 March 2027)" in result.output
    )


def test_only_episodes_overlapping_the_year_and_blank_end_after_it() -> None:
    rows = [
        _row("before", last_seen=datetime(2026, 3, 20, 10), returned=datetime(2026, 3, 31, 23)),
        _row("across-start", "C2", last_seen=datetime(2026, 3, 30, 10),
             returned=datetime(2026, 4, 2, 9)),
        _row("inside", "C3"),
        _row("across-end", "C4", last_seen=datetime(2027, 3, 30, 22),
             returned=datetime(2027, 4, 1, 0, 30)),
        _row("open", "C5", last_seen=datetime(2027, 2, 1, 10), returned=None),
        _row("after", "C6", last_seen=datetime(2027, 4, 1, 0, 10), returned=None),
    ]  # fmt: skip
    assert _table(export_ssda903(rows, year=YEAR)) == [
        ["C2", "02/04/2011", "M", "30/03/2026", "02/04/2026"],
        ["C3", "02/04/2011", "M", "05/10/2026", "06/10/2026"],
        ["C4", "02/04/2011", "M", "30/03/2027", ""],
        ["C5", "02/04/2011", "M", "01/02/2027", ""],
    ]


def test_missing_or_away_is_decided_by_whether_whereabouts_were_known() -> None:
    rows = [
        _row("R1", "C1", status="missing", whereabouts_known="Y"),
        _row("R2", "C2", status="away_without_authorisation", whereabouts_known="N"),
        _row("R3", "C3", status="away_without_authorisation"),
        _row("R4", "C4", status="absent"),
        _row("R5", "C5", status="missing"),
        _row("R6", "C6", status="Away without authorisation"),  # words, as a person types them
    ]
    codes = [line[2] for line in _table(export_ssda903(rows, year=YEAR))]
    assert codes == ["A", "M", "A", "M", "M", "A"]


def test_other_councils_children_are_left_to_their_responsible_authority() -> None:
    rows = [
        _row("ours", "C1"),
        _row("kents", "C2", responsible_authority="Kent County Council"),
        _row("not-looked-after", "C3", legal_status="child_in_need"),
        _row("statutory-no-names", "C4", protocol="statutory",
             responsible_authority="Rutland County Council"),
    ]  # fmt: skip
    assert [line[0] for line in _table(export_ssda903(rows, year=YEAR))] == ["C1", "C4"]
    named = export_ssda903(rows, year=YEAR, authority="Kent")
    assert [line[0] for line in _table(named)] == ["C2"]


def test_rule_586_a_start_on_the_birthday_is_refused() -> None:
    from formkit.errors import TrackerError

    rows = [_row("R1", date_of_birth=date(2026, 10, 5))]
    with pytest.raises(TrackerError, match="rule 586: the missing period starts on or before"):
        export_ssda903(rows, year=YEAR)


def test_the_command_defaults_to_the_year_of_now(tmp_path: Path) -> None:
    tracker = create_tracker(tmp_path / "t.xlsx")
    records = [
        tracker_episode("Y-1", episode__last_seen_at="2026-03-01T10:00", episode__ended_at="2026-03-02T10:00"),
        tracker_episode("Y-2", episode__last_seen_at="2026-05-01T10:00", episode__ended_at="2026-05-02T10:00",
                episode__whereabouts_known=True),
        tracker_episode("Y-3", child__responsible_authority="Kent County Council"),
    ]  # fmt: skip
    update_tracker(tracker, [write_json(tmp_path / "e.json", records)])
    this_year = CliRunner().invoke(
        cli, ["tracker", "export", str(tracker), "--format", "ssda903", "--now", "2026-11-01T12:00"]
    )
    assert this_year.exit_code == 0, this_year.output
    assert _table(this_year.output) == [["TST-0001", "02/04/2011", "A", "01/05/2026", "02/05/2026"]]
    last_year = CliRunner().invoke(
        cli, ["tracker", "export", str(tracker), "--format", "ssda903", "--year", "2025-26"]
    )
    assert _table(last_year.output) == [["TST-0001", "02/04/2011", "M", "01/03/2026", "02/03/2026"]]


# --- the DfE's own rules ------------------------------------------------------------------------


def _venv_python() -> Path:
    return VENV / "bin" / "python"


def _validator_ready() -> bool:
    python = _venv_python()
    if not python.exists():
        return False
    probe = [str(python), "-c", "import lac_validator.rules.ruleset_utils"]
    return subprocess.run(probe, capture_output=True, check=False).returncode == 0


@pytest.fixture(scope="session")
def dfe_validator() -> Path:
    """The validator's own Python, creating ``.venv-903`` the first time."""
    if not _validator_ready():
        steps = [
            [sys.executable, "-m", "venv", "--clear", str(VENV)],
            [str(_venv_python()), "-m", "pip", "install", "-q", VALIDATOR],
        ]
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, timeout=1200, check=False)
            if done.returncode != 0:
                where = "in CI" if os.environ.get("CI") else "here"
                pytest.fail(
                    f"could not create the DfE validator's environment {where} "
                    f"({' '.join(step[-3:])}): {done.stderr.strip()[-800:]}"
                )
    return _venv_python()


def _run_rules(python: Path, folder: Path, text: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    missing = folder / "missing.csv"
    missing.write_text(text, encoding="utf-8")
    # A minimal Header table for the same children, from the tracker's own rows, so the
    # validator's internal checks (child in Header, same date of birth) run too.
    children: dict[str, str] = {}
    for line in _table(text):
        children.setdefault(line[0], "")
    for row in rows:
        child = str(row.get("child_id"))
        if child in children and isinstance(row.get("date_of_birth"), date):
            children[child] = row["date_of_birth"].strftime("%d/%m/%Y")
    header = folder / "header.csv"
    header.write_text(
        "CHILD,DOB\n" + "".join(f"{c},{d}\n" for c, d in children.items()), encoding="utf-8"
    )
    done = subprocess.run(
        [str(python), str(RULES_SCRIPT), str(missing), "2026-27", str(header)],
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def _assert_clean(result: dict[str, Any]) -> None:
    rules = result["rules"]
    assert set(rules) >= REQUIRED_RULES, sorted(rules)
    for code in REQUIRED_RULES | {"INT04", "INT13"}:
        assert rules[code] == [], f"DfE rule {code} flags rows {rules[code]}"
    # Any other rule that ran on the tables given flags nothing either.
    ran = {code: found for code, found in rules.items() if isinstance(found, list)}
    assert all(found == [] for found in ran.values()), ran


@pytest.mark.slow
def test_a_generated_year_passes_the_dfe_rules(dfe_validator: Path, tmp_path: Path) -> None:
    now = datetime(2026, 11, 20, 12, 0, tzinfo=LONDON)
    # Tracker rows made by the tracker's own row builders (as `tracker update` writes them),
    # without the workbook, so a year of ~24,000 episodes stays quick.
    rows = [
        merge({}, episode_values(record, now=now), interview_values(record.return_interview))
        for record in iter_episodes(24_000, seed=2026)
    ]
    text = export_ssda903(rows, year=YEAR)
    lines = _table(text)
    assert len(lines) >= 2_000
    assert {line[2] for line in lines} == {"M", "A"}
    assert any(line[4] == "" for line in lines)  # still missing at the end of the year
    result = _run_rules(dfe_validator, tmp_path, text, rows)
    assert result["rows"] == len(lines)
    _assert_clean(result)


@pytest.mark.slow
def test_the_command_on_a_real_tracker_passes_the_dfe_rules(
    dfe_validator: Path, tmp_path: Path
) -> None:
    records = [r.model_dump(mode="json") for r in iter_episodes(1_500, seed=903)]
    tracker = create_tracker(tmp_path / "t.xlsx")
    now = datetime(2026, 11, 20, 12, 0, tzinfo=LONDON)
    update_tracker(tracker, [write_json(tmp_path / "e.json", records)], now=now)
    out = tmp_path / "missing.csv"
    result = CliRunner().invoke(
        cli,
        ["tracker", "export", str(tracker), "--format", "ssda903", "--year", "2026-27",
         "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert len(_table(text)) > 50
    _assert_clean(_run_rules(dfe_validator, tmp_path, text, read_rows(tracker)))
