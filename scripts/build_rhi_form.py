"""The return home interview form (``formkit/templates/rhi-form.docx``).

A header copied from the missing report (Jinja), then a content control for every field of
:class:`formkit.model.ReturnInterview`, each tagged with its data path so a completed form reads
back into the model (``formkit parse``). Part headings follow the Buckinghamshire appendix 3 form.
"""

from __future__ import annotations

from enum import StrEnum

from docx.document import Document
from docx.shared import Cm
from template_parts import (
    checkbox_control,
    date_control,
    dropdown_control,
    end_block,
    grid,
    heading,
    if_block,
    label_table,
    new_document,
    para,
    text_control,
)

from formkit.model import InterviewAnswers
from formkit.model.values import (
    EducationStatus,
    Engagement,
    InterviewService,
    MissingFrom,
    PushPullFactor,
    ReferralService,
    SafeguardingConcern,
)
from formkit.render.labels import label

RI = "return_interview"
YES_NO = [("yes", "Yes"), ("no", "No")]
SCALE = [(str(n), str(n)) for n in range(1, 6)]


def _choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    return [(member.value, label(member)) for member in enum]


def _row_table(document: Document, rows: list[tuple[str, str, str, object]]) -> None:
    """Rows of (label, kind, path, extra): a bold label beside one content control."""
    table = grid(document, len(rows), 2)
    for row, (text, kind, path, extra) in zip(table.rows, rows, strict=True):
        row.cells[0].width = Cm(6.5)
        row.cells[0].paragraphs[0].add_run(text).bold = True
        target = row.cells[1].paragraphs[0]
        alias = text.rstrip("?:").strip()[:60]
        if kind == "text":
            text_control(target, path, alias, multiline=bool(extra))
        elif kind == "date":
            date_control(target, path, alias)
        elif kind == "choice":
            dropdown_control(target, path, alias, extra)  # type: ignore[arg-type]
        else:
            raise ValueError(kind)
    document.add_paragraph()


