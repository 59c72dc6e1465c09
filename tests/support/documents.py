"""Reading made documents back in the tests: a Word document's words, as a person reads them."""

from __future__ import annotations

import io
import zipfile

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def word_text(data: bytes) -> str:
    """The text of a .docx's body, run after run (no spaces added between them)."""
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    return "".join(node.text or "" for node in root.iter(f"{W}t"))
