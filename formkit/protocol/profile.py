"""Protocol profiles: one YAML file per local authority, loaded and checked once.

A profile lists *rules*. Each rule says when it applies (``when``, see
:mod:`formkit.protocol.triggers`), what is owed (an interview, a meeting, a notification or a
document, with a template id), by when (``due``: a duration from an event, optionally repeating
while the child is still missing), what in the episode shows it was done (``done_by``), and which
section of the protocol says so (``source``). A rule with ``consider: true`` is a prompt where the
protocol says something "should be considered": it shows as *consider* (or done), never overdue.
A council can copy a bundled profile, edit it and
pass its path to ``--profile``. Every fault is reported with the file, the rule and the field.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import time
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from formkit.errors import ProfileError
from formkit.model.values import MeetingKind, NotificationKind
from formkit.protocol.calendar import Duration
from formkit.protocol.triggers import Trigger, TriggerSyntaxError, compile_trigger
from formkit.resources import bundled

PROFILES_DIR = bundled("protocol", "profiles")
# What a rule *is* to the rest of formkit: the tracker's columns (RHI due, strategy meeting due,
# SIN required, director's letter required) and the documents read a plan by role, so a council
# may name its rules as it likes.
ROLES = (
    "return-interview",
    "strategy-meeting",
    "serious-incident-notification",
    "director-letter",
)
Anchor = Literal["last_seen", "reported", "returned", "referral", "independent_requested"]
ObligationKind = Literal["document", "meeting", "notification", "interview"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Deadline(_Strict):
    """``within`` a duration of the first of the ``from`` events that has happened, or ``after``
    an earlier rule's obligation (when it was done, else when it fell due)."""

    from_: tuple[Anchor, ...] | None = Field(None, alias="from")
    after: str | None = None
    within: Duration

    @model_validator(mode="after")
    def _one_start(self) -> Deadline:
        if (self.from_ is None) == (self.after is None):
            raise ValueError("give either 'from' (an event) or 'after' (an earlier rule id)")
        return self

    @field_validator("from_", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("within", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Duration:
        return Duration.parse(value)


class Repeat(_Strict):
    """Further occurrences every ``every`` after the previous one, while the child is missing."""

    every: Duration

    @field_validator("every", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> Duration:
        duration = Duration.parse(value)
        if duration.amount < 1:
            raise ValueError("a repeat needs a positive interval, such as '5 working days'")
        return duration


class DoneBy(_Strict):
    """The episode data that shows an obligation was met (one of these)."""

    meeting: tuple[MeetingKind, ...] | None = None
    notification: tuple[NotificationKind, ...] | None = None
    interview: Literal["held", "held_or_declined"] | None = None
    referral: Literal["made"] | None = None
    risk_assessment: Literal["completed"] | None = None

    @field_validator("meeting", "notification", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value


class RuleSpec(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    kind: ObligationKind
    title: str = Field(min_length=1)
    document: str | None = None
    when: dict[str, Any] = Field(default_factory=dict)
    due: Deadline | None = None
    repeat: Repeat | None = None
    done_by: DoneBy | None = None
    while_missing: bool = False
    consider: bool = False
    role: str | None = None
    source: str = Field(min_length=1)
    note: str | None = None

    @field_validator("role")
    @classmethod
    def _known_role(cls, value: str | None) -> str | None:
        if value is not None and value not in ROLES:
            close = difflib.get_close_matches(value, ROLES, n=1)
            hint = f"; did you mean '{close[0]}'?" if close else f" ({', '.join(ROLES)})"
            raise ValueError(f"'{value}' is not a role{hint}")
        return value


class Director(_Strict):
    """Where a letter to the council's Director of Children's Services goes: the post's title
    and the council's postal address, never a person's name (people change; a record's
    ``people.home_director`` names one)."""

    role: str = Field("Director of Children's Services", min_length=1)
    address: str | None = Field(None, min_length=1)


class ProfileSpec(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: str = Field(min_length=1)
    source: str = Field(min_length=1)
    authority_names: tuple[str, ...] = ()
    address: str | None = Field(None, min_length=1)
    """The council's postal address, printed as the sender's on its letters."""
    director: Director | None = None
    working_day_ends: str = "17:00"
    rules: tuple[RuleSpec, ...] = Field(min_length=1)

    @field_validator("working_day_ends")
    @classmethod
    def _clock(cls, value: str) -> str:
        if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise ValueError(f"'{value}' is not a time of day such as '17:00'")
        return value


@dataclass(frozen=True)
class Rule:
    """A checked rule with its trigger compiled."""

    spec: RuleSpec
    trigger: Trigger

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True)
class Profile:
    """A loaded protocol profile: its rules in order, ready to evaluate."""

    id: str
    name: str
    source: str
    authority_names: frozenset[str]
    end_of_working_day: time
    rules: tuple[Rule, ...]
    path: str
    address: str | None = None
    director: Director | None = None

    def is_own_authority(self, name: str | None) -> bool:
        """Whether ``name`` (e.g. "London Borough of Bexley") is this profile's authority."""
        return name is not None and authority_key(name) in self.authority_names


def authority_key(name: str) -> str:
    """A comparable form of an authority's name: 'London Borough of Bexley' → 'bexley'."""
    text = re.sub(r"[^a-z0-9]+", " ", name.lower())
    text = re.sub(
        r"\b(london borough of|royal borough of|borough|county|city|council|of|the)\b", " ", text
    )
    return "-".join(text.split())


def _rule_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return f"rule '{raw['id']}'"
    return f"rule {index + 1}"


def _from_validation(error: ValidationError, raw: Any, file: str) -> ProfileError:
    first = error.errors()[0]
    loc = list(first["loc"])
    record = None
    if len(loc) >= 2 and loc[0] == "rules" and isinstance(loc[1], int):
        rules = raw.get("rules") if isinstance(raw, dict) else None
        item = rules[loc[1]] if isinstance(rules, list) and loc[1] < len(rules) else None
        record = _rule_label(item, loc[1])
        loc = loc[2:]
    field = ".".join(str(part) for part in loc) or None
    message = first["msg"].removeprefix("Value error, ")
    if first["type"] == "missing":
        message = "is missing: every rule needs it" if record else "is missing"
    elif first["type"] == "too_short":
        message = "must not be empty"
    elif first["type"] == "extra_forbidden":
        message = "is not a profile field"
        if record and field:
            allowed = [f for f in RuleSpec.model_fields if f != "from_"]
            close = difflib.get_close_matches(field.split(".")[-1], allowed, n=1)
            if close and "." not in field:
                message += f"; did you mean '{close[0]}'?"
    return ProfileError(message, file=file, record=record, field=field)


def template_problem(template_id: str, known: list[str]) -> str | None:
    """Why ``template_id`` names no template of the catalogue (ids ``known``), or None."""
    if template_id in known:
        return None
    close = difflib.get_close_matches(template_id, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f" ({', '.join(known)})"
    return f"'{template_id}' is not a template id{hint}"


def _catalogue_ids() -> list[str]:
    """The template ids of the catalogue in force: a council's own folder (which may add
    templates) or the shipped one. The catalogue is the one list of templates."""
    from formkit.render.catalog import Catalog  # read only by profiles that name documents

    return sorted(Catalog.load().entries)


def parse_profile(raw: Any, file: str) -> Profile:
    """Check a profile read from YAML and compile it; raise :class:`ProfileError` on a fault."""
    if not isinstance(raw, dict):
        raise ProfileError(
            "a profile must be a YAML mapping with 'id', 'name' and 'rules'", file=file
        )
    try:
        spec = ProfileSpec.model_validate(raw)
    except ValidationError as exc:
        raise _from_validation(exc, raw, file) from None
    rules: list[Rule] = []
    seen: set[str] = set()
    roles: dict[str, str] = {}
    templates: list[str] | None = None
    for index, rule in enumerate(spec.rules):
        label = _rule_label(raw["rules"][index], index)
        if rule.document is not None:
            templates = _catalogue_ids() if templates is None else templates
            problem = template_problem(rule.document, templates)
            if problem is not None:
                raise ProfileError(problem, file=file, record=label, field="document")
        if rule.id in seen:
            raise ProfileError(
                "is used by two rules; rule ids must be unique", file=file, record=label, field="id"
            )
        seen.add(rule.id)
        if rule.role is not None:
            if rule.role in roles:
                raise ProfileError(
                    f"'{rule.role}' is already the role of rule '{roles[rule.role]}'; "
                    "each role belongs to one rule",
                    file=file,
                    record=label,
                    field="role",
                )
            roles[rule.role] = rule.id
        try:
            trigger = compile_trigger(rule.when)
        except TriggerSyntaxError as exc:
            raise ProfileError(
                exc.message, file=file, record=label, field=f"when.{exc.field}"
            ) from None
        if (
            rule.due is not None
            and rule.due.after is not None
            and rule.due.after not in seen - {rule.id}
        ):
            raise ProfileError(
                f"'{rule.due.after}' is not an earlier rule in this profile",
                file=file,
                record=label,
                field="due.after",
            )
        if rule.consider and rule.repeat is not None:
            raise ProfileError(
                "a consideration is a prompt, not a duty: it cannot repeat",
                file=file,
                record=label,
                field="repeat",
            )
        if rule.repeat is not None and rule.due is None:
            raise ProfileError(
                "a repeating rule needs 'due' for its first occurrence",
                file=file,
                record=label,
                field="repeat",
            )
        rules.append(Rule(rule, trigger))
    hour, minute = (int(part) for part in spec.working_day_ends.split(":"))
    names = {authority_key(n) for n in spec.authority_names}
    if names:  # the profile's own id names its authority too ("kent-medway", "bexley")
        names.add(authority_key(spec.id))
    return Profile(
        id=spec.id,
        name=spec.name,
        source=spec.source,
        authority_names=frozenset(names),
        end_of_working_day=time(hour, minute),
        rules=tuple(rules),
        path=file,
        address=spec.address,
        director=spec.director,
    )


def bundled_profiles() -> list[str]:
    """The ids of the profiles shipped with formkit."""
    return sorted(p.stem for p in PROFILES_DIR.glob("*.yaml"))


def profile_of_authority(name: str | None) -> Profile | None:
    """The bundled profile of the council called ``name`` ("Bexley Council"), if formkit ships
    one: where a letter to that council's Director goes when the record does not say."""
    if not name:
        return None
    for profile_id in bundled_profiles():
        try:
            profile = _bundled_profile(profile_id)
        except ProfileError:
            continue
        if profile.is_own_authority(name):
            return profile
    return None


@lru_cache(maxsize=128)
def _load_file(path: str, mtime_ns: int) -> Profile:
    # Keyed by modification time, so an edited profile is read again but an unchanged one never.
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ProfileError(f"cannot read the profile: {exc}", file=path) from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ProfileError(
            f"is not valid YAML{where}: {getattr(exc, 'problem', exc)}", file=path
        ) from None
    return parse_profile(raw, path)


def load_profile(name_or_path: str | Path) -> Profile:
    """A bundled profile by id (``"bexley"``) or a profile file by path; cached after the first read."""
    text = str(name_or_path)
    looks_like_path = (
        isinstance(name_or_path, Path) or "/" in text or text.endswith((".yaml", ".yml"))
    )
    if not looks_like_path:
        return _bundled_profile(text)
    return _profile_file(Path(text), text)


@cache
def _bundled_profile(name: str) -> Profile:
    # Bundled profiles do not change while formkit runs: each is read (and stat'ed) once.
    path = PROFILES_DIR / f"{name}.yaml"
    if not path.is_file():
        known = bundled_profiles()
        close = difflib.get_close_matches(name, known, n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        raise ProfileError(
            f"there is no profile '{name}'{hint} (bundled: {', '.join(known)}; or give a path to a YAML file)"
        )
    return _profile_file(path, name)


def _profile_file(path: Path, given: str) -> Profile:
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        raise ProfileError("the profile file does not exist", file=given) from None
    return _load_file(str(path), mtime)
