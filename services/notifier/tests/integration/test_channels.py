"""Each channel against a real local receiver: signed webhook, SMTP with STARTTLS, FHIR, outbox."""

from __future__ import annotations

import email
import json
from collections.abc import Callable
from email.message import Message
from pathlib import Path
from typing import Any

from bonemet_notifier.signing import verify_webhook

SECRET = "webhook-secret"


def all_channels(webhook: str, fhir: str, smtp: Any, outbox: Path) -> dict[str, Any]:
    def one(rid: str, channel: str, to: str | None = None) -> dict[str, Any]:
        address = {"channel": channel, **({"to": to} if to else {})}
        return {"reference": f"PractitionerRole/{rid}", "display": f"Dr {rid}", "deliver": [address]}

    return {
        "version": 1,
        "channels": {
            "hook": {"type": "webhook", "url": webhook, "secret_env": "HOOK_SECRET"},
            "mail": {
                "type": "email",
                "host": smtp.host,
                "port": smtp.port,
                "sender": "bonemet@hospital.example",
                "ca_file": str(smtp.ca_file),
            },
            "ehr": {"type": "fhir", "base_url": fhir, "token_env": "FHIR_TOKEN"},
            "files": {"type": "outbox", "directory": str(outbox)},
        },
        "recipients": {
            "a": one("a", "hook"),
            "b": one("b", "mail", "b@hospital.example"),
            "c": one("c", "ehr"),
            "d": one("d", "files"),
        },
        "default": {"recipients": ["a", "b", "c", "d"]},
    }


PHI = ("zq-4711", "Patient/", "corr-1")


async def test_every_channel_delivers_once_with_its_idempotency_key(
    rig: Any,
    http_receiver: Callable[..., Any],
    smtp_receiver: Any,
    tmp_path: Path,
    suggestion_factory: Any,
    nid: Callable[..., str],
) -> None:
    hook, fhir = http_receiver(), http_receiver(fhir=True)
    routes = all_channels(hook.url, fhir.url, smtp_receiver, tmp_path / "files")
    notifier = await rig(routes, env={"HOOK_SECRET": SECRET, "FHIR_TOKEN": "fhir-token"})

    await notifier.handle(suggestion_factory(priority="urgent"))
    assert await notifier.drain() == 4

    # Webhook: HMAC over timestamp and body, idempotency key, no patient data.
    (request,) = hook.requests
    assert verify_webhook(SECRET.encode(), request.body, request.headers["x-bonemet-signature"], notifier.clock())
    assert request.headers["idempotency-key"] == nid("a")
    payload = json.loads(request.body)
    assert payload["priority"] == "urgent"
    assert payload["link"].startswith("https://bonemet.example/ack/")
    assert not any(secret in request.body.decode() for secret in (*PHI, "cp-1"))  # no CarePlan id either
    assert payload["alert_id"]
    assert payload["version"]
    assert "careplan_id" not in payload

    # E-mail: only after STARTTLS, Message-ID from the notification id, no patient data.
    (envelope,) = smtp_receiver.messages
    assert smtp_receiver.tls_sessions == [True]
    message: Message = email.message_from_bytes(envelope.original_content)
    assert message["Message-ID"] == f"<{nid('b')}@bonemet.notifier>"
    assert envelope.rcpt_tos == ["b@hospital.example"]
    assert "Thoracic vertebra: Metastatic spinal cord compression" in message.get_payload()
    assert not any(secret in envelope.original_content.decode() for secret in PHI)

    # FHIR: a transaction with the CommunicationRequest and its Communication, conditional on the id.
    (request,) = fhir.requests
    assert request.headers["authorization"] == "Bearer fhir-token"
    bundle = json.loads(request.body)
    assert bundle["type"] == "transaction"
    comm_request, communication = (entry["resource"] for entry in bundle["entry"])
    assert comm_request["resourceType"] == "CommunicationRequest"
    assert communication["resourceType"] == "Communication"
    assert communication["basedOn"][0]["reference"] == bundle["entry"][0]["fullUrl"]
    assert communication["identifier"][0]["value"] == nid("c")
    assert communication["recipient"][0]["reference"] == "PractitionerRole/c"
    assert communication["about"][0]["reference"] == "CarePlan/cp-1"
    assert all("ifNoneExist" in entry["request"] for entry in bundle["entry"])
    assert not any(secret in communication["payload"][0]["contentString"] for secret in PHI)

    # Outbox: one file named by the notification id.
    assert [p.name for p in (tmp_path / "files").glob("*.json")] == [f"{nid('d')}.json"]

    assert (await notifier.audit()).count("notification-sent") == 4


async def test_a_refused_login_is_dead_lettered_at_once(
    rig: Any, http_receiver: Callable[..., Any], suggestion_factory: Any
) -> None:
    hook = http_receiver(status=401)
    routes = {
        "version": 1,
        "channels": {"hook": {"type": "webhook", "url": hook.url, "secret_env": "S"}},
        "recipients": {"a": {"reference": "Practitioner/a", "display": "A", "deliver": [{"channel": "hook"}]}},
        "default": {"recipients": ["a"]},
    }
    notifier = await rig(routes, env={"S": "x"})
    await notifier.handle(suggestion_factory())
    await notifier.drain()
    assert len(hook.requests) == 1
    ((_, fields),) = await notifier.client.xrange("bonemet:notify:deliveries:dead")
    assert (fields[b"reason"], fields[b"attempts"]) == (b"http-401", b"1")
    assert await notifier.audit() == ["notification-failed"]
