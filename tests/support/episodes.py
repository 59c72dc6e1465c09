"""The one builder of invented episodes for the tests, and the sample episodes as records.

:func:`episode_data` makes the raw data of a small, valid episode from the facts a test cares
about (keywords such as ``la=``, ``legal=``, ``last_seen=``) and any other field by its data
path with ``__`` for the dots (``episode__where_found="the park"``, ``child__placement=None``).
:func:`episode` is the same, validated into an :class:`~formkit.model.EpisodeRecord`.
:data:`RETURNED_FROM_CARE` is the child most tracker tests start from (a looked-after child of
Bexley back in their children's home the next morning): ``tracker_episode("TST-2", ...)``.

Many invented episodes at once (load, property and process tests) come from the library's own
generator, :mod:`formkit.synthetic`, through :func:`synthetic_data` and :func:`write_synthetic`.
Every person here is invented.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from formkit.model import EpisodeRecord
from formkit.synthetic import episode_data as synthetic_episode

ROOT = Path(__file__).resolve().parent.parent.parent
SAMPLE_EPISODES = ROOT / "samples" / "episodes"

# The tracker tests' child: looked after by Bexley, in a residential home out of area, last seen
# on the evening of 5 October 2026 and back by herself the next morning.
RETURNED_FROM_CARE: dict[str, Any] = {
    "la": "bexley",
    "child_id": "TST-0001",
    "first_name": "Robin",
    "last_name": "Testcase",
    "dob": "2011-04-02",
    "legal": "looked_after",
    "responsible": "Bexley",
    "placement": "residential",
    "in_area": False,
    "last_seen": "2026-10-05T18:00",
    "ended": "2026-10-06T09:30",
    "end_reason": "returned_by_self",
    "where_found": "Came back to the home",
}


def episode_data(
    la: str = "statutory",
    *,
    ref: str = "T-1",
    child_id: str = "C-1001",
    first_name: str = "Test",
    last_name: str = "Child",
    dob: str = "2010-05-01",
    legal: str = "not_known",
    responsible: str | None = None,
    host: str | None = None,
    placement: str | None = None,
    in_area: bool | None = None,
    status: str = "missing",
    last_seen: str = "2026-11-02T10:00",
    reported: str | None = None,
    ended: str | None = None,
    end_reason: str | None = None,
    where_found: str | None = None,
    requested: str | None = None,
    history: Sequence[str | dict[str, Any]] = (),
    risks: Sequence[str | dict[str, Any]] = (),
    meetings: Sequence[tuple[str, str] | dict[str, Any]] = (),
    notifications: Sequence[tuple[str, str] | dict[str, Any]] = (),
    interview: dict[str, Any] | None = None,
    ola: int | None = None,
    **paths: Any,
) -> dict[str, Any]:
    """The raw data of an invented episode (JSON-ready; only the fields given are present).

    A looked-after child's responsible authority defaults to ``la``. ``history`` is the start
    times of earlier episodes, ``risks`` their types, ``meetings`` and ``notifications``
    ``(kind, when)`` pairs; an entry may also be given whole, as a dict.
    ``paths`` set any field by data path, ``__`` for ``.`` (applied last, ``None`` included).
    """
    if legal == "looked_after" and responsible is None:
        responsible = la
    placed = _present({"type": placement, "in_area": in_area})
    data: dict[str, Any] = {
        "local_authority": la,
        "child": _present(
            {
                "id": child_id,
                "first_name": first_name,
                "last_name": last_name,
                "date_of_birth": dob,
                "legal_status": legal,
                "responsible_authority": responsible,
                "host_authority": host,
                "placement": placed or None,
            }
        ),
        "episode": _present(
            {
                "reference": ref,
                "status": status,
                "missing_from": "placement" if legal == "looked_after" else "home",
                "last_seen_at": last_seen,
                "reported_at": reported,
                "ended_at": ended,
                "end_reason": end_reason,
                "where_found": where_found,
                "independent_interview_requested_at": requested,
            }
        ),
    }
    lists = {
        "history": [_item(entry, "started_at") for entry in history],
        "risks": [_item(entry, "type") for entry in risks],
        "meetings": [_item(entry, "kind", "held_at") for entry in meetings],
        "notifications": [_item(entry, "kind", "sent_at") for entry in notifications],
    }
    data.update({name: items for name, items in lists.items() if items})
    if interview is not None:
        data["return_interview"] = interview
    if ola is not None:
        data["ola_notification_count"] = ola
    for dotted, value in paths.items():
        node = data
        *parents, last = dotted.split("__")
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = value
    return data


def episode(la: str = "statutory", **facts: Any) -> EpisodeRecord:
    """:func:`episode_data`, validated: the record a protocol or render test plans or fills."""
    return EpisodeRecord.model_validate(episode_data(la, **facts))


def tracker_episode(ref: str, **facts: Any) -> dict[str, Any]:
    """The data of :data:`RETURNED_FROM_CARE`'s episode ``ref``, with ``facts`` changed."""
    return episode_data(**{**RETURNED_FROM_CARE, "ref": ref, **facts})


def synthetic_data(indices: Iterable[int], seed: int) -> list[dict[str, Any]]:
    """The raw data of :mod:`formkit.synthetic`'s episodes ``indices`` for ``seed``."""
    return [synthetic_episode(index, seed=seed) for index in indices]


def synthetic_references(indices: Iterable[int], seed: int) -> set[str]:
    """The episode references of :func:`synthetic_data` (what lands in a tracker)."""
    return {data["episode"]["reference"] for data in synthetic_data(indices, seed)}


def write_json(path: Path, records: list[dict[str, Any]]) -> Path:
    """``records`` as one JSON episode file (a list)."""
    path.write_text(json.dumps(records, default=str), encoding="utf-8")
    return path


def write_jsonl(path: Path, records: Iterable[dict[str, Any]]) -> Path:
    """``records`` as a JSON Lines episode file, one episode a line."""
    path.write_text("".join(json.dumps(r, default=str) + "\n" for r in records), encoding="utf-8")
    return path


def write_synthetic(path: Path, indices: Iterable[int], seed: int) -> Path:
    """:mod:`formkit.synthetic`'s episodes ``indices`` for ``seed`` as a JSON Lines file."""
    return write_jsonl(path, synthetic_data(indices, seed))


def sample_files() -> list[Path]:
    """The bundled sample episode files (``samples/episodes``), in name order."""
    return sorted(p for p in SAMPLE_EPISODES.iterdir() if p.suffix in {".json", ".yaml"})


def sample_records(files: Iterable[Path] | None = None) -> list[EpisodeRecord]:
    """Every episode of ``files`` (default: every sample), in file order."""
    from formkit.load import load_episodes

    chosen = sample_files() if files is None else files
    return [record for file in chosen for record in load_episodes(file)]


def _item(entry: Any, *names: str) -> dict[str, Any]:
    """A list entry given whole (a dict) or by its values in the order of ``names``."""
    if isinstance(entry, dict):
        return entry
    values = entry if isinstance(entry, tuple) else (entry,)
    return dict(zip(names, values, strict=True))


def _present(fields: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value is not None}
