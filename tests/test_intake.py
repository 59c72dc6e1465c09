"""Intake safety: every hostile file is refused before a parser sees it, with its own message."""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

import pytest
from hostile import corpus
from lxml import etree

from formkit.errors import InputError, UnsafeFileError
from formkit.intake import (
    check_office_zip,
    check_xml_bytes,
    open_office_zip,
    read_part,
    read_xml_part,
    safe_xml_parser,
)


@pytest.mark.parametrize("name", sorted(corpus.HOSTILE))
def test_hostile_file_refused_with_its_own_message(tmp_path: Path, name: str) -> None:
    build, words = corpus.HOSTILE[name]
    path = build(tmp_path)
    started = time.monotonic()
    with pytest.raises(InputError) as caught, open_office_zip(path) as package:
        read_xml_part(package, "word/document.xml", file=path)
    assert time.monotonic() - started < 5
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert words in message


def test_encrypted_and_legacy_are_told_apart(tmp_path: Path) -> None:
    with pytest.raises(UnsafeFileError, match="is a password-protected Office file"):
        check_office_zip(corpus.encrypted_docx(tmp_path))
    with pytest.raises(UnsafeFileError, match=r"is an old Word \.doc file .*save it as \.docx"):
        check_office_zip(corpus.legacy_doc(tmp_path))
    with pytest.raises(UnsafeFileError, match=r"old Excel \.xls .*save it as \.xlsx"):
        check_office_zip(corpus.legacy_doc(tmp_path), kind="xlsx")


def test_valid_docx_passes_and_reads(tmp_path: Path) -> None:
    path = corpus.write_docx(tmp_path / "ok.docx", {"word/document.xml": corpus.minimal_document()})
    check_office_zip(path)
    with open_office_zip(path) as package:
        root = read_xml_part(package, "word/document.xml", file=path)
    assert "".join(root.itertext()) == "Hello"


def test_not_a_zip_and_wrong_kind(tmp_path: Path) -> None:
    text = tmp_path / "notes.docx"
    text.write_text("just some notes")
    with pytest.raises(InputError, match=r"notes\.docx: is not a Word document \(\.docx\): it is"):
        check_office_zip(text)
    pdf = tmp_path / "form.docx"
    pdf.write_bytes(b"%PDF-1.7\n")
    with pytest.raises(InputError, match="is a PDF, not a Word document"):
        check_office_zip(pdf)
    docx = corpus.write_docx(tmp_path / "a.docx", {"word/document.xml": corpus.minimal_document()})
    with pytest.raises(InputError, match=r"is a Word document, not an Excel workbook \(\.xlsx\)"):
        check_office_zip(docx, kind="xlsx")
    other = corpus.write_docx(tmp_path / "b.docx", {"readme.txt": b"hi"})
    with pytest.raises(InputError, match="is a zip file but not a Word document"):
        check_office_zip(other)


def test_case_duplicate_names_refused(tmp_path: Path) -> None:
    path = tmp_path / "dupe.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("word/document.xml", corpus.minimal_document())
        package.writestr("Word/Document.xml", corpus.minimal_document())
    with pytest.raises(UnsafeFileError, match="twice, as 'word/document.xml' and 'Word/Document"):
        check_office_zip(path)


def test_exact_duplicate_names_refused(tmp_path: Path) -> None:
    path = tmp_path / "dupe.docx"
    with pytest.warns(UserWarning, match="Duplicate name"), zipfile.ZipFile(path, "w") as package:
        package.writestr("word/document.xml", corpus.minimal_document())
        package.writestr("word/document.xml", corpus.minimal_document())
    with pytest.raises(UnsafeFileError, match="'word/document.xml' twice in its zip package"):
        check_office_zip(path)


def test_absolute_name_refused(tmp_path: Path) -> None:
    path = tmp_path / "abs.docx"
    with zipfile.ZipFile(path, "w") as package:
        package.writestr("word/document.xml", corpus.minimal_document())
        info = zipfile.ZipInfo("x")
        info.filename = "/etc/cron.d/evil"
        package.writestr(info, b"x")
    with pytest.raises(UnsafeFileError, match="'/etc/cron.d/evil' that points outside"):
        check_office_zip(path)


def test_total_size_limit(tmp_path: Path) -> None:
    # 101 members of 1 MB that each inflate about 50:1 (under the ratio limit): only the total
    # of 101 MB trips, from a 2 MB file.
    path = tmp_path / "big.docx"
    member = os.urandom(20_000) + bytes(1024 * 1024 - 20_000)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", corpus.minimal_document())
        for i in range(101):
            package.writestr(f"word/media/{i}.bin", member)
    with pytest.raises(UnsafeFileError, match="its parts would inflate to more than 100 MB"):
        check_office_zip(path)


def test_falsified_size_is_a_clear_error(tmp_path: Path) -> None:
    path = corpus.falsified_size(tmp_path)
    with open_office_zip(path) as package, pytest.raises(UnsafeFileError) as caught:
        read_part(package, "word/document.xml", file=path)
    assert "is damaged or tampered with: the part 'word/document.xml' does not unpack" in str(
        caught.value
    )


def test_missing_part_named(tmp_path: Path) -> None:
    path = corpus.write_docx(tmp_path / "ok.docx", {"word/document.xml": corpus.minimal_document()})
    with open_office_zip(path) as package, pytest.raises(InputError, match="has no part 'x.xml'"):
        read_part(package, "x.xml", file=path)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be", "utf-16"])
def test_doctype_found_in_any_encoding(encoding: str) -> None:
    data = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'.encode(encoding)
    with pytest.raises(UnsafeFileError, match="part 'word/document.xml' contains a DTD"):
        check_xml_bytes(data, file="f.docx", part="word/document.xml")
    check_xml_bytes(b"<x>no dtd here</x>", file="f.docx", part="p")


def test_safe_parser_does_not_expand_entities() -> None:
    parser = safe_xml_parser()
    # Even if a DTD got past the byte check, the parser neither resolves nor fetches entities.
    root = etree.fromstring(
        b'<!DOCTYPE x [<!ENTITY s SYSTEM "file:///etc/hostname">]><x>&s;</x>', parser
    )
    assert "".join(root.itertext()) == "&s;"
