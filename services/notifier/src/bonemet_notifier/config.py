"""The routing file: its schema, its validation, and the default when there is none.

Format and examples: docs/notifier.md. Validated once at start; every problem is reported with
its place in the file (``recipients.dr-a.deliver.0.channel: unknown channel 'mail'``) and the
process does not start. Secrets are never in the file: it names the environment variables that
hold them (``secret_env``, ``password_env``, ``token_env``), and those must be set.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

Priority = Literal["routine", "asap", "urgent", "stat"]
Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

NAME = r"^[a-z0-9][a-z0-9_-]{0,63}$"
"""Names of channels, recipients and schedules: they become parts of notification ids and keys."""
PRACTITIONER_REFERENCE = r"^(Practitioner|PractitionerRole)/[A-Za-z0-9\-.]{1,64}$"
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$")
_UNIT_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


class RoutingError(Exception):
    """The routing file is missing, unreadable or invalid; ``problems`` lists every finding."""

    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(f"{source}: " + "; ".join(problems))
        self.source = source
        self.problems = problems

    def report(self) -> str:
        return f"routing file {self.source} is invalid:\n" + "\n".join(f"  - {p}" for p in self.problems)


def parse_duration(value: Any) -> float:
    """Seconds from ``90``, ``"90s"``, ``"15m"``, ``"2h"``, ``"1d"`` or ``"500ms"``."""
    if isinstance(value, bool):
        raise ValueError("a duration is a number of seconds or a text like '15m'")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value))
        if not match:
            raise ValueError(f"'{value}' is not a duration (examples: 90s, 15m, 2h)")
        seconds = float(match.group(1)) * _UNIT_S[match.group(2) or "s"]
    if seconds <= 0:
        raise ValueError("a duration must be positive")
    return seconds


Duration = Annotated[float, Field(description="seconds")]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class WebhookChannel(_Model):
    type: Literal["webhook"]
    url: str
    secret_env: str = Field(description="Environment variable holding the HMAC key.")

    @field_validator("url")
    @classmethod
    def _http(cls, url: str) -> str:
        if not url.startswith(("https://", "http://")):
            raise ValueError("url must start with https:// (or http:// on a trusted network)")
        return url


class EmailChannel(_Model):
    type: Literal["email"]
    host: str
    port: int = 587
    starttls: bool = True
    """STARTTLS is required unless the server is on loopback (then ``false`` is allowed)."""
    sender: str
    username: str | None = None
    password_env: str | None = None
    ca_file: Path | None = None
    """CA bundle for the server's certificate (default: the system's)."""

    @model_validator(mode="after")
    def _tls(self) -> EmailChannel:
        if not self.starttls and self.host not in {"127.0.0.1", "localhost", "::1"}:
            raise ValueError("starttls: false is only allowed for a server on loopback")
        if (self.username is None) != (self.password_env is None):
            raise ValueError("give username and password_env together")
        return self


class FhirChannel(_Model):
    type: Literal["fhir"]
    base_url: str
    token_env: str | None = None
    """Environment variable holding a bearer token (optional)."""
    ca_file: Path | None = None


class OutboxChannel(_Model):
    type: Literal["outbox"]
    directory: Path | None = None
    """Default: ``<BONEMET_DATA_DIR>/outbox``."""


Channel = Annotated[WebhookChannel | EmailChannel | FhirChannel | OutboxChannel, Field(discriminator="type")]


class Address(_Model):
    channel: str
    to: str | None = None
    """The e-mail address for an email channel; unused otherwise."""


class RecipientConfig(_Model):
    reference: str = Field(pattern=PRACTITIONER_REFERENCE)
    display: str = Field(min_length=1, max_length=120)
    deliver: list[Address] = Field(min_length=1)


def _clock_time(value: Any) -> Any:
    if isinstance(value, str | time):
        return value
    raise ValueError("write times of day as text, 'HH:MM' (for example '18:00')")


class Shift(_Model):
    days: list[Weekday] = Field(min_length=1)
    start: time
    end: time
    """``end`` earlier than ``start`` runs over midnight into the next day; equal means all day."""
    recipient: str

    _times = field_validator("start", "end", mode="before")(_clock_time)


class Schedule(_Model):
    shifts: list[Shift] = Field(min_length=1)
    fallback: str | None = None
    """Recipient when no shift covers the moment."""


class Match(_Model):
    """All given keys must match (AND); within a key any listed value matches (OR)."""

    organization: list[str] = []
    primary_cancer: list[str] = []
    lesion_site: list[str] = []
    """Case-insensitive shell patterns over lesion site displays, e.g. ``*vertebra*``."""

    @model_validator(mode="after")
    def _something(self) -> Match:
        if not (self.organization or self.primary_cancer or self.lesion_site):
            raise ValueError("a match needs organization, primary_cancer or lesion_site")
        return self


class Target(_Model):
    recipients: list[str] = []
    on_call: str | None = None

    @model_validator(mode="after")
    def _someone(self) -> Target:
        if not self.recipients and self.on_call is None:
            raise ValueError("give recipients, on_call, or both")
        return self


class Route(Target):
    name: str = Field(pattern=NAME)
    match: Match


class EscalationStep(_Model):
    after: Duration
    """Time since the suggestion was issued, without acknowledgement."""
    to: list[str] = Field(min_length=1)

    @field_validator("after", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float:
        return parse_duration(value)


class UrgencyPolicy(_Model):
    notify: Literal["on-call", "all"] = "all"
    """``on-call``: only the route's on-call recipient (its recipients when it has no schedule);
    ``all``: the route's recipients and its on-call recipient."""
    escalate: list[EscalationStep] = []
    digest: list[time] = []
    """Routine only: send at these local times as one digest per recipient and channel."""

    @field_validator("digest", mode="before")
    @classmethod
    def _times(cls, value: Any) -> Any:
        return [_clock_time(v) for v in value] if isinstance(value, list) else value

    @model_validator(mode="after")
    def _ordered(self) -> UrgencyPolicy:
        afters = [step.after for step in self.escalate]
        if afters != sorted(set(afters)):
            raise ValueError("escalation steps must have strictly increasing 'after'")
        return self


