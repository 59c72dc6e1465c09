"""The plan as a whole: the public API shape, samples, history counting, profile loading errors."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import yaml
from support.episodes import episode

from formkit.errors import ProfileError
from formkit.load import load_episodes
from formkit.model import LONDON
from formkit.protocol import Profile, bundled_profiles, load_profile, plan
from formkit.protocol.evaluate import STATUSES
from formkit.render.catalog import Catalog

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=LONDON)
PROFILES = ["bedford", "bexley", "buckinghamshire", "kent-medway", "rutland", "statutory"]


def test_six_profiles_are_bundled_and_every_rule_cites_its_source() -> None:
    assert bundled_profiles() == PROFILES
    templates = Catalog.load().entries
    for name in PROFILES:
        profile = load_profile(name)
        assert isinstance(profile, Profile) and profile.id == name
        for rule in profile.rules:
            assert len(rule.spec.source) > 20, (name, rule.id)
            assert rule.spec.document is None or rule.spec.document in templates


def test_profiles_are_parsed_once() -> None:
    assert load_profile("bexley") is load_profile("bexley")


def test_three_in_ninety_days_means_hub_consultation_in_buckinghamshire_only() -> None:
    facts = {"last_seen": "2026-11-02T10:00", "history": ("2026-08-10T10:00", "2026-10-01T22:00")}
    for name in PROFILES:
        result = plan(episode(name, **facts), now=NOW)
        hub = [o for o in result.obligations if "Hub" in o.title and o.status != "not_required"]
        assert bool(hub) == (name == "buckinghamshire"), name


def test_reviews_stop_when_the_child_returns() -> None:
    record = episode(
        "buckinghamshire",
        last_seen="2026-11-02T10:00",
        ended="2026-11-18T10:00",
        meetings=(("multi_agency", "2026-11-05T10:00"), ("review", "2026-11-12T11:00")),
    )
    ids = [o.id for o in plan(record, now=NOW).obligations if o.rule == "review"]
    # review-2 would fall due on 19 November, after the return on the 18th.
    assert ids == ["review-1"]
    [review] = [o for o in plan(record, now=NOW).obligations if o.rule == "review"]
    assert review.shown_title == review.title + ": the 1st"  # not "(1)", on Today and in plan


def test_a_still_missing_child_has_every_review_so_far_plus_the_next() -> None:
    record = episode("rutland", last_seen="2026-11-01T08:00")
    reviews = [o for o in plan(record, now=NOW).obligations if o.rule == "case-review"]
    # urgent review due 4 Nov 08:00, then every 3 days: 7, 10, 13, 16, 19, 22 (overdue), 25 (next).
    assert [o.due_at.day for o in reviews if o.due_at] == [7, 10, 13, 16, 19, 22, 25]
    assert [o.status for o in reviews] == ["overdue"] * 6 + ["due"]


def test_episodes_of_another_child_do_not_count() -> None:
    record = episode("buckinghamshire", last_seen="2026-11-02T10:00", history=("2026-10-01T22:00",))
    stranger = episode("buckinghamshire", last_seen="2026-10-15T10:00", child_id="C-9", ref="X")
    same = episode("buckinghamshire", last_seen="2026-10-15T10:00", ref="Y")
    assert plan(record, now=NOW, others=[stranger]).get("hub-consultation").status == "not_required"  # type: ignore[union-attr]
    assert plan(record, now=NOW, others=[same]).get("hub-consultation").status != "not_required"  # type: ignore[union-attr]


def test_documents_due_is_stable_and_holds_only_template_ids() -> None:
    record = episode(
        "bexley",
        legal="looked_after",
        last_seen="2026-11-06T09:00",
        ended="2026-11-07T19:30",
        interview={"independent_requested": True},
    )
    result = plan(record, now=NOW)
    assert result.documents_due() == [
        "missing-profile",
        "strategy-meeting",
        "serious-incident-notification",
        "nyas-referral",
        "rhi-form",
    ]
    assert plan(record, now=NOW).documents_due() == result.documents_due()


def test_obligation_ids_are_unique_and_fields_have_the_promised_shape() -> None:
    record = episode("kent-medway", legal="looked_after", last_seen="2026-07-01T10:00")
    result = plan(record, now=NOW)
    ids = [o.id for o in result.obligations]
    assert len(ids) == len(set(ids))
    for o in result.obligations:
        assert o.kind in {"document", "meeting", "notification", "interview"}
        assert o.status in STATUSES
        assert o.due_at is None or o.due_at.tzinfo is not None
        assert o.why and o.source
    assert result.get("missing-from-care-review-4") is not None
    assert result.get("no-such-thing") is None
    json.dumps(result.as_dict())


def test_profile_defaults_to_the_episode_authority_and_can_be_overridden() -> None:
    record = episode("rutland", last_seen="2026-11-01T08:00")
    assert plan(record, now=NOW).profile == "rutland"
    assert plan(record, profile="statutory", now=NOW).profile == "statutory"
    assert plan(record, profile=load_profile("bedford"), now=NOW).profile == "bedford"


def test_now_defaults_to_the_present() -> None:
    record = episode("statutory", last_seen="2026-01-01T08:00", ended="2026-01-01T18:00")
    assert plan(record).get("rhi").status == "overdue"  # type: ignore[union-attr]


def test_every_sample_has_a_plan_under_its_own_profile(sample_episode_files: list[Path]) -> None:
    assert sample_episode_files
    seen = set()
    for path in sample_episode_files:
        for record in load_episodes(path):
            # Ten days on, every sample has reached some deadline.
            result = plan(record, now=record.episode.last_seen_at + timedelta(days=10))
            assert result.profile == record.local_authority
            assert result.obligations
            assert "missing-profile" in result.documents_due()
            seen.add(result.profile)
    assert seen == set(PROFILES)


def test_unknown_profile_id_suggests_the_nearest() -> None:
    with pytest.raises(ProfileError) as caught:
        load_profile("bexly")
    assert str(caught.value).startswith("there is no profile 'bexly'; did you mean 'bexley'?")


def test_an_edited_copy_of_a_profile_is_read_from_its_path(tmp_path: Path) -> None:
    raw = yaml.safe_load((Path(load_profile("statutory").path)).read_text())
    raw["id"] = "ours"
    raw["rules"][2]["due"]["within"] = "48 hours"
    path = tmp_path / "ours.yaml"
    path.write_text(yaml.safe_dump(raw))
    record = episode("statutory", last_seen="2026-11-02T08:00", ended="2026-11-02T18:00")
    rhi = plan(record, profile=str(path), now=NOW).get("rhi")
    assert rhi is not None and rhi.due_at == datetime(2026, 11, 4, 18, 0, tzinfo=LONDON)
