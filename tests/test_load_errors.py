"""The bad-input corpus: every broken file gets its own plain message and exit code 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile.episodes import GOOD

from formkit.cli import cli


def with_changes(path: str, value: object) -> dict:
    """A copy of GOOD with one dotted path set (or removed when value is DELETE)."""
    data = json.loads(json.dumps(GOOD))
    node = data
    parts = path.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    if value is DELETE:
        node.pop(parts[-1], None)
    else:
        node[parts[-1]] = value
    return data


DELETE = object()

CSV_HEADER = "local_authority,child.id,child.first_name,child.last_name,child.date_of_birth,child.legal_status,episode.reference,episode.missing_from,episode.last_seen_at\n"


def as_json(data: object) -> bytes:
    return json.dumps(data).encode()


# (case id, file name, content, expected message)
CASES: list[tuple[str, str, bytes, str]] = [
    ("empty file", "e.json", b"", "e.json: is empty"),
    ("whitespace only", "w.json", b"  \n\n", "w.json: is empty"),
    (
        "broken json",
        "b.json",
        b'{"child": {',
        "b.json: is not valid JSON: expecting property name enclosed in double quotes at line 1, column 12",
    ),
    (
        "trailing comma",
        "t.json",
        b'{"a": 1,}',
        "t.json: is not valid JSON: expecting property name enclosed in double quotes at line 1, column 9",
    ),
    (
        "broken yaml",
        "b.yaml",
        b"child:\n  id: [1, 2\n",
        "b.yaml: is not valid YAML: expected ',' or ']', but got '<stream end>' at line 3, column 1",
    ),
    (
        "yaml alias bomb",
        "a.yaml",
        b"a: &a [x, x]\nb: [*a, *a]\n",
        "a.yaml: is not valid YAML: uses a YAML alias (*name), which formkit does not accept at line 2, column 5",
    ),
    ("binary file", "bin.json", bytes(range(256)) * 4, "bin.json: is a binary file, not text"),
    (
        "zip named json",
        "z.json",
        b"PK\x03\x04" + b"\x00" * 50,
        "z.json: is a zip file (perhaps a Word or Excel file with the wrong name)",
    ),
    ("pdf named yaml", "p.yaml", b"%PDF-1.7\n%...", "p.yaml: is a PDF, not an episode file"),
    (
        "legacy office",
        "old.csv",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        "old.csv: is an old-style Office file (.doc or .xls), not text",
    ),
    (
        "unknown extension",
        "x.txt",
        b"hello",
        "x.txt: cannot read '.txt' files; use one of .csv, .json, .jsonl, .ndjson, .xlsm, .xlsx, .yaml, .yml",
    ),
    ("json list empty", "l.json", b"[]", "l.json: has no episodes (an empty list)"),
    (
        "json scalar",
        "s.json",
        b"42",
        "s.json: record 1: an episode must be a mapping of fields, not int",
    ),
    (
        "wrong type",
        "wt.json",
        as_json(with_changes("child.date_of_birth", [1])),
        "wt.json: record 1 (REF-1): child.date_of_birth: must be a date such as 2026-11-03 or 03/11/2026",
    ),
    (
        "impossible date",
        "d.json",
        as_json(with_changes("child.date_of_birth", "31/02/2012")),
        "d.json: record 1 (REF-1): child.date_of_birth: '31/02/2012' is not a real date",
    ),
    (
        "not a date",
        "d2.json",
        as_json(with_changes("child.date_of_birth", "next Tuesday")),
        "d2.json: record 1 (REF-1): child.date_of_birth: 'next Tuesday' is not a date; write it as 2026-11-03 or 03/11/2026",
    ),
    (
        "impossible datetime",
        "dt.json",
        as_json(with_changes("episode.last_seen_at", "2026-13-01T10:00")),
        "dt.json: record 1 (REF-1): episode.last_seen_at: '2026-13-01T10:00' is not a date and time; write it as 2026-11-03T14:30 or 03/11/2026 14:30",
    ),
    (
        "unknown enum with suggestion",
        "en.json",
        as_json(with_changes("child.legal_status", "lookd after")),
        "en.json: record 1 (REF-1): child.legal_status: 'lookd after' is not one of the choices; did "
        "you mean 'Looked after' (looked_after)? The choices are: Looked after, Child protection "
        "plan, Child in need plan, Care leaver, Early help, Not known",
    ),
    (
        "unknown enum without suggestion",
        "en2.json",
        as_json(with_changes("episode.missing_from", "moon")),
        "en2.json: record 1 (REF-1): episode.missing_from: 'moon' is not one of the choices: Home, "
        "Placement, School, Other",
    ),
    (
        "missing required",
        "m.json",
        as_json(with_changes("child.first_name", DELETE)),
        "m.json: record 1 (REF-1): child.first_name: is required but missing",
    ),
    (
        "missing section",
        "ms.json",
        as_json(with_changes("episode", DELETE)),
        "ms.json: record 1: episode: is required but missing",
    ),
    (
        "misspelt field",
        "f.json",
        as_json(with_changes("child.frist_name", "A")),
        "f.json: record 1 (REF-1): child.frist_name: 'frist_name' is not a field of child; did you mean 'first_name'?",
    ),
    (
        "end before start",
        "o.json",
        as_json(with_changes("episode.ended_at", "2026-09-30T10:00")),
        "o.json: record 1 (REF-1): episode.ended_at: is before last_seen_at: a child cannot return before going missing",
    ),
    (
        "born in future",
        "fu.json",
        as_json(with_changes("child.date_of_birth", "2099-01-01")),
        "fu.json: record 1 (REF-1): child.date_of_birth: is in the future",
    ),
    (
        "too old",
        "old.json",
        as_json(with_changes("child.date_of_birth", "2001-01-01")),
        "old.json: record 1 (REF-1): child.date_of_birth: makes the child 25 when last seen, too old for a child (only care leavers may be 18 to 24)",
    ),
    (
        "looked after without authority",
        "la.json",
        as_json(with_changes("child.legal_status", "looked_after")),
        "la.json: record 1 (REF-1): child.responsible_authority: is required for a looked-after child",
    ),
    (
        "bad reference",
        "r.json",
        as_json(with_changes("episode.reference", "A/B")),
        "r.json: record 1 (A/B): episode.reference: 'A/B' is not allowed here: use only letters, digits, '.', '_' and '-' (it names files and tracker rows)",
    ),
    (
        "bad score",
        "sc.json",
        as_json(with_changes("return_interview.answers.mental_health_score", 9)),
        "sc.json: record 1 (REF-1): return_interview.answers.mental_health_score: the value should be less than or equal to 5",
    ),
    (
        "wrong schema version",
        "v.json",
        as_json(with_changes("schema_version", "2.0")),
        "v.json: record 1 (REF-1): schema_version: must be '1.0' or '1.1', not '2.0'",
    ),
    (
        "jsonl bad line",
        "x.jsonl",
        as_json(GOOD) + b"\n{oops\n",
        "x.jsonl: line 2: is not valid JSON: expecting property name enclosed in double quotes at column 2",
    ),
    (
        "csv without header paths",
        "h.csv",
        b"name,age\nA,3\n",
        "h.csv: has no episode columns: headers must be fields' words such as 'Episode "
        "reference', 'Date of birth' and 'Last seen', or data paths such as 'child.first_name'",
    ),
    (
        "csv with BOM and bad date",
        "bom.csv",
        b"\xef\xbb\xbf"
        + CSV_HEADER.encode()
        + b"bexley,C1,Test,Child,2012-05-01,child_in_need,REF-9,home,yesterday\n",
        "bom.csv: row 2 (REF-9): episode.last_seen_at: 'yesterday' is not a date and time; write it as 2026-11-03T14:30 or 03/11/2026 14:30",
    ),
    (
        "windows-1252 csv with bad enum",
        "w1252.csv",
        (
            CSV_HEADER
            + "bexley,C1,Zoë,Brontë,01/05/2012,child in ned,REF-7,home,01/10/2026 18:00\n"
        ).encode("cp1252"),
        "w1252.csv: row 2 (REF-7): child.legal_status: 'child in ned' is not one of the choices; did "
        "you mean 'Child in need plan' (child_in_need)? The choices are: Looked after, Child "
        "protection plan, Child in need plan, Care leaver, Early help, Not known",
    ),
    (
        "csv duplicate column",
        "dup.csv",
        b"child.id,child.id\n1,2\n",
        "dup.csv: has the column 'child.id' twice",
    ),
    (
        "csv too many cells",
        "many.csv",
        CSV_HEADER.encode()
        + b"bexley,C1,A,B,2012-05-01,child_in_need,R1,home,2026-10-01T10:00,extra\n",
        "many.csv: row 2: has 10 cells but the header has 9 columns",
    ),
]


@pytest.mark.parametrize(
    ("name", "content", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_input_gives_specific_message(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"✗ {tmp_path}/{expected}" in result.output.splitlines()


def test_corpus_is_large_enough() -> None:
    assert len(CASES) >= 25


def test_fifty_megabyte_document_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "huge.json"
    with path.open("wb") as handle:
        handle.write(b'{"pad": "')
        handle.write(b"x" * (50 * 1024 * 1024))
        handle.write(b'"}')
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert (
        f"✗ {path}: is 50.0 MB, more than the 25 MB a single JSON or YAML document may be; "
        "split it, or use JSON Lines (.jsonl)"
    ) in result.output


def test_fifty_megabyte_line_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.jsonl"
    path.write_bytes(b'{"pad": "' + b"x" * (50 * 1024 * 1024) + b'"}\n')
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 1
    assert f"✗ {path}: line 1 is 50.0 MB, more than the 1 MB one episode may be" in result.output


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["validate", str(tmp_path / "nope.json")])
    assert result.exit_code == 2
    assert "does not exist" in result.output


def test_batch_goes_on_past_a_bad_record(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    bad = with_changes("episode.missing_from", "moon")
    path.write_text("\n".join(json.dumps(d) for d in [GOOD, bad, GOOD]) + "\n")
    result = CliRunner().invoke(cli, ["validate", str(path), "--json"])
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert (report["records"], report["valid"], report["invalid"]) == (3, 2, 1)
    assert report["problems"] == [
        {
            "file": str(path),
            "row": "line 2",
            "reference": "REF-1",
            "field": "episode.missing_from",
            "message": "'moon' is not one of the choices: Home, Placement, School, Other",
        }
    ]
