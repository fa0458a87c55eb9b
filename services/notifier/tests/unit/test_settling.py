"""The settle window decisions (pure)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bonemet_notifier.settling import Fold, Hold, Send, Sent, on_arrival, on_due, signature, window_after_send
from bonemet_shared.events import LesionSummary, SuggestionSummary

NOW = 1_000_000


def version(priority: str = "routine", scenario: str = "painful-uncomplicated", **lesion: Any) -> SuggestionSummary:
    fields: dict[str, Any] = {
        "lesion": "Condition/t9/_history/1",
        "site": "Thoracic vertebra",
        "scenario": scenario,
        "preferred_regimen": "8 Gy in 1 fraction",
        "priority": priority,
    }
    return SuggestionSummary(
        correlation_id="c", patient="Patient/p", occurred_at=datetime(2026, 1, 1, tzinfo=UTC), idempotency_key="k",
        careplan_id="cp", content_hash="h", status="draft", priority=priority, rule_set_version="1",
        lesions=[LesionSummary(**{**fields, **lesion})], rendering="r",
    )  # fmt: skip


def sent(v: SuggestionSummary, window_ms: int = 0) -> Sent:
    return Sent("h0", v.priority, signature(v), window_ms)


def test_a_routine_version_is_held_and_each_newer_one_resets_the_window() -> None:
    assert on_arrival(version(), Sent(), NOW, 20) == Hold(NOW + 20_000)
    assert on_arrival(version(), Sent(), NOW + 5_000, 20) == Hold(NOW + 25_000)


def test_the_first_stat_version_is_sent_at_once_and_opens_a_fold_window() -> None:
    stat = version("stat", "mscc")
    assert on_arrival(stat, Sent(), NOW, 20) == Send("alert")
    assert window_after_send(stat, NOW, 20) == NOW + 20_000
    assert window_after_send(version(), NOW, 20) == 0


def test_versions_within_a_stat_window_wait_for_its_end_then_fold_or_update_once() -> None:
    stat = version("stat", "mscc")
    after = sent(stat, window_ms=NOW + 20_000)
    assert on_arrival(stat, after, NOW + 1_000, 20) == Hold(NOW + 20_000)  # not reset: one update at the end
    assert on_due(stat, after) == Fold()
    assert on_due(version("stat", "mscc", preferred_regimen="20 Gy in 5 fractions"), after) == Send("update")


def test_stat_is_never_held_outside_a_window() -> None:
    before = sent(version("urgent", "escc-high-grade"))
    assert on_arrival(version("stat", "mscc"), before, NOW, 20) == Send("update")
    assert on_arrival(version("stat", "mscc"), sent(version("stat", "mscc")), NOW, 20) == Fold()


def test_only_scenario_priority_and_regimen_are_decisive() -> None:
    base = version()
    assert signature(base) == signature(version(lesion="Condition/t9/_history/7", site="T9 (recoded)"))
    assert signature(base) != signature(version(scenario="mechanical-instability"))
    assert signature(base) != signature(version(priority="asap"))
    assert signature(base) != signature(version(preferred_regimen="20 Gy in 5 fractions"))
    assert signature(base) != signature(version(preferred_regimen=None, pending_regimen="8 Gy in 1 fraction"))


def test_a_due_version_is_an_alert_when_nothing_was_sent_and_is_folded_when_nothing_decisive_changed() -> None:
    assert on_due(version(), Sent()) == Send("alert")
    assert on_due(version(), sent(version())) == Fold()


def test_a_zero_window_considers_every_version_at_once() -> None:
    assert on_arrival(version(), Sent(), NOW, 0) == Send("alert")
    assert on_arrival(version(), sent(version()), NOW, 0) == Fold()
