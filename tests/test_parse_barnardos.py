"""A Barnardo's-style RHI form (seed 003, appendix 3): no formkit tags, labels and glyph boxes."""

from __future__ import annotations

from pathlib import Path

from parse_forms import (
    cell,
    date_sdt,
    dropdown_sdt,
    p,
    r,
    row,
    table,
    text_sdt,
    write_document,
)

from formkit.parse import parse_form

STAFF = [("DW", "Dana Whitlow, Missing Children Worker")]
EDUCATION = [("In school", "In school"), ("NEET", "NEET"), ("College", "College")]


def barnardos_form(path: Path) -> Path:
    body = "".join(
        [
            p(r("RETURN HOME INTERVIEW FORM")),
            table(
                row(cell(p(r("INFORMATION COPIED FROM MISSING REPORT")))),
                row(cell(p(r("REFERENCE NUMBER: "), text_sdt("BK-MIS-26-1122")))),
                row(cell(p(r("Date & Time CYP last seen:  "), date_sdt("20/11/2026 22:30")))),
                row(cell(p(r("Missing from: HOME ☒ SCHOOL ☐ CARE ☐ OTHER ☐")))),
                row(
                    cell(
                        p(
                            r("Location of Return Interview:  "),
                            text_sdt("Family home, High Wycombe"),
                        )
                    )
                ),
                row(
                    cell(
                        p(
                            r("Date & Time of RI:   "),
                            date_sdt("23/11/2026 16:00", "2026-11-23T00:00:00Z"),
                        )
                    )
                ),
                row(
                    cell(
                        p(r("Worker conducting RI & their role:")),
                        p(dropdown_sdt("Dana Whitlow, Missing Children Worker", STAFF)),
                    )
                ),
                row(
                    cell(
                        p(r("Other person/s present (excluding interviewee):")),
                        p(text_sdt(None)),
                    )
                ),
                row(
                    cell(
                        p(r("Level of engagement: ")),
                        p(
                            r("Standard ☐\tLow☒\t Video App/Phone☐   Adjusted (in relation to "),
                            r("SEN and/or other specific needs)☐"),
                        ),
                    )
                ),
            ),
            table(
                row(cell(p(r("What happened to make you go missing? (Was it planned…)")))),
                row(cell(p(r("Push/Pull Factors"))), cell(p(text_sdt("Wanted to see friends")))),
                row(cell(p(r("Were you given any gifts or money?")))),
                row(cell(p(r("Being"), r(" Safe"))), cell(p(text_sdt("Given cannabis")))),
                row(
                    cell(
                        p(r("Would you like to tell me how you are feeling? ")),
                        p(r("Not good  1☐ 2 ☐ 3 ☒ 4 ☐ 5 ☐ Very good")),
                    )
                ),
                row(
                    cell(
                        p(r("What do you think is the likelihood of you going missing again? ")),
                        p(r("Never 1☐ 2☐ 3☐ 4 ☒ 5☐ Today")),
                    )
                ),
            ),
            p(r("PART TWO - WORKER SUMMARY")),
            table(
                row(
                    cell(p(r("To see friends or family "))),
                    cell(p(r("☒"))),
                    cell(p(r("Problems at school"))),
                    cell(p(r("☐"))),
                ),
                row(
                    cell(p(r("Problems with peers in placement"))),
                    cell(p(r("☐"))),
                    cell(p(r("Peer pressure (outside of placement if LAC)"))),
                    cell(p(r("☒"))),
                ),
                row(cell(p(r("If Other, please specify: "), text_sdt(None)))),
            ),
            table(
                row(
                    cell(p(r("CYP’s education/employment status: "))),
                    cell(p(dropdown_sdt("NEET", EDUCATION))),
                )
            ),
            table(
                row(
                    cell(p(r("No known safeguarding concerns☐"))),
                    cell(p(r("Alcohol/Substance Misuse \t☒"))),
                    cell(p(r("Criminal or alleged criminal involvement\t☐"))),
                ),
                row(
                    cell(p(r("Bullying\t☐"))),
                    cell(p(r("Victim or witness of crime\t☐"))),
                    cell(
                        p(r(" Contact with a person posing risk to child/children\t")),
                        p(r("adult ☒  peer ☐")),
                    ),
                ),
            ),
        ]
    )
    return write_document(path, body, header=p(r("Barnardo's Missing Children Support Service")))


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
