"""Outlines of the missing profile, the notifications, the NYAS referral and the director's letter.

The wording is formkit's own; field labels follow the local-authority protocols.
"""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document
from template_parts import (
    end_block,
    heading,
    if_block,
    label_table,
    new_document,
    para,
    repeat_table,
)

SENSITIVE = " · OFFICIAL-SENSITIVE"


def _professional(path: str) -> str:
    return (
        f"{{{{ {path}.name }}}}{{% if {path}.role %}}, {{{{ {path}.role }}}}{{% endif %}}"
        f"{{% if {path}.phone %}} · {{{{ {path}.phone }}}}{{% endif %}}"
        f"{{% if {path}.email %}} · {{{{ {path}.email }}}}{{% endif %}}"
    )


def missing_profile() -> Document:
    document = new_document(
        "Missing profile",
        header="Missing profile · {{ episode.reference }}" + SENSITIVE,
        footer="{{ local_authority_name }} · for the police · produced {{ now }}",
    )
    para(
        document,
        "Everything children's services know that may help the police find "
        "{{ child.known_as }} and keep them safe. Update it after every episode.",
    )
    if_block(document, "photo")
    para(document, "{{ photo }}")
    end_block(document)
    heading(document, "This episode")
    label_table(
        document,
        [
            ("Reference", "{{ episode.reference }}"),
            ("Police reference", "{{ episode.police_reference }}"),
            ("Police category", "{{ episode.status }}"),
            ("Police risk level", "{{ episode.police_risk_level }}"),
            ("Missing from", "{{ episode.missing_from }}"),
            ("Last seen", "{{ episode.last_seen_at|long_datetime }}"),
            ("Where last seen", "{{ episode.last_seen_location }}"),
            ("Reported missing", "{{ episode.reported_at }}"),
            ("Missing for", "{{ duration }}{% if episode.is_open %} (still missing){% endif %}"),
            ("Circumstances", "{{ episode.circumstances }}"),
            ("Clothing", "{{ episode.clothing }}"),
            ("Belongings", "{{ episode.belongings }}"),
            ("Believed to be with", "{{ episode.who_with }}"),
        ],
    )
    heading(document, "Identity")
    label_table(
        document,
        [
            ("Name", "{{ child.full_name }}"),
            ("Known as", "{{ child.preferred_name }}"),
            ("Date of birth", "{{ child.date_of_birth|long_date }} (age {{ age }})"),
            ("Gender", "{{ child.gender }}"),
            ("Ethnicity", "{{ child.ethnicity }}"),
            ("Languages", "{{ child.languages }}"),
            ("Case number", "{{ child.id }}"),
            ("Legal status", "{{ child.legal_status }}"),
            ("Responsible authority", "{{ child.responsible_authority }}"),
            ("Host authority", "{{ child.host_authority }}"),
        ],
    )
    heading(document, "Description")
    label_table(
        document,
        [
            ("Height", "{{ child.description.height }}"),
            ("Build", "{{ child.description.build }}"),
            ("Hair", "{{ child.description.hair }}"),
            ("Eyes", "{{ child.description.eyes }}"),
            ("Complexion", "{{ child.description.complexion }}"),
            ("Distinguishing features", "{{ child.description.distinguishing_features }}"),
        ],
    )
    heading(document, "Phones, email and social media")
    label_table(
        document,
        [
            ("Phones", "{{ child.phones|join(', ') }}"),
            ("Email", "{{ child.email }}"),
        ],
    )
    repeat_table(
        document,
        ["Platform", "Name or handle"],
        "account in child.social_media",
        ["{{ account.platform }}", "{{ account.handle }}"],
    )
    heading(document, "Addresses and school")
    label_table(
        document,
        [
            ("Home address", "{{ child.home_address }}"),
            (
                "Placement",
                "{{ child.placement.type }}{% if child.placement.provider %}, {{ child.placement.provider }}{% endif %}",
            ),
            ("Placement address", "{{ child.placement.address }}"),
            ("Placed since", "{{ child.placement.started_on }}"),
            ("School", "{{ child.school.name }}"),
            ("School address", "{{ child.school.address }}"),
            ("School contact", "{{ child.school.contact }} {{ child.school.phone }}"),
        ],
    )
    if_block(document, "looked_after")
    heading(document, "Looked-after child: care order and media consent", level=2)
    para(
        document,
        "{{ child.known_as }} is looked after by {{ child.responsible_authority }}. Any media "
        "appeal or publicity needs the agreement of that authority, which holds parental "
        "responsibility under the care order or section 20 agreement; contact the social worker "
        "or the out-of-hours team below before a photograph is released.",
    )
    end_block(document)
    heading(document, "Professionals")
    label_table(
        document,
        [
            ("Social worker", _professional("people.social_worker")),
            ("Team manager", _professional("people.team_manager")),
            ("Independent reviewing officer", _professional("people.iro")),
            ("Out of hours", _professional("people.out_of_hours")),
        ],
    )
    repeat_table(
        document,
        ["Name", "Role", "Organisation", "Phone"],
        "p in people.professionals",
        ["{{ p.name }}", "{{ p.role }}", "{{ p.organisation }}", "{{ p.phone }}"],
    )
    heading(document, "Health and triggers")
    label_table(
        document,
        [
            ("Medical needs", "{{ child.medical_needs }}"),
            ("Medication", "{{ child.medication }}"),
            ("Known triggers for going missing", "{{ child.triggers }}"),
        ],
    )
    heading(document, "Previous episodes ({{ history|length }})")
    repeat_table(
        document,
        ["Missing", "Returned", "Where located", "Key information", "Arrested?"],
        "past in history",
        [
            "{{ past.started_at }}",
            "{{ past.ended_at }}",
            "{{ past.where_located }}",
            "{{ past.key_information }}",
            "{{ past.arrested|yesno }}",
        ],
    )
    heading(document, "Family")
    repeat_table(
        document,
        ["Name", "Relationship", "Address", "Phone", "Notes"],
        "person in people.family",
        [
            "{{ person.name }}",
            "{{ person.relationship }}",
            "{{ person.address }}",
            "{{ person.phone }}",
            "{{ person.notes }}",
        ],
    )
    heading(document, "Friends and associates")
    repeat_table(
        document,
        ["Name", "Relationship", "Address", "Phone", "Notes"],
        "person in people.friends_and_associates",
        [
            "{{ person.name }}",
            "{{ person.relationship }}",
            "{{ person.address }}",
            "{{ person.phone }}",
            "{{ person.notes }}",
        ],
    )
    heading(document, "Locations of concern")
    repeat_table(
        document,
        ["Place", "Address", "Why it matters"],
        "place in people.locations_of_concern",
        ["{{ place.name }}", "{{ place.address }}", "{{ place.details }}"],
    )
    heading(document, "Risk assessment")
    repeat_table(
        document,
        ["Risk", "Known or potential", "Details", "Last identified"],
        "risk in risks",
        ["{{ risk.type }}", "{{ risk.level }}", "{{ risk.details }}", "{{ risk.last_identified }}"],
        empty="No risks recorded.",
    )
    heading(document, "Response needed when found")
    label_table(
        document,
        [
            ("Plan when found", "{% if meetings %}{{ meetings[-1].plan_when_found }}{% endif %}"),
            ("Found or returned", "{{ episode.ended_at|long_datetime }}"),
            ("Where found", "{{ episode.where_found }}"),
            ("Found by", "{{ episode.found_by }}"),
            ("How the episode ended", "{{ episode.end_reason }}"),
            ("Safe and well check", "{{ episode.safe_and_well_at }}"),
            ("Return interview due by", "{{ return_interview_due_by }}"),
        ],
    )
    return document


