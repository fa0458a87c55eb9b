"""A large body is parsed and validated off the event loop (F11): other requests and readiness go on."""

from __future__ import annotations

import asyncio
import time
from typing import Any

import orjson


def large_batch(intake: Any, entries: int = 300) -> bytes:
    """A few MB of Conditions, each with many elements to validate."""
    coding = [{"system": "http://snomed.info/sct", "code": "94222008", "display": "x" * 40}] * 30
    notes = [{"text": "y" * 200}] * 30
    return orjson.dumps(
        {
            "resourceType": "Bundle",
            "type": "batch",
            "entry": [
                {
                    "resource": intake.condition(f"c{i}", code={"coding": coding}, note=notes),
                    "request": {"method": "PUT", "url": f"Condition/c{i}"},
                }
                for i in range(entries)
            ],
        }
    )


async def test_readiness_answers_while_a_large_body_is_validated(make_intake: Any) -> None:
    intake = await make_intake(max_body_bytes=16 * 1024 * 1024)
    body = large_batch(intake)
    assert len(body) > 2 * 1024 * 1024
    longest_stall = 0.0
    ready_while_busy = 0

    async def watch(big: asyncio.Task[Any]) -> None:
        nonlocal longest_stall, ready_while_busy
        last = time.monotonic()
        while not big.done():
            if (await intake.http.get("/readyz")).status_code == 200 and not big.done():
                ready_while_busy += 1
            now = time.monotonic()
            longest_stall, last = max(longest_stall, now - last), now

    started = time.monotonic()
    big = asyncio.create_task(intake.post("/fhir", body))
    await watch(big)
    response = await big
    took = time.monotonic() - started

    assert response.status_code == 200
    assert {e["response"]["status"] for e in response.json()["entry"]} == {"201 Created"}
    assert ready_while_busy > 0
    # On the loop, validation would be one stall as long as most of the request; off it, readiness is
    # answered throughout (a ratio of the same run, not a time budget).
    assert longest_stall < took / 3, (longest_stall, took)
