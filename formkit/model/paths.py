"""Data paths: the dotted names that tag content controls and PDF fields (see formkit.model).

This module is the one place that knows how a path walks data and types: the value at a path
(:func:`resolve`, :func:`get_at`, :func:`set_at`, :func:`delete_at`), nesting flat
``{path: value}`` pairs (:func:`nest`, :func:`lists_from_indices`), and the type at a path in the
episode model (:func:`trace`, :func:`type_at`, :func:`model_at`, :func:`choice_problem`).

``child.first_name``, ``risks.0.type``, ``return_interview.referrals.services.health.signposted``
and, for a tick box that says whether a choice is in a list,
``return_interview.push_pull_factors=social_network``.
"""

from __future__ import annotations

import difflib
import re
import types
import typing
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

DATA_PATH = re.compile(r"^[a-z_][a-z0-9_]*(\.[a-z0-9_]+)*(=[a-z0-9_]+)?$")

MISSING = object()
"""What :func:`resolve` returns for a path that leads nowhere (a None on the way, no such key)."""


def split_tag(tag: str) -> tuple[str, str | None]:
    """``a.b=c`` → (``a.b``, ``c``); ``a.b`` → (``a.b``, None)."""
    path, _, choice = tag.partition("=")
    return path, (choice or None)


def resolve(record: Any, path: str) -> Any:
    """The value at ``path`` in a record (models, dicts keyed by choice values, lists)."""
    node = record
    for step in path.split("."):
        if node is None:
            return MISSING
        if isinstance(node, BaseModel):
            if step not in type(node).model_fields:
                return MISSING
            node = getattr(node, step)
        elif isinstance(node, dict):
            node = node.get(step, MISSING)
            if node is MISSING:
                return MISSING
        elif isinstance(node, list | tuple):
            if not step.isdigit() or int(step) >= len(node):
                return MISSING
            node = node[int(step)]
        else:
            return MISSING
    return node


def _code(item: Any) -> str:
    return str(item.value) if isinstance(item, Enum) else str(item)


def choice_in(value: Any, choice: str) -> bool:
    """Is ``choice`` the value, or one of the values of a multiple-choice list?"""
    if isinstance(value, list | tuple | set):
        return any(_code(item) == choice for item in value)
    if value is MISSING or value is None or isinstance(value, bool):
        return False
    return _code(value) == choice


# -- values at a path in nested data ------------------------------------------------------------


def get_at(data: Any, path: str) -> Any:
    """The value at ``path`` in nested data, or None where the path leads nowhere."""
    found = resolve(data, path)
    return None if found is MISSING else found


def set_at(data: dict[str, Any], path: str, value: Any) -> None:
    """Put ``value`` at ``path`` in nested dicts, making (or replacing) the dicts on the way."""
    keys = path.split(".")
    node = data
    for key in keys[:-1]:
        child = node.get(key)
        if not isinstance(child, dict):
            child = {}
            node[key] = child
        node = child
    node[keys[-1]] = value


def delete_at(data: Any, path: str) -> None:
    """Remove what is at ``path`` (a key or a list position); nothing when it is not there."""
    parent, _, last = path.rpartition(".")
    node = get_at(data, parent) if parent else data
    if isinstance(node, dict):
        node.pop(last, None)
    elif isinstance(node, list) and last.isdigit() and int(last) < len(node):
        del node[int(last)]


