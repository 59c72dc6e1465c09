"""Guards: each idea has one implementation. These fail when a second copy of an idea appears
in the package, so the next change extends the one module instead of writing another."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from formkit.intake import FORM_SUFFIXES, sniff_kind

PACKAGE = Path(__file__).resolve().parent.parent / "formkit"


def _sources() -> dict[str, str]:
    return {
        str(path.relative_to(PACKAGE.parent)): path.read_text(encoding="utf-8")
        for path in sorted(PACKAGE.rglob("*.py"))
    }


# (what, a pattern that marks an implementation of the idea, the one module allowed to have it)
ONE_PLACE = [
    ("dates shown to people", r"%d/%m|%a %d|\(\"%H:%M\"\)", "formkit/words.py"),
    ("the London time zone", r"ZoneInfo\(\"Europe/London\"\)", "formkit/words.py"),
    ("the Word namespace", r"schemas\.openxmlformats\.org/wordprocessingml", "formkit/ooxml.py"),
    ("Word's prompts", r"(?m)^\s+\"Click or tap here to enter text\.\",", "formkit/ooxml.py"),
    ("file magic numbers", r"PK\\x03\\x04|\\xd0\\xcf\\x11\\xe0", "formkit/intake.py"),
    ("the list of form suffixes", r"FORM_SUFFIXES\s*=", "formkit/intake.py"),
    ("digit-keyed dicts into lists", r"sorted\(\w+, key=int\)", "formkit/model/paths.py"),
    ("unwrapping Optional/Annotated", r"def _?unwrap\(", "formkit/model/paths.py"),
    ("the model inside a field's type", r"def _?inner_model\(", "formkit/model/paths.py"),
    ("yes and no in words", r"\"refused\"", "formkit/words.py"),
    ("the list of template ids", r"TEMPLATE_IDS\s*=", "formkit/render/catalog.py"),
]


@pytest.mark.parametrize(("what", "pattern", "home"), ONE_PLACE, ids=[w for w, _, _ in ONE_PLACE])
def test_one_place_for(what: str, pattern: str, home: str) -> None:
    found = sorted(name for name, text in _sources().items() if re.search(pattern, text))
    assert set(found) <= {home}, f"{what} belongs in {home} only; also in {found}"


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"PK\x03\x04rest", "zip"),
        (b"PK\x05\x06", "zip"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "ole"),
        (b"%PDF-1.7\n", "pdf"),
        (b"\r\n junk before the header %PDF-1.4", "pdf"),
        (b"\xff\xfe{\x00", "utf16"),
        (b"\xef\xbb\xbf  [{}]", "json"),
        (b'{"a": 1}', "json"),
        (b"abc\x00def", "binary"),
        (b"child.first_name,episode.reference\n", "text"),
        (b"", "text"),
    ],
)
def test_one_sniffer_names_the_file_kind(head: bytes, kind: str) -> None:
    assert sniff_kind(head) == kind


@pytest.mark.parametrize(
    ("text", "said"),
    [("Yes", True), ("y", True), ("x", True), ("Declined.", False), ("N", False), ("maybe", None)],
)
def test_one_reading_of_yes_and_no(text: str, said: bool | None) -> None:
    from formkit.tracker.history import yes_no
    from formkit.words import read_yes_no

    assert read_yes_no(text) is said
    assert yes_no(text) is said  # a tracker cell reads as a typed answer does


def test_forms_are_word_and_pdf() -> None:
    assert {".docx", ".pdf"} <= FORM_SUFFIXES
