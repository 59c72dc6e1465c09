"""From ``{data path: value}`` to an episode-shaped dict checked against the model.

Paths follow the model's convention (``formkit.model``): dotted names, list indices as numbers,
referral services as dict keys, and ``path=value`` for a box that says whether ``value`` is in a
multi-choice list (or is the one choice of a single-choice field). A completed RHI form is a
*partial* episode: its ``return_interview`` is validated with :class:`ReturnInterview` and
``episode.reference`` is kept so the tracker can merge it into its row.
"""

from __future__ import annotations

import types
import typing
from functools import lru_cache
from typing import Any

from pydantic import BaseModel, TypeAdapter, ValidationError

from formkit.errors import FormParseError
from formkit.model import EpisodeRecord, ReturnInterview
from formkit.model.base import RuleBroken
from formkit.model.episode import Reference
from formkit.model.paths import delete_at, field_at, get_at, lists_from_indices, set_at, type_at
from formkit.parse.consistency import park, settle_interview
from formkit.parse.result import ParseResult, Value
from formkit.words import read_yes_no

_REFERENCE: TypeAdapter[str] = TypeAdapter(Reference)


def _clash(data: dict[str, Any], path: str) -> str | None:
    """The path of a value already placed that ``path`` would have to go inside (a parent
    holding a plain value) or replace (values placed inside ``path``); None when it fits."""
    keys = path.split(".")
    node: Any = data
    for depth, key in enumerate(keys):
        if not isinstance(node, dict) or key not in node:
            return None
        node = node[key]
        if depth < len(keys) - 1 and not isinstance(node, dict):
            return ".".join(keys[: depth + 1])
    inside = [path]
    while isinstance(node, dict) and node:
        key, node = next(iter(node.items()))
        inside.append(str(key))
    return ".".join(inside) if len(inside) > 1 else None


def place_values(values: list[tuple[str, Value, str]], result: ParseResult) -> dict[str, Any]:
    """Put each (path, value, label) into a nested dict; record read, empty and warnings."""
    data: dict[str, Any] = {}
    chosen: dict[str, tuple[str, str]] = {}
    for path, value, label in values:
        base, _, choice = path.partition("=")
        other = _clash(data, base)
        if other is not None:
            result.warnings.append(
                f"{base}: the form has a field '{other}' and a field '{base}', one inside the "
                f"other; kept '{other}' and left out '{base}'"
            )
            continue
        if choice:
            kind = type_at(base)
            if typing.get_origin(kind) is list:
                if value is True:
                    listed = get_at(data, base) or []
                    if choice not in listed:
                        set_at(data, base, [*listed, choice])
                    result.fields_read.append(path)
                elif get_at(data, base) is None:
                    set_at(data, base, [])
                continue
            if value is True:
                if base in chosen and chosen[base][0] != choice:
                    words = f"both '{chosen[base][1]}' and '{label}' are ticked"
                    result.warnings.append(f"{base}: {words}; kept '{chosen[base][1]}'")
                    park(result, path, True, words, {path: label}, was_read=False)
                    continue
                chosen[base] = (choice, label)
                # a yes/no answered by ticking "Yes" or "No": path=yes, path=no
                set_at(data, base, read_yes_no(choice) is not False if kind is bool else choice)
                result.fields_read.append(path)
            continue
        if value is None or value == "":
            result.empty.append(path)
            continue
        if get_at(data, path) not in (None, value):
            result.warnings.append(f"{path}: two fields give different values; kept the first")
            park(
                result,
                path,
                value,
                "another field gives a different value",
                {path: label},
                was_read=False,
            )
            continue
        set_at(data, path, value)
        result.fields_read.append(path)
    _drop_unticked_services(data)
    return lists_from_indices(data)


def _drop_unticked_services(data: dict[str, Any]) -> None:
    """A referral-grid row with no box ticked means "not referred": leave it out, as a record
    typed by hand would."""
    services = get_at(data, "return_interview.referrals.services")
    if isinstance(services, dict):
        for name in [k for k, row in services.items() if isinstance(row, dict)]:
            if not any(v is True for v in services[name].values()):
                del services[name]


def _error_path(prefix: str, loc: tuple[int | str, ...]) -> str:
    return ".".join([prefix, *(str(part) for part in loc)]) if loc else prefix


