"""The local users file: one ``name:scrypt$…`` line per person, passwords never stored.

Used when the council has no reverse proxy to sign people in. ``formkit users add FILE NAME``
writes a line; the app checks HTTP Basic sign-ins against the file (re-read when it changes).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
import threading
from pathlib import Path

from formkit.errors import FormkitError

# scrypt's cost: 2**14 × 8 × 1 takes about 50 ms and 16 MB, RFC 7914's interactive setting.
N, R, P = 2**14, 8, 1
NAME = re.compile(r"^[A-Za-z0-9._@\\-]{1,64}$")
MIN_PASSWORD = 10


class UsersFileError(FormkitError):
    """The users file could not be read or written, or a name or password was refused."""


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """``scrypt$N$r$p$salt$hash`` (hex) for ``password``."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=N, r=R, p=P, dklen=32)
    return f"scrypt${N}${R}${P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """True when ``password`` matches a :func:`hash_password` string."""
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        found = hashlib.scrypt(
            password.encode("utf-8"),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(bytes.fromhex(digest)),
            maxmem=256 * 1024 * 1024,
        )
    except (ValueError, MemoryError):
        return False
    return hmac.compare_digest(found, bytes.fromhex(digest))


def read_users(path: str | Path) -> dict[str, str]:
    """Every ``name → hash`` of a users file; blank lines and ``#`` comments are skipped."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise UsersFileError("the users file does not exist", file=file) from error
    except (OSError, UnicodeDecodeError) as error:
        raise UsersFileError(f"the users file could not be read ({error})", file=file) from error
    users: dict[str, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, colon, stored = line.partition(":")
        if not colon or not NAME.match(name) or not stored.startswith("scrypt$"):
            raise UsersFileError(
                "this line is not 'name:scrypt$…' (make lines with formkit users add)",
                file=file,
                record=f"line {number}",
            )
        users[name] = stored
    return users


def add_user(path: str | Path, name: str, password: str) -> bool:
    """Add ``name`` to the users file (or change their password); True when they are new.

    The file is created readable by its owner only.
    """
    if not NAME.match(name):
        raise UsersFileError(
            f"'{name}' cannot be a user name: use letters, digits and . _ @ - only"
        )
    if len(password) < MIN_PASSWORD:
        raise UsersFileError(f"the password must have at least {MIN_PASSWORD} characters")
    file = Path(path)
    users = read_users(file) if file.exists() else {}
    new = name not in users
    users[name] = hash_password(password)
    text = "".join(f"{user}:{stored}\n" for user, stored in users.items())
    try:
        descriptor = os.open(file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as error:
        raise UsersFileError(f"the users file could not be written ({error})", file=file) from error
    return new


def basic_credentials(header: str) -> tuple[str, str] | None:
    """The user name and password of an ``Authorization: Basic …`` header, or None."""
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    name, colon, password = decoded.partition(":")
    return (name, password) if colon and name else None


class UserStore:
    """The users file as the app sees it: re-read when it changes, good sign-ins remembered.

    Checking scrypt on every request would cost 50 ms each, so a sign-in that passed is kept
    (as a keyed digest of the header, never the password) until the file changes.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._stamp: tuple[float, int] | None = None
        self._users: dict[str, str] = {}
        self._passed: dict[bytes, str] = {}
        self._key = secrets.token_bytes(32)
        self.load()

    def load(self) -> None:
        stat = self.path.stat() if self.path.exists() else None
        stamp = (stat.st_mtime, stat.st_size) if stat else None
        if stamp == self._stamp and self._stamp is not None:
            return
        self._users = read_users(self.path)
        self._stamp = stamp
        self._passed.clear()

    def check_basic(self, header: str) -> str | None:
        """The signed-in user of an ``Authorization`` header, or None."""
        credentials = basic_credentials(header)
        if credentials is None:
            return None
        seen = hmac.digest(self._key, header.encode("utf-8"), "sha256")
        with self._lock:
            try:
                self.load()
            except UsersFileError:
                return None
            if seen in self._passed:
                return self._passed[seen]
            name, password = credentials
            stored = self._users.get(name)
            if stored is None or not verify_password(password, stored):
                return None
            self._passed[seen] = name
            return name
