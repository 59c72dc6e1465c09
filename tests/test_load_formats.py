"""Every input format reads the same episode: JSON, YAML, JSON Lines, CSV and XLSX."""

from __future__ import annotations

import io
import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from formkit.cli import cli
from formkit.load import iter_records, load_episodes, unflatten
from formkit.model import LONDON, EpisodeRecord

SAMPLES = Path(__file__).resolve().parent.parent / "samples"

ROW = {
    "local_authority": "rutland",
    "child.id": "RU-1",
    "child.first_name": "Zoë",
    "child.last_name": "O'Brien & <Co>",
    "child.date_of_birth": "05/01/2012",
    "child.legal_status": "Child in need",
    "child.phones": "07700 900001; 07700 900002",
    "episode.reference": "RUT-1",
    "episode.missing_from": "Home",
    "episode.last_seen_at": "24/10/2026 22:00",
    "episode.ended_at": "2026-10-26T09:30",
    "risks.0.type": "cse",
    "risks.1.type": "self harm",
    "risks.1.level": "potential",
    "return_interview.push_pull_factors": "social_network; other",
    "return_interview.referrals.services.camhs.signposted": "yes",
}


def check_row_episode(record: EpisodeRecord) -> None:
    assert record.child.first_name == "Zoë"
    assert record.child.last_name == "O'Brien & <Co>"
    assert record.child.date_of_birth.isoformat() == "2012-01-05"
    assert record.child.legal_status == "child_in_need"
    assert record.child.phones == ["07700 900001", "07700 900002"]
    # 22:00 on 24 October 2026 is British Summer Time; 26 October is after the clock change.
    assert record.episode.last_seen_at == datetime(2026, 10, 24, 22, 0, tzinfo=LONDON)
    assert record.episode.last_seen_at.utcoffset().total_seconds() == 3600
    assert record.episode.ended_at is not None
    assert record.episode.ended_at.utcoffset().total_seconds() == 0
    assert [r.type for r in record.risks] == ["cse", "self_harm"]
    assert record.return_interview.push_pull_factors == ["social_network", "other"]
    assert record.return_interview.referrals.services["camhs"].signposted is True


def write_csv(path: Path, encoding: str) -> None:
    header = ",".join(ROW)
    values = ",".join(f'"{v}"' for v in ROW.values())
    path.write_bytes(f"{header}\r\n{values}\r\n".encode(encoding))


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252", "utf-16"])
def test_csv_in_the_encodings_excel_writes(tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "episodes.csv"
    write_csv(path, encoding)
    [record] = load_episodes(path)
    check_row_episode(record)


def test_semicolon_separated_csv(tmp_path: Path) -> None:
    path = tmp_path / "episodes.csv"
    header = ";".join(ROW)
    values = ";".join(f'"{v}"' for v in ROW.values())
    path.write_text(f"{header}\n{values}\n", encoding="utf-8")
    [record] = load_episodes(path)
    check_row_episode(record)


def test_xlsx_rows_with_real_excel_dates(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Episodes"
    sheet.append(list(ROW))
    values: list[object] = list(ROW.values())
    keys = list(ROW)
    values[keys.index("child.date_of_birth")] = datetime(2012, 1, 5)
    values[keys.index("episode.last_seen_at")] = datetime(2026, 10, 24, 22, 0)
    values[keys.index("child.id")] = "RU-1"
    sheet.append(values)
    sheet.append([None] * len(ROW))  # blank rows are skipped
    path = tmp_path / "episodes.xlsx"
    workbook.save(path)
    [record] = load_episodes(path)
    check_row_episode(record)


def test_json_yaml_and_jsonl_read_the_same_episode(tmp_path: Path) -> None:
    source = SAMPLES / "episodes" / "buckinghamshire-lac-residential-cce.yaml"
    [original] = load_episodes(source)
    data = original.model_dump(mode="json", exclude_defaults=True)
    (tmp_path / "one.json").write_text(json.dumps(data))
    (tmp_path / "list.json").write_text(json.dumps({"episodes": [data, data]}))
    (tmp_path / "many.jsonl").write_text(json.dumps(data) + "\n\n" + json.dumps(data) + "\n")
    (tmp_path / "multi.yaml").write_text(
        "---\n" + json.dumps(data) + "\n---\n" + json.dumps(data) + "\n"
    )
    for name, count in [("one.json", 1), ("list.json", 2), ("many.jsonl", 2), ("multi.yaml", 2)]:
        loaded = load_episodes(tmp_path / name)
        assert len(loaded) == count
        assert all(episode == original for episode in loaded)


def test_record_labels_name_rows_and_lines(tmp_path: Path) -> None:
    path = tmp_path / "episodes.csv"
    write_csv(path, "utf-8")
    assert [label for label, _ in iter_records(path)] == ["row 2"]
    jsonl = tmp_path / "e.jsonl"
    jsonl.write_text('{"a": 1}\n\n{"b": 2}\n')
    assert [label for label, _ in iter_records(jsonl)] == ["line 1", "line 3"]


def test_unflatten_builds_lists_and_skips_blanks() -> None:
    data = unflatten(
        [
            ("risks.1.type", "cse"),
            ("risks.0.type", "cce"),
            ("child.id", ""),
            ("child.first_name", "A"),
        ]
    )
    assert data == {"risks": [{"type": "cce"}, {"type": "cse"}], "child": {"first_name": "A"}}


def test_validate_reads_standard_input() -> None:
    text = (SAMPLES / "episodes" / "bedford-home-six-hours.json").read_text()
    result = CliRunner().invoke(cli, ["validate", "-"], input=io.BytesIO(text.encode()))
    assert result.exit_code == 0, result.output
    assert result.stdout.strip().endswith("1 of 1 episode valid in 1 file.")


def test_bundled_spreadsheet_sample_loads() -> None:
    loaded = load_episodes(SAMPLES / "spreadsheets" / "episodes.csv")
    assert len(loaded) >= 3
    assert {e.local_authority for e in loaded} >= {"bexley", "rutland"}


def test_an_old_or_locked_excel_file_is_named_as_such(tmp_path: Path) -> None:
    path = tmp_path / "episodes.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert (
        f"✗ {path}: is an old Excel .xls file (or a password-protected Office file), not an Excel "
        "workbook (.xlsx); open it in Excel or LibreOffice and save it as .xlsx"
    ) in result.output


def test_excel_sep_line_names_the_separator(tmp_path: Path) -> None:
    path = tmp_path / "episodes.csv"
    header = ";".join(ROW)
    values = ";".join(f'"{v}"' for v in ROW.values())
    path.write_text(f"sep=;\n{header}\n{values}\n", encoding="utf-8")
    [record] = load_episodes(path)
    check_row_episode(record)
    assert [label for label, _ in iter_records(path)] == ["row 2"]
