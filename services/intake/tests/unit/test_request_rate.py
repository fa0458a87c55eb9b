"""The per-client request rate: a burst, then one request per 1/rate seconds; clients apart; bounded."""

from __future__ import annotations

from bonemet_intake.rate import RequestRate


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_client_gets_its_burst_then_waits_for_the_rate() -> None:
    clock = Clock()
    rate = RequestRate(2.0, 3, clock=clock)
    assert [rate.retry_after("ehr") for _ in range(3)] == [None, None, None]
    assert rate.retry_after("ehr") == "1"  # half a second to the next token, said as whole seconds
    clock.now += 0.5
    assert rate.retry_after("ehr") is None
    assert rate.retry_after("ehr") is not None


def test_one_client_at_its_limit_does_not_slow_another() -> None:
    rate = RequestRate(1.0, 1, clock=Clock())
    assert rate.retry_after("lab") is None
    assert rate.retry_after("lab") is not None
    assert rate.retry_after("ehr") is None


def test_the_table_of_clients_is_bounded() -> None:
    clock = Clock()
    rate = RequestRate(1.0, 1, clock=clock, max_clients=10)
    for number in range(1_000):
        rate.retry_after(f"client-{number}")
        clock.now += 0.01
    assert len(rate._buckets) <= 10
