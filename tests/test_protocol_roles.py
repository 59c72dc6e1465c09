"""Issue 11's contract: a rule declares the role the tracker and documents read it by.

The tracker's columns (RHI due, strategy meeting due, SIN required, director's letter required)
come from the plan by role, not by rule id, so a council that renames its rules still fills them.
Roles are checked when the profile loads.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import yaml
from support.episodes import episode

from formkit.errors import ProfileError
from formkit.model import LONDON
from formkit.protocol import load_profile, plan
from formkit.protocol.profile import PROFILES_DIR, ROLES, bundled_profiles
from formkit.tracker.rows import plan_values

NOW = datetime(2026, 11, 4, 9, 0, tzinfo=LONDON)
RENAMED = {
    "rhi": "return-home-interview",
    "strategy-meeting": "strategy-discussion",
    "sin": "serious-incident",
    "director-letter": "letter-to-dcs",
}


def _write(tmp_path: Path, data: dict[str, object]) -> Path:
    path = tmp_path / "ours.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def _bexley() -> dict[str, object]:
    data = yaml.safe_load((PROFILES_DIR / "bexley.yaml").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_every_bundled_profile_gives_its_return_interview_a_role() -> None:
    for name in bundled_profiles():
        roles = [r.spec.role for r in load_profile(name).rules if r.spec.role]
        assert "return-interview" in roles, name
        assert set(roles) <= set(ROLES)


def test_a_council_profile_with_renamed_rule_ids_fills_the_trackers_columns(
    tmp_path: Path,
) -> None:
    data = _bexley()
    data["id"] = "our-council"
    rules = data["rules"]
    assert isinstance(rules, list)
    for rule in rules:
        rule["id"] = RENAMED.get(rule["id"], rule["id"])
    ours = load_profile(_write(tmp_path, data))
    assert {r.id for r in ours.rules} >= set(RENAMED.values())
    records = [
        # looked after, missing 30 hours, back: RHI due, strategy meeting, SIN
        episode("bexley", legal="looked_after", last_seen="2026-11-02T08:00",
                reported="2026-11-02T09:00", ended="2026-11-03T14:00"),
        # another council's child with a fourth notification: director's letter
        episode("bexley", legal="looked_after", responsible="Kent County Council",
                host="London Borough of Bexley", last_seen="2026-11-02T08:00", ola=4),
    ]  # fmt: skip
    for record in records:
        bundled = plan_values(record, NOW)
        assert plan_values(record, NOW, profile=ours) == bundled
    assert plan_values(records[0], NOW)["rhi_due"] == datetime(2026, 11, 6, 14, 0)
    assert plan_values(records[0], NOW)["strategy_meeting_due"] == datetime(2026, 11, 3, 17, 0)
    assert plan_values(records[0], NOW)["sin_required"] == "Y"
    assert plan_values(records[1], NOW)["director_letter_required"] == "Y"
    renamed = plan(records[0], profile=ours, now=NOW).by_role("return-interview")
    assert renamed is not None and renamed.id == "return-home-interview"


def test_an_unknown_role_is_refused_when_the_profile_loads(tmp_path: Path) -> None:
    data = _bexley()
    rules = data["rules"]
    assert isinstance(rules, list)
    next(r for r in rules if r["id"] == "rhi")["role"] = "return-interveiw"
    path = _write(tmp_path, data)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value) == (
        f"{path}: rule 'rhi': role: 'return-interveiw' is not a role; "
        "did you mean 'return-interview'?"
    )


def test_a_role_belongs_to_one_rule(tmp_path: Path) -> None:
    data = _bexley()
    rules = data["rules"]
    assert isinstance(rules, list)
    next(r for r in rules if r["id"] == "nyas-referral")["role"] = "return-interview"
    path = _write(tmp_path, data)
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value) == (
        f"{path}: rule 'rhi': role: 'return-interview' is already the role of rule "
        "'nyas-referral'; each role belongs to one rule"
    )
