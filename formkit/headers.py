"""Spreadsheet headers as people write them: "Police risk", "Date of birth", "Last seen".

A column header is either a data path (``episode.police_risk_level``) or words for one. The words
come from ``formkit/headers.yaml`` (next to the choice words in ``words.yaml``) and from
the tracker's own headers (``formkit/tracker/columns.yaml``) for its columns that hold one data
path, so a sheet copied out of the tracker reads back. Case, spaces and punctuation do not
matter. A header that is neither is refused once for the file, with the nearest words.

    >>> path_for_header("Police risk")
    'episode.police_risk_level'
"""

from __future__ import annotations

import difflib
import re
from functools import cache

import yaml
from pydantic.fields import FieldInfo

from formkit.errors import InputError
from formkit.model.paths import field_at
from formkit.resources import bundled

_FILE = bundled("headers.yaml")
SHOWN = 10  # unknown headers named in the message; the rest are counted
NO_EPISODE_COLUMNS = (
    "has no episode columns: headers must be fields' words such as 'Episode reference', "
    "'Date of birth' and 'Last seen', or data paths such as 'child.first_name'"
)


def normalise(text: str) -> str:
    """Words compare without case, punctuation or spacing; '&' reads as 'and'."""
    text = text.lower().replace("&", " and ").replace("’", "'").replace("'", "")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def field_info(text: str) -> FieldInfo | None:
    """The model's field at a data path (``risks.0.type``, ``child.id``), or None."""
    return field_at(text)


def is_data_path(text: str) -> bool:
    """True when ``text`` names a field of an episode file (``risks.0.type``, ``child.id``)."""
    return field_info(text) is not None


def listed_paths() -> list[str]:
    """The data paths ``headers.yaml`` gives words for, in its order."""
    data = yaml.safe_load(_FILE.read_text(encoding="utf-8")) or {}
    return [str(path) for path in data]


@cache
def _labels() -> dict[str, list[str]]:
    """data path -> its words, first the label formkit writes."""
    data = yaml.safe_load(_FILE.read_text(encoding="utf-8")) or {}
    found: dict[str, list[str]] = {
        str(path): [str(w) for w in words] for path, words in data.items()
    }
    from formkit.tracker.columns import columns

    for column in columns():
        source = column.source.strip()
        if re.fullmatch(r"[a-z_][a-z0-9_.]*", source) and is_data_path(source):
            words = found.setdefault(source, [])
            if column.header not in words:
                words.append(column.header)
    return found


@cache
def _by_words() -> dict[str, str]:
    table: dict[str, str] = {}
    for path, words in _labels().items():
        for word in words:
            table.setdefault(normalise(word), path)
    return table


def label_for(path: str) -> str:
    """The words for a data path, as ``samples intake`` writes them (the path if none)."""
    words = _labels().get(path)
    return words[0] if words else path


def path_for_header(header: str) -> str | None:
    """The data path a column header names, or None."""
    text = header.strip()
    if not text:
        return None
    if is_data_path(text):
        return text
    return _by_words().get(normalise(text))


def suggest_header(header: str) -> str | None:
    """The nearest known words for an unknown header, as ``'Police risk'``."""
    known = {normalise(w): w for words in _labels().values() for w in words}
    close = difflib.get_close_matches(normalise(header), list(known), n=1, cutoff=0.6)
    if close:
        return known[close[0]]
    return None


def resolve_headers(headers: list[str], *, file: str) -> list[str]:
    """The data path of each column (``""`` for a blank header); an :class:`InputError` names
    every header that is neither a data path nor known words, with the nearest words."""
    paths: list[str] = []
    unknown: list[str] = []
    for header in headers:
        if not header.strip():
            paths.append("")
            continue
        path = path_for_header(header)
        if path is None:
            if len(unknown) < SHOWN:
                close = suggest_header(header)
                hint = f" (did you mean '{close}'?)" if close else ""
                unknown.append(f"'{header[:60]}'{hint}")
            else:
                unknown.append("")
            paths.append(header)
        else:
            paths.append(path)
    if not any(p.startswith(("episode.", "child.")) for p in paths if is_data_path(p)):
        raise InputError(NO_EPISODE_COLUMNS, file=file)
    if unknown:
        raise InputError(
            f"has column header{'s' if len(unknown) > 1 else ''} formkit does not know: "
            f"{', '.join(unknown[:SHOWN])}"
            + (f" and {len(unknown) - SHOWN:,} more" if len(unknown) > SHOWN else "")
            + ". A header is a field's words (such as 'Date of birth', "
            "'Police risk', 'Last seen') or its data path (child.date_of_birth); "
            "'formkit samples intake' writes a workbook with every header",
            file=file,
        )
    seen: dict[str, str] = {}
    for header, path in zip(headers, paths, strict=True):
        if path and path in seen:
            raise InputError(
                f"has the columns '{seen[path]}' and '{header}', which are the same field "
                f"({path}); keep one of them",
                file=file,
            )
        seen[path] = header
    return paths