def serious_incident_notification() -> Document:
    document = new_document(
        "Serious incident notification",
        header="Serious incident notification · {{ episode.reference }}" + SENSITIVE,
        footer="{{ local_authority_name }} · to the deputy director · {{ now }}",
    )
    heading(document, "Notifying person")
    label_table(
        document,
        [
            ("Name and job title", "{{ people.referrer.name }}, {{ people.referrer.role }}"),
            ("Team and office", "{{ people.referrer.team }}, {{ people.referrer.organisation }}"),
            ("Phone", "{{ people.referrer.phone }}"),
            ("Line manager", _professional("people.team_manager")),
            ("Date of notification", "{{ today|long_date }}"),
            ("Notification due by", "{{ deadlines['serious-incident-notification'] }}"),
        ],
    )
    heading(document, "The child")
    label_table(
        document,
        [
            ("Name", "{{ child.full_name }} ({{ child.id }})"),
            ("Date of birth and age", "{{ child.date_of_birth }} (age {{ age }})"),
            ("Legal status", "{{ child.legal_status }}"),
            ("Home address", "{{ child.home_address }}"),
            ("Placement", "{{ child.placement.type }} · {{ child.placement.address }}"),
            (
                "Family",
                "{% for person in people.family %}{{ person.name }} ({{ person.relationship }}){% if not loop.last %}; {% endif %}{% endfor %}",
            ),
        ],
    )
    heading(document, "The incident")
    label_table(
        document,
        [
            ("Reference", "{{ episode.reference }} (police {{ episode.police_reference }})"),
            (
                "Last seen",
                "{{ episode.last_seen_at|long_datetime }} at {{ episode.last_seen_location }}",
            ),
            ("Missing for", "{{ duration }}"),
            ("What happened", "{{ episode.circumstances }}"),
            (
                "Background",
                "{{ episode_count }} episode(s) including this one. {{ child.triggers }}",
            ),
            (
                "Current situation",
                "{% if episode.is_open %}Still missing.{% else %}Returned {{ episode.ended_at|long_datetime }}: {{ episode.where_found }}.{% endif %}",
            ),
        ],
    )
    heading(document, "Known risks")
    repeat_table(
        document,
        ["Risk", "Known or potential", "Details"],
        "risk in risks",
        ["{{ risk.type }}", "{{ risk.level }}", "{{ risk.details }}"],
        empty="No risks recorded.",
    )
    heading(document, "Next steps by agency")
    repeat_table(
        document,
        ["Action", "Who", "By when"],
        "step in (meetings[-1].actions if meetings else [])",
        ["{{ step.action }}", "{{ step.owner }}", "{{ step.due }}"],
    )
    label_table(
        document,
        [
            ("Plan when found", "{% if meetings %}{{ meetings[-1].plan_when_found }}{% endif %}"),
            (
                "Media interest or appeal",
                "{% if meetings %}{{ meetings[-1].media_appeal|yesno }}{% else %}Not known{% endif %}",
            ),
        ],
    )
    return document


