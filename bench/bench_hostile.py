"""Issue 10: hostile templates and forms are stopped within 20 s and 1.5 GB each, default limits.

Each input runs through the real CLI in its own process (peak memory of the whole process tree,
workers included): templates that loop, eat memory or recurse, rendered for a batch of three
records; a Word form with 100,000 controls in one paragraph; a bit-flipped PDF form.
"""

from __future__ import annotations

import random
import zipfile

from bench.common import ROOT, formkit_cmd, line, run_measured, workdir

SECONDS = 20.0
PEAK_MB = 1536.0
EPISODES = [
    ROOT / "samples" / "episodes" / name
    for name in (
        "bexley-nyas-independent.yaml",
        "bedford-home-six-hours.json",
        "rutland-absent.yaml",
    )
]
TEMPLATES = {
    "nested loops": "{% for a in range(10000) %}{% for b in range(10000) %}{% for c in range(10000)"
    " %}{% endfor %}{% endfor %}{% endfor %}",
    "memory": "{% set l = [] %}{% for i in range(10000) %}{% set _ = l.append('x' * 999999 ~ i)"
    " %}{% endfor %}",
    "recursive macro": "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "'x'|center(2000000000)": "{{ 'x'|center(2000000000) }}",
}
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _template(path, text: str) -> None:  # type: ignore[no-untyped-def]
    import docx

    document = docx.Document()
    document.add_paragraph("Dear {{ child.first_name }}")
    document.add_paragraph("{% if episode.reference == 'BED-26-1187' %}" + text + "{% endif %}")
    document.save(str(path))


def _many_controls(path, count: int) -> None:  # type: ignore[no-untyped-def]
    control = (
        '<w:sdt><w:sdtPr><w:tag w:val="f{0}"/></w:sdtPr><w:sdtContent><w:r><w:t>v</w:t></w:r>'
        "</w:sdtContent></w:sdt><w:r><w:t>Label {0}</w:t></w:r>"
    )
    body = "<w:p>" + "".join(control.format(i) for i in range(count)) + "</w:p>"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        package.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>',
        )


def _report(label: str, cmd: list[str], expected_code: int) -> None:
    measured = run_measured(cmd, pin=False)
    ok = (
        measured.returncode == expected_code
        and "Traceback" not in measured.stderr
        and measured.seconds < SECONDS
        and measured.peak_mb < PEAK_MB
    )
    line(label, f"{measured.seconds:.1f} s {measured.peak_mb:.0f} MB", "< 20 s, < 1.5 GB", ok)


def main() -> None:
    folder = workdir("hostile")
    for name, text in TEMPLATES.items():
        template = folder / f"{name.split()[0].strip(chr(39))}.docx"
        _template(template, text)
        out = folder / "out"
        cmd = formkit_cmd("render", str(template), *map(str, EPISODES), "-o", str(out), "--force")
        _report(f"render, template with {name}", [*cmd, "-q"], 1)
    many = folder / "many-controls.docx"
    if not many.exists():
        _many_controls(many, 100_000)
    _report("parse, 100,000 controls in one paragraph", formkit_cmd("parse", str(many), "-q",
            "--raw", "-o", str(folder / "many.jsonl")), 0)  # fmt: skip
    from formkit.pdf import PdfTemplate
    from formkit.resources import bundled
    from formkit.synthetic import generate_episodes

    pdf = PdfTemplate(bundled("templates", "pdf", "rhi-form.pdf")).render(generate_episodes(1)[0])
    rng = random.Random(10)
    flipped = bytearray(pdf)
    for _ in range(40):
        flipped[rng.randrange(8, len(flipped))] ^= 1 << rng.randrange(8)
    target = folder / "flipped.pdf"
    target.write_bytes(bytes(flipped))
    cmd = formkit_cmd("parse", str(target), "-q")
    measured = run_measured(cmd, pin=False)
    ok = measured.returncode in (0, 1) and "Traceback" not in measured.stderr
    line("parse, bit-flipped PDF form", f"{measured.seconds:.1f} s", "no traceback", ok)
