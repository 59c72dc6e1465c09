"""formkit mapping draft | check, and parse --mapping with a drafted mapping."""

from __future__ import annotations

import json
from pathlib import Path

import yaml
from click.testing import CliRunner
from foreign_forms import LAYOUTS, expected_answers, landed
from parse_forms import p, r, write_document

from formkit.cli import cli
from formkit.parse import parse_form
from formkit.parse.drafting import check_mapping, draft_mapping, draft_yaml

ROOT = Path(__file__).resolve().parent.parent
BARNARDOS = ROOT / "samples" / "completed-rhi" / "barnardos-style-rhi.docx"


def _filled(value: object) -> bool:
    return value not in (None, "", False)


def test_an_unedited_draft_maps_most_of_the_barnardos_sample(tmp_path: Path) -> None:
    out = tmp_path / "barnardos.yaml"
    run = CliRunner().invoke(cli, ["mapping", "draft", str(BARNARDOS), "-o", str(out)])
    assert run.exit_code == 0, run.output
    assert "fields have a guessed path; check them all" in run.output
    data = yaml.safe_load(out.read_text())
    assert data["name"] == "barnardos"
    assert {"label": "REFERENCE NUMBER", "path": "episode.reference", "confidence": 1.0} in (
        data["fields"]
    )
    readings = check_mapping(BARNARDOS, out)
    filled = [r for r in readings if _filled(r.value)]
    mapped = [r for r in filled if r.path]
    assert len(mapped) >= 0.8 * len(filled)
    # The same answers come back through the mapping as through the shipped one.
    by_mapping = parse_form(BARNARDOS, mapping=out).data["return_interview"]
    by_default = parse_form(BARNARDOS).data["return_interview"]
    assert by_mapping == by_default


def test_a_pdf_with_text1_names_maps_through_its_draft(tmp_path: Path) -> None:
    form = LAYOUTS["pdf"](tmp_path / "provider.pdf")
    mapping = tmp_path / "provider.yaml"
    mapping.write_text(draft_yaml(draft_mapping(form)))
    assert "Text1" in mapping.read_text()
    assert "MP/2026/004417" not in mapping.read_text()  # labels only, never an answer
    assert "Kit" not in mapping.read_text()
    check = CliRunner().invoke(cli, ["mapping", "check", str(form), "--mapping", str(mapping)])
    assert check.exit_code == 0, check.output
    assert "Police missing person number: 'MP/2026/004417' -> episode.police_reference" in (
        check.output
    )
    result = parse_form(form, mapping=mapping)
    assert result.mapping == "provider"
    missed = [a for a in expected_answers() if not landed(result.data, a[0], a[1])]
    assert missed == []


def test_draft_refuses_to_overwrite(tmp_path: Path) -> None:
    out = tmp_path / "m.yaml"
    out.write_text("kept")
    run = CliRunner().invoke(cli, ["mapping", "draft", str(BARNARDOS), "-o", str(out)])
    assert run.exit_code == 1
    assert f"{out}: already exists; use --force to replace it" in run.output
    assert out.read_text() == "kept"


def test_check_json_lists_every_field(tmp_path: Path) -> None:
    form = write_document(tmp_path / "f.docx", p(r("Consent given? Yes ☒ No ☐")))
    mapping = tmp_path / "m.yaml"
    mapping.write_text(draft_yaml(draft_mapping(form)))
    run = CliRunner().invoke(
        cli, ["mapping", "check", str(form), "--mapping", str(mapping), "--json"]
    )
    assert run.exit_code == 0, run.output
    assert json.loads(run.stdout)["readings"] == [
        {"label": "Consent given? Yes", "value": True, "path": "return_interview.consent=yes"},
        {"label": "No", "value": False, "path": "return_interview.consent=no"},
    ]


def test_yes_no_boxes_read_as_a_yes_or_a_no(tmp_path: Path) -> None:
    yes = write_document(tmp_path / "y.docx", p(r("Consent given? Yes ☒ No ☐")))
    no = write_document(tmp_path / "n.docx", p(r("Consent given? Yes ☐ No ☒")))
    assert parse_form(yes).data["return_interview"]["consent"] is True
    assert parse_form(no).data["return_interview"]["consent"] is False