def nyas_referral() -> Document:
    document = new_document(
        "Referral for an independent return interview (NYAS)",
        header="NYAS referral · {{ episode.reference }}" + SENSITIVE,
        footer="NYAS free phone 0808 808 1001 · {{ local_authority_name }}",
    )
    para(document, "Reason for referral: RETURN INTERVIEW", bold=True)
    para(
        document,
        "The interview should take place within 72 hours of the young person's return: by "
        "{{ return_interview_due_by|long_datetime }}. If you cannot meet that deadline, tell the "
        "referrer at once. NYAS can be reached free on 0808 808 1001.",
    )
    heading(document, "Referrer")
    label_table(
        document,
        [
            ("Name and role", "{{ people.referrer.name }}, {{ people.referrer.role }}"),
            ("Authority and team", "{{ local_authority_name }}, {{ people.referrer.team }}"),
            ("Phone and email", "{{ people.referrer.phone }} {{ people.referrer.email }}"),
            ("Social worker", _professional("people.social_worker")),
            ("Date of referral", "{{ return_interview.referred_at or today }}"),
        ],
    )
    heading(document, "Young person")
    label_table(
        document,
        [
            (
                "Name",
                "{{ child.full_name }}{% if child.preferred_name %} (known as {{ child.preferred_name }}){% endif %}",
            ),
            ("Date of birth and age", "{{ child.date_of_birth }} (age {{ age }})"),
            ("Gender", "{{ child.gender }}"),
            ("Legal status", "{{ child.legal_status }}"),
            ("Responsible authority", "{{ child.responsible_authority }}"),
            ("Host authority", "{{ child.host_authority }}"),
            (
                "Placement",
                "{{ child.placement.type }}, {{ child.placement.provider }}, {{ child.placement.address }}",
            ),
            (
                "How best to contact",
                "{{ child.phones|join(', ') }}{% if child.email %} · {{ child.email }}{% endif %}",
            ),
        ],
    )
    heading(document, "The episode")
    label_table(
        document,
        [
            ("Reference", "{{ episode.reference }}"),
            ("Missing from", "{{ episode.last_seen_at|long_datetime }}"),
            ("Returned", "{{ episode.ended_at|long_datetime }}"),
            ("Missing for", "{{ duration }}"),
            (
                "Independent interviewer asked for",
                "{{ return_interview.independent_requested|yesno }}",
            ),
            ("Young person consents to the referral", "{{ return_interview.consent|yesno }}"),
        ],
    )
    heading(document, "Known risks")
    repeat_table(
        document,
        ["Risk", "Known or potential", "Details"],
        "risk in risks",
        ["{{ risk.type }}", "{{ risk.level }}", "{{ risk.details }}"],
        empty="No risks recorded.",
    )
    return document


