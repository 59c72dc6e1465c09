"""A Barnardo's-style RHI form (seed 003, appendix 3): a provider's own form, without formkit's
tags: labels, glyph boxes and a few untagged controls. Used by the parse tests and by
``make_completed_rhis.py`` for the sample ``barnardos-style-rhi.docx``. Invented people only."""

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
