"""Template lint: the shipped templates are clean, and each template of a corpus of broken ones
(built here, one fault each) is caught with its location and a suggestion."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from lxml import etree

from formkit.cli import cli
from formkit.render.catalog import Catalog
from formkit.render.lint import check_data_path, lint_template, template_fields


def _paragraphs(*texts: str) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        document = docx.Document()
        for text in texts:
            document.add_paragraph(text)
        document.save(str(path))

    return build


def _header(text: str) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        document = docx.Document()
        document.add_paragraph("Body {{ episode.reference }}")
        document.sections[0].header.paragraphs[0].text = text
        document.save(str(path))

    return build


def _control(tag: str, alias: str = "A control") -> Callable[[Path], None]:
    def build(path: Path) -> None:
        document = docx.Document()
        paragraph = document.add_paragraph("Answer: ")
        sdt = etree.SubElement(paragraph._p, qn("w:sdt"))
        pr = etree.SubElement(sdt, qn("w:sdtPr"))
        etree.SubElement(pr, qn("w:alias")).set(qn("w:val"), alias)
        etree.SubElement(pr, qn("w:tag")).set(qn("w:val"), tag)
        etree.SubElement(pr, qn("w:text"))
        run = etree.SubElement(etree.SubElement(sdt, qn("w:sdtContent")), qn("w:r"))
        etree.SubElement(run, qn("w:t")).text = "Click or tap here to enter text."
        document.save(str(path))

    return build


def _table_row_loop(cell: str) -> Callable[[Path], None]:
    def build(path: Path) -> None:
        document = docx.Document()
        table = document.add_table(rows=3, cols=1)
        table.rows[0].cells[0].text = "{%tr for person in people.family %}"
        table.rows[1].cells[0].text = cell
        table.rows[2].cells[0].text = "{%tr endfor %}"
        document.save(str(path))

    return build


# name: (builder, words the finding must contain, the suggestion it must give)
BROKEN: dict[str, tuple[Callable[[Path], None], str, str]] = {
    "misspelt-path": (
        _paragraphs("Name: {{ child.frist_name }}"),
        "'frist_name' is not a field of Child",
        "did you mean 'first_name'?",
    ),
    "misspelt-nested-path": (
        _paragraphs("{{ child.description.hieght }}"),
        "'hieght' is not a field of PhysicalDescription",
        "did you mean 'height'?",
    ),
    "bad-loop-variable-field": (
        _table_row_loop("{{ person.nmae }}"),
        "'nmae' is not a field of Person",
        "did you mean 'name'?",
    ),
    "loop-variable-used-outside-loop": (
        _paragraphs(
            "{% for past in history %}{{ past.started_at }}{% endfor %} {{ past.ended_at }}"
        ),
        "unknown name 'past'",
        "",
    ),
    "misspelt-top-level-name": (
        _paragraphs("{{ chlid.first_name }}"),
        "unknown name 'chlid'",
        "did you mean 'child'?",
    ),
    "tag-split-across-paragraphs": (
        _paragraphs("Name: {{ child.", "first_name }}"),
        "a Jinja tag is not closed within this paragraph",
        "Word may have split the tag",
    ),
    "space-inside-a-tag": (
        _paragraphs("{{ child.first_ name }}"),
        "Jinja syntax error",
        "typed whole",
    ),
    "unknown-filter": (
        _paragraphs("{{ child.date_of_birth|uk_dat }}"),
        "unknown filter 'uk_dat'",
        "did you mean 'uk_date'?",
    ),
    "unbalanced-if": (
        _paragraphs("{% if looked_after %}", "Care order details"),
        "Jinja syntax error",
        "{% endif %}",
    ),
    "stray-endfor": (
        _paragraphs("{{ child.id }}", "{% endfor %}"),
        "Jinja syntax error",
        "",
    ),
    "attr-filter": (
        _paragraphs("{{ child|attr('first_name') }}"),
        "the 'attr' filter is not allowed",
        "write the field path instead",
    ),
    "private-attribute": (
        _paragraphs("{{ child.__class__ }}"),
        "'__class__' is a private attribute",
        "",
    ),
    "bad-path-in-header": (
        _header("Ref {{ episode.refrence }}"),
        "'refrence' is not a field of Episode",
        "did you mean 'reference'?",
    ),
    "control-tag-not-a-field": (
        _control("return_interview.answers.feelings", "Feelings"),
        "tag 'return_interview.answers.feelings'",
        "set the control's tag to a data path",
    ),
    "control-tag-bad-choice": (
        _control("return_interview.push_pull_factors=friends", "Friends"),
        "'friends' is not one of the choices",
        "",
    ),
    "control-tag-not-a-path": (
        _control("Interviewer Name", "Interviewer"),
        "is not a data path",
        "",
    ),
}


@pytest.fixture(scope="module")
def broken_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("broken-templates")
    for name, (build, _, _) in BROKEN.items():
        build(folder / f"{name}.docx")
    return folder


def test_corpus_is_big_enough() -> None:
    assert len(BROKEN) >= 10


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_lint_catches_each_broken_template(name: str, broken_dir: Path) -> None:
    _, words, suggestion = BROKEN[name]
    findings = lint_template(broken_dir / f"{name}.docx")
    assert findings, f"{name}: no fault found"
    matching = [f for f in findings if words in f.message]
    assert matching, [str(f) for f in findings]
    finding = matching[0]
    assert finding.template == f"{name}.docx"
    assert finding.part.startswith(("word/document.xml", "word/header"))
    assert finding.location.startswith(("paragraph", "content control", "line"))
    assert suggestion in finding.suggestion


@pytest.mark.parametrize(
    "entry", [e for e in Catalog.load() if e.format == "docx"], ids=lambda e: e.id
)
def test_shipped_templates_are_clean(entry) -> None:  # type: ignore[no-untyped-def]
    assert [str(f) for f in lint_template(entry.path)] == []


def test_tags_split_across_runs_are_not_faults(tmp_path: Path) -> None:
    document = docx.Document()
    paragraph = document.add_paragraph()
    for piece in ("{{ child.", "first_name }}"):
        paragraph.add_run(piece)
    document.save(str(tmp_path / "runs.docx"))
    assert lint_template(tmp_path / "runs.docx") == []


def test_finding_reads_as_one_line(broken_dir: Path) -> None:
    finding = lint_template(broken_dir / "misspelt-path.docx")[0]
    assert str(finding) == (
        "misspelt-path.docx: word/document.xml: paragraph 'Name: {{ child.frist_name }}': "
        "child.frist_name: 'frist_name' is not a field of Child — did you mean 'first_name'?"
    )


def test_data_paths_of_the_model() -> None:
    assert check_data_path("return_interview.referrals.services.health.signposted") is None
    assert check_data_path("return_interview.push_pull_factors=social_network") is None
    assert check_data_path("risks.0.type") is None
    assert "list index" in (check_data_path("risks.first.type") or "")
    assert "not one of" in (
        check_data_path("return_interview.referrals.services.gp.signposted") or ""
    )
    assert "whole section" in (check_data_path("child.description") or "")


def test_fields_lists_loop_paths_and_controls() -> None:
    fields = template_fields(Catalog.load().get("missing-profile").path)
    assert "child.first_name" not in fields["jinja"]
    assert "child.full_name" in fields["jinja"]
    assert "people.family.*.name" in fields["jinja"]
    rhi = template_fields(Catalog.load().get("rhi-form").path)
    assert "return_interview.referrals.services.camhs.signposted" in rhi["controls"]


def test_lint_command_exit_codes(broken_dir: Path) -> None:
    runner = CliRunner()
    clean = runner.invoke(cli, ["templates", "lint"])
    assert clean.exit_code == 0, clean.output
    assert "9 templates checked; 0 problems" in clean.stderr
    bad = runner.invoke(cli, ["templates", "lint", str(broken_dir / "unknown-filter.docx")])
    assert bad.exit_code == 1
    assert "unknown filter 'uk_dat' — did you mean 'uk_date'?" in bad.stdout
