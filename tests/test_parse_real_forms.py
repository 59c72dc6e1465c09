"""Every real Word form in ../shared/fixtures/real-forms parses with --raw, values as its README says."""

from __future__ import annotations

from pathlib import Path

import pytest

from formkit.errors import InputError
from formkit.parse import parse_form


def raw(folder: Path, name: str) -> dict[str, object]:
    return parse_form(folder / name, raw=True).data


def test_every_real_form_parses_raw(real_forms: Path) -> None:
    for path in sorted(real_forms.glob("*.docx")):
        result = parse_form(path, raw=True)
        assert result.file == str(path)


def test_docx_form_test_controls(real_forms: Path) -> None:
    data = raw(real_forms, "docx-form-test.docx")
    values = list(data.values())
    assert values[:4] == [
        "Rich Text Content Control",
        "Another Rich Text Content Control",
        "Plain Text Content Control",
        "Another Plain Text Content Control",
    ]
    assert data["Check Box Content Control"] is False
    assert data["Another Check Box Content Control"] is True
    assert values[6:8] == ["Combo t Option 1", None]  # free combo text kept; the prompt is empty
    assert values[8:10] == ["Drop-Down Content Control", "Another Drop-Down Content Control"]
    assert values[10:] == ["2022-09-06", "2022-09-07"]  # from w:fullDate, not the US text


def test_check_drop_my(real_forms: Path) -> None:
    data = raw(real_forms, "docx2python-check_drop_my.docx")
    assert data["[my unchecked]"] is False and data["[my checked]"] is True
    assert data["[user unchecked]"] is False and data["Check1"] is True  # legacy default 1
    assert data["Shay's Drop"] is None  # "Choose an item." is the prompt
    assert data["Shay's Drop (2)"] == "my_item_A" and data["Shay's Drop (3)"] == "my_item_B"
    assert data["Dropdown2"] == "Piihan B"  # a legacy drop-down without w:result: the first


def test_checked_true_false(real_forms: Path) -> None:
    data = raw(real_forms, "docx2python-checked-true-false.docx")
    # default 0, default false, checked 0, checked false, default 1, default true, checked 1/true
    assert list(data.values()) == [False] * 4 + [True] * 4


def test_checked_boxes_referral_form(real_forms: Path) -> None:
    result = parse_form(real_forms / "docx2python-checked_boxes.docx", raw=True)
    data = result.data
    kinds = {key: value for key, value in data.items()}
    assert len(kinds) == 104  # 46 FORMTEXT + 44 FORMCHECKBOX + 14 FORMDROPDOWN
    assert data["chkMember_APS"] is True  # <w:checked/> with no value
    assert data["chkOfficeUse_Urgent"] is False
    assert data["fldOfficeUse_Date"] is None  # five en-spaces
    assert data["drpRef_FCTeam"] == "Select..."


def test_list_index_and_control_test(real_forms: Path) -> None:
    assert list(raw(real_forms, "docx2python-list_index_a.docx").values()) == ["Silver"]
    data = raw(real_forms, "docx2python-ControlTest.docx")
    assert data == {
        "Test_Control": "This is a test\nFor a content control or content container in word."
    }


def test_libreoffice_symbols_and_strict(real_forms: Path) -> None:
    assert raw(real_forms, "docx2python-libreoffice_conversion.docx") == {}
    assert raw(real_forms, "docx2python-symbols.docx") == {}
    # Strict OOXML is read (its namespaces mapped to the transitional ones); it has no controls.
    result = parse_form(real_forms / "docx2python-strict.docx", raw=True)
    assert result.data == {}


def test_not_our_form_without_reference_warns(real_forms: Path) -> None:
    result = parse_form(real_forms / "docx-form-test.docx")
    assert result.warnings == ["episode.reference: the form does not say which episode it is for"]
    assert len(result.unmapped) == 10  # every filled control kept with its label


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="nope.docx: no such file"):
        parse_form(tmp_path / "nope.docx")
