"""The browser app's settings: one ``formkit.toml`` file, overridden by ``formkit serve`` options.

::

    tracker = "tracker.xlsx"          # the Missing and Absent Tracker
    templates = "templates"           # the council's edited Word templates (optional)
    profile = "bexley"                # the protocol profile used when an episode names none
    episodes = "episodes"             # a folder of episode files (optional)

    [serve]
    host = "127.0.0.1"
    port = 8000
    audit_log = "formkit-audit.jsonl"

    [auth]
    header = "X-Remote-User"          # the user header set by the council's reverse proxy
    users_file = "users.txt"          # or: a local users file made with `formkit users add`
    api_token_file = "api-token.txt"  # the bearer token for /api/...

    [limits]
    file_mb = 20
    files = 200
    total_mb = 200

Relative paths are read from the folder that holds ``formkit.toml``.
"""

from __future__ import annotations

import ipaddress
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import datetime
from pathlib import Path
from typing import Any

from formkit.errors import FormkitError

CONFIG_NAME = "formkit.toml"
LOOPBACK_NAMES = {"localhost"}


class ConfigError(FormkitError):
    """``formkit.toml`` or an option of ``formkit serve`` is wrong, or unsafe to start with."""


@dataclass(frozen=True)
class UploadLimits:
    """How much one request may upload, checked while the upload streams in."""

    file_bytes: int = 20 * 1024 * 1024
    files: int = 200
    total_bytes: int = 200 * 1024 * 1024


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to know; built by :func:`load_settings`."""

    tracker: Path | None = None
    templates: Path | None = None
    profile: str | None = None
    episodes: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    auth_header: str | None = None
    users_file: Path | None = None
    api_token_file: Path | None = None
    audit_log: Path | None = None
    work_dir: Path | None = None  # where job folders go (default: the system's temporary folder)
    limits: UploadLimits = field(default_factory=UploadLimits)
    job_hours: float = 1.0  # a job's files are removed this long after it ends
    now: datetime | None = None  # a fixed "now" for demonstrations and tests

    @property
    def catalog_dir(self) -> Path | None:
        """The templates to make documents with: the council's folder once it holds a
        catalogue, else None (the shipped ones)."""
        from formkit.render.council import catalog_folder

        return catalog_folder(self.templates)

    @property
    def has_auth(self) -> bool:
        return bool(self.auth_header or self.users_file)

    @property
    def loopback(self) -> bool:
        return is_loopback(self.host)

    def check_safe_to_start(self) -> None:
        """Refuse to listen beyond this machine without a way to know who is asking."""
        if not self.loopback and not self.has_auth:
            raise ConfigError(
                f"formkit serve will not listen on {self.host} without authentication: "
                "set --auth-header (the user header of your reverse proxy) or --users-file, "
                "or listen on 127.0.0.1"
            )


def is_loopback(host: str) -> bool:
    """True for 127.0.0.1, ::1 and localhost: addresses only this machine can reach."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_PATHS = {"tracker", "templates", "episodes", "users_file", "api_token_file", "audit_log"}
_SECTIONS: dict[str, dict[str, str]] = {
    "": {"tracker": "tracker", "templates": "templates", "profile": "profile",
         "episodes": "episodes"},
    "serve": {"host": "host", "port": "port", "audit_log": "audit_log", "work_dir": "work_dir",
              "job_hours": "job_hours"},
    "auth": {"header": "auth_header", "users_file": "users_file",
             "api_token_file": "api_token_file"},
}  # fmt: skip
_LIMITS = {"file_mb": "file_bytes", "files": "files", "total_mb": "total_bytes"}


def _value(file: Path, section: str, key: str, value: Any, name: str) -> Any:
    where = f"{section}.{key}" if section else key
    if name in ("port", "job_hours"):
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(f"must be a positive number, not {value!r}", file=file, field=where)
        return int(value) if name == "port" else float(value)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"must be text in quotes, not {value!r}", file=file, field=where)
    if name in _PATHS or name == "work_dir":
        path = Path(value).expanduser()
        return path if path.is_absolute() else (file.parent / path)
    return value


def read_config(file: str | Path) -> dict[str, Any]:
    """The settings a ``formkit.toml`` gives, as keyword arguments of :class:`Settings`."""
    path = Path(file)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as error:
        raise ConfigError("the configuration file does not exist", file=path) from error
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(
            f"the configuration file could not be read ({error})", file=path
        ) from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            f"the configuration file is not valid TOML: {error}", file=path
        ) from error
    found: dict[str, Any] = {}
    for key, value in raw.items():
        if isinstance(value, dict):
            if key == "limits":
                found["limits"] = _limits(path, value)
                continue
            names = _SECTIONS.get(key)
            if names is None:
                raise ConfigError("is not a section formkit knows", file=path, field=f"[{key}]")
            for inner, item in value.items():
                if inner not in names:
                    raise ConfigError(
                        "is not a setting formkit knows", file=path, field=f"{key}.{inner}"
                    )
                found[names[inner]] = _value(path, key, inner, item, names[inner])
        elif key in _SECTIONS[""]:
            found[key] = _value(path, "", key, value, key)
        else:
            raise ConfigError("is not a setting formkit knows", file=path, field=key)
    return found


def _limits(file: Path, raw: dict[str, Any]) -> UploadLimits:
    values: dict[str, int] = {}
    for key, value in raw.items():
        name = _LIMITS.get(key)
        if name is None:
            raise ConfigError("is not a setting formkit knows", file=file, field=f"limits.{key}")
        if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
            raise ConfigError(
                f"must be a positive number, not {value!r}", file=file, field=f"limits.{key}"
            )
        values[name] = int(value * 1024 * 1024) if key.endswith("_mb") else int(value)
    return UploadLimits(**values)


def load_settings(file: str | Path | None = None, **overrides: Any) -> Settings:
    """Settings from ``file`` (or ``./formkit.toml`` when it exists), then ``overrides``.

    An override of None means "not given" and leaves the file's value.
    """
    found: dict[str, Any] = {}
    if file is not None:
        found = read_config(file)
    elif Path(CONFIG_NAME).is_file():
        found = read_config(CONFIG_NAME)
    known = {f.name for f in fields(Settings)}
    for name, value in overrides.items():
        if name not in known:
            raise TypeError(f"unknown setting {name}")
        if value is not None:
            found[name] = Path(value) if name in _PATHS and isinstance(value, str) else value
    return replace(Settings(), **found)
