"""The browser app without a browser: settings, security headers, sign-in, CSRF, uploads, API."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from starlette.responses import JSONResponse

from formkit.cli import cli
from formkit.web.app import create_app
from formkit.web.config import ConfigError, Settings, UploadLimits, load_settings
from formkit.web.security import CSRF_COOKIE, CSRF_FIELD, CsrfRefused, Guard
from formkit.web.uploads import UploadRefused, receive_upload
from formkit.web.users import add_user, verify_password

TOKEN = "a-long-enough-api-token-for-tests"


def test_settings_come_from_formkit_toml_with_paths_beside_it_and_options_win(
    tmp_path: Path,
) -> None:
    config = tmp_path / "formkit.toml"
    config.write_text(
        'tracker = "tracker.xlsx"\nprofile = "bexley"\n'
        '[serve]\nport = 8123\n[auth]\nheader = "X-Remote-User"\n[limits]\nfile_mb = 2\nfiles = 5\n',
        encoding="utf-8",
    )
    settings = load_settings(config, port=9000, tracker=None)
    assert settings.tracker == tmp_path / "tracker.xlsx"
    assert settings.profile == "bexley"
    assert settings.port == 9000
    assert settings.auth_header == "X-Remote-User"
    assert settings.limits == UploadLimits(file_bytes=2 * 1024 * 1024, files=5)


def test_an_unknown_setting_is_named(tmp_path: Path) -> None:
    config = tmp_path / "formkit.toml"
    config.write_text('[serve]\nhots = "0.0.0.0"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert str(caught.value) == f"{config}: serve.hots: is not a setting formkit knows"


def test_a_non_loopback_bind_without_authentication_refuses_to_start() -> None:
    with pytest.raises(ConfigError) as caught:
        create_app(Settings(host="0.0.0.0"))
    assert str(caught.value) == (
        "formkit serve will not listen on 0.0.0.0 without authentication: set --auth-header "
        "(the user header of your reverse proxy) or --users-file, or listen on 127.0.0.1"
    )
    create_app(Settings(host="0.0.0.0", auth_header="X-Remote-User"))  # with sign-in it starts
    create_app(Settings(host="::1"))  # loopback needs none


def test_formkit_serve_on_another_address_without_auth_exits_1_with_the_reason() -> None:
    result = CliRunner().invoke(cli, ["serve", "--host", "10.1.2.3"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: formkit serve will not listen on 10.1.2.3 without authentication: set "
        "--auth-header (the user header of your reverse proxy) or --users-file, or listen on "
        "127.0.0.1\n"
    )


def test_every_page_has_the_security_headers_and_a_csrf_cookie() -> None:
    with TestClient(create_app(Settings())) as client:
        response = client.get("/")
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{CSRF_COOKIE}=") and "SameSite=Strict" in cookie
    assert "HttpOnly" in cookie
    # No inline script or style anywhere in the page.
    assert "<script>" not in response.text and "style=" not in response.text
    assert "<style" not in response.text


def test_the_reverse_proxy_header_is_required_when_configured() -> None:
    app = create_app(Settings(auth_header="X-Remote-User"))
    with TestClient(app) as client:
        assert client.get("/").status_code == 401
        signed_in = client.get("/", headers={"X-Remote-User": "a.officer"})
    assert signed_in.status_code == 200
    assert "Signed in as a.officer" in signed_in.text


def test_a_users_file_signs_in_with_basic_auth(tmp_path: Path) -> None:
    users = tmp_path / "users.txt"
    result = CliRunner().invoke(
        cli, ["users", "add", str(users), "a.officer"], input="correct horse\ncorrect horse\n"
    )
    assert result.exit_code == 0, result.output
    assert f"Added a.officer in {users}" in result.output
    assert stat.S_IMODE(os.stat(users).st_mode) == 0o600
    line = users.read_text(encoding="utf-8")
    assert line.startswith("a.officer:scrypt$") and "correct horse" not in line
    assert verify_password("correct horse", line.strip().split(":", 1)[1])
    with TestClient(create_app(Settings(users_file=users))) as client:
        refused = client.get("/", auth=("a.officer", "wrong password"))
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Basic")
        assert client.get("/", auth=("a.officer", "correct horse")).status_code == 200


def test_a_short_password_is_refused(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["users", "add", str(tmp_path / "u.txt"), "a.officer"], input="short\nshort\n"
    )
    assert result.exit_code == 1
    assert result.output.endswith("Error: the password must have at least 10 characters\n")
    with pytest.raises(Exception, match="cannot be a user name"):
        add_user(tmp_path / "u.txt", "bad name", "long enough password")


def test_the_api_without_a_token_gets_401(tmp_path: Path) -> None:
    token = tmp_path / "token.txt"
    token.write_text(TOKEN + "\n", encoding="utf-8")
    with TestClient(create_app(Settings(api_token_file=token))) as client:
        missing = client.get("/api/today")
        wrong = client.get("/api/today", headers={"Authorization": "Bearer not-the-token-at-all"})
        right = client.get("/api/today", headers={"Authorization": f"Bearer {TOKEN}"})
        schema = client.get("/api/openapi.json")
    assert missing.status_code == 401 and wrong.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert missing.json()["detail"].startswith("A bearer token is needed")
    assert right.status_code == 409  # signed in; no tracker configured
    assert right.json() == {"detail": "No tracker is configured (tracker in formkit.toml)."}
    assert "/api/today" in schema.json()["paths"]
    assert "/" not in schema.json()["paths"]  # pages are not part of the API


def _upload_app(folder: Path, limits: UploadLimits) -> FastAPI:
    """A bare app around receive_upload and the Guard, to test the upload rules alone."""
    app = FastAPI()

    @app.post("/upload")
    async def upload(request: Request) -> JSONResponse:
        received = await receive_upload(request, Path(tempfile.mkdtemp(dir=folder)), limits)
        assert all(f.path.parent.parent == folder for f in received.files)
        files = [[f.name, f.path.name, f.size] for f in received.files]
        return JSONResponse({"files": files, "fields": received.fields})

    @app.get("/")
    async def home() -> JSONResponse:
        return JSONResponse({})

    async def refused(_: Request, error: Exception) -> JSONResponse:
        return JSONResponse({"refused": str(error)}, status_code=413)

    async def csrf(_: Request, __: Exception) -> JSONResponse:
        return JSONResponse({"refused": "csrf"}, status_code=403)

    app.add_exception_handler(UploadRefused, refused)
    app.add_exception_handler(CsrfRefused, csrf)
    app.add_middleware(Guard, settings=Settings())
    return app


def test_uploads_get_server_made_names_and_need_the_csrf_token(tmp_path: Path) -> None:
    app = _upload_app(tmp_path, UploadLimits(file_bytes=100, files=2, total_bytes=150))
    with TestClient(app) as client:
        client.get("/")
        token = client.cookies[CSRF_COOKIE]
        stored = client.post(
            "/upload",
            data={CSRF_FIELD: token},
            files=[
                ("files", ("../../x.docx", b"PK\x03\x04 not really", "application/octet-stream"))
            ],
        )
        assert stored.status_code == 200, stored.text
        assert stored.json()["files"] == [["x.docx", "001.docx", 15]]
        assert [p.name for p in tmp_path.glob("*/*")] == ["001.docx"]
        assert not (tmp_path.parent.parent / "x.docx").exists()

        no_token = client.post("/upload", files=[("files", ("a.docx", b"1", "text/plain"))])
        assert no_token.status_code == 403
        other = client.post(
            "/upload",
            data={CSRF_FIELD: "x" * 43},
            files=[("files", ("a.docx", b"1", "text/plain"))],
        )
        assert other.status_code == 403


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ([("big.xlsx", 101)], "big.xlsx is larger than the 100 bytes a file may be"),
        (
            [("a.csv", 10), ("b.csv", 10), ("c.csv", 10)],
            "too many files: at most 2 can be uploaded at once",
        ),
        (
            [("a.csv", 90), ("b.csv", 90)],
            "the files are larger than the 150 bytes one upload may be in all",
        ),
    ],
)
def test_an_upload_over_a_limit_is_refused_while_it_streams(
    tmp_path: Path, files: list[tuple[str, int]], message: str
) -> None:
    app = _upload_app(tmp_path, UploadLimits(file_bytes=100, files=2, total_bytes=150))
    with TestClient(app) as client:
        client.get("/")
        response = client.post(
            "/upload",
            data={CSRF_FIELD: client.cookies[CSRF_COOKIE]},
            files=[("files", (name, b"x" * size, "text/plain")) for name, size in files],
        )
    assert response.status_code == 413
    assert response.json() == {"refused": message}


def test_a_job_runs_in_the_background_shows_progress_and_its_download_removes_its_files(
    tmp_path: Path,
) -> None:
    import io
    import threading
    import time
    import zipfile

    from formkit.web.jobs import Job

    release = threading.Event()

    def work(job: Job) -> None:
        job.total = 3
        job.advance(1)
        release.wait(10)
        job.advance(2)
        job.download = job.folder / "documents.zip"
        with zipfile.ZipFile(job.download, "w") as archive:
            archive.writestr("BX-1/letter.txt", "made")
        job.download_name = "documents.zip"

    app = create_app(Settings(work_dir=tmp_path))
    with TestClient(app) as client:
        job = app.state.jobs.start(work, title="Make documents", user="local")
        assert stat.S_IMODE(os.stat(job.folder).st_mode) == 0o700
        while job.done < 1:
            time.sleep(0.01)
        running = client.get(f"/jobs/{job.id}")
        assert running.status_code == 200
        assert "Working: 1 of 3 done." in running.text
        assert f'hx-get="/jobs/{job.id}/status" hx-trigger="every 1s"' in running.text
        assert '<noscript><meta http-equiv="refresh" content="2"></noscript>' in running.text
        release.set()
        while not job.finished:
            time.sleep(0.01)
        status = client.get(f"/jobs/{job.id}/status")
        assert "hx-trigger" not in status.text  # polling stops when the job is done
        assert "Download documents.zip" in status.text
        download = client.get(f"/jobs/{job.id}/download")
        assert download.status_code == 200
        assert 'filename="documents.zip"' in download.headers["content-disposition"]
        with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
            assert archive.read("BX-1/letter.txt") == b"made"
        assert not job.folder.exists()
        after = client.get(f"/jobs/{job.id}")
        assert "its files have been removed from the server" in after.text
        assert client.get(f"/jobs/{job.id}/download").status_code == 404
        # Another person's job is not found.
        other = app.state.jobs.start(work, title="x", user="someone.else")
        assert client.get(f"/jobs/{other.id}").status_code == 404


def test_job_folders_go_an_hour_after_the_job_ended(tmp_path: Path) -> None:
    import time

    from formkit.web.jobs import JobRunner

    runner = JobRunner(tmp_path, keep=3600)
    job = runner.start(lambda job: None, title="t", user="u")
    while not job.finished:
        time.sleep(0.01)
    assert runner.sweep(now=time.time() + 60) == 0 and job.folder.exists()
    assert runner.sweep(now=time.time() + 3601) == 1
    assert not job.folder.exists() and runner.get(job.id, "u") is None
    runner.close()


def test_make_demo_prints_how_to_start_the_app_as_make_serve_does() -> None:
    import re
    import sys

    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root / "scripts"))
    try:
        import demo
    finally:
        sys.path.pop(0)
    command = demo.serve_command(root / "out")
    assert command == ["serve", "--tracker", "out/tracker.xlsx", "--profile", "bexley",
                       "--now", demo.NOW]  # fmt: skip
    makefile = (root / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^serve:.*?\n\t.*?\n\t\$\(BIN\)/formkit (.*)$", makefile, re.M)
    assert recipe is not None
    assert recipe.group(1).replace("$(OUT)", "out").split() == command


def test_the_formkit_toml_of_docs_web_md_is_read_as_documented(tmp_path: Path) -> None:
    import re

    docs = (Path(__file__).resolve().parent.parent / "docs" / "web.md").read_text(encoding="utf-8")
    example = re.search(r"```toml\n(.*?)```", docs, re.S)
    assert example is not None
    config = tmp_path / "formkit.toml"
    config.write_text(example.group(1), encoding="utf-8")
    settings = load_settings(config)
    assert settings.tracker == tmp_path / "tracker.xlsx"
    assert settings.templates == tmp_path / "templates"
    assert settings.profile == "bexley"
    assert settings.auth_header == "X-Remote-User"
    assert settings.users_file == tmp_path / "users.txt"
    assert settings.api_token_file == tmp_path / "api-token.txt"
    assert settings.audit_log == tmp_path / "formkit-audit.jsonl"
    assert settings.limits == UploadLimits(20 * 1024 * 1024, 200, 200 * 1024 * 1024)


def test_a_missing_users_file_stops_the_start_with_its_name(tmp_path: Path) -> None:
    missing = tmp_path / "users.txt"
    result = CliRunner().invoke(cli, ["serve", "--users-file", str(missing), "--port", "1"])
    assert result.exit_code == 1
    assert result.output == f"Error: {missing}: the users file does not exist\n"
