"""Hostile and broken episode files, built at test time: each case is the file's name, its bytes,
the words the message must hold and the exit code (0 where the file is usable).

Families: nesting (JSON/YAML, whole file or one field), huge numbers, NaN/Infinity, YAML
tricks (!!binary, impossible dates, aliases), CSV line ends, cells, quotes and headers, empty
files, UTF-16, and files that are not the format their name says.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

GOOD: dict[str, Any] = {
    "local_authority": "bexley",
    "child": {
        "id": "C1",
        "first_name": "Test",
        "last_name": "Child",
        "date_of_birth": "2012-05-01",
        "legal_status": "child_in_need",
    },
    "episode": {
        "reference": "REF-1",
        "missing_from": "home",
        "last_seen_at": "2026-10-01T18:00:00",
    },
}

HEADER = (
    "local_authority,child.id,child.first_name,child.last_name,child.date_of_birth,"
    "child.legal_status,episode.reference,episode.missing_from,episode.last_seen_at"
)
ROW = "bexley,C1,Test,Child,2012-05-01,child_in_need,REF-1,home,2026-10-01T18:00:00"
ROW2 = "bexley,C2,Other,Child,2011-04-02,child_in_need,REF-2,home,2026-10-02T18:00:00"


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    content: bytes
    words: str
    exit_code: int = 1


def with_value(path: str, value: Any) -> dict[str, Any]:
    """A copy of GOOD with one dotted path set to ``value``."""
    data = json.loads(json.dumps(GOOD))
    node = data
    parts = path.split(".")
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value
    return data


def yaml_good(**overrides: str) -> str:
    values = {
        "id": "C1",
        "first_name": "Test",
        "date_of_birth": "2012-05-01",
        "last_seen_at": "2026-10-01T18:00:00",
    }
    values.update(overrides)
    return (
        "local_authority: bexley\n"
        "child:\n"
        f"  id: {values['id']}\n"
        f"  first_name: {values['first_name']}\n"
        "  last_name: Child\n"
        f"  date_of_birth: {values['date_of_birth']}\n"
        "  legal_status: child_in_need\n"
        "episode:\n"
        "  reference: REF-1\n"
        "  missing_from: home\n"
        f"  last_seen_at: {values['last_seen_at']}\n"
    )


def nested_list(depth: int) -> str:
    return "[" * depth + "]" * depth


def nested_object(depth: int) -> str:
    return '{"a": ' * depth + "1" + "}" * depth


def deep_in_field(depth: int) -> str:
    """GOOD with a 5,000-deep list as the child's first name."""
    text = json.dumps(with_value("child.first_name", "MARK"))
    return text.replace('"MARK"', nested_list(depth))


def xlsx(rows: list[list[Any]]) -> bytes:
    """A workbook whose first sheet holds ``rows``, as bytes."""
    import io

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _jsonl(*records: Any) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


DEEP = "is nested more than 64 levels deep"
SURROGATE = "holds a broken character (half of a \\uD800-\\uDFFF pair), which is not text"
NOT_JSONL = "this does not look like a JSON Lines file: its first 20 records cannot be read"


