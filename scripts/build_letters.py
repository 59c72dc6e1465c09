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
    right,
)


def _professional(path: str) -> str:
    """Name, role, phone and email of a professional, the parts the record holds."""
    return (
        f"{{{{ [{path}.name, {path}.role, {path}.phone, {path}.mobile, {path}.email]"
        "|joined(', ') }}"
    )


def _people_rows(document: Document, loop: str) -> None:
    repeat_table(
        document,
        ["Name", "Relationship", "Date of birth", "Address", "Phone and email", "Notes"],
        loop,
        [
            "{{ person.name }}",
            "{{ person.relationship }}",
            "{{ person.date_of_birth|uk_date }}",
            "{{ person.address }}",
            "{{ [person.phone, person.email]|joined(', ') }}",
            "{{ person.notes or 'None recorded' }}",
        ],
        widths=(3.0, 2.9, 2.4, 3.2, 3.0, 2.5),
    )


def _last_seen() -> str:
    return (
        "{{ [episode.last_seen_at|long_datetime, episode.last_seen_location|phrase('at {}')]"
        "|joined(' ') }}"
    )


def _placement() -> str:
    return "{{ [child.placement.type, child.placement.provider, child.placement.address]|joined(', ') }}"


def missing_profile() -> Document:
    document = new_document(
        "Missing profile",
        header="Missing profile · {{ episode.reference }}",
        footer="Missing profile {{ episode.reference }} for the police · produced {{ now }}",
    )
    para(
        document,
        "Everything children's services know that may help the police find "
        "{{ child.known_as }} and keep them safe. Update it after every episode.",
    )
    if_block(document, "photo")
    para(document, "{{ photo }}")
    para(
        document,
        "{{ child.photo_taken_on|long_date|phrase('Photograph taken about {}.') "
        "or 'Date the photograph was taken: not known.' }}",
    )
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
            ("Last seen", _last_seen()),
            ("Reported missing", "{{ episode.reported_at|long_datetime }}"),
            (
                "Missing for",
                "{{ duration }}{% if episode.is_open %} (still missing){% endif %}",
            ),
            ("Reason for going missing", "{{ episode.reason }}"),
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
            ("Known as", "{{ child.known_as }}"),
            ("Date of birth", "{{ child.date_of_birth|long_date }} (age {{ age }})"),
            ("Gender", "{{ child.gender }}"),
            ("Ethnicity", "{{ child.ethnicity }}"),
            ("Languages", "{{ child.languages }}"),
            ("Case number", "{{ child.id }}"),
            ("Legal status", "{{ child.legal_status }}"),
            ("Responsible authority", "{{ child.responsible_authority }}"),
            ("Host authority", "{{ child.host_authority }}"),
            ("Passport or travel ID", "{{ child.passport }}"),
            ("Bank details", "{{ child.bank_details }}"),
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
            ("Glasses or contact lenses", "{{ child.description.glasses|yesno('Yes,No,') }}"),
            ("Tattoos", "{{ child.description.tattoos }}"),
            ("Piercings", "{{ child.description.piercings }}"),
            ("Distinguishing features", "{{ child.description.distinguishing_features }}"),
        ],
    )
    heading(document, "Phones, email and social media")
    label_table(
        document,
        [
            ("Phones", "{{ child.phones|joined(', ') }}"),
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
            ("Placement", "{{ [child.placement.type, child.placement.provider]|joined(', ') }}"),
            ("Placement address", "{{ child.placement.address }}"),
            ("Placed since", "{{ child.placement.started_on|long_date }}"),
            ("School", "{{ child.school.name }}"),
            ("School address", "{{ child.school.address }}"),
            ("School contact", "{{ [child.school.contact, child.school.phone]|joined(', ') }}"),
        ],
    )
    if_block(document, "looked_after")
    heading(document, "Looked-after child: care order and media consent", level=2)
    para(
        document,
        "{{ (child.known_as ~ ' is looked after by ' ~ (child.responsible_authority or "
        "unknown('responsible authority') or 'their responsible (home) authority'))|sentence }}"
        " Any media "
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
        [
            "{{ p.name }}",
            "{{ p.role }}",
            "{{ p.organisation }}",
            "{{ [p.phone, p.mobile, p.email]|joined(', ') }}",
        ],
    )
    heading(document, "Health and triggers")
    label_table(
        document,
        [
            ("Medical needs", "{{ child.medical_needs }}"),
            ("Medication", "{{ child.medication or 'None recorded' }}"),
            ("Known triggers for going missing", "{{ child.triggers }}"),
        ],
    )
    if_block(document, "child.medication")
    label_table(
        document,
        [
            ("How often", "{{ child.medication_frequency }}"),
            ("Next dose due", "{{ child.medication_next_due|long_datetime }}"),
            ("Effects of not taking it", "{{ child.medication_missed_effect }}"),
        ],
    )
    end_block(document)
    heading(document, "Risk assessment")
    para(
        document, "Each risk as the missing profile asks it: yes, no, not applicable or not known."
    )
    repeat_table(
        document,
        ["Risk", "Answer", "Details", "Last identified"],
        "check in risk_checklist",
        [
            "{{ check.item }}",
            "{{ check.answer }}",
            "{{ check.details or ('None recorded' if check.answer in ('no', 'not_applicable') else '') }}",
            "{{ check.last_identified|uk_date or ('Not applicable' if check.answer in "
            "('no', 'not_applicable') else '') }}",
        ],
    )
    repeat_table(
        document,
        ["Risk", "Known or potential", "Details", "Last identified"],
        "risk in risks",
        [
            "{{ risk.type }}",
            "{{ risk.level }}",
            "{{ risk.details }}",
            "{{ risk.last_identified|uk_date }}",
        ],
        empty="No other risks recorded.",
    )
    label_table(
        document,
        [
            ("Links to known groups", "{{ child.known_groups }}"),
            ("Police risk level", "{{ episode.police_risk_level }}"),
            (
                "Risk assessment outcome",
                "{{ [risk_assessment.outcomes|joined('; '), "
                "risk_assessment.completed_at|long_date|phrase('(completed {})')]|joined(' ') }}",
            ),
        ],
    )
    heading(document, "Previous episodes")
    para(
        document,
        "{{ (history|plural('previous episode')) if history else 'No previous episodes' }} "
        "recorded.",
    ).paragraph_format.keep_with_next = True  # with its table, never alone at a page's foot
    repeat_table(
        document,
        ["Missing", "Returned", "Where located", "Key information", "Arrested?"],
        "past in history",
        [
            "{{ past.started_at }}",
            "{{ past.ended_at }}",
            "{{ past.where_located }}",
            "{{ past.key_information or 'None recorded' }}",
            "{{ past.arrested|yesno }}",
        ],
    )
    heading(document, "Family")
    _people_rows(document, "person in people.family")
    heading(document, "Boyfriend or girlfriend")
    _people_rows(document, "person in people.boyfriend_or_girlfriend")
    heading(document, "Friends and associates")
    _people_rows(document, "person in people.friends_and_associates")
    heading(document, "Locations of concern")
    repeat_table(
        document,
        ["Place", "Address", "Why it matters"],
        "place in people.locations_of_concern",
        ["{{ place.name }}", "{{ place.address }}", "{{ place.details }}"],
    )
    heading(document, "Response needed when found")
    label_table(
        document,
        [
            ("Plan when found", "{{ plan_when_found }}"),
            ("Who to involve when found", "{{ episode.involved_when_found }}"),
        ],
    )
    if_block(document, "not episode.is_open")
    label_table(
        document,
        [
            ("Return interview due", "{{ due(return_interview_due_by) }}"),
            ("Found or returned", "{{ episode.ended_at|long_datetime }}"),
            ("Where found", "{{ episode.where_found }}"),
            ("Found by", "{{ episode.found_by }}"),
            ("How the episode ended", "{{ episode.end_reason }}"),
            ("Safe and well check", "{{ episode.safe_and_well_at|long_datetime }}"),
        ],
    )
    end_block(document)
    return document


