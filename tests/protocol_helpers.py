"""Checks for protocol tests (invented episodes: ``support.episodes``)."""

from __future__ import annotations

from formkit.model import LONDON
from formkit.protocol import Plan


def assert_obligation(result: Plan, obligation_id: str, status: str, due: str | None) -> None:
    """The plan holds ``obligation_id`` with ``status``, due at ``due`` (London, minutes)."""
    obligation = result.get(obligation_id)
    assert obligation is not None, [o.id for o in result.obligations]
    assert obligation.status == status, obligation.why
    if due is None:
        if status != "not_required":
            assert obligation.due_at is None
    else:
        assert obligation.due_at is not None
        assert obligation.due_at.astimezone(LONDON).strftime("%Y-%m-%dT%H:%M") == due
