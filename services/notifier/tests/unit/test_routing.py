"""The routing file's validation and the pure routing decisions."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

import pytest

from bonemet_notifier.config import RoutingError, default_routing, parse_duration, validate_routing
from bonemet_notifier.routing import RoutingFacts, decide, next_digest, on_call

WEEKDAYS = ["mon", "tue", "wed", "thu", "fri"]
MONDAY_10 = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)  # a Monday; Europe/Berlin is UTC+1 then


def routes(**changes: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "version": 1,
        "timezone": "Europe/Berlin",
        "channels": {
            "pager": {"type": "webhook", "url": "https://pager.example/hook", "secret_env": "PAGER_SECRET"},
            "mail": {"type": "email", "host": "smtp.example", "sender": "bonemet@example.org"},
        },
        "recipients": {
            "dr-day": {"reference": "PractitionerRole/day", "display": "Day", "deliver": [{"channel": "pager"}]},
            "dr-night": {"reference": "PractitionerRole/night", "display": "Night", "deliver": [{"channel": "pager"}]},
            "spine": {
                "reference": "Practitioner/spine",
                "display": "Spine team",
                "deliver": [{"channel": "mail", "to": "spine@example.org"}],
            },
            "head": {"reference": "Practitioner/head", "display": "Head", "deliver": [{"channel": "pager"}]},
        },
        "on_call": {
            "radonc": {
                "shifts": [
                    {
                        "days": ["mon", "tue", "wed", "thu", "fri"],
                        "start": "08:00",
                        "end": "18:00",
                        "recipient": "dr-day",
                    },
                    {
                        "days": ["mon", "tue", "wed", "thu", "fri"],
                        "start": "18:00",
                        "end": "08:00",
                        "recipient": "dr-night",
                    },
                ],
                "fallback": "dr-night",
            }
        },
        "routes": [
            {"name": "spine", "match": {"lesion_site": ["*vertebra*"]}, "recipients": ["spine"], "on_call": "radonc"},
            {
                "name": "breast-north",
                "match": {"primary_cancer": ["breast"], "organization": ["Organization/north"]},
                "recipients": ["head"],
            },
        ],
        "default": {"on_call": "radonc"},
        "urgency": {
            "stat": {"notify": "on-call", "escalate": [{"after": "15m", "to": ["head"]}]},
            "routine": {"digest": ["07:30", "16:00"]},
        },
    }
    return {**base, **changes}


ENV = {"PAGER_SECRET": "s3cret"}


def problems(raw: dict[str, Any], env: dict[str, str] = ENV) -> list[str]:
    with pytest.raises(RoutingError) as caught:
        validate_routing(raw, env, "routes.yaml")
    return caught.value.problems


def test_the_example_is_valid() -> None:
    config = validate_routing(routes(), ENV)
    assert config.policy("stat").escalate[0].after == 900
    assert config.policy("urgent").notify == "all"  # the built-in default for a priority not given


def test_unknown_names_are_reported_with_their_place() -> None:
    raw = routes()
    raw["recipients"]["dr-day"]["deliver"] = [{"channel": "sms"}]
    raw["default"] = {"recipients": ["nobody"]}
    found = problems(raw)
    assert "recipients.dr-day.deliver.0.channel: unknown channel 'sms' (known: mail, pager)" in found
    assert any(p.startswith("default.recipients: unknown recipient 'nobody'") for p in found)


def test_a_missing_secret_is_reported_by_its_variable() -> None:
    assert problems(routes(), env={}) == ["channels.pager.secret_env: environment variable PAGER_SECRET is not set"]


def test_schema_errors_name_the_field() -> None:
    raw = routes()
    raw["urgency"]["stat"]["escalate"][0]["after"] = "soon"
    raw["recipients"]["head"]["reference"] = "Patient/1"
    found = problems(raw)
    assert any(p.startswith("urgency.stat.escalate.0.after: 'soon' is not a duration") for p in found)
    assert any(p.startswith("recipients.head.reference:") for p in found)


def test_email_needs_an_address_and_tls_off_loopback() -> None:
    raw = routes()
    raw["recipients"]["spine"]["deliver"] = [{"channel": "mail"}]
    assert "recipients.spine.deliver.0.to: an email channel needs an e-mail address" in problems(raw)
    raw = routes()
    raw["channels"]["mail"]["starttls"] = False
    assert any("starttls: false is only allowed" in p for p in problems(raw))


def test_only_routine_may_be_batched() -> None:
    raw = routes()
    raw["urgency"]["stat"]["digest"] = ["08:00"]
    assert "urgency.stat.digest: only routine suggestions may be batched" in problems(raw)


def test_durations() -> None:
    assert [parse_duration(v) for v in (90, "90s", "15m", "2h", "500ms")] == [90, 90, 900, 7200, 0.5]


def test_on_call_follows_local_time_and_crosses_midnight() -> None:
    config = validate_routing(routes(), ENV)
    schedule, zone = config.on_call["radonc"], config.zone()
    assert on_call(schedule, MONDAY_10, zone) == "dr-day"  # 11:00 in Berlin
    assert on_call(schedule, datetime(2026, 3, 2, 17, 30, tzinfo=UTC), zone) == "dr-night"  # 18:30 Monday
    assert on_call(schedule, datetime(2026, 3, 7, 5, 0, tzinfo=UTC), zone) == "dr-night"  # Sat 06:00, Fri's night
    assert on_call(schedule, datetime(2026, 3, 7, 12, 0, tzinfo=UTC), zone) == "dr-night"  # Sat noon: fallback


def test_first_matching_route_wins_and_stat_goes_to_on_call_only() -> None:
    config = validate_routing(routes(), ENV)
    spine = RoutingFacts("urgent", ("Thoracic vertebra",))
    assert decide(config, spine, MONDAY_10).recipients == ("spine", "dr-day")
    stat = decide(config, RoutingFacts("stat", ("Thoracic vertebra",)), MONDAY_10)
    assert (stat.route, stat.recipients) == ("spine", ("dr-day",))
    assert stat.escalation[0].recipients == ("head",)
    breast = RoutingFacts("urgent", ("Femur",), primary_cancer="Breast", organization="Organization/north")
    assert decide(config, breast, MONDAY_10).recipients == ("head",)
    elsewhere = RoutingFacts("urgent", ("Femur",), primary_cancer="breast", organization="Organization/south")
    assert decide(config, elsewhere, MONDAY_10).route == "default"


def test_routine_waits_for_the_next_digest() -> None:
    config = validate_routing(routes(), ENV)
    decision = decide(config, RoutingFacts("routine", ("Femur",)), MONDAY_10)
    assert decision.digest_at == datetime(2026, 3, 2, 15, 0, tzinfo=UTC)  # 16:00 Berlin
    late = datetime(2026, 3, 2, 20, 0, tzinfo=UTC)
    assert next_digest([time(7, 30)], late, config.zone()) == datetime(2026, 3, 3, 6, 30, tzinfo=UTC)


def test_the_built_in_default_is_one_on_call_recipient() -> None:
    config = default_routing(None)
    assert list(config.recipients) == ["on-call-radiation-oncologist"]
    assert decide(config, RoutingFacts("stat", ()), MONDAY_10).recipients == ("on-call-radiation-oncologist",)


def test_the_default_cannot_end_with_nobody() -> None:
    raw = routes()
    del raw["on_call"]["radonc"]["fallback"]
    assert "default: give recipients, or an on_call schedule with a fallback, so nothing goes unrouted" in problems(raw)


def test_the_example_in_the_docs_is_valid() -> None:
    import re
    from pathlib import Path

    import yaml

    docs = Path(__file__).resolve().parents[4] / "docs" / "notifier.md"
    (example,) = re.findall(r"```yaml\n(.*?)```", docs.read_text(), re.S)
    raw = yaml.safe_load("\n".join(line for line in example.splitlines() if "ca_file" not in line))
    env = {"BONEMET_PAGER_SECRET": "x", "BONEMET_SMTP_PASSWORD": "y", "BONEMET_FHIR_TOKEN": "z"}
    config = validate_routing(raw, env)
    assert [r.name for r in config.routes] == ["spine", "north-campus-breast"]