DEFAULT_URGENCY: dict[str, UrgencyPolicy] = {
    "stat": UrgencyPolicy(notify="on-call"),
    "urgent": UrgencyPolicy(),
    "asap": UrgencyPolicy(),
    "routine": UrgencyPolicy(),
}


class RoutingConfig(_Model):
    version: Literal[1]
    timezone: str = "UTC"
    channels: dict[str, Channel] = Field(min_length=1)
    recipients: dict[str, RecipientConfig] = Field(min_length=1)
    on_call: dict[str, Schedule] = {}
    routes: list[Route] = []
    default: Target
    urgency: dict[Priority, UrgencyPolicy] = {}

    @field_validator("timezone")
    @classmethod
    def _zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone '{name}' (use an IANA name like Europe/Berlin)") from None
        return name

    @model_validator(mode="after")
    def _references(self) -> RoutingConfig:
        problems: list[str] = []
        named: list[tuple[str, list[str]]] = [
            ("channel", list(self.channels)),
            ("recipient", list(self.recipients)),
            ("schedule", list(self.on_call)),
        ]
        for kind, names in named:
            problems += [f"{kind} name '{n}' must match {NAME}" for n in names if not re.match(NAME, n)]

        def recipient(where: str, name: str | None) -> None:
            if name is not None and name not in self.recipients:
                problems.append(f"{where}: unknown recipient '{name}' (known: {', '.join(sorted(self.recipients))})")

        def schedule(where: str, name: str | None) -> None:
            if name is not None and name not in self.on_call:
                known = ", ".join(sorted(self.on_call)) or "none"
                problems.append(f"{where}: unknown on_call schedule '{name}' (known: {known})")

        for rid, rec in self.recipients.items():
            for i, address in enumerate(rec.deliver):
                where = f"recipients.{rid}.deliver.{i}"
                channel = self.channels.get(address.channel)
                if channel is None:
                    known = ", ".join(sorted(self.channels))
                    problems.append(f"{where}.channel: unknown channel '{address.channel}' (known: {known})")
                elif isinstance(channel, EmailChannel) and not (address.to and "@" in address.to):
                    problems.append(f"{where}.to: an email channel needs an e-mail address")
            channels = [a.channel for a in rec.deliver]
            if len(set(channels)) != len(channels):
                problems.append(f"recipients.{rid}.deliver: a channel is listed twice")
        for name, sched in self.on_call.items():
            for i, shift in enumerate(sched.shifts):
                recipient(f"on_call.{name}.shifts.{i}.recipient", shift.recipient)
            recipient(f"on_call.{name}.fallback", sched.fallback)
        targets: list[tuple[str, Target]] = [(f"routes.{i}", r) for i, r in enumerate(self.routes)]
        targets.append(("default", self.default))
        for where, target in targets:
            for name in target.recipients:
                recipient(f"{where}.recipients", name)
            schedule(f"{where}.on_call", target.on_call)
        rota = self.on_call.get(self.default.on_call or "")
        if not self.default.recipients and rota is not None and rota.fallback is None:
            problems.append(
                "default: give recipients, or an on_call schedule with a fallback, so nothing goes unrouted"
            )
        names = [r.name for r in self.routes]
        if len(set(names)) != len(names):
            problems.append("routes: route names must be unique")
        for priority, policy in self.urgency.items():
            for i, step in enumerate(policy.escalate):
                for name in step.to:
                    recipient(f"urgency.{priority}.escalate.{i}.to", name)
            if policy.digest and priority != "routine":
                problems.append(f"urgency.{priority}.digest: only routine suggestions may be batched")
        if problems:
            raise ValueError("\n".join(problems))
        return self

    def policy(self, priority: str) -> UrgencyPolicy:
        given: dict[str, UrgencyPolicy] = {str(k): v for k, v in self.urgency.items()}
        return given.get(priority, DEFAULT_URGENCY[priority])

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def secret_names(config: RoutingConfig) -> list[tuple[str, str]]:
    """(place in the file, environment variable) of every secret the file refers to."""
    found: list[tuple[str, str]] = []
    for name, channel in config.channels.items():
        for attribute in ("secret_env", "password_env", "token_env"):
            variable = getattr(channel, attribute, None)
            if variable:
                found.append((f"channels.{name}.{attribute}", variable))
    return found


