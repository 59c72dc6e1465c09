"""The catalogue is the one list of templates: a profile's ``document`` is checked against the
catalogue in force, so a council's own templates folder may add a template its profile names."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from formkit.errors import ProfileError, TemplateError
from formkit.protocol import load_profile
from formkit.render.catalog import Catalog, bundled_templates

PROFILE = """id: ours
name: Our council
source: Our protocol
rules:
  - id: letter
    kind: document
    document: {document}
    title: Letter to the family
    when: {{returned: true}}
    due: {{from: returned, within: 5 days}}
    source: Our protocol, section 4
"""
EXTRA = """  - id: family-letter
    title: Letter to the family
    format: docx
    file: family-letter.docx
    profiles: all
    output: "{episode.reference}-family-letter.docx"
"""


@pytest.fixture
def council_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "our-templates"
    shutil.copytree(bundled_templates(), folder)
    shutil.copy(folder / "director-letter.docx", folder / "family-letter.docx")
    catalogue = folder / "catalog.yaml"
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + EXTRA, encoding="utf-8")
    return folder


def _profile(tmp_path: Path, document: str) -> Path:
    path = tmp_path / "ours.yaml"
    path.write_text(PROFILE.format(document=document), encoding="utf-8")
    return path


def test_a_council_folder_may_add_a_template_its_profile_names(
    tmp_path: Path, council_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORMKIT_TEMPLATES", str(council_folder))
    profile = load_profile(_profile(tmp_path, "family-letter"))
    assert [rule.spec.document for rule in profile.rules] == ["family-letter"]
    assert "family-letter" in Catalog.load().entries


def test_without_the_folder_the_template_is_unknown(tmp_path: Path) -> None:
    path = _profile(tmp_path, "family-letter")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    known = ", ".join(sorted(Catalog.load().entries))
    assert str(caught.value) == (
        f"{path}: rule 'letter': document: 'family-letter' is not a template id ({known})"
    )


def test_a_misspelt_council_template_gets_a_hint(
    tmp_path: Path, council_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORMKIT_TEMPLATES", str(council_folder))
    path = _profile(tmp_path, "family-leter")
    with pytest.raises(ProfileError) as caught:
        load_profile(path)
    assert str(caught.value) == (
        f"{path}: rule 'letter': document: 'family-leter' is not a template id; "
        "did you mean 'family-letter'?"
    )


def test_every_bundled_profile_names_only_catalogued_templates() -> None:
    templates = Catalog.load().entries
    for name in ("bedford", "bexley", "buckinghamshire", "kent-medway", "rutland", "statutory"):
        for rule in load_profile(name).rules:
            assert rule.spec.document is None or rule.spec.document in templates, (name, rule.id)


def test_two_templates_making_the_same_name_are_refused(tmp_path: Path) -> None:
    """A council folder copied before the fillable forms had their id in their name: the Word
    missing profile's PDF and the filled form would take one name, so the catalogue is
    refused with how to mend it, instead of one document silently replacing the other."""
    folder = tmp_path / "our-templates"
    shutil.copytree(bundled_templates(), folder)
    catalogue = folder / "catalog.yaml"
    text = catalogue.read_text(encoding="utf-8")
    old = text.replace(
        '''file: pdf/missing-profile.pdf
    profiles: all
    output: "{episode.reference}-{id}.pdf"''',
        '''file: pdf/missing-profile.pdf
    profiles: all
    output: "{episode.reference}-missing-profile.pdf"''',
    )
    assert old != text
    catalogue.write_text(old, encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        Catalog.load(folder)
    assert str(caught.value) == (
        f"{catalogue}: missing-profile-pdf: 'missing-profile' as PDF and 'missing-profile-pdf' "
        "would both make {episode.reference}-missing-profile.pdf, so one would replace the "
        "other; give one of them another output (the shipped catalogue names the fillable PDF "
        'forms "{episode.reference}-{id}.pdf")'
    )


def test_the_shipped_catalogue_names_every_document_apart() -> None:
    names = [name for entry in Catalog.load() for name, _ in entry.output_names()]
    assert len(names) == len(set(names))
    assert "{episode.reference}-missing-profile-pdf.pdf" in names
