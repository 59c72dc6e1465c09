"""Copy the browser app's third-party assets into ``formkit/web/static`` from npm tarballs.

Run after ``npm pack govuk-frontend@6.6.0 htmx.org@2.0.11`` in a scratch folder::

    python scripts/vendor_web_assets.py /tmp/npm/govuk-frontend-6.6.0.tgz /tmp/npm/htmx.org-2.0.11.tgz

A council service may not use the GDS Transport font, the crown or the GOV.UK logotype, so the
``@font-face`` rules are dropped, the font stack becomes the system's, the crest image is not
referenced and no font or image file is copied. Nothing is fetched when the app runs.
"""

from __future__ import annotations

import re
import sys
import tarfile
from pathlib import Path

STATIC = Path(__file__).resolve().parent.parent / "formkit" / "web" / "static"
SYSTEM_FONTS = 'system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif'

MIT_GOVUK = """MIT License (govuk-frontend {version}, https://github.com/alphagov/govuk-frontend)

Copyright (c) 2016 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of this software and
associated documentation files (the "Software"), to deal in the Software without restriction,
including without limitation the rights to use, copy, modify, merge, publish, distribute,
sublicense, and/or sell copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all copies or
substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED, INCLUDING BUT
NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A PARTICULAR PURPOSE AND
NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM,
DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT
OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE SOFTWARE.

Changed for formkit: @font-face rules removed, GDS Transport replaced by the system font stack,
the crest image reference removed; fonts and images not copied.
"""


def _member(archive: tarfile.TarFile, name: str) -> bytes:
    handle = archive.extractfile(name)
    if handle is None:
        raise SystemExit(f"{name} is missing from the tarball")
    return handle.read()


def council_css(css: str) -> str:
    """The GOV.UK Frontend stylesheet without the GOV.UK brand's font and crest."""
    css = re.sub(r"@font-face\{[^}]*\}", "", css)
    css = css.replace("font-family:GDS Transport,arial,sans-serif", f"font-family:{SYSTEM_FONTS}")
    css = css.replace("font-family:GDS Transport", f"font-family:{SYSTEM_FONTS}")
    css = css.replace("url(/assets/images/govuk-crest.svg)", "none")
    css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
    if "GDS Transport" in css or "url(/assets" in css:
        raise SystemExit("the stylesheet still refers to GOV.UK fonts or images")
    return css


def main(govuk_tgz: str, htmx_tgz: str) -> None:
    with tarfile.open(govuk_tgz) as archive:
        version = re.search(rb'"version":\s*"([^"]+)"', _member(archive, "package/package.json"))
        css = _member(archive, "package/dist/govuk/govuk-frontend.min.css").decode()
        js = _member(archive, "package/dist/govuk/govuk-frontend.min.js").decode()
    folder = STATIC / "govuk-frontend"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "govuk-frontend.min.css").write_text(council_css(css), encoding="utf-8")
    js = re.sub(r"//# sourceMappingURL=\S*", "", js)
    (folder / "govuk-frontend.min.js").write_text(js, encoding="utf-8")
    (folder / "LICENCE").write_text(
        MIT_GOVUK.format(version=version.group(1).decode() if version else "?"), encoding="utf-8"
    )
    with tarfile.open(htmx_tgz) as archive:
        htmx = _member(archive, "package/dist/htmx.min.js")
        licence = _member(archive, "package/LICENSE")
    folder = STATIC / "htmx"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "htmx.min.js").write_bytes(htmx)
    (folder / "LICENCE").write_bytes(licence)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(sys.argv[1], sys.argv[2])