def _validate_section(
    model: type[BaseModel],
    data: dict[str, Any],
    prefix: str,
    result: ParseResult,
    labels: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Validate ``data`` with ``model``, parking (with a warning) each value the model refuses,
    so one misread box or one contradiction never costs the rest of the form."""
    for _ in range(50):
        try:
            validated = model.model_validate(data)
        except ValidationError as exc:
            # Last first, so dropping a list member does not shift the ones still to drop.
            errors = sorted(exc.errors(), key=lambda e: [str(p).zfill(9) for p in e["loc"]])
            for error in reversed(errors):
                loc = tuple(error["loc"])
                if not loc:
                    # A cross-field rule of the model: set aside the field it names.
                    broken = (error.get("ctx") or {}).get("error")
                    if not isinstance(broken, RuleBroken):
                        raise FormParseError(
                            error["msg"].removeprefix("Value error, "), field=prefix
                        ) from exc
                    loc = tuple(broken.field.split("."))
                    message = broken.message
                else:
                    message = error["msg"]
                # a bad key in a dict of services, or a list member: drop the whole entry
                path = _error_path(prefix, loc)
                relative = ".".join(str(p) for p in loc)
                value = get_at(data, relative)
                if value is None:
                    value = error.get("input")
                result.warnings.append(f"{path}: {message}; left out (kept in unmapped)")
                park(result, path, value, message, labels)
                delete_at(data, relative)
            continue
        return validated.model_dump(mode="json", exclude_unset=True)
    raise FormParseError("too many values the model refuses", field=prefix)


def _checked_leaves(
    node: Any, prefix: str, result: ParseResult, labels: dict[str, str] | None
) -> Any:
    """Each value of a section formkit does not validate whole (the young person's details
    copied onto an interview form) checked against its type; a refused value is parked."""
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            checked = _checked_leaves(value, f"{prefix}.{key}", result, labels)
            if checked is not None:
                out[key] = checked
        return out or None
    adapter = _leaf_adapter(prefix)
    if adapter is None or isinstance(node, list):
        return node
    try:
        return adapter.validate_python(node)
    except ValidationError as exc:
        message = exc.errors()[0]["msg"]
        result.warnings.append(f"{prefix}: {message}; left out (kept in unmapped)")
        park(result, prefix, node, message, labels)
        return None


@lru_cache(maxsize=512)
def _leaf_type(path: str) -> Any:
    """The declared type at ``path`` with its validators (``LondonDateTime`` reads UK dates and
    puts them in London time), without Optional; None when not a model field."""
    info = field_at(path)
    if info is None:
        return type_at(path)
    annotation = info.annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        annotation = args[0] if len(args) == 1 else annotation
    if info.metadata:
        return typing.Annotated[annotation, *info.metadata]
    return annotation


@lru_cache(maxsize=512)
def _leaf_adapter(path: str) -> TypeAdapter[Any] | None:
    kind = _leaf_type(path)
    return None if kind is None else TypeAdapter(kind)


def _json(value: Any) -> Any:
    return TypeAdapter(Any).dump_python(value, mode="json")


def validate_episode(
    data: dict[str, Any], result: ParseResult, labels: dict[str, str] | None = None
) -> dict[str, Any]:
    """A complete episode if the form holds one, else the return interview, the episode's
    identifying details (reference, police reference, dates) and the young person's details."""
    if set(data) - {"episode", "return_interview", "child"}:
        try:
            record = EpisodeRecord.model_validate(data)
        except ValidationError:
            pass
        else:
            result.complete = True
            return record.model_dump(mode="json", exclude_unset=True)
    out: dict[str, Any] = {}
    episode = data.get("episode")
    if isinstance(episode, dict):
        episode = dict(episode)
        reference = episode.pop("reference", None)
        if reference is not None:
            try:
                checked = _REFERENCE.validate_python(str(reference).strip())
                out["episode"] = {"reference": checked}
            except ValidationError:
                _police_reference(str(reference).strip(), episode, result, labels)
        others = _checked_leaves(episode, "episode", result, labels)
        if others:
            out.setdefault("episode", {}).update(_json(others))
    interview = data.get("return_interview")
    if isinstance(interview, dict):
        settle_interview(interview, result, prefix="return_interview", labels=labels)
        out["return_interview"] = _validate_section(
            ReturnInterview, interview, "return_interview", result, labels
        )
    for section, value in data.items():
        if section not in ("episode", "return_interview"):
            checked_section = _checked_leaves(value, section, result, labels)
            if checked_section is not None:
                out[section] = _json(checked_section)
    return out


def _police_reference(
    text: str, episode: dict[str, Any], result: ParseResult, labels: dict[str, str] | None
) -> None:
    """A reference that cannot be an episode reference (``MP/2026/004417``) is the police's
    missing-person number, which providers often copy instead of the council's reference."""
    known = episode.get("police_reference")
    if known in (None, "", text):
        episode["police_reference"] = text
        return
    message = "is neither an episode reference nor the police reference the form gives"
    result.warnings.append(f"episode.reference: {text!r} {message}; left out (kept in unmapped)")
    park(result, "episode.reference", text, message, labels)
