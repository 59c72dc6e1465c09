"""The audit log: one JSON line per action — when, who, what, which episodes, how many.

Never a child's name or any detail of an episode: only its reference (``BX-2026-0101``) and
counts. The log is appended to, never rewritten; with no log configured nothing is kept.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from formkit.errors import OutputError


class AuditLog:
    """Appends JSON Lines records to ``path`` (or keeps nothing when ``path`` is None)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()

    def record(
        self,
        user: str,
        action: str,
        *,
        references: Iterable[str] = (),
        counts: dict[str, int] | None = None,
    ) -> dict[str, Any] | None:
        """Write one line; returns it (None when there is no log)."""
        if self.path is None:
            return None
        entry: dict[str, Any] = {
            "time": datetime.now(UTC).isoformat(timespec="seconds"),
            "user": user,
            "action": action,
            "references": sorted(set(references)),
            "counts": dict(counts or {}),
        }
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        with self._lock:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self.path.open("a", encoding="utf-8") as handle:
                    handle.write(line)
            except OSError as error:
                raise OutputError(
                    f"the audit log could not be written ({error.strerror or error})",
                    file=self.path,
                ) from error
        return entry
