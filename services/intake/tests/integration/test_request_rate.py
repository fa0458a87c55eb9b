"""Issue 18 item 4: past its request rate a client is answered 429 with Retry-After, and nothing is written."""

from __future__ import annotations

from typing import Any

from bonemet_intake.rate import RequestRate


async def test_past_its_rate_a_client_gets_429_with_retry_after_and_no_write(make_intake: Any) -> None:
    intake = await make_intake(request_rate=RequestRate(0.001, 2))
    answers = [await intake.post("/fhir/Condition", intake.condition(f"c{n}")) for n in range(3)]
    assert [a.status_code for a in answers] == [201, 201, 429]
    assert intake.codes(answers[2]) == ["throttled"]
    assert int(answers[2].headers["Retry-After"]) >= 1
    assert await intake.intake_length() == 2
