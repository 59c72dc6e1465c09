"""A corpus of return interview forms as other providers make them, built at test time.

One interview (an invented young person), written four ways with invented labels: a table of
label | answer with typed boxes; tagless content controls (aliases on a few); legacy form fields;
a PDF whose fields are called ``Text1``, ``Check Box2``... named only by tooltip or printed text.
Each filled answer knows where it should land, so a test can count how many did.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from parse_forms import cell, checkbox_sdt, p, r, row, table, text_sdt, write_document

from formkit.model import LONDON


@dataclass(frozen=True)
class Answer:
    path: str
    typed: str
    expected: Any
    labels: tuple[str, str, str, str]  # table, content controls, legacy fields, PDF


@dataclass(frozen=True)
class Box:
    label: str
    path: str  # path=choice, or a grid cell path
    ticked: bool


@dataclass(frozen=True)
class Boxes:
    question: str
    boxes: tuple[Box, ...]


ANSWERS = (
    Answer("episode.police_reference", "MP/2026/004417", "MP/2026/004417",
           ("Police Ref", "Police reference no.", "Missing Person Ref (Police)",
            "Police missing person number")),
    Answer("child.first_name", "Kit Example", "Kit",
           ("Young Person's Name", "Name of Child/Young Person", "CYP Name", "Young person")),
    Answer("child.date_of_birth", "12/03/2011", "2011-03-12",
           ("D.O.B.", "Date of Birth", "DOB", "Young person's date of birth")),
    Answer("episode.last_seen_at", "20/10/2026 18:00", "2026-10-20T18:00",
           ("Date & Time CYP went missing", "Date/time last seen", "Date and time last seen",
            "Missing since")),
    Answer("episode.ended_at", "21/10/2026 08:00", "2026-10-21T08:00",
           ("Date & Time CYP found", "Date/time returned", "Date and time of return",
            "Date found")),
    Answer("child.legal_status", "LAC", "looked_after",
           ("Social Care Status", "Legal Status", "Care status", "Status (LAC/CP/CIN)")),
    Answer("return_interview.held_at", "23/10/2026 16:00", "2026-10-23T16:00",
           ("Date of RHI", "Date & time of interview", "Interview date and time",
            "Date RHI completed")),
    Answer("return_interview.location", "Youth centre, Bexleyheath", "Youth centre, Bexleyheath",
           ("Where did the interview take place?", "Venue of interview", "Location of RHI",
            "Interview location")),
    Answer("return_interview.interviewer", "Dana Whitlow, missing worker",
           "Dana Whitlow, missing worker",
           ("Worker conducting RI & their role", "Interviewer name", "Completed by",
            "Name of worker")),
    Answer("return_interview.others_present", "Foster carer", "Foster carer",
           ("Anyone else present?", "Others present", "Who else was there?",
            "Other persons present")),
    Answer("return_interview.answers.why_went_missing", "Argument with carer about phone",
           "Argument with carer about phone",
           ("Why did you go missing?", "What led to you going missing?",
            "Reasons for going missing", "What made you go missing")),
    Answer("return_interview.answers.while_missing", "Stayed at a friend's flat in Erith",
           "Stayed at a friend's flat in Erith",
           ("Where did you go and who were you with?", "What happened whilst you were missing?",
            "Where did you stay?", "Young person's account")),
    Answer("return_interview.answers.gifts_or_money", "Was given a vape", "Was given a vape",
           ("Were you given anything (gifts, money, drugs, alcohol)?", "Gifts or money received",
            "Were you given gifts or money?", "Gifts, money, drugs or alcohol")),
    Answer("return_interview.answers.feelings_on_return", "Relieved", "Relieved",
           ("How did you feel when you came back?", "Feelings on return",
            "How do you feel about being back home?", "How did you feel about returning")),
    Answer("return_interview.answers.safety_strategies", "Keep phone charged",
           "Keep phone charged",
           ("Keeping safe", "Safety plan agreed", "Staying safe", "Keep safe strategies")),
    Answer("return_interview.answers.online_safety", "Talked about location sharing",
           "Talked about location sharing",
           ("Online safety", "Internet and social media safety", "Online safety discussed",
            "Online safety advice")),
    Answer("return_interview.answers.support_needed", "Would like to see CAMHS",
           "Would like to see CAMHS",
           ("What support do you need?", "Support needed", "Support you would like",
            "Support required")),
    Answer("return_interview.answers.what_would_stop_it", "Fewer arguments at home",
           "Fewer arguments at home",
           ("What would stop you going missing again?", "What needs to change?",
            "What would help you not go missing", "What could prevent it")),
    Answer("return_interview.answers.anything_else", "Likes football", "Likes football",
           ("Any other comments", "Anything else you want to tell me?", "Further comments",
            "Additional information")),
    Answer("return_interview.education.provider", "Erith Academy", "Erith Academy",
           ("School/College", "Name of school", "School attended", "Educational setting")),
    Answer("return_interview.intelligence.contacts", "Older boy called J", "Older boy called J",
           ("Associates / people of concern", "Names of associates", "Persons of concern",
            "Contacts")),
    Answer("return_interview.intelligence.places", "Erith riverside", "Erith riverside",
           ("Locations of concern", "Places visited", "Addresses visited", "Hotspots")),
    Answer("return_interview.worker_summary", "Low risk; pull factor is friends",
           "Low risk; pull factor is friends",
           ("Worker's analysis", "Worker summary", "Practitioner's summary",
            "Summary and analysis")),
    Answer("return_interview.referrals.details", "CAMHS referral made 24/10",
           "CAMHS referral made 24/10",
           ("Referrals made", "Referral details", "Details of referrals", "Onward referrals")),
    Answer("return_interview.engagement", "Good", "standard",
           ("Level of engagement", "Engagement", "How did the young person engage?",
            "Engagement level")),
)  # fmt: skip

TICKS = (
    Boxes("Missing from", (
        Box("Home", "return_interview.missing_from=home", False),
        Box("Care", "return_interview.missing_from=placement", True),
        Box("School", "return_interview.missing_from=school", False),
    )),
    Boxes("Push and pull factors", (
        Box("To see friends", "return_interview.push_pull_factors=to_see_friends_or_family", True),
        Box("Problems at home",
            "return_interview.push_pull_factors=problems_with_parent_carer_or_staff", True),
        Box("Problems at school", "return_interview.push_pull_factors=problems_at_school", False),
    )),
    Boxes("Safeguarding concerns identified", (
        Box("Substance misuse", "return_interview.safeguarding_concerns=substance_misuse", True),
        Box("Gang involvement", "return_interview.safeguarding_concerns=gang_association", False),
        Box("Exploitation (CSE/CCE)", "return_interview.safeguarding_concerns=exploitation",
            True),
    )),
    Boxes("How are you feeling today (1 = not good, 5 = very good)?", tuple(
        Box(str(n), f"return_interview.answers.mental_health_score={n}", n == 3)
        for n in range(1, 6)
    )),
)  # fmt: skip

GRID_COLUMNS = ("Signposted", "Currently engaging", "Historically")
GRID = (
    ("CAMHS", "camhs", (True, False, False)),
    ("Children's social care", "social_care", (False, True, False)),
)
COLUMN_KEYS = ("signposted", "currently_engaging", "engaged_historically")


def expected_answers() -> list[tuple[str, Any, Any]]:
    """(path, stored value, what was typed) of every filled answer: text and ticked boxes."""
    found: list[tuple[str, Any, Any]] = [(a.path, a.expected, a.typed) for a in ANSWERS]
    found += [(b.path, True, True) for group in TICKS for b in group.boxes if b.ticked]
    for _, key, flags in GRID:
        found += [
            (f"return_interview.referrals.services.{key}.{column}", True, True)
            for column, on in zip(COLUMN_KEYS, flags, strict=True)
            if on
        ]
    return found


def _at(data: dict[str, Any], path: str) -> Any:
    node: Any = data
    for key in path.split("."):
        node = node.get(key) if isinstance(node, dict) else None
    return node


def landed(data: dict[str, Any], path: str, expected: Any) -> bool:
    """Whether the answer (path, expected) is in the parsed episode data."""
    base, _, choice = path.partition("=")
    got = _at(data, base)
    if choice:
        return choice in got if isinstance(got, list) else str(got) == choice
    if isinstance(expected, str) and len(expected) == 16 and expected[10:11] == "T":
        if not isinstance(got, str):
            return False
        moment = datetime.fromisoformat(got.replace("Z", "+00:00")).astimezone(LONDON)
        return moment.strftime("%Y-%m-%dT%H:%M") == expected
    return bool(got == expected)


def _glyphs(group: Boxes) -> str:
    return "  ".join(f"{b.label} {'☒' if b.ticked else '☐'}" for b in group.boxes)


def table_form(path: Path) -> Path:
    """Layout 1: a table of label | answer typed into plain cells, typed ☐/☒ boxes."""
    rows = [row(cell(p(r(a.labels[0]))), cell(p(r(a.typed)))) for a in ANSWERS]
    rows += [row(cell(p(r(g.question))), cell(p(r(_glyphs(g))))) for g in TICKS]
    grid = [row(*(cell(p(r(h))) for h in ("Service", *GRID_COLUMNS)))]
    for name, _, flags in GRID:
        grid.append(row(cell(p(r(name))), *(cell(p(r("☒" if on else "☐"))) for on in flags)))
    body = p(r("RETURN HOME INTERVIEW RECORD")) + table(*rows) + p(r("Referrals")) + table(*grid)
    return write_document(path, body, header=p(r("Example Youth Service")))


def controls_form(path: Path) -> Path:
    """Layout 2: tagless content controls after their labels; aliases on a few."""
    parts = [p(r("Return Interview")), p(r("Details of the young person and the episode"))]
    for number, a in enumerate(ANSWERS):
        names = {"alias": a.labels[1]} if number % 5 == 0 else {}
        parts.append(p(r(f"{a.labels[1]}: "), text_sdt(a.typed, **names)))
    for group in TICKS:
        parts.append(p(r(group.question)))
        runs = []
        for box in group.boxes:
            runs += [checkbox_sdt(box.ticked), r(f" {box.label}   ")]
        parts.append(p(*runs))
    parts.append(p(r("Services")))
    for name, _, flags in GRID:
        for column, on in zip(GRID_COLUMNS, flags, strict=True):
            parts.append(p(checkbox_sdt(on, alias=f"{name}: {column}"), r(f" {name}: {column}")))
    return write_document(path, "".join(parts))


def _formtext(name: str, value: str) -> str:
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="{name}"/>'
        "<w:enabled/><w:textInput/></w:ffData></w:fldChar></w:r>"
        '<w:r><w:instrText xml:space="preserve"> FORMTEXT </w:instrText></w:r>'
        f'<w:r><w:fldChar w:fldCharType="separate"/></w:r>{r(value)}'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def _formcheckbox(name: str, ticked: bool) -> str:
    state = "<w:checked/>" if ticked else '<w:default w:val="0"/>'
    return (
        f'<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="{name}"/>'
        f"<w:enabled/><w:checkBox><w:sizeAuto/>{state}</w:checkBox></w:ffData></w:fldChar></w:r>"
        '<w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def legacy_form(path: Path) -> Path:
    """Layout 3: Word 97-2003 form fields (Text1, Check1...) in a two-column table."""
    rows = [
        row(cell(p(r(a.labels[2]))), cell(p(_formtext(f"Text{n}", a.typed))))
        for n, a in enumerate(ANSWERS, start=1)
    ]
    number = 0
    for group in TICKS:
        runs = []
        for box in group.boxes:
            number += 1
            runs += [r(f"{box.label} "), _formcheckbox(f"Check{number}", box.ticked), r("  ")]
        rows.append(row(cell(p(r(group.question))), cell(p(*runs))))
    for name, _, flags in GRID:
        cells = []
        for on in flags:
            number += 1
            cells.append(cell(p(_formcheckbox(f"Check{number}", on))))
        rows.append(row(cell(p(r(name))), *cells))
    return write_document(path, table(*rows))


def pdf_form(path: Path) -> Path:
    """Layout 4: a PDF form whose fields are Text1... named by tooltip (or printed text)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), pagesize=A4)
    pdf.setFont("Helvetica", 9)
    form = pdf.acroForm
    y = 800.0
    for number, a in enumerate(ANSWERS, start=1):
        label = a.labels[3]
        pdf.drawString(40, y + 4, label)
        # Half the fields have a tooltip; the others only the text printed beside them.
        tooltip = label if number % 2 else ""
        form.textfield(name=f"Text{number}", tooltip=tooltip, x=230, y=y, width=200, height=14,
                       value=a.typed, fontSize=7, borderWidth=0)  # fmt: skip
        y -= 22
    y, number = 800.0, 0
    for group in TICKS:
        for box in group.boxes:
            number += 1
            form.checkbox(name=f"Check Box{number}", tooltip=f"{group.question}: {box.label}",
                          x=470, y=y, size=12, checked=box.ticked)  # fmt: skip
            y -= 18
    for name, _, flags in GRID:
        for column, on in zip(GRID_COLUMNS, flags, strict=True):
            number += 1
            form.checkbox(name=f"Check Box{number}", tooltip=f"{name}: {column}", x=470, y=y,
                          size=12, checked=on)  # fmt: skip
            y -= 18
    pdf.save()
    return path


WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
WPS = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"


def _text_box(*paragraphs: str) -> str:
    return (
        f'<w:r><w:drawing><wp:anchor xmlns:wp="{WP}"><a:graphic xmlns:a="{A}"><a:graphicData>'
        f'<wps:wsp xmlns:wps="{WPS}"><wps:txbx><w:txbxContent>{"".join(paragraphs)}'
        "</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor>"
        "</w:drawing></w:r>"
    )


def _wingdings(ticked: bool) -> str:
    return f'<w:r><w:sym w:font="Wingdings" w:char="{"F0FE" if ticked else "F0A8"}"/></w:r>'


def charity_form(path: Path) -> Path:
    """Layout 5, as a charity builds its form in Word: the reference in a header control, the
    young person in a text box, long answers in tagless controls (aliases on a few), Wingdings
    boxes, legacy checkboxes and typed boxes."""
    police, name, dob, *rest = ANSWERS
    header = p(r("Missing Children Support Service   "), r(f"{police.labels[0]}: "),
               text_sdt(police.typed, alias="Police reference"))  # fmt: skip
    box = _text_box(
        p(r(f"{name.labels[0]}: "), text_sdt(name.typed)),
        p(r(f"{dob.labels[0]}: "), text_sdt(dob.typed)),
    )
    rows = []
    for number, a in enumerate(rest):
        names = {"alias": a.labels[3]} if number % 4 == 0 else {}
        rows.append(row(cell(p(r(a.labels[0]))), cell(p(text_sdt(a.typed, **names)))))
    missing, push_pull, concerns, feeling = TICKS
    body = [p(box), p(r("RETURN HOME INTERVIEW")), table(*rows)]
    runs = [r(f"{missing.question}: ")]
    for b in missing.boxes:
        runs += [_wingdings(b.ticked), r(f" {b.label}  ")]
    body.append(p(*runs))
    body.append(p(r(push_pull.question)))
    body.append(p(r(_glyphs(push_pull))))
    body.append(p(r(concerns.question)))
    for number, b in enumerate(concerns.boxes, start=1):
        body.append(p(_formcheckbox(f"Concern{number}", b.ticked), r(f" {b.label}")))
    body.append(p(r(feeling.question)))
    body.append(p(r(_glyphs(feeling))))
    grid = [row(*(cell(p(r(h))) for h in ("Service", *GRID_COLUMNS)))]
    for label, _, flags in GRID:
        grid.append(row(cell(p(r(label))), *(cell(p(checkbox_sdt(on))) for on in flags)))
    body += [p(r("Referrals")), table(*grid)]
    return write_document(path, "".join(body), header=header)


LAYOUTS = {
    "table": table_form,
    "controls": controls_form,
    "legacy": legacy_form,
    "pdf": pdf_form,
    "charity": charity_form,
}