def lists_from_indices(node: Any, drop: Callable[[Any], bool] | None = None) -> Any:
    """Dicts whose keys are all list positions become lists, in number order, gaps closed up
    (``risks.0.type`` → a list of risks); entries for which ``drop`` is true are left out."""
    if not isinstance(node, dict):
        return node
    converted = {
        key: lists_from_indices(value, drop)
        for key, value in node.items()
        if drop is None or not drop(value)
    }
    if converted and all(str(key).isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


def nest(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    """``[("child.first_name", "Ana"), ("risks.0.type", "cse")]`` as nested data (lists where
    the path has positions); a later value for the same path wins."""
    root: dict[str, Any] = {}
    for path, value in pairs:
        set_at(root, path, value)
    nested: dict[str, Any] = lists_from_indices(root) if root else {}
    return nested


# -- types at a path in the episode model -------------------------------------------------------


def unwrap(annotation: Any) -> Any:
    """A field's annotation without Annotated and Optional: its real type (a union of several
    types stays a union)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def is_model(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, BaseModel)


def is_enum(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, Enum)


def list_item(kind: Any) -> Any:
    """The type of a list's items, or None when ``kind`` is not a list."""
    return unwrap(typing.get_args(kind)[0]) if typing.get_origin(kind) is list else None


def _codes(enum: Any) -> list[str]:
    return [str(member.value) for member in enum]


@dataclass(frozen=True)
class PathType:
    """Where a data path leads in a model: the type there, or why it leads nowhere."""

    kind: Any = None  # the type at the path (unwrapped); None when the path is not in the model
    problem: str | None = None  # why the path is not in the model
    parent: Any = None  # the type where the path went wrong (for "did you mean")
    step: str = ""  # the step that went wrong


def _step(kind: Any, step: str) -> tuple[Any, str | None]:
    """The type one step below ``kind``, or None and why not."""
    if is_model(kind):
        info = kind.model_fields.get(step)
        if info is None:
            return None, f"'{step}' is not a field of {kind.__name__}"
        return unwrap(info.annotation), None
    origin = typing.get_origin(kind)
    if origin is list:
        if not step.isdigit():
            return None, f"'{step}' should be a list index (a number)"
        return list_item(kind), None
    if origin is dict:
        key, value = typing.get_args(kind)
        if is_enum(key) and step not in _codes(key):
            return None, f"'{step}' is not one of {', '.join(_codes(key))}"
        return unwrap(value), None
    return None, f"'{step}' goes past the end of the path"


def trace(path: str, root: Any = None) -> PathType:
    """Follow ``path`` (no ``=choice``) through the types of ``root`` (the episode model)."""
    kind = _episode_record() if root is None else unwrap(root)
    for step in path.split("."):
        below, problem = _step(kind, step)
        if problem is not None:
            return PathType(problem=problem, parent=kind, step=step)
        kind = below
    return PathType(kind=kind)


@lru_cache(maxsize=4096)
def type_at(path: str) -> Any:
    """The type at ``path`` in :class:`~formkit.model.EpisodeRecord`, None when not in it."""
    return trace(path).kind


def field_at(path: str) -> FieldInfo | None:
    """The model field ``path`` names (its annotation, description, validators and whether it
    is required), or None when it names none (a list position, a dict key, not in the model)."""
    parent, _, name = path.rpartition(".")
    model = type_at(parent) if parent else _episode_record()
    if not is_model(model):
        return None
    found: FieldInfo | None = model.model_fields.get(name)
    return found


def model_at(path: str) -> Any:
    """The model class at ``path`` (the episode for ""), looking inside lists and unions; None
    when there is none."""
    found: Any = _episode_record()
    for step in path.split(".") if path else ():
        inner = _inner_model(found)
        if inner is None:
            return None
        if step.isdigit():
            continue
        info = inner.model_fields.get(step)
        if info is None:
            return None
        found = info.annotation
    return _inner_model(found)


def _inner_model(annotation: Any) -> Any:
    if is_model(annotation):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def choice_problem(kind: Any, choice: str) -> str | None:
    """Why ``path=choice`` cannot name a tick box for a field of type ``kind``, or None: a
    choice of a list of choices or of one choice, a number of a 1-5 scale, or yes/no."""
    options = list_item(kind) if typing.get_origin(kind) is list else kind
    if is_enum(options):
        if choice in _codes(options):
            return None
        close = difflib.get_close_matches(choice, _codes(options), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"'{choice}' is not one of the choices{hint}"
    if options is int:
        return None if choice.isdigit() else f"'{choice}' is not a number"
    if options is bool:
        return None
    return "'=value' is only for a choice, a number or yes/no"


@lru_cache(maxsize=4096)
def is_model_path(tag: str) -> bool:
    """True for a data path (or ``path=choice``) that names a field of the episode model."""
    path, choice = split_tag(tag)
    found = type_at(path)
    if found is None:
        return False
    return choice is None or choice_problem(found, choice) is None


def _episode_record() -> Any:
    from formkit.model.episode import EpisodeRecord  # paths is read by the model's own modules

    return EpisodeRecord
