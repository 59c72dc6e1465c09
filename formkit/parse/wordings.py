"""Reading any provider's RHI form by its labels: the wordings in ``wordings.yaml``, matched.

Each field of a form is named by what is printed beside it. A text box's label (or alias, or the
question above it) is matched to the wordings of each data path, exactly and then by similarity
above a threshold. A tick box is matched as a choice: the question above it names the group
("Missing from", "Safeguarding concerns"), its label the choice; a box labelled "2" under "How
are you feeling" ticks a 1-5 scale; boxes in a grid (services x signposted / currently /
historically) take their column from the alias ("Health: currently engaging") or, when the form
prints no headings beside them, from their order in the row. Every guess carries a confidence,
which ``formkit mapping draft`` shows to the person confirming it.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from formkit.model.paths import type_at
from formkit.parse.labels import normalise
from formkit.parse.result import FormField, Value
from formkit.parse.typed import read_date, read_scale
from formkit.resources import bundled
from formkit.words import read_yes_no

WORDINGS_FILE = bundled("parse", "wordings.yaml")
BOOL_KINDS = frozenset({"checkbox", "glyph", "legacy-checkbox"})
_SCALE_DIGIT = re.compile(r"^(?:[a-z ]*?\s)?([1-5])(?:\s[a-z ]*)?$")
_ASIDE = re.compile(r"\([^)]*\)")  # a bracketed aside: "Ref (Police)", "(CSE/CCE)"
_GENERATED = re.compile(r"^(text|check ?box|dropdown|combo|field|date)\s*\d+$", re.I)


@dataclass(frozen=True)
class Guess:
    """A data path for a field (``path=choice`` for a box; ``path=yes`` / ``path=no`` for the
    boxes of a yes/no) and how sure the guess is, 0 to 1."""

    path: str
    confidence: float


def similarity(a: str, b: str) -> float:
    """How alike two normalised labels are, 0 to 1; a label that starts with a whole wording of
    two words or more ("date of birth age" / "date of birth") counts as close."""
    if a == b:
        return 1.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    score = matcher.ratio() if matcher.real_quick_ratio() >= 0.6 else 0.0
    short, long_ = sorted((a.split(), b.split()), key=len)
    if len(short) >= 2 and long_[: len(short)] == short:
        score = max(score, 0.85 + 0.1 * len(short) / len(long_))
    elif (
        len(short) >= 2
        and 2 * len(short) >= len(long_)
        and f" {' '.join(short)} " in (f" {' '.join(long_)} ")
    ):
        score = max(score, 0.85)  # "associates people of concern" holds "people of concern"
    return score


@dataclass
class Wordings:
    threshold: float
    fields: dict[str, list[str]]  # path -> normalised wordings
    choices: dict[str, dict[str, list[str]]]  # path -> choice -> normalised wordings
    scales: list[str]
    grids: dict[str, dict[str, list[str]]]
    _exact: dict[str, str] = field(default_factory=dict)
    _cache: dict[tuple[str, tuple[str, ...] | None], Guess | None] = field(default_factory=dict)
    _choices: dict[tuple[str, str], tuple[str, float] | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for path, words in self.fields.items():
            for word in words:
                self._exact.setdefault(word, path)

    # -- text answers ------------------------------------------------------------------

    def best_path(self, label: str, paths: typing.Iterable[str] | None = None) -> Guess | None:
        """The data path whose wordings are most like ``label`` (above the threshold)."""
        text = normalise(label)
        if not text:
            return None
        key = (text, tuple(paths) if paths is not None else None)
        if key not in self._cache:
            found = self._best(*key)
            plain = normalise(_ASIDE.sub(" ", label))
            if found is None and plain and plain != text:
                found = self._best(plain, key[1])  # "Missing Person Ref (Police)"
            self._cache[key] = found
        return self._cache[key]

    def _best(self, text: str, paths: tuple[str, ...] | None) -> Guess | None:
        exact = self._exact.get(text)
        if exact is not None and (paths is None or exact in paths):
            return Guess(exact, 1.0)
        best: Guess | None = None
        for path in paths if paths is not None else self.fields:
            for word in self.fields.get(path, []):
                score = similarity(text, word)
                if score >= self.threshold and (best is None or score > best.confidence):
                    best = Guess(path, round(score, 2))
        return best

    def _choice(self, group: str, label: str) -> tuple[str, float] | None:
        key = (group, label)
        if key not in self._choices:
            found = self._best_choice(group, normalise(label))
            plain = normalise(_ASIDE.sub(" ", label))
            if found is None and plain:
                found = self._best_choice(group, plain)  # "Exploitation (CSE/CCE)"
            self._choices[key] = found
        return self._choices[key]

    def _best_choice(self, group: str, text: str) -> tuple[str, float] | None:
        best: tuple[str, float] | None = None
        for choice, words in self.choices.get(group, {}).items():
            for word in words:
                score = similarity(text, word)
                if score >= self.threshold and (best is None or score > best[1]):
                    best = (choice, score)
        return best

    def _is_yes_no(self, group: str) -> bool:
        return set(self.choices.get(group, {})) == {"yes", "no"}

    def _box(self, group: str, choice: str, score: float) -> Guess:
        return Guess(f"{group}={choice}", score)  # a yes/no too: path=yes, path=no

    def guess_box(
        self, found: FormField, current: str | None, column: int | None = None
    ) -> Guess | None:
        """A tick box: a choice of the group its question names (else of ``current``, the group
        the boxes before it belonged to), a 1-5 scale, a grid cell, or a yes/no."""
        label, context = found.label or "", found.context or ""
        if found.alias and ":" in found.alias:
            context, _, label = found.alias.rpartition(":")
        elif not label and found.alias:
            label = found.alias
        if "?" in label.rstrip("?"):  # "Consent given? Yes [x]": the question, then the box
            context, _, label = label.rpartition("?")
            label = label.strip()
        groups = [g for g in self.choices if g not in self.grids]
        scale = _SCALE_DIGIT.match(normalise(label))
        question = self.best_path(context, [*groups, *self.scales]) if context else None
        if scale and (question and question.path in self.scales or current in self.scales):
            path = question.path if question and question.path in self.scales else current
            return Guess(f"{path}={scale[1]}", question.confidence if question else 0.9)
        for grid, columns in self.grids.items():
            # "Health: currently engaging" (an alias), or boxes in a run labelled by their row
            row = self._choice(grid, context) if context else None
            name = self._column(columns, label) if row else None
            if name is None and column is not None and column < len(columns):
                row, name = self._choice(grid, label), list(columns)[column]
            if row is not None and name is not None:
                return Guess(f"{grid}.{row[0]}.{name}", round(row[1] * 0.95, 2))
        if question is not None and question.path in groups:
            chosen = self._choice(question.path, label)
            if chosen is not None:
                return self._box(question.path, chosen[0], min(chosen[1], question.confidence))
        if question is None and current in groups:
            # no question of its own: the next box of the group before ("Yes [x] No [ ]")
            chosen = self._choice(current, label)
            if chosen is not None:
                return self._box(current, chosen[0], round(chosen[1] * 0.9, 2))
        own = self.best_path(label)
        if own is not None and type_at(own.path) is bool:
            return Guess(own.path, own.confidence)  # "No referral made": the box is the answer
        choices = [g for g in groups if not self._is_yes_no(g)]
        guess = self._any_group(label, current, choices)
        if guess is None and context and label:
            # "Contact with a person posing risk: adult [x] peer [ ]"
            guess = self._any_group(f"{context} {label}", current, choices)
        return guess

    def _any_group(self, label: str, current: str | None, groups: list[str]) -> Guess | None:
        found: list[tuple[float, str, str]] = []
        for group in groups:
            chosen = self._choice(group, label)
            if chosen is not None:
                found.append((chosen[1], group, chosen[0]))
        if not found:
            return None
        top = max(score for score, _, _ in found)
        best = [item for item in found if item[0] == top]
        if len(best) > 1:
            best = [item for item in best if item[1] == current]
            if len(best) != 1:
                return None  # "Other" or "Bullying" with no question to say which group
        score, group, choice = best[0]
        return self._box(group, choice, round(score * 0.9, 2))

    def _column(self, columns: dict[str, list[str]], label: str) -> str | None:
        text = normalise(label)
        best: tuple[str, float] | None = None
        for name, words in columns.items():
            for word in words:
                score = similarity(text, word)
                if score >= self.threshold and (best is None or score > best[1]):
                    best = (name, score)
        return best[0] if best else None

    def guess_text(self, found: FormField) -> Guess | None:
        """A text, date or drop-down: its label, alias or the question above it."""
        names = [found.label, found.alias, found.context]
        if found.tag and not _GENERATED.match(found.tag):
            names.append(found.tag)
        best: Guess | None = None
        for name in names:
            if not name:
                continue
            guess = self.best_path(name)
            if guess is not None and (best is None or guess.confidence > best.confidence):
                best = guess
        return best

    def guess_fields(self, fields: list[FormField]) -> list[Guess | None]:
        """A guess for each field, in order (a box's group carries on to the boxes after it)."""
        guesses: list[Guess | None] = []
        current: str | None = None
        runs = _runs(fields)
        for index, found in enumerate(fields):
            if found.kind in BOOL_KINDS or isinstance(found.value, bool):
                column = runs[index]
                guess = self.guess_box(found, current, column)
                if guess is not None:
                    current = guess.path.partition("=")[0]
            else:
                guess = self.guess_text(found)
            guesses.append(guess)
        return guesses

    # -- values ------------------------------------------------------------------------

    def coerce(self, path: str, value: Value) -> Any:
        """A typed answer read as what ``path`` stores: a choice by its words, a yes/no, a
        scale, a date; text that cannot be read is returned as typed (the model reports it)."""
        if not isinstance(value, str) or "=" in path:
            return value
        kind = type_at(path)
        if typing.get_origin(kind) is list:
            parts = [p for p in re.split(r"[;\n]", value) if p.strip()]
            return [self.coerce_choice(path, p) for p in parts]
        if kind is bool:
            chosen = self._choice(path, value)
            if chosen is not None:
                return chosen[0] == "yes"
            flag = read_yes_no(value)
            return value if flag is None else flag
        if kind is int:
            number = read_scale(value)
            return value if number is None else number
        if isinstance(kind, type) and issubclass(kind, Enum):
            return self.coerce_choice(path, value)
        name = getattr(kind, "__name__", "")
        if name in ("date", "datetime"):
            return read_date(value, with_time=name == "datetime") or value
        return value

    def coerce_choice(self, path: str, value: str) -> str:
        kind = type_at(path)
        if typing.get_origin(kind) is list:
            kind = typing.get_args(kind)[0]
        if isinstance(kind, type) and issubclass(kind, Enum):
            try:
                return str(kind(value.strip()).value)
            except ValueError:
                pass
        chosen = self._choice(path, value)
        return chosen[0] if chosen else value.strip()


def _runs(fields: list[FormField]) -> list[int | None]:
    """For boxes in a run of two or three with the same label (a grid row with no headings
    beside the boxes), each box's place in the run; None for other fields."""
    places: list[int | None] = [None] * len(fields)
    index = 0
    while index < len(fields):
        found = fields[index]
        end = index + 1
        if found.kind in BOOL_KINDS and found.label:
            while (
                end < len(fields)
                and fields[end].kind in BOOL_KINDS
                and (fields[end].label, fields[end].context) == (found.label, found.context)
            ):
                end += 1
        if 2 <= end - index <= 3:
            for place in range(index, end):
                places[place] = place - index
        index = end
    return places


def _normalised(words: Any) -> list[str]:
    return [normalise(str(w)) for w in words or [] if normalise(str(w))]


@lru_cache(maxsize=2)
def load_wordings(path: Path = WORDINGS_FILE) -> Wordings:
    """The shipped wordings (checked against the model: every path must exist)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fields = {str(p): _normalised(w) for p, w in (data.get("fields") or {}).items()}
    choices: dict[str, dict[str, list[str]]] = {}
    for group, options in (data.get("choices") or {}).items():
        choices[str(group)] = {
            str(choice): [normalise(str(choice).replace("_", " ")), *_normalised(words)]
            for choice, words in options.items()
        }
    grids = {
        str(grid): {str(c): _normalised(w) for c, w in columns.items()}
        for grid, columns in (data.get("grids") or {}).items()
    }
    return Wordings(
        threshold=float(data.get("threshold", 0.84)),
        fields=fields,
        choices=choices,
        scales=[str(s) for s in data.get("scales") or []],
        grids=grids,
    )
