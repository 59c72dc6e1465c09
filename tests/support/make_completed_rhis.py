"""Make ``samples/completed-rhi/``: completed return interview forms for ``make demo``.

For each sample episode whose return interview says anything (offered, declined, held), render the blank ``rhi-form`` and fill its
controls as the interviewer would (``support/fill.py``); add one Barnardo's-style form without
formkit's tags (``support/barnardos.py``, as the parse tests use, then made a complete Word
package: relationships, styles, document properties). Invented people only. It lives with the
tests because it is made from their builders; nothing in formkit or scripts/ imports it.

    python tests/support/make_completed_rhis.py [--out samples/completed-rhi]
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
ROOT = TESTS.parent
sys.path.insert(0, str(TESTS))

from parse_forms import completed_rhi  # noqa: E402

from formkit.load import load_episodes  # noqa: E402
from formkit.model import ReturnInterview  # noqa: E402
from support.barnardos import barnardos_form  # noqa: E402

# Barnardo's returned this episode's interview on their own form (barnardos-style-rhi.docx),
# so it gets no formkit form: one completed interview per episode, as in real life.
ON_BARNARDOS_FORM = "BK-MIS-26-1122"


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006"
WORD = "application/vnd.openxmlformats-officedocument.wordprocessingml"
STAMP = (2026, 11, 25, 9, 0, 0)
PARTS = {
    "[Content_Types].xml": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="{PKG}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/word/document.xml" ContentType="{WORD}.document.main+xml"/>'
        f'<Override PartName="/word/styles.xml" ContentType="{WORD}.styles+xml"/>'
        f'<Override PartName="/word/settings.xml" ContentType="{WORD}.settings+xml"/>'
        f'<Override PartName="/word/header1.xml" ContentType="{WORD}.header+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{R}/officeDocument" Target="word/document.xml"/>'
        f'<Relationship Id="rId2" Type="{PKG}/relationships/metadata/core-properties" '
        'Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{R}/extended-properties" Target="docProps/app.xml"/>'
        "</Relationships>"
    ),
    "word/_rels/document.xml.rels": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="{PKG}/relationships">'
        f'<Relationship Id="rId1" Type="{R}/styles" Target="styles.xml"/>'
        f'<Relationship Id="rId2" Type="{R}/settings" Target="settings.xml"/>'
        f'<Relationship Id="rId3" Type="{R}/header" Target="header1.xml"/>'
        "</Relationships>"
    ),
    "word/styles.xml": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:styles xmlns:w="{W}">'
        '<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" '
        'w:cs="Arial"/><w:sz w:val="22"/><w:lang w:val="en-GB"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="120"/></w:pPr></w:pPrDefault></w:docDefaults>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        '</w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:tblPr><w:tblBorders>'
        '<w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
        '<w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
        '<w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
        '<w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
        '<w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
        '<w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/>'
        "</w:tblBorders></w:tblPr></w:style></w:styles>"
    ),
    "word/settings.xml": (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:settings xmlns:w="{W}">'
        '<w:defaultTabStop w:val="720"/><w:compat><w:compatSetting w:name="compatibilityMode" '
        'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat></w:settings>'
    ),
    "docProps/core.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties '
        f'xmlns:cp="{PKG}/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        "<dc:title>Return Home Interview Form</dc:title><dc:creator>Missing Children Worker"
        '</dc:creator><dcterms:created xsi:type="dcterms:W3CDTF">2026-11-23T16:00:00Z'
        '</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2026-11-23T17:00:00Z'
        "</dcterms:modified></cp:coreProperties>"
    ),
    "docProps/app.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Properties '
        'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>Microsoft Office Word</Application></Properties>"
    ),
}
SECTION = (
    '<w:sectPr><w:headerReference w:type="default" r:id="rId3"/>'
    '<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" '
    'w:left="1440" w:header="708" w:footer="708" w:gutter="0"/></w:sectPr>'
)


def complete_package(path: Path) -> Path:
    """Make the bare three-part form a package Word would write: relationships, content types,
    styles, settings, document properties and a section that shows the header. The document's
    text, controls and labels stay exactly as they were."""
    with zipfile.ZipFile(path) as package:
        document = package.read("word/document.xml").decode("utf-8")
        header = package.read("word/header1.xml")
    if 'xmlns:r="' not in document:
        document = document.replace("<w:document ", f'<w:document xmlns:r="{R}" ', 1)
    if "<w:sectPr" not in document:
        document = document.replace("</w:body>", SECTION + "</w:body>", 1)
    parts: dict[str, bytes] = {name: text.encode("utf-8") for name, text in PARTS.items()}
    parts["word/document.xml"] = document.encode("utf-8")
    parts["word/header1.xml"] = header
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name in [
            "[Content_Types].xml",
            "_rels/.rels",
            "docProps/core.xml",
            "docProps/app.xml",
            "word/document.xml",
            "word/_rels/document.xml.rels",
            "word/styles.xml",
            "word/settings.xml",
            "word/header1.xml",
        ]:
            package.writestr(zipfile.ZipInfo(name, date_time=STAMP), parts[name])
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "samples" / "completed-rhi")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    made = 0
    for file in sorted((ROOT / "samples" / "episodes").iterdir()):
        for record in load_episodes(file):
            if (
                record.return_interview == ReturnInterview()
                or record.reference == ON_BARNARDOS_FORM
            ):
                continue
            target = args.out / f"{record.reference}-rhi-completed.docx"
            target.write_bytes(completed_rhi(record))
            made += 1
    complete_package(barnardos_form(args.out / "barnardos-style-rhi.docx"))
    print(f"wrote {made + 1} completed forms to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
