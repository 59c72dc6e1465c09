"""A Barnardo's-style RHI form (seed 003, appendix 3): no formkit tags, labels and glyph boxes."""

from __future__ import annotations

from pathlib import Path

from parse_forms import p, r, text_sdt, write_document
from support.barnardos import barnardos_form

from formkit.parse import parse_form


def test_barnardos_form_maps_through_labels(tmp_path: Path) -> None:
    result = parse_form(barnardos_form(tmp_path / "barnardos.docx"))
    assert result.mapping == "barnardos-rhi"
    assert result.data["episode"] == {
        "reference": "BK-MIS-26-1122",
        "last_seen_at": "2026-11-20T22:30:00Z",  # read by its label, in London time (GMT)
    }
    interview = result.data["return_interview"]
    assert interview["missing_from"] == "home"
    assert interview["location"] == "Family home, High Wycombe"
    assert interview["held_at"].startswith("2026-11-23T16:00:00")
    assert interview["interviewer"] == "DW"  # the drop-down item value, not its text
    assert interview["engagement"] == "low"
    assert interview["answers"] == {
        "why_went_missing": "Wanted to see friends",
        "mental_health_score": 3,
        "likelihood_missing_again": 4,
    }
    assert interview["push_pull_factors"] == [
        "to_see_friends_or_family",
        "peer_pressure_outside_placement",
    ]
    assert interview["education"] == {"status": "neet"}
    assert interview["safeguarding_concerns"] == ["substance_misuse", "contact_with_risky_adult"]
    assert "return_interview.others_present" in result.empty
    assert result.warnings == []


def test_unmapped_fields_kept_with_their_label(tmp_path: Path) -> None:
    result = parse_form(barnardos_form(tmp_path / "barnardos.docx"))
    unmapped = {entry["label"]: entry["value"] for entry in result.unmapped}
    # Not in the mapping nor in the shipped wordings, but never dropped: the "Being Safe" answer.
    assert unmapped["Being Safe"] == "Given cannabis"
    assert result.data["episode"]["last_seen_at"] == "2026-11-20T22:30:00Z"


def test_two_boxes_of_one_choice_ticked_is_a_warning(tmp_path: Path) -> None:
    path = write_document(
        tmp_path / "both.docx",
        p(r("REFERENCE NUMBER: "), text_sdt("BK-1"))
        + p(r("Missing from: HOME ☒ SCHOOL ☒ CARE ☐ OTHER ☐")),
    )
    result = parse_form(path, mapping="barnardos-rhi")
    assert result.data["return_interview"]["missing_from"] == "home"
    assert result.warnings == [
        "return_interview.missing_from: both 'HOME' and 'SCHOOL' are ticked; kept 'HOME'"
    ]