def director_letter() -> Document:
    document = new_document(
        "Children missing from placements in {{ local_authority_name }}",
        header="{{ local_authority_name }} · Children's Services" + SENSITIVE,
        footer="Reference {{ episode.reference }}",
    )
    para(document, "{{ today|long_date }}")
    para(document, "To the Director of Children's Services")
    para(document, "{{ child.responsible_authority }}")
    para(document, "Dear Director,")
    para(
        document,
        "Re: {{ child.full_name }}, born {{ child.date_of_birth }}, placed in our area by your "
        "authority",
        bold=True,
    )
    para(
        document,
        "I am writing because we have now received {{ ola_notification_count or episode_count }} "
        "missing notifications about this young person, who is looked after by your authority "
        "and lives in {{ local_authority_name }}. The most recent began on "
        "{{ episode.last_seen_at|long_datetime }}{% if episode.ended_at %} and ended on "
        "{{ episode.ended_at|long_datetime }}{% else %} and they are still missing{% endif %}.",
    )
    heading(document, "Episodes we know of", level=2)
    repeat_table(
        document,
        ["Missing", "Returned", "Where located"],
        "past in history",
        ["{{ past.started_at }}", "{{ past.ended_at }}", "{{ past.where_located }}"],
    )
    heading(document, "Our concerns", level=2)
    repeat_table(
        document,
        ["Risk", "Details"],
        "risk in risks",
        ["{{ risk.type }}", "{{ risk.details }}"],
        empty="No specific risks recorded.",
    )
    heading(document, "What we have done", level=2)
    repeat_table(
        document,
        ["When", "Notification or meeting", "Notes"],
        "item in notifications",
        ["{{ item.sent_at }}", "{{ item.kind }}", "{{ item.notes }}"],
    )
    para(
        document,
        "We ask that you review this young person's care plan and placement with us, and let us "
        "know within five working days what your authority will do to reduce the risk of further "
        "missing episodes. Please contact {{ people.referrer.name }} on "
        "{{ people.referrer.phone }} to arrange a joint strategy discussion.",
    )
    para(document, "Yours sincerely,")
    para(document)
    para(document, "Signed: ______________________________    Date: ______________")
    para(document, "Director of Children's Services (or Deputy Director)", bold=True)
    para(document, "{{ local_authority_name }}")
    return document


def ola_notification() -> Document:
    document = new_document(
        "Notification to another local authority: child missing",
        header="OLA notification · {{ episode.reference }}" + SENSITIVE,
        footer="{{ local_authority_name }} · {{ now }}",
    )
    heading(document, "Part A: going missing")
    label_table(
        document,
        [
            ("Child", "{{ child.full_name }} ({{ child.id }})"),
            ("Date of birth and age", "{{ child.date_of_birth }} (age {{ age }})"),
            ("Legal status", "{{ child.legal_status }}"),
            ("Responsible authority", "{{ child.responsible_authority }}"),
            ("Host authority", "{{ child.host_authority }}"),
            ("Placement", "{{ child.placement.type }} · {{ child.placement.address }}"),
            (
                "Last seen",
                "{{ episode.last_seen_at|long_datetime }} at {{ episode.last_seen_location }}",
            ),
            (
                "Reported to police",
                "{{ episode.reported_at }} (reference {{ episode.police_reference }})",
            ),
            ("Police risk level", "{{ episode.police_risk_level }}"),
            ("Circumstances", "{{ episode.circumstances }}"),
            (
                "Links to your area",
                "{% for place in people.locations_of_concern %}{{ place.name }}{% if place.address %}, {{ place.address }}{% endif %}{% if not loop.last %}; {% endif %}{% endfor %}",
            ),
            ("Social worker", _professional("people.social_worker")),
            ("Out of hours", _professional("people.out_of_hours")),
        ],
    )
    heading(document, "Part B: return")
    if_block(document, "episode.ended_at")
    label_table(
        document,
        [
            ("Returned or found", "{{ episode.ended_at|long_datetime }}"),
            ("Missing for", "{{ duration }}"),
            ("Where found", "{{ episode.where_found }}"),
            ("Found by", "{{ episode.found_by }}"),
            ("How the episode ended", "{{ episode.end_reason }}"),
            ("Return interview offered", "{{ return_interview.offered_at }}"),
            ("Return interview held", "{{ return_interview.held_at }}"),
        ],
    )
    end_block(document, "else")
    para(document, "The child is still missing. Part B will follow when they return.")
    end_block(document)
    return document


BUILDERS: dict[str, Callable[[], Document]] = {
    "missing-profile": missing_profile,
    "serious-incident-notification": serious_incident_notification,
    "nyas-referral": nyas_referral,
    "director-letter": director_letter,
    "ola-notification": ola_notification,
}
