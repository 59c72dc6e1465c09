"""Malformed profiles: each gives one message naming the file, the rule and the field."""

from __future__ import annotations

from pathlib import Path

import pytest

from formkit.errors import ProfileError
from formkit.protocol import load_profile

HEAD = "id: ours\nname: Our council\nsource: Our protocol\nrules:\n"
RULE = """  - id: rhi
    kind: interview
    document: rhi-form
    title: Return interview
    when: {returned: true}
    due: {from: returned, within: 72 hours}
    source: Our protocol, section 2
"""

CORPUS = [
    (
        "unknown trigger",
        RULE.replace("{returned: true}", "{age_below: 10}"),
        "rule 'rhi': when.age_below: unknown trigger 'age_below'; did you mean 'age_under'?",
    ),
    (
        "bad duration",
        RULE.replace("72 hours", "72 hrs"),
        "rule 'rhi': due.within: '72 hrs' is not a duration; write it like '72 hours', '3 days', "
        "'5 working days', '1 week', '1 month' or 'same working day'",
    ),
    (
        "missing source",
        RULE.replace("    source: Our protocol, section 2\n", ""),
        "rule 'rhi': source: is missing: every rule needs it",
    ),
    (
        "missing title, rule without id",
        RULE.replace("  - id: rhi\n    kind", "  - kind").replace(
            "    title: Return interview\n", ""
        ),
        "rule 1: id: is missing: every rule needs it",
    ),
    (
        "misspelt rule field",
        RULE.replace("    source:", "    sorce:"),
        "rule 'rhi': source: is missing: every rule needs it",
    ),
    (
        "unknown template",
        RULE.replace("rhi-form", "rhi-from"),
        "rule 'rhi': document: 'rhi-from' is not a template id; did you mean 'rhi-form'?",
    ),
    (
        "bad legal status",
        RULE.replace("{returned: true}", "{legal_status: [looked_afer]}"),
        "rule 'rhi': when.legal_status: 'looked_afer' is not a legal status; did you mean "
        "'looked_after'?",
    ),
    (
        "nested unknown trigger",
        RULE.replace("{returned: true}", "{any: [{returned: true}, {missing_atleast: 24 hours}]}"),
        "rule 'rhi': when.any.1.missing_atleast: unknown trigger 'missing_atleast'; did you mean "
        "'missing_at_least'?",
    ),
    (
        "trigger duration in working days",
        RULE.replace("{returned: true}", "{missing_at_least: 2 working days}"),
        "rule 'rhi': when.missing_at_least: must be in hours, days or weeks, not 2 working days",
    ),
    (
        "unknown event",
        RULE.replace("from: returned", "from: found"),
        "rule 'rhi': due.from.0: Input should be 'last_seen', 'reported', 'returned', 'referral' or 'independent_requested'",
    ),
    (
        "from and after",
        RULE.replace("from: returned,", "from: returned, after: rhi,"),
        "rule 'rhi': due: give either 'from' (an event) or 'after' (an earlier rule id)",
    ),
    (
        "after a later rule",
        RULE.replace("from: returned,", "after: review,"),
        "rule 'rhi': due.after: 'review' is not an earlier rule in this profile",
    ),
    (
        "duplicate rule id",
        RULE + RULE,
        "rule 'rhi': id: is used by two rules; rule ids must be unique",
    ),
    (
        "bad kind",
        RULE.replace("kind: interview", "kind: visit"),
        "rule 'rhi': kind: Input should be 'document', 'meeting', 'notification' or 'interview'",
    ),
    (
        "repeat with no interval",
        RULE.replace("    source:", "    repeat: {every: same working day}\n    source:"),
        "rule 'rhi': repeat.every: a repeat needs a positive interval, such as '5 working days'",
    ),
]


@pytest.mark.parametrize(("name", "rules", "message"), CORPUS, ids=[c[0] for c in CORPUS])
def test_malformed_rule(tmp_path: Path, name: str, rules: str, message: str) -> None:
    path = tmp_path / "ours.yaml"
    path.write_text(HEAD + rules, encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value) == f"{path}: {message}", name


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- just\n- a list\n", "a profile must be a YAML mapping with 'id', 'name' and 'rules'"),
        (
            "id: ours\nname: [unclosed\n",
            "is not valid YAML at line 3: expected ',' or ']', but got '<stream end>'",
        ),
        (HEAD.replace("name: Our council\n", "") + RULE, "name: is missing"),
        (HEAD + "  []\n", "rules: must not be empty"),
        (
            "working_day_ends: 5pm\n" + HEAD + RULE,
            "working_day_ends: '5pm' is not a time of day such as '17:00'",
        ),
        ("colour: blue\n" + HEAD + RULE, "colour: is not a profile field"),
    ],
)
def test_malformed_profile(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "ours.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value) == f"{path}: {message}"


def test_missing_profile_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile(tmp_path / "nothing.yaml")
    assert str(caught.value) == f"{tmp_path / 'nothing.yaml'}: the profile file does not exist"


def test_a_fixed_file_is_read_again(tmp_path: Path) -> None:
    path = tmp_path / "ours.yaml"
    path.write_text(HEAD + RULE.replace("72 hours", "72 hrs"), encoding="utf-8")
    with pytest.raises(ProfileError):
        load_profile(path)
    path.write_text(HEAD + RULE, encoding="utf-8")
    import os

    os.utime(path, ns=(1, 2_000_000_000_000_000_000))
    assert load_profile(path).rules[0].id == "rhi"
