"""Outlines of the meeting records: strategy, multi-agency and review meetings.

Each record shows the latest meeting of its kind from the episode (blank lines to fill in when
the meeting has not been recorded yet). A review copies forward the previous meeting's actions
with a findings column and sets the next meeting no more than five working days on.
"""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document
from template_parts import heading, label_table, new_document, para, repeat_table


def _child_summary(document: Document, meeting: str) -> None:
    """The child and the episode as they stood at the meeting (now, for a blank record)."""
    label_table(
        document,
        [
            ("Child", "{{ child.full_name }} ({{ child.id }}), age {{ age }}"),
            ("Legal status", "{{ child.legal_status }}"),
            (
                "Episode",
                "{{ episode.reference }}: last seen {{ [episode.last_seen_at|long_datetime, "
                "episode.last_seen_location|phrase('at {}')]|joined(' ') }}",
            ),
            ("Reason for going missing", "{{ episode.reason }}"),
            ("Status at the meeting", f"{{{{ status_at({meeting}.held_at or now) }}}}"),
            ("Police risk level", "{{ episode.police_risk_level }}"),
            ("Previous episodes", "{{ history|length }}"),
        ],
    )


def _meeting(kind: str, title: str, purpose: str) -> Callable[[], Document]:
    m = f"{kind}_meeting"

    def build() -> Document:
        document = new_document(
            title,
            header=f"{title} · {{{{ episode.reference }}}}",
            footer="Record {{ episode.reference }} · produced {{ now }}",
            kind="form",
        )
        para(document, purpose)
        _child_summary(document, m)
        heading(document, "The meeting")
        label_table(
            document,
            [
                ("Date and time", f"{{{{ {m}.held_at|long_datetime }}}}"),
                ("Chair", f"{{{{ {m}.chair }}}}"),
                (
                    "To be held",
                    # Once held, the deadline is history: "by …", never "was due by …".
                    f"{{% if {m}.held_at %}}"
                    f"{{{{ deadlines['{kind.replace('_', '-')}-meeting']|long_datetime"
                    "|phrase('by {}') }}{% else %}"
                    f"{{{{ due(deadlines['{kind.replace('_', '-')}-meeting']) }}}}{{% endif %}}",
                ),
            ],
        )
        heading(document, "Attendees", level=2)
        repeat_table(
            document,
            ["Name", "Role", "Agency"],
            f"person in {m}.attendees",
            ["{{ person.name }}", "{{ person.role }}", "{{ person.agency }}"],
        )
        heading(document, "Discussion")
        label_table(
            document,
            [
                ("Hypothesis for this episode", f"{{{{ {m}.hypothesis }}}}"),
                ("Background", f"{{{{ {m}.background }}}}"),
                ("Information shared", f"{{{{ {m}.discussion }}}}"),
                ("Risks identified", f"{{{{ {m}.risks }}}}"),
            ],
        )
        heading(document, "Actions")
        repeat_table(
            document,
            ["What", "Who", "By when"],
            f"step in {m}.actions",
            ["{{ step.action }}", "{{ step.owner }}", "{{ step.due|uk_date }}"],
        )
        heading(document, "Decisions")
        label_table(
            document,
            [
                (
                    "Media appeal",
                    f"{{{{ [{m}.media_appeal|yesno('Agreed,Not agreed,Not decided'), "
                    f"{m}.media_scope|phrase('({{}} media)')]|joined(' ') }}}}",
                ),
                (
                    "Recovery order",
                    f"{{{{ {m}.recovery_order|yesno('To be sought,Not needed,Not decided') }}}}",
                ),
                ("Plan when located", f"{{{{ {m}.plan_when_found }}}}"),
                ("Next meeting", f"{{{{ {m}.next_meeting_at|long_datetime }}}}"),
            ],
        )
        return document

    return build


def review_meeting() -> Document:
    document = new_document(
        "Missing review meeting",
        header="Review meeting · {{ episode.reference }}",
        footer="Record {{ episode.reference }} · produced {{ now }}",
        kind="form",
    )
    para(
        document,
        "Reviews what was agreed at the last meeting while the child remains missing or at "
        "risk, records what each action found, and agrees the next actions.",
    )
    _child_summary(document, "review_meeting")
    heading(document, "The meeting")
    label_table(
        document,
        [
            ("Date and time", "{{ review_meeting.held_at|long_datetime }}"),
            ("Chair", "{{ review_meeting.chair }}"),
            (
                "Previous meeting",
                "{{ [previous_meeting.kind, previous_meeting.held_at|long_datetime|phrase('on {}')]"
                "|joined(' ') }}",
            ),
        ],
    )
    heading(document, "Attendees", level=2)
    repeat_table(
        document,
        ["Name", "Role", "Agency"],
        "person in review_meeting.attendees",
        ["{{ person.name }}", "{{ person.role }}", "{{ person.agency }}"],
    )
    heading(document, "Actions carried forward from the previous meeting")
    repeat_table(
        document,
        ["Action", "Who", "By when", "Findings"],
        "step in previous_meeting.actions",
        ["{{ step.action }}", "{{ step.owner }}", "{{ step.due }}", "{{ step.finding }}"],
        empty="No actions were recorded at the previous meeting.",
    )
    heading(document, "Update")
    label_table(
        document,
        [
            ("Information shared", "{{ review_meeting.discussion }}"),
            ("Risks now", "{{ review_meeting.risks }}"),
        ],
    )
    heading(document, "Next actions")
    repeat_table(
        document,
        ["What", "Who", "By when"],
        "step in review_meeting.actions",
        ["{{ step.action }}", "{{ step.owner }}", "{{ step.due }}"],
    )
    heading(document, "Next meeting")
    para(
        document,
        "{% if review_meeting.next_meeting_at %}Next review: "
        "{{ review_meeting.next_meeting_at|long_datetime }}. {% endif %}"
        "The next review must be held no later than {{ next_review_by|long_date }} "
        "(five working days).",
    )
    return document


BUILDERS: dict[str, Callable[[], Document]] = {
    "strategy-meeting": _meeting(
        "strategy",
        "Strategy meeting record",
        "A strategy meeting shares what agencies know, tests a hypothesis for why the child is "
        "missing, assesses the risk and agrees who does what by when.",
    ),
    "multi-agency-meeting": _meeting(
        "multi_agency",
        "Multi-agency missing meeting record",
        "A multi-agency meeting brings together everyone working with the child while they "
        "remain missing, to share information and agree actions.",
    ),
    "review-meeting": review_meeting,
}