def cases() -> list[Case]:
    good_line = json.dumps(GOOD)
    huge = "1" * 5000
    out = [
        # Nesting: whole file and inside one field, JSON, JSON Lines and YAML.
        Case("json list 5000 deep", "deep.json", nested_list(5000).encode(), DEEP),
        Case("json object 5000 deep", "deepo.json", nested_object(5000).encode(), DEEP),
        Case("json list 100000 deep", "deeper.json", nested_list(100_000).encode(), DEEP),
        Case("json 200 deep", "d200.json", nested_object(200).encode(), DEEP),
        Case("json 65 deep", "d65.json", nested_list(65).encode(), DEEP),
        Case("json deep in one field", "field.json", deep_in_field(5000).encode(), DEEP),
        Case("json 200 deep in field", "field200.json", deep_in_field(200).encode(), DEEP),
        Case(
            "jsonl deep line between good",
            "deep.jsonl",
            (good_line + "\n" + deep_in_field(5000) + "\n" + good_line + "\n").encode(),
            f"line 2: {DEEP}",
        ),
        Case("yaml flow 5000 deep", "deep.yaml", nested_list(5000).encode(), DEEP),
        Case(
            "yaml block 300 deep",
            "block.yaml",
            "".join(" " * i + "a:\n" for i in range(300)).encode() + b" " * 300 + b"1\n",
            DEEP,
        ),
        Case(
            "yaml deep in one field",
            "field.yaml",
            yaml_good(first_name=nested_list(5000)).encode(),
            DEEP,
        ),
        Case("yaml 100 deep mapping flow", "d100.yaml", nested_object(100).encode(), DEEP),
        # Numbers.
        Case(
            "json 5000-digit int",
            "int.json",
            json.dumps(GOOD)[:-1].encode() + b', "n": ' + huge.encode() + b"}",
            "has a number with 5,000 digits, more than the 40",
        ),
        Case("json 5000-digit float", "float.json", f'{{"n": 1.{huge}}}'.encode(), "5,002 digits"),
        Case(
            "json int as id",
            "id.json",
            json.dumps(GOOD).replace('"C1"', huge).encode(),
            "5,000 digits",
        ),
        Case(
            "jsonl 5000-digit int",
            "int.jsonl",
            f'{{"n": {huge}}}\n'.encode(),
            "line 1: has a number with 5,000 digits",
        ),
        Case(
            "yaml 5000-digit int",
            "int.yaml",
            yaml_good(id=huge).encode(),
            "has a number with 5,000 digits",
        ),
        Case(
            "yaml 5000-digit float",
            "float.yaml",
            yaml_good(id="1." + huge).encode(),
            "digits, more than the 40",
        ),
        Case(
            "json 1e999",
            "inf.json",
            json.dumps(GOOD).replace('"C1"', "1e999").encode(),
            "has the number 1e999, which is too large",
        ),
        Case(
            "json NaN id",
            "nan.json",
            json.dumps(GOOD).replace('"C1"', "NaN").encode(),
            "holds NaN, which is not a number formkit accepts",
        ),
        Case(
            "json Infinity id",
            "infinity.json",
            json.dumps(GOOD).replace('"C1"', "Infinity").encode(),
            "holds Infinity, which is not a number",
        ),
        Case(
            "json -Infinity id",
            "ninf.json",
            json.dumps(GOOD).replace('"C1"', "-Infinity").encode(),
            "holds -Infinity, which is not a number",
        ),
        Case(
            "jsonl NaN id",
            "nan.jsonl",
            (json.dumps(GOOD).replace('"C1"', "NaN") + "\n" + good_line + "\n").encode(),
            "line 1: holds NaN",
        ),
        Case(
            "yaml .nan id",
            "nan.yaml",
            yaml_good(id=".nan").encode(),
            "holds .nan, which is not a number formkit accepts",
        ),
        Case(
            "yaml .inf id",
            "inf.yaml",
            yaml_good(id=".inf").encode(),
            "holds .inf, which is not a number",
        ),
        Case(
            "yaml -.Inf id",
            "ninf.yaml",
            yaml_good(id="-.Inf").encode(),
            "holds -.Inf, which is not a number",
        ),
        # YAML tricks.
        Case(
            "yaml binary name",
            "bin.yaml",
            yaml_good(first_name="!!binary aGVsbG8=").encode(),
            "holds !!binary data, which formkit does not accept at line 4",
        ),
        Case(
            "yaml 2010-02-30 birth",
            "date.yaml",
            yaml_good(date_of_birth="2010-02-30").encode(),
            "record 1 (REF-1): child.date_of_birth: '2010-02-30' is not a date",
        ),
        Case(
            "yaml 2010-02-30 last seen",
            "seen.yaml",
            yaml_good(last_seen_at="2010-02-30 10:00:00").encode(),
            "record 1 (REF-1): episode.last_seen_at: '2010-02-30 10:00:00'",
        ),
        Case(
            "yaml 2026-13-01 timestamp",
            "month.yaml",
            yaml_good(last_seen_at="2026-13-01T10:00:00Z").encode(),
            "episode.last_seen_at",
        ),
        Case(
            "yaml python tag",
            "py.yaml",
            b"!!python/object/apply:os.system ['echo hi']\n",
            "is not valid YAML",
        ),
        Case("yaml alias", "alias.yaml", b"a: &a [x]\nb: *a\n", "uses a YAML alias"),
        Case(
            "yaml set",
            "set.yaml",
            b"!!set {a, b}\n",
            "an episode must be a mapping of fields, not set",
        ),
        Case("yaml empty list", "empty.yaml", b"[]\n", "has no episodes (an empty list)"),
        Case(
            "yaml episodes empty", "eps.yaml", b"episodes: []\n", "has no episodes (an empty list)"
        ),
        # CSV: line ends, cells, quotes, headers, emptiness.
        Case(
            "csv CR only",
            "mac.csv",
            f"{HEADER}\r{ROW}\r{ROW2}\r".encode(),
            "2 of 2 episodes valid",
            0,
        ),
        Case("csv CR LF", "win.csv", f"{HEADER}\r\n{ROW}\r\n".encode(), "1 of 1 episode valid", 0),
        Case(
            "csv CR only with BOM and sep",
            "sep.csv",
            (
                "\ufeffsep=;\r" + HEADER.replace(",", ";") + "\r" + ROW.replace(",", ";") + "\r"
            ).encode(),
            "1 of 1 episode valid",
            0,
        ),
        Case(
            "csv CR only quoted newline",
            "q.csv",
            f'{HEADER},child.ethnicity\r{ROW},"two\rlines"\r'.encode(),
            "1 of 1 episode valid",
            0,
        ),
        Case(
            "csv cell over limit",
            "cell.csv",
            f"{HEADER}\n{ROW}\n{ROW2[:-1]}{'x' * 140_000}\n".encode(),
            "row 3 has a cell longer than the 131,072 characters a cell may hold",
        ),
        Case(
            "csv quoted cell over limit",
            "qcell.csv",
            f'{HEADER}\n"{"y" * 200_000}",{ROW}\n'.encode(),
            "row 2 has a cell longer than the 131,072",
        ),
        Case(
            "csv unterminated quote",
            "quote.csv",
            f'{HEADER}\n{ROW}\n"bexley,C2\n'.encode(),
            'row 3 has a quote (") that is opened and never closed',
        ),
        Case(
            "csv text after quote",
            "after.csv",
            f'{HEADER}\n"bex"ley,{ROW[7:]}\n'.encode(),
            'row 2 has text after the closing quote (") of a cell',
        ),
        Case(
            "csv header 5000 parts",
            "parts.csv",
            (HEADER + "," + ".".join(["a"] * 5000) + "\n" + ROW + ",x\n").encode(),
            "column 10's header 'a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.a.…' has 5,000 parts; a data path has at most 16",
        ),
        Case(
            "csv only header",
            "header.csv",
            (HEADER + "\n").encode(),
            "has no episodes (only a header row)",
        ),
        Case(
            "csv only header CR",
            "headercr.csv",
            (HEADER + "\r").encode(),
            "has no episodes (only a header row)",
        ),
        Case(
            "csv header and blank rows",
            "blank.csv",
            (HEADER + "\n,,,\n\n").encode(),
            "has no episodes (only a header row)",
        ),
        Case(
            "csv NUL",
            "nul.csv",
            (HEADER + "\n" + ROW + "\x00\n").encode(),
            "is a binary file, not text",
        ),
        # Empty and wrong-format files.
        Case("json empty list", "empty.json", b"[]", "has no episodes (an empty list)"),
        Case(
            "json episodes empty",
            "eps.json",
            b'{"episodes": []}',
            "has no episodes (an empty list)",
        ),
        Case(
            "json too many records",
            "many.json",
            ("[" + ",".join(["{}"] * 100_001) + "]").encode(),
            "holds 100,001 records, more than the 100,000",
        ),
        Case("jsonl of text lines", "text.jsonl", b"this is not json\n" * 5000, NOT_JSONL),
        Case("jsonl of exactly 20 bad lines", "twenty.jsonl", b"<x/>\n" * 20, NOT_JSONL),
        Case(
            "jsonl 19 bad then good",
            "nineteen.jsonl",
            b"oops\n" * 19 + good_line.encode() + b"\n",
            "line 19: is not valid JSON",
        ),
        Case(
            "jsonl csv named jsonl",
            "csv.jsonl",
            (HEADER + "\n" + (ROW + "\n") * 30).encode(),
            NOT_JSONL,
        ),
        Case(
            "jsonl 2 MB line",
            "long.jsonl",
            b'{"pad": "' + b"x" * (2 * 1024 * 1024) + b'"}\n',
            "line 1 is 2.0 MB, more than the 1 MB one episode may be",
        ),
        Case(
            "jsonl UTF-16 LE",
            "u16.jsonl",
            "\ufeff".encode("utf-16-le")
            + (good_line + "\n" + good_line.replace("REF-1", "REF-2") + "\n").encode("utf-16-le"),
            "2 of 2 episodes valid",
            0,
        ),
        Case(
            "jsonl UTF-16 BE",
            "u16be.jsonl",
            "\ufeff".encode("utf-16-be") + (good_line + "\r\n").encode("utf-16-be"),
            "1 of 1 episode valid",
            0,
        ),
        Case(
            "json UTF-16",
            "u16.json",
            "\ufeff".encode("utf-16-le") + good_line.encode("utf-16-le"),
            "1 of 1 episode valid",
            0,
        ),
        Case(
            "jsonl UTF-16 without BOM",
            "nobom.jsonl",
            (good_line + "\n").encode("utf-16-le"),
            "is a binary file, not text",
        ),
        Case(
            "jsonl UTF-16 odd length",
            "odd.jsonl",
            "\ufeff".encode("utf-16-le") + good_line.encode("utf-16-le") + b"\x00",
            "is not readable UTF-16 text",
        ),
        Case(
            "json lone surrogate",
            "sur.json",
            json.dumps(GOOD).replace("Test", "\\ud800").encode(),
            SURROGATE,
        ),
        Case(
            "json lone surrogate reference",
            "sur-ref.json",
            json.dumps(GOOD).replace("REF-1", "\\udcff").encode(),
            SURROGATE,
        ),
        Case(
            "json lone surrogate date",
            "sur-date.json",
            json.dumps(GOOD).replace("2012-05-01", "\\uDcff").encode(),
            SURROGATE,
        ),
        Case(
            "json lone surrogate key",
            "sur-key.json",
            json.dumps({**GOOD, "\ud800": 1}).encode(),
            SURROGATE,
        ),
        Case(
            "jsonl lone surrogate line",
            "sur.jsonl",
            (json.dumps(GOOD).replace("Test", "\\ud800") + "\n" + json.dumps(GOOD) + "\n").encode(),
            f"line 1: {SURROGATE}",
        ),
        Case(
            "yaml lone surrogate", "sur.yaml", yaml_good(first_name='"\\ud800"').encode(), SURROGATE
        ),
        Case(
            "json emoji pair is fine",
            "emoji.json",
            json.dumps(GOOD).replace("Test", "\\ud83d\\ude00").encode(),
            "1 of 1 episode valid",
            0,
        ),
        Case(
            "utf-16 lone surrogate bytes",
            "sur16.jsonl",
            b"\xff\xfe" + "{".encode("utf-16-le") + b"\x00\xd8",
            "is not readable UTF-16 text; save it as UTF-8",
        ),
        Case(
            "json string top level",
            "str.json",
            b'"hello"',
            "an episode must be a mapping of fields, not str",
        ),
        Case(
            "json 10000 unknown fields",
            "wide.json",
            json.dumps({**GOOD, **{f"x{i}": 1 for i in range(10_000)}}).encode(),
            "record 1 (REF-1): has 9,980 more faults not listed; fix these first",
        ),
    ]
    out += [
        Case(
            "xlsx only header",
            "header.xlsx",
            xlsx([HEADER.split(",")]),
            "has no episodes (only a header row)",
        ),
        Case(
            "xlsx header 5000 parts",
            "parts.xlsx",
            xlsx([[*HEADER.split(","), ".".join(["b"] * 5000)], [*ROW.split(","), "x"]]),
            "has 5,000 parts; a data path has at most 16",
        ),
        Case(
            "xlsx good",
            "good.xlsx",
            xlsx([HEADER.split(","), ROW.split(",")]),
            "1 of 1 episode valid",
            0,
        ),
        Case(
            "csv 10000 unknown columns",
            "wide.csv",
            (
                HEADER
                + ","
                + ",".join(f"x{i}" for i in range(10_000))
                + "\n"
                + ROW
                + ","
                + ",".join("1" * 10_000)
                + "\n"
            ).encode(),
            # Unknown headers are said once for the file (formkit.headers), ten by name.
            "has column headers formkit does not know: 'x0', 'x1', 'x2', 'x3', 'x4', 'x5', "
            "'x6', 'x7', 'x8', 'x9' and 9,990 more.",
        ),
    ]
    return out
