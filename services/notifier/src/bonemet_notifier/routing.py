"""Routing decisions (pure): who receives a suggestion, when, and who is escalated to.

Inputs are typed values and an explicit ``now``; nothing here reads a clock or does IO.
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any

from bonemet_notifier.config import WEEKDAYS, Match, RoutingConfig, Schedule, Target
from bonemet_shared.events import SuggestionSummary


@dataclass(frozen=True)
class RoutingFacts:
    """What routing may look at: no names or identifiers, only codes and our own references."""

    priority: str
    lesion_sites: tuple[str, ...]
    primary_cancer: str | None = None
    organization: str | None = None


def routing_facts(suggestion: SuggestionSummary) -> RoutingFacts:
    return RoutingFacts(
        priority=suggestion.priority,
        lesion_sites=tuple(lesion.site for lesion in suggestion.lesions),
        primary_cancer=suggestion.primary_cancer,
        organization=suggestion.organization,
    )


@dataclass(frozen=True)
class EscalationPlan:
    after_s: float
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class Decision:
    route: str
    """Name of the matching route, or 'default'."""
    recipients: tuple[str, ...]
    escalation: tuple[EscalationPlan, ...]
    digest_at: datetime | None
    """When the notification is batched into a digest; None: send now."""


def matches(match: Match, facts: RoutingFacts) -> bool:
    if match.organization and facts.organization not in match.organization:
        return False
    if match.primary_cancer and (facts.primary_cancer or "").lower() not in {p.lower() for p in match.primary_cancer}:
        return False
    if match.lesion_site:
        patterns = [p.lower() for p in match.lesion_site]
        sites = [s.lower() for s in facts.lesion_sites]
        if not any(fnmatch.fnmatchcase(site, pattern) for site in sites for pattern in patterns):
            return False
    return True


def on_call(schedule: Schedule, at: datetime, zone: Any) -> str | None:
    """The recipient on call at ``at`` (aware datetime), by the shifts in local time ``zone``."""
    local = at.astimezone(zone)
    today = WEEKDAYS[local.weekday()]
    yesterday = WEEKDAYS[(local.weekday() - 1) % 7]
    clock = local.time().replace(tzinfo=None)
    for shift in schedule.shifts:
        if shift.start == shift.end:
            if today in shift.days:
                return shift.recipient
        elif shift.start < shift.end:
            if today in shift.days and shift.start <= clock < shift.end:
                return shift.recipient
        elif (today in shift.days and clock >= shift.start) or (yesterday in shift.days and clock < shift.end):
            return shift.recipient
    return schedule.fallback


def next_digest(times: list[time], now: datetime, zone: Any) -> datetime:
    """The first digest time strictly after ``now`` (local ``zone``), as an aware datetime."""
    local = now.astimezone(zone)
    candidates = []
    for day in (0, 1):
        date = (local + timedelta(days=day)).date()
        for at in times:
            moment = datetime.combine(date, at.replace(tzinfo=None), tzinfo=zone)
            if moment > local:
                candidates.append(moment)
    return min(candidates).astimezone(now.tzinfo)


def _target_recipients(config: RoutingConfig, target: Target, mode: str, now: datetime) -> tuple[str, ...]:
    on_duty = on_call(config.on_call[target.on_call], now, config.zone()) if target.on_call else None
    if mode == "on-call" and on_duty is not None:
        chosen = [on_duty]
    else:
        chosen = [*target.recipients, *([on_duty] if on_duty else [])]
    return tuple(dict.fromkeys(chosen))


def decide(config: RoutingConfig, facts: RoutingFacts, now: datetime) -> Decision:
    """First matching route in file order, else the default; then the urgency policy of the priority."""
    route = next((r for r in config.routes if matches(r.match, facts)), None)
    target: Target = route if route is not None else config.default
    policy = config.policy(facts.priority)
    recipients = _target_recipients(config, target, policy.notify, now)
    if not recipients:
        # A route whose only schedule has nobody on duty and no fallback: never drop the alert.
        recipients = _target_recipients(config, config.default, "all", now)
    escalation = tuple(EscalationPlan(step.after, tuple(step.to)) for step in policy.escalate)
    digest_at = next_digest(policy.digest, now, config.zone()) if policy.digest else None
    return Decision(route.name if route else "default", recipients, escalation, digest_at)