def serious_incident_notification() -> Document:
    document = new_document(
        "Serious incident notification",
        header="Serious incident notification · {{ episode.reference }}",
        footer="Serious incident notification {{ episode.reference }} to the deputy director",
    )
    heading(document, "Notifying person")
    label_table(
        document,
        [
            ("Name", "{{ sin.by or people.referrer.name }}"),
            (
                "Job title",
                "{{ people.referrer.role if (not sin.by or sin.by == people.referrer.name) }}",
            ),
            ("Team", "{{ people.referrer.team }}"),
            ("Office", "{{ people.referrer.office or people.referrer.organisation }}"),
            ("Phone", "{{ people.referrer.phone }}"),
            ("Mobile", "{{ people.referrer.mobile }}"),
            ("Line manager", _professional("people.team_manager")),
            ("Date of notification", "{{ (sin.sent_at or now)|long_datetime }}"),
            (
                "Notification due",
                "{{ deadlines['serious-incident-notification']|long_datetime|phrase('by {}') }}",
            ),
            ("Updates", "{{ sin.updated_on|joined(', ') or 'None yet' }}"),
        ],
    )
    heading(document, "The child")
    label_table(
        document,
        [
            ("Name", "{{ child.full_name }} ({{ child.id }})"),
            ("Date of birth and age", "{{ child.date_of_birth|long_date }} (age {{ age }})"),
            ("Gender", "{{ child.gender }}"),
            ("Legal status", "{{ child.legal_status }}"),
            (
                "Child protection plan",
                "{% if child.child_protection %}{{ [child.child_protection.category, "
                "child.child_protection.started_on|phrase('plan since {}'), "
                "child.child_protection.last_conference_on|phrase('last conference {}'), "
                "child.child_protection.next_review_on|phrase('next review {}')]|joined('; ') }}"
                "{% elif child.legal_status != 'child_protection' %}Not applicable{% endif %}",
            ),
            ("Home address", "{{ child.home_address }}"),
            ("Placement", _placement()),
            ("Placement start date", "{{ child.placement.started_on|long_date }}"),
            (
                "Family",
                "{% for person in people.family %}{{ [person.name, [person.relationship, "
                "person.date_of_birth|phrase('born {}')]|joined(', ')|phrase('({})')]|joined(' ') }}"
                "{% if not loop.last %}; {% endif %}{% endfor %}",
            ),
            ("Is the family aware?", "{{ episode.family_aware|yesno('Yes,No,') }}"),
        ],
    )
    heading(document, "The incident")
    label_table(
        document,
        [
            (
                "Reference",
                "{{ [episode.reference, episode.police_reference|phrase('police reference {}')]"
                "|joined(', ') }}",
            ),
            ("Last seen", _last_seen()),
            ("Missing for", "{{ duration }}{% if episode.is_open %} (still missing){% endif %}"),
            ("Police risk level", "{{ episode.police_risk_level }}"),
            ("Reason for going missing", "{{ episode.reason }}"),
            ("What happened", "{{ episode.circumstances }}"),
            (
                "Background",
                "{{ episode_count|plural('episode') }} including this one."
                "{{ child.triggers|phrase(' Known triggers: {}') }}",
            ),
            ("Situation when notified", "{{ status_at(sin.sent_at or now) }}"),
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
    label_table(
        document,
        [
            (
                "Risk assessment outcome",
                "{{ [risk_assessment.outcomes|joined('; '), "
                "risk_assessment.completed_at|long_date|phrase('(completed {})')]|joined(' ') }}",
            ),
        ],
    )
    heading(document, "Next steps by agency")
    repeat_table(
        document,
        ["Action", "Who", "By when"],
        "step in (meetings[-1].actions if meetings else [])",
        ["{{ step.action }}", "{{ step.owner }}", "{{ step.due|uk_date }}"],
    )
    label_table(
        document,
        [
            ("Plan when found", "{{ plan_when_found }}"),
            ("Who is involved when found", "{{ episode.involved_when_found }}"),
            (
                "Media interest or appeal",
                "{{ [media_appeal|yesno('Media appeal agreed,No media appeal,'), "
                "media_scope|phrase('({} media)')]|joined(' ') }}",
            ),
        ],
    )
    return document


def nyas_referral() -> Document:
    document = new_document(
        "Referral for an independent return interview (NYAS)",
        header="NYAS referral · {{ episode.reference }}",
        footer="NYAS referral {{ episode.reference }} · NYAS free phone 0808 808 1001",
    )
    para(document, "Reason for referral: RETURN INTERVIEW", bold=True)
    para(
        document,
        "The interview should take place within 72 hours of the young person's return"
        "{{ due(return_interview_due_by)|phrase(': {}') }}. If you cannot meet that deadline, "
        "tell the referrer at once. NYAS can be reached free on 0808 808 1001.",
    )
    heading(document, "Referrer")
    label_table(
        document,
        [
            ("Name and role", "{{ [people.referrer.name, people.referrer.role]|joined(', ') }}"),
            (
                "Authority and team",
                "{{ [local_authority_name, people.referrer.team]|joined(', ') }}",
            ),
            (
                "Phone and email",
                "{{ [people.referrer.phone, people.referrer.mobile, people.referrer.email]"
                "|joined(', ') }}",
            ),
            ("Social worker", _professional("people.social_worker")),
            ("Date of referral", "{{ (return_interview.referred_at or today)|long_date }}"),
        ],
    )
    heading(document, "Young person")
    label_table(
        document,
        [
            (
                "Name",
                "{{ child.full_name }}{{ child.preferred_name|phrase(' (known as {})') }}",
            ),
            ("Date of birth and age", "{{ child.date_of_birth|long_date }} (age {{ age }})"),
            ("Gender", "{{ child.gender }}"),
            ("Languages", "{{ child.languages }}"),
            ("Legal status", "{{ child.legal_status }}"),
            ("Responsible authority", "{{ child.responsible_authority }}"),
            ("Host authority", "{{ child.host_authority }}"),
            ("Placement", _placement()),
            ("How best to contact", "{{ [child.phones|joined(', '), child.email]|joined(', ') }}"),
        ],
    )
    heading(document, "The episode")
    label_table(
        document,
        [
            ("Reference", "{{ episode.reference }}"),
            ("Last seen", _last_seen()),
            (
                "Returned",
                "{% if episode.is_open %}Still missing{% else %}"
                "{{ episode.ended_at|long_datetime }}{% endif %}",
            ),
            ("Missing for", "{{ duration }}"),
            ("Reason for going missing", "{{ episode.reason }}"),
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
        "Letter to the Director of Children's Services",
        header="Children's Services",
        footer="Our ref {{ episode.reference }}",
        heading_text="",
    )
    # Sender and date at the top right; the address in the record or the council's profile.
    right(document, "{{ local_authority_name }}")
    right(document, "Children's Services")
    if_block(document, "sender_address")
    right(document, "{{ sender_address }}")
    end_block(document)
    contact = "[people.referrer.phone, people.referrer.email]|joined(' · ')"
    if_block(document, contact)
    right(document, f"{{{{ {contact} }}}}")
    end_block(document)
    right(document, "")
    right(document, "{{ today|long_date }}")
    # The addressee: the home authority's Director, named when the record names one.
    if_block(document, "director.name")
    para(document, "{{ director.name }}")
    end_block(document)
    para(document, "{{ director.role }}")
    para(document, "{{ director.authority or unknown('home authority') }}")
    if_block(document, "director.address")
    para(document, "{{ director.address }}")
    end_block(document)
    para(document)
    para(
        document,
        "Our ref: {{ episode.reference }}{{ director.reference|phrase('    Your ref: {}') }}",
    )
    para(document)
    para(document, "{{ director.salutation }}")
    para(
        document,
        "{{ child.full_name }}, born {{ child.date_of_birth|long_date }}: missing from a placement "
        "in {{ local_authority_name }}",
        bold=True,
    )
    para(
        document,
        "I am writing because we have now received "
        "{{ (ola_notification_count or episode_count)|plural('missing notification') }} about "
        "this young person, who is looked after by your authority and lives in "
        "{{ local_authority_name }}. The most recent began on "
        "{{ episode.last_seen_at|long_datetime }}{% if episode.ended_at %} and ended on "
        "{{ episode.ended_at|long_datetime }}{% else %}, and they are still missing{% endif %}."
        "{{ episode.reason|phrase('The reason given: {}')|sentence|phrase(' {}') }}",
    )
    heading(document, "Episodes we know of", level=2)
    repeat_table(
        document,
        ["Missing", "Returned", "Where located"],
        "past in episodes_known",
        [
            "{{ past.started_at }}",
            "{{ past.ended_at or ('Still missing' if past.still_missing) }}",
            "{{ past.where_located }}",
        ],
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
        ["When", "Notification or meeting", "Details"],
        "item in done_so_far",
        ["{{ item.when }}", "{{ item.what }}", "{{ item.details }}"],
    )
    request = para(
        document,
        "We ask that you review this young person's care plan and placement with us, and let us "
        "know within five working days what your authority will do to reduce the risk of further "
        "missing episodes. Please contact "
        "{{ [people.referrer.name, people.referrer.phone|phrase('on {}')]|joined(' ') "
        "or 'me' }} to arrange a joint strategy discussion.",
    )
    # The last paragraph of the body goes over the page with the signature, never the
    # signature alone (seen on the page pictures).
    closing = [request, para(document, "Yours sincerely,"), para(document), para(document)]
    closing.append(
        para(document, '{{ people.signatory.name or unknown("signatory\'s name") }}', bold=True)
    )
    para(
        document,
        '{{ people.signatory.role or "Director of Children\'s Services" }}',
    )
    para(document, "{{ local_authority_name }}")
    for paragraph in closing:  # the signature block stays on one page with its closing
        paragraph.paragraph_format.keep_with_next = True
    return document


def ola_notification() -> Document:
    document = new_document(
        "Notification to another local authority: child missing",
        header="OLA notification · {{ episode.reference }}",
        footer="Notification {{ episode.reference }} · produced {{ now }}",
    )
    heading(document, "Part A: going missing")
    label_table(
        document,
        [
            ("Child", "{{ child.full_name }} ({{ child.id }})"),
            ("Date of birth and age", "{{ child.date_of_birth|long_date }} (age {{ age }})"),
            ("Legal status", "{{ child.legal_status }}"),
            ("Responsible authority", "{{ child.responsible_authority }}"),
            ("Host authority", "{{ child.host_authority }}"),
            ("Placement", _placement()),
            ("Last seen", _last_seen()),
            (
                "Reported to police",
                "{{ [episode.reported_at|long_datetime, "
                "episode.police_reference|phrase('(reference {})')]|joined(' ') }}",
            ),
            ("Police risk level", "{{ episode.police_risk_level }}"),
            ("Reason for going missing", "{{ episode.reason }}"),
            ("Circumstances", "{{ episode.circumstances }}"),
            (
                "Links to your area",
                "{% for place in people.locations_of_concern %}"
                "{{ [place.name, place.address]|joined(', ') }}"
                "{% if not loop.last %}; {% endif %}{% endfor %}",
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
            ("Actions taken", "{{ episode.actions_taken }}"),
            (
                "Return interview offered",
                "{{ return_interview.offered_at|long_datetime or due(return_interview_due_by)"
                "|phrase('Not yet; due {}') }}",
            ),
            (
                "Return interview held",
                "{{ return_interview.held_at|long_datetime or ('Declined' if "
                "return_interview.accepted == false else 'Not yet') }}",
            ),
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
