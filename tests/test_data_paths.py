"""formkit.model.paths is the one walker of data paths: the template linter, the form parser,
the spreadsheet loader and the PDF reader take types, nesting and lists from it, so a path one
of them accepts the others read the same way."""

from __future__ import annotations

import typing

import pytest

from formkit.load import unflatten
from formkit.model import EpisodeRecord, ReturnInterview
from formkit.model.paths import (
    choice_in,
    delete_at,
    field_at,
    get_at,
    is_model_path,
    lists_from_indices,
    model_at,
    nest,
    set_at,
    trace,
    type_at,
)
from formkit.model.values import PushPullFactor
from formkit.parse.assemble import place_values
from formkit.parse.result import ParseResult
from formkit.pdf.values import to_episode_dict
from formkit.render.lint import check_data_path

TAGS = [
    "child.first_name",
    "risks.0.type",
    "return_interview.referrals.services.health.signposted",
    "return_interview.push_pull_factors=social_network",
    "episode.missing_from=home",  # one choice, ticked box by box
    "child.frist_name",
    "risks.first.type",
    "return_interview.referrals.services.gp.signposted",
    "return_interview.push_pull_factors=friends",
    "child.first_name=ana",
    "child.first_name.more",
]


@pytest.mark.parametrize("tag", TAGS)
def test_linter_and_parser_agree_on_every_path(tag: str) -> None:
    assert (check_data_path(tag) is None) == is_model_path(tag)


@pytest.mark.parametrize(
    ("tag", "why"),
    [
        ("child.frist_name", "'frist_name' is not a field of Child (did you mean 'first_name'?)"),
        ("risks.first.type", "'first' should be a list index (a number)"),
        ("child.first_name.more", "'more' goes past the end of the path"),
        (
            "return_interview.push_pull_factors=friends",
            "'friends' is not one of the choices",
        ),
        (
            "return_interview.push_pull_factors=social_netwrk",
            "'social_netwrk' is not one of the choices; did you mean 'social_network'?",
        ),
        ("child.first_name=ana", "'=value' is only for a choice, a number or yes/no"),
        ("child.description", "names a whole section, not one field"),
    ],
)
def test_linter_says_why(tag: str, why: str) -> None:
    assert check_data_path(tag) == why


def test_types_at_paths() -> None:
    assert type_at("child.first_name") is str
    assert typing.get_origin(type_at("return_interview.push_pull_factors")) is list
    assert type_at("risks.0") is type_at("risks.3")
    assert type_at("child.nope") is None
    assert trace("child.nope").parent is model_at("child")
    assert model_at("risks.0").__name__ == "Risk"
    assert model_at("") is EpisodeRecord
    assert model_at("child.first_name") is None


PAIRS = [
    ("child.first_name", "Ana"),
    ("risks.1.type", "cce"),
    ("risks.0.type", "cse"),
    ("risks.0.notes", "seen with older males"),
    ("episode.reference", "BX-1"),
]
NESTED = {
    "child": {"first_name": "Ana"},
    "risks": [{"type": "cse", "notes": "seen with older males"}, {"type": "cce"}],
    "episode": {"reference": "BX-1"},
}


def test_spreadsheet_headers_and_the_model_agree_on_fields() -> None:
    from formkit.headers import field_info, is_data_path

    assert field_info("risks.0.type") is field_at("risks.0.type")
    assert field_at("risks.0.type") is not None
    assert field_at("risks.0") is None  # a list position, not a field
    assert not is_data_path("risks.type")  # a list needs its position
    assert is_data_path("return_interview.referrals.services.health.signposted")


def test_loader_pdf_reader_and_form_parser_nest_alike() -> None:
    assert nest(PAIRS) == NESTED
    assert unflatten(PAIRS) == NESTED
    assert to_episode_dict(dict(PAIRS)) == NESTED
    parsed = place_values([(p, v, p) for p, v in PAIRS], ParseResult(file="f.docx"))
    assert parsed == NESTED


def test_lists_close_gaps_and_drop_what_is_asked() -> None:
    assert lists_from_indices({"2": "b", "10": "c", "0": "a"}) == ["a", "b", "c"]
    assert lists_from_indices({"a": {"0": 1, "1": None}}, drop=lambda v: v is None) == {"a": [1]}


def test_get_set_delete() -> None:
    data: dict[str, object] = {}
    set_at(data, "a.b.c", 1)
    set_at(data, "a.b", {"d": 2})  # a later value replaces what was there
    assert get_at(data, "a.b.d") == 2
    assert get_at(data, "a.b.c") is None
    delete_at(data, "a.b.d")
    assert data == {"a": {"b": {}}}
    listed = {"x": [1, 2, 3]}
    delete_at(listed, "x.1")
    assert listed == {"x": [1, 3]}


def test_ticks_read_the_same_for_a_list_and_a_single_choice() -> None:
    interview = ReturnInterview(push_pull_factors=[PushPullFactor.social_network])
    assert choice_in(interview.push_pull_factors, "social_network")
    assert not choice_in(interview.push_pull_factors, "family_conflict")
    assert choice_in("home", "home")
    assert not choice_in(None, "home")
