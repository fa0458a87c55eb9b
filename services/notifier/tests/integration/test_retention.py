"""Issue 18 F1 and item 4: suggestion versions are coalesced, stored compressed, and every key expires."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from bonemet_notifier.keys import ESCALATIONS, PREFIX, SETTLES, version_key
from bonemet_notifier.review import ReviewStore
from bonemet_shared.events import LesionSummary

DAY_S = 24 * 3600
UNEXPIRING = {ESCALATIONS, SETTLES}
"""Schedules: one member per held version or pending escalation level, removed when it fires."""


def lesions(n: int) -> list[LesionSummary]:
    return [
        LesionSummary(
            lesion=f"Condition/zq-4711-m{i}/_history/1",
            site="Femur",
            scenario="painful-uncomplicated",
            scenario_label="Painful uncomplicated bone metastasis",
            preferred_regimen="8 Gy in 1 fraction",
            priority="urgent",
        )
        for i in range(n)
    ]


async def test_versions_nobody_was_paged_about_are_not_kept(rig: Any, suggestion_factory: Callable[..., Any]) -> None:
    notifier = await rig()
    for content_hash in ("h1", "h2", "h3"):  # h1 pages; h2 and h3 change nothing decisive: folded
        await notifier.handle(suggestion_factory(content_hash=content_hash))

    stored = {h for h in ("h1", "h2", "h3") if await notifier.client.exists(version_key("cp-1", h))}
    assert stored == {"h1", "h3"}  # the page's version and the one in force; h2 coalesced away
    assert await notifier.audit() == ["notification-folded", "notification-folded"]


async def test_a_many_lesion_version_costs_the_server_a_fraction_of_its_text(
    rig: Any, suggestion_factory: Callable[..., Any]
) -> None:
    notifier = await rig()
    many = lesions(500)
    rendering = "\n".join(f"Lesion {i + 1} of 500: Femur\n  Scenario: painful uncomplicated" for i in range(500))
    suggestion = suggestion_factory(lesions=many, rendering=rendering)
    await notifier.handle(suggestion)
    await notifier.drain()

    size = len(suggestion.model_dump_json())
    stored = 0
    async for key in notifier.client.scan_iter(match=PREFIX + "*"):
        stored += int(await notifier.client.memory_usage(key, samples=0) or 0)
    # Stored plain, the rendering and the lesion lines were kept twice in the version and twice more per
    # page (the job and the page last sent): about three times the version's own JSON.
    assert stored < size / 2, (stored, size)
    shown = await ReviewStore(notifier.client).show("cp-1")
    assert shown is not None


async def test_every_notifier_key_expires_after_the_retention(rig: Any, suggestion_factory: Callable[..., Any]) -> None:
    notifier = await rig(retention_days=2)
    await notifier.handle(suggestion_factory(content_hash="h1", priority="routine"))
    await notifier.handle(suggestion_factory(content_hash="h2", priority="stat"))
    await notifier.drain()
    await notifier.handle(suggestion_factory(content_hash="revoked:h2", status="revoked"))
    await notifier.drain()

    keys = [key.decode() async for key in notifier.client.scan_iter(match=PREFIX + "*")]
    kinds = {key.removeprefix(PREFIX).split(":", 1)[0] for key in keys}
    assert {"job", "link", "version", "careplan", "alert", "worklist"} <= kinds, kinds
    for key in keys:
        ttl = int(await notifier.client.ttl(key))
        if key in UNEXPIRING:
            continue
        assert 0 < ttl <= 2 * DAY_S, (key, ttl)