def _tick_list(document: Document, path: str, enum: type[StrEnum], prefix: str) -> None:
    """One checkbox per choice, tagged ``path=value`` (ticked when the value is in the list)."""
    table = grid(document, (len(enum) + 1) // 2, 2)
    for index, member in enumerate(enum):
        paragraph = table.rows[index // 2].cells[index % 2].paragraphs[0]
        checkbox_control(paragraph, f"{path}={member.value}", f"{prefix}: {label(member)}")
        paragraph.add_run(" " + label(member))
    document.add_paragraph()


def build() -> Document:
    document = new_document(
        "Return home interview",
        header="Return home interview · {{ episode.reference }}",
        footer="Return home interview {{ episode.reference }} · produced {{ now }}",
        kind="form",
    )
    para(
        document,
        "An independent conversation offered to every child or young person after they return "
        "from being missing. What is said here is shared with the police and children's social "
        "care so that they can help keep the young person safe. The young person may ask for a "
        "break at any time.",
    )
    heading(document, "Information copied from the missing report")
    label_table(
        document,
        [
            ("Reference number", "{{ episode.reference }}"),
            ("Police reference", "{{ episode.police_reference }}"),
            ("Child or young person", "{{ child.full_name }}"),
            ("Date of birth", "{{ child.date_of_birth|long_date }}"),
            ("Age", "{{ age }}"),
            ("Gender", "{{ child.gender }}"),
            ("Phone", "{{ child.phones|joined(', ') }}"),
            ("Last seen", "{{ episode.last_seen_at|long_datetime }}"),
            ("Found or returned", "{{ episode.ended_at|long_datetime }}"),
            ("Time missing", "{{ duration }}{% if episode.is_open %} (still missing){% endif %}"),
            ("Reason for disappearance", "{{ episode.reason }}"),
            ("Return remarks", "{{ episode.return_remarks }}"),
            ("Legal status", "{{ child.legal_status }}"),
            ("Return interview due", "{{ due(return_interview_due_by) }}"),
        ],
    )

    heading(document, "The offer")
    _row_table(
        document,
        [
            ("Interview offered on", "date", f"{RI}.offered_at", None),
            ("Offered by", "text", f"{RI}.offered_by", False),
            ("Interview service", "choice", f"{RI}.service", _choices(InterviewService)),
            ("Independent interviewer requested?", "choice", f"{RI}.independent_requested", YES_NO),
            ("Referred to the service on", "date", f"{RI}.referred_at", None),
            ("Consent to the interview?", "choice", f"{RI}.consent", YES_NO),
            ("Interview accepted?", "choice", f"{RI}.accepted", YES_NO),
            ("If declined, why", "text", f"{RI}.declined_reason", True),
        ],
    )

    # A declined interview prints the decline, not pages of empty questions.
    if_block(document, "return_interview.accepted is not sameas false")
    heading(document, "The return interview")
    _row_table(
        document,
        [
            ("Missing from", "choice", f"{RI}.missing_from", _choices(MissingFrom)),
            ("Date and time of the interview", "date", f"{RI}.held_at", None),
            ("Location of the interview", "text", f"{RI}.location", False),
            ("Worker conducting the interview", "text", f"{RI}.interviewer", False),
            ("Worker's role", "text", f"{RI}.interviewer_role", False),
            ("Others present (not the young person)", "text", f"{RI}.others_present", True),
            ("Level of engagement", "choice", f"{RI}.engagement", _choices(Engagement)),
        ],
    )

    heading(document, "Part one: the young person's account")
    para(document, "Ask the young person; do not copy answers from the police report.")
    rows: list[tuple[str, str, str, object]] = []
    for name, field in InterviewAnswers.model_fields.items():
        question = field.description or name
        path = f"{RI}.answers.{name}"
        if name in {"mental_health_score", "likelihood_missing_again"}:
            rows.append((question, "choice", path, SCALE))
        else:
            rows.append((question, "text", path, True))
    _row_table(document, rows)

    heading(document, "Part two: worker summary")
    para(document, "Push and pull factors identified", bold=True)
    _tick_list(document, f"{RI}.push_pull_factors", PushPullFactor, "Push/pull")
    _row_table(
        document,
        [
            ("Other push or pull factors", "text", f"{RI}.push_pull_other", True),
            ("Summary of the missing episode", "text", f"{RI}.worker_summary", True),
        ],
    )

    heading(document, "Part three: education, intelligence and safeguarding")
    _row_table(
        document,
        [
            ("Education status", "choice", f"{RI}.education.status", _choices(EducationStatus)),
            ("School, college or employer", "text", f"{RI}.education.provider", False),
            ("Concerns about school", "text", f"{RI}.education.school_concerns", True),
            ("Concerns about attendance", "text", f"{RI}.education.attendance_concerns", True),
            (
                "Intelligence: who they had contact with",
                "text",
                f"{RI}.intelligence.contacts",
                True,
            ),
            ("Intelligence: where they went", "text", f"{RI}.intelligence.places", True),
            ("Intelligence: how they got there", "text", f"{RI}.intelligence.travel", True),
            ("Intelligence: vehicles involved", "text", f"{RI}.intelligence.vehicles", True),
        ],
    )
    para(document, "Safeguarding concerns identified", bold=True)
    _tick_list(document, f"{RI}.safeguarding_concerns", SafeguardingConcern, "Safeguarding")
    _row_table(
        document,
        [
            ("Other safeguarding concerns", "text", f"{RI}.safeguarding_other", True),
            ("Safeguarding summary", "text", f"{RI}.safeguarding_summary", True),
        ],
    )

    heading(document, "Part four: referrals")
    paragraph = para(document)
    checkbox_control(paragraph, f"{RI}.referrals.no_referral", "No referral made")
    paragraph.add_run(
        " A. No referral: the young person is unwilling or there is no need to engage"
    )
    _row_table(
        document,
        [("Why no referral", "text", f"{RI}.referrals.no_referral_details", True)],
    )
    para(
        document,
        "B. Services signposted or referred to, engaging now, or engaged before",
        bold=True,
    )
    columns = [
        ("signposted", "Signposted or referred"),
        ("currently_engaging", "Currently engaging"),
        ("engaged_historically", "Engaged in the past"),
    ]
    services = grid(document, len(ReferralService) + 1, len(columns) + 1, header=True)
    services.rows[0].cells[0].paragraphs[0].add_run("Service").bold = True
    for col, (_, title) in enumerate(columns, start=1):
        services.rows[0].cells[col].paragraphs[0].add_run(title).bold = True
    for row, service in zip(services.rows[1:], ReferralService, strict=True):
        row.cells[0].paragraphs[0].add_run(label(service))
        for col, (key, title) in enumerate(columns, start=1):
            checkbox_control(
                row.cells[col].paragraphs[0],
                f"{RI}.referrals.services.{service.value}.{key}",
                f"{label(service)}: {title.lower()}",
            )
    document.add_paragraph()
    _row_table(
        document,
        [
            ("Referral dates, workers and organisations", "text", f"{RI}.referrals.details", True),
            ("Contextual safeguarding and contact log", "text", f"{RI}.contact_log", True),
        ],
    )
    end_block(document, "else")
    heading(document, "The return interview was declined")
    para(
        document,
        "{{ ('The young person declined the return interview' ~ "
        "return_interview.declined_reason|phrase(': {}'))|sentence }} "
        "The interview, worker summary and referral parts of this form are not used.",
    )
    end_block(document)
    heading(document, "Parent or carer")
    _row_table(
        document,
        [("Parent's or carer's views", "text", f"{RI}.parent_carer_views", True)],
    )
    heading(document, "Signature")
    _row_table(
        document,
        [
            ("Interviewer's name (signature)", "text", f"{RI}.signed_by", False),
            ("Date signed", "date", f"{RI}.signed_at", None),
        ],
    )
    return document