class _Loader(yaml.SafeLoader):
    """YAML 1.1 reads ``18:00`` as the base-60 integer 1080: this loader keeps it a string."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:int", re.compile(r"^[-+]?(0|[1-9][0-9_]*)$"), list("-+0123456789"))
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float", re.compile(r"^[-+]?([0-9][0-9_]*)?\.[0-9_]+$"), list("-+0123456789.")
)


def load_routing(path: Path, env: Mapping[str, str]) -> RoutingConfig:
    """Read and validate the routing file; raise ``RoutingError`` listing every problem."""
    source = str(path)
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_Loader)  # noqa: S506 - a SafeLoader
    except OSError as exc:
        raise RoutingError(source, [f"cannot read: {exc.strerror}"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise RoutingError(source, [f"not valid YAML/JSON{where}"]) from None
    return validate_routing(raw, env, source)


def validate_routing(raw: Any, env: Mapping[str, str], source: str = "<routing>") -> RoutingConfig:
    if not isinstance(raw, dict):
        raise RoutingError(source, ["the file must be a mapping with version, channels, recipients, default"])
    try:
        config = RoutingConfig.model_validate(raw)
    except ValidationError as exc:
        raise RoutingError(source, _problems(exc)) from None
    missing = [
        f"{where}: environment variable {var} is not set" for where, var in secret_names(config) if not env.get(var)
    ]
    for name, channel in config.channels.items():
        if isinstance(channel, EmailChannel | FhirChannel) and channel.ca_file and not channel.ca_file.is_file():
            missing.append(f"channels.{name}.ca_file: {channel.ca_file} does not exist")
    if missing:
        raise RoutingError(source, missing)
    return config


def _problems(exc: ValidationError) -> list[str]:
    problems: list[str] = []
    for error in exc.errors(include_url=False, include_input=False):
        where = ".".join(str(part) for part in error["loc"])
        message = str(error["msg"]).removeprefix("Value error, ")
        for line in message.split("\n"):
            problems.append(f"{where}: {line}" if where else line)
    return problems


ON_CALL_ID = "on-call-radiation-oncologist"
"""The recipient of the built-in default route (the demo and small setups)."""


def default_routing(
    webhook_url: str | None,
    webhook_secret_env: str = "BONEMET_NOTIFY_WEBHOOK_SECRET",  # noqa: S107 - the name of a variable
) -> RoutingConfig:
    """No routing file: one on-call recipient, by webhook when configured, else by file outbox."""
    channel: dict[str, Any] = (
        {"type": "webhook", "url": webhook_url, "secret_env": webhook_secret_env} if webhook_url else {"type": "outbox"}
    )
    name = "webhook" if webhook_url else "outbox"
    return RoutingConfig.model_validate(
        {
            "version": 1,
            "channels": {name: channel},
            "recipients": {
                ON_CALL_ID: {
                    "reference": "PractitionerRole/on-call-radiation-oncologist",
                    "display": "On-call radiation oncologist",
                    "deliver": [{"channel": name}],
                }
            },
            "default": {"recipients": [ON_CALL_ID]},
        }
    )
