"""The Templates page: what each profile uses, downloads, and an edited template used only
when lint finds nothing wrong."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from formkit.render.catalog import bundled_templates
from formkit.web.app import create_app
from formkit.web.config import Settings, UploadLimits
from formkit.web.security import CSRF_COOKIE, CSRF_FIELD

SHIPPED = bundled_templates() / "missing-profile.docx"


def _with_typo(source: Path) -> bytes:
    """The shipped template with a misspelt field, as an officer might leave it."""
    out = io.BytesIO()
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(out, "w") as edited:
        for item in original.infolist():
            data = original.read(item.filename)
            if item.filename == "word/document.xml":
                data = data.replace(
                    b"</w:body>",
                    b"<w:p><w:r><w:t>{{ child.frist_name }}</w:t></w:r></w:p></w:body>",
                    1,
                )
            edited.writestr(item, data)
    return out.getvalue()


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    settings = Settings(
        templates=tmp_path / "council-templates",
        audit_log=tmp_path / "audit.jsonl",
        work_dir=tmp_path / "jobs",
        limits=UploadLimits(file_bytes=2 * 1024 * 1024),
    )
    with TestClient(create_app(settings)) as client:
        client.get("/")
        yield client


def _post(client: TestClient, template: str, name: str, data: bytes, token: str | None = None):
    fields = {"template": template}
    fields[CSRF_FIELD] = client.cookies[CSRF_COOKIE] if token is None else token
    return client.post(
        "/templates", data=fields, files=[("file", (name, data, "application/octet-stream"))]
    )


def test_the_page_lists_each_profiles_documents_and_downloads_a_template(
    client: TestClient,
) -> None:
    page = client.get("/templates")
    assert page.status_code == 200
    assert "London Borough of Bexley" in page.text
    assert "Serious incident notification (SIN)" in page.text
    download = client.get("/templates/missing-profile/download")
    assert download.status_code == 200
    assert download.content == SHIPPED.read_bytes()
    assert client.get("/templates/no-such/download").status_code == 404


def test_an_edited_template_that_passes_lint_is_used_and_the_old_one_kept(
    client: TestClient, tmp_path: Path
) -> None:
    edited = SHIPPED.read_bytes()
    response = _post(client, "missing-profile", "../../x.docx", edited)
    assert response.status_code == 200, response.text
    assert "x.docx is now the Missing profile for the police template." in response.text
    folder = tmp_path / "council-templates"
    assert (folder / "missing-profile.docx").read_bytes() == edited
    assert (folder / "catalog.yaml").is_file()  # the shipped set was copied in first
    assert len(list((folder / "replaced").glob("missing-profile-*.docx"))) == 1
    assert not (tmp_path / "x.docx").exists() and not Path("x.docx").exists()
    assert list((tmp_path / "jobs").iterdir()) == []  # the upload's folder is gone
    entry = json.loads((tmp_path / "audit.jsonl").read_text(encoding="utf-8"))
    assert entry["action"] == "template used" and entry["user"] == "local"


def test_an_edited_template_with_a_fault_is_shown_and_not_used(
    client: TestClient, tmp_path: Path
) -> None:
    response = _post(client, "missing-profile", "edited.docx", _with_typo(SHIPPED))
    assert response.status_code == 422
    assert "The check found 1 problem" in response.text
    assert "edited.docx was not used" in response.text
    assert "frist_name" in response.text
    used = tmp_path / "council-templates" / "missing-profile.docx"
    assert used.read_bytes() == SHIPPED.read_bytes()


def test_a_file_that_is_not_a_word_document_gets_the_intake_message(client: TestClient) -> None:
    response = _post(client, "missing-profile", "notes.docx", b"just some text")
    assert response.status_code == 422
    assert "The check found 1 problem" in response.text
    assert "notes.docx was not used" in response.text


def test_a_post_without_the_csrf_token_is_refused_and_changes_nothing(
    client: TestClient, tmp_path: Path
) -> None:
    response = _post(client, "missing-profile", "x.docx", SHIPPED.read_bytes(), token="")
    assert response.status_code == 403
    assert "This form could not be accepted" in response.text
    assert not (tmp_path / "council-templates").exists()


def test_an_upload_over_the_limit_gets_a_clear_page(client: TestClient, tmp_path: Path) -> None:
    response = _post(client, "missing-profile", "huge.docx", b"x" * (2 * 1024 * 1024 + 1))
    assert response.status_code == 413
    assert "The upload was too large" in response.text
    assert "Nothing was kept: huge.docx is larger than the 2 MB a file may be." in response.text
    assert list((tmp_path / "jobs").iterdir()) == []


def test_choosing_nothing_shows_the_error_summary(client: TestClient) -> None:
    response = client.post(
        "/templates",
        data={"template": "", CSRF_FIELD: client.cookies[CSRF_COOKIE]},
        files=[("file", ("", b"", "application/octet-stream"))],
    )
    assert response.status_code == 422
    assert '<a href="#template">Choose which template this is</a>' in response.text
    assert '<a href="#file">Choose one Word template (.docx) to upload</a>' in response.text
    assert response.text.count("govuk-error-message") == 2


def test_templates_use_on_the_command_line_does_what_the_page_does(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from formkit.cli import cli

    folder = tmp_path / "council"
    broken = tmp_path / "broken.docx"
    broken.write_bytes(_with_typo(SHIPPED))
    runner = CliRunner()
    refused = runner.invoke(
        cli, ["templates", "use", "missing-profile", str(broken), "--folder", str(folder)]
    )
    assert refused.exit_code == 1
    assert "frist_name" in refused.output
    assert refused.output.endswith(f"Error: {broken} was not used: 1 problem found\n")
    assert (folder / "missing-profile.docx").read_bytes() == SHIPPED.read_bytes()
    good = tmp_path / "good.docx"
    good.write_bytes(SHIPPED.read_bytes())
    used = runner.invoke(
        cli, ["templates", "use", "missing-profile", str(good), "--folder", str(folder)]
    )
    assert used.exit_code == 0, used.output
    assert used.output == f"{good} is now 'missing-profile' in {folder}\n"
    assert len(list((folder / "replaced").iterdir())) == 1
    pdf = runner.invoke(
        cli, ["templates", "use", "rhi-form-pdf", str(good), "--folder", str(folder)]
    )
    assert pdf.exit_code == 1
    assert "only Word templates can be replaced here" in pdf.output


HOSTILE = [
    "zip_bomb",
    "billion_laughs",
    "external_entity",
    "many_members",
    "traversal_name",
    "encrypted_docx",
    "legacy_doc",
    "truncated_zip",
    "empty_file",
]


@pytest.mark.parametrize("maker", HOSTILE)
def test_hostile_files_get_the_clis_messages_in_the_page(
    client: TestClient, tmp_path: Path, maker: str
) -> None:
    import html

    from hostile import corpus

    from formkit.render.lint import lint_template

    folder = tmp_path / "hostile"
    folder.mkdir()
    path = getattr(corpus, maker)(folder)
    expected = [finding.message for finding in lint_template(path)]
    assert expected  # the CLI refuses each of them
    response = _post(client, "missing-profile", "edited.docx", path.read_bytes())
    assert response.status_code == 422
    page = html.unescape(response.text)
    for message in expected:
        assert f"edited.docx {message}" in page
    assert "edited.docx was not used" in page
    used = tmp_path / "council-templates" / "missing-profile.docx"
    assert used.read_bytes() == SHIPPED.read_bytes()


def test_documents_use_the_councils_folder_only_once_it_holds_a_catalogue(tmp_path: Path) -> None:
    folder = tmp_path / "council"
    settings = Settings(templates=folder)
    assert settings.catalog_dir is None  # not made yet: the shipped templates are used
    folder.mkdir()
    assert settings.catalog_dir is None  # still empty
    from formkit.render.council import use_template

    assert use_template(folder, "missing-profile", SHIPPED).ok
    assert settings.catalog_dir == folder
