"""Builders for protocol tests: small, valid, invented episodes."""

from __future__ import annotations

from typing import Any

from formkit.model import LONDON, EpisodeRecord
from formkit.protocol import Plan


def episode(
    la: str = "statutory",
    *,
    legal: str = "not_known",
    dob: str = "2010-05-01",
    last_seen: str = "2026-11-02T10:00",
    reported: str | None = None,
    ended: str | None = None,
    status: str = "missing",
    responsible: str | None = None,
    host: str | None = None,
    history: tuple[str, ...] = (),
    risks: tuple[str, ...] = (),
    meetings: tuple[tuple[str, str], ...] = (),
    notifications: tuple[tuple[str, str], ...] = (),
    interview: dict[str, Any] | None = None,
    ola: int | None = None,
    placement: str | None = None,
    requested: str | None = None,
    child_id: str = "C-1001",
    ref: str = "T-1",
) -> EpisodeRecord:
    """An episode with just the facts a protocol rule reads (invented child)."""
    if legal == "looked_after" and responsible is None:
        responsible = la
    data: dict[str, Any] = {
        "local_authority": la,
        "child": {
            "id": child_id,
            "first_name": "Test",
            "last_name": "Child",
            "date_of_birth": dob,
            "legal_status": legal,
            "responsible_authority": responsible,
            "host_authority": host,
            "placement": {"type": placement} if placement else None,
        },
        "episode": {
            "reference": ref,
            "status": status,
            "missing_from": "placement" if legal == "looked_after" else "home",
            "last_seen_at": last_seen,
            "reported_at": reported,
            "ended_at": ended,
            "independent_interview_requested_at": requested,
        },
        "history": [{"started_at": h} for h in history],
        "risks": [{"type": r} for r in risks],
        "meetings": [{"kind": k, "held_at": t} for k, t in meetings],
        "notifications": [{"kind": k, "sent_at": t} for k, t in notifications],
        "return_interview": interview or {},
        "ola_notification_count": ola,
    }
    return EpisodeRecord.model_validate(data)


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
