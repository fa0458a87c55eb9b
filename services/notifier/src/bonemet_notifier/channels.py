"""Channel adapters (thin): signed webhook, SMTP e-mail with STARTTLS, FHIR Communication, file outbox.

Each passes the notification id as the receiver's idempotency key: ``Idempotency-Key`` for webhooks,
``Message-ID`` for e-mail, ``identifier`` (with conditional create) for FHIR, the file name for the
outbox. A send raises ``SendFailed`` with a short reason code; response bodies are never kept.
"""

from __future__ import annotations

import asyncio
import smtplib
import ssl
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any, Protocol

import httpx
import orjson

from bonemet_notifier.messages import PAGING_KINDS, Notification, wire
from bonemet_notifier.outbox import FileOutbox
from bonemet_notifier.retry import SendFailed, http_failure
from bonemet_notifier.signing import IDEMPOTENCY_HEADER, SIGNATURE_HEADER, sign_webhook
from bonemet_shared.audit import CANONICAL_BASE

NOTIFICATION_ID_SYSTEM = f"{CANONICAL_BASE}/NamingSystem/notification-id"
NOTIFIER_DEVICE = "Device/bonemet-notifier"
USER_AGENT = "bonemet-notifier/0.1"

Clock = Callable[[], datetime]


async def post_or_fail(http: httpx.AsyncClient, url: str, body: bytes, headers: dict[str, str] | None = None) -> None:
    """POST ``body``; a time-out, a connection failure or a non-2xx answer becomes ``SendFailed``."""
    try:
        answer = await http.post(url, content=body, headers=headers)
    except httpx.TimeoutException:
        raise SendFailed("timeout") from None
    except httpx.HTTPError as exc:
        raise SendFailed(f"connection-{type(exc).__name__}") from None
    if not answer.is_success:
        raise http_failure(answer.status_code)


@dataclass(frozen=True)
class Outgoing:
    notification: Notification
    address: str | None = None
    """The e-mail address (email channel); unused by the others."""
    patient: str | None = None
    """Only the FHIR channel uses it, as ``subject`` (a structured element, never in text)."""


class Channel(Protocol):
    name: str
    kind: str

    async def send(self, outgoing: Outgoing) -> None: ...

    async def close(self) -> None: ...


def webhook_payload(notification: Notification) -> bytes:
    return orjson.dumps(wire(notification))


class WebhookChannel:
    kind = "webhook"

    def __init__(self, name: str, url: str, secret: bytes, clock: Clock, timeout_s: float) -> None:
        self.name = name
        self._url = url
        self._secret = secret
        self._clock = clock
        self._http = httpx.AsyncClient(timeout=timeout_s, follow_redirects=False)

    async def send(self, outgoing: Outgoing) -> None:
        body = webhook_payload(outgoing.notification)
        headers = {
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            IDEMPOTENCY_HEADER: outgoing.notification.notification_id,
            SIGNATURE_HEADER: sign_webhook(self._secret, body, self._clock()),
        }
        await post_or_fail(self._http, self._url, body, headers)

    async def close(self) -> None:
        await self._http.aclose()


def message_id(notification_id: str) -> str:
    return "<" + notification_id.replace(":", "-") + "@bonemet.notifier>"


def email_message(outgoing: Outgoing, sender: str, now: datetime) -> EmailMessage:
    notification = outgoing.notification
    message = EmailMessage()
    message["From"] = sender
    message["To"] = outgoing.address or ""
    message["Subject"] = notification.subject
    message["Date"] = format_datetime(now)
    message["Message-ID"] = message_id(notification.notification_id)
    message["Auto-Submitted"] = "auto-generated"
    message["X-Priority"] = "1" if notification.priority in {"stat", "urgent"} else "3"
    message.set_content(notification.body)
    return message


class EmailChannel:
    kind = "email"

    def __init__(
        self,
        name: str,
        *,
        host: str,
        port: int,
        starttls: bool,
        sender: str,
        username: str | None,
        password: str | None,
        ca_file: Path | None,
        clock: Clock,
        timeout_s: float,
    ) -> None:
        self.name = name
        self._host, self._port, self._starttls = host, port, starttls
        self._sender, self._username, self._password = sender, username, password
        self._tls = ssl.create_default_context(cafile=str(ca_file) if ca_file else None)
        self._clock = clock
        self._timeout = timeout_s

    async def send(self, outgoing: Outgoing) -> None:
        message = email_message(outgoing, self._sender, self._clock())
        await asyncio.to_thread(self._send, message)

    def _send(self, message: EmailMessage) -> None:
        try:
            with smtplib.SMTP(self._host, self._port, timeout=self._timeout) as smtp:
                smtp.ehlo()
                if self._starttls:
                    smtp.starttls(context=self._tls)
                    smtp.ehlo()
                if self._username and self._password:
                    smtp.login(self._username, self._password)
                smtp.send_message(message)
        except smtplib.SMTPAuthenticationError:
            raise SendFailed("smtp-auth", retryable=False) from None
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            code = _smtp_code(exc)
            raise SendFailed(f"smtp-{code}", retryable=not 500 <= code < 600) from None
        except smtplib.SMTPResponseException as exc:
            raise SendFailed(f"smtp-{exc.smtp_code}", retryable=not 500 <= exc.smtp_code < 600) from None
        except smtplib.SMTPNotSupportedError:
            raise SendFailed("smtp-no-starttls", retryable=False) from None
        except ssl.SSLError:
            raise SendFailed("smtp-tls") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise SendFailed(f"smtp-{type(exc).__name__}") from None

    async def close(self) -> None:
        return None


def _smtp_code(exc: smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused) -> int:
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return exc.smtp_code
    codes = [code for code, _ in exc.recipients.values()]
    return max(codes) if codes else 550


def _category(kind: str) -> dict[str, Any]:
    code = "alert" if kind in PAGING_KINDS else "notification"
    return {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/communication-category", "code": code}]}


def communication_bundle(outgoing: Outgoing, now: datetime) -> dict[str, Any]:
    """A transaction creating the CommunicationRequest and the Communication that fulfilled it,
    each only if none with this notification id exists (the receiver's idempotency)."""
    notification = outgoing.notification
    nid = notification.notification_id
    identifier = {"system": NOTIFICATION_ID_SYSTEM, "value": nid}
    request_url = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'request:' + nid)}"
    common: dict[str, Any] = {
        "identifier": [identifier],
        "category": [_category(notification.kind)],
        "priority": notification.priority,
        "recipient": [
            {"reference": notification.recipient.reference, "display": notification.recipient.display}
            if notification.recipient.reference
            else {"display": notification.recipient.display}
        ],
        "payload": [{"contentString": f"{notification.subject}\n\n{notification.body}"}],
    }
    if outgoing.patient and notification.careplan_id:
        common["subject"] = {"reference": outgoing.patient}
        common["about"] = [{"reference": f"CarePlan/{notification.careplan_id}"}]
    sent = now.isoformat()
    request = {
        "resourceType": "CommunicationRequest",
        **common,
        "status": "completed",
        "authoredOn": sent,
        "requester": {"reference": NOTIFIER_DEVICE},
        "sender": {"reference": NOTIFIER_DEVICE},
    }
    communication = {
        "resourceType": "Communication",
        **common,
        "basedOn": [{"reference": request_url}],
        "status": "completed",
        "sent": sent,
        "sender": {"reference": NOTIFIER_DEVICE},
    }
    condition = f"identifier={NOTIFICATION_ID_SYSTEM}|{nid}"
    return {
        "resourceType": "Bundle",
        "type": "transaction",
        "entry": [
            {
                "fullUrl": request_url,
                "resource": request,
                "request": {"method": "POST", "url": "CommunicationRequest", "ifNoneExist": condition},
            },
            {
                "fullUrl": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'communication:' + nid)}",
                "resource": communication,
                "request": {"method": "POST", "url": "Communication", "ifNoneExist": condition},
            },
        ],
    }


class FhirChannel:
    kind = "fhir"

    def __init__(
        self, name: str, base_url: str, token: str | None, ca_file: Path | None, clock: Clock, timeout_s: float
    ) -> None:
        self.name = name
        self._url = base_url.rstrip("/")
        headers = {"Content-Type": "application/fhir+json", "Accept": "application/fhir+json", "User-Agent": USER_AGENT}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=str(ca_file)) if ca_file else True
        self._http = httpx.AsyncClient(timeout=timeout_s, headers=headers, verify=verify, follow_redirects=False)
        self._clock = clock

    async def send(self, outgoing: Outgoing) -> None:
        bundle = communication_bundle(outgoing, self._clock())
        await post_or_fail(self._http, self._url, orjson.dumps(bundle))

    async def close(self) -> None:
        await self._http.aclose()


class OutboxChannel:
    kind = "outbox"

    def __init__(self, name: str, directory: Path) -> None:
        self.name = name
        self._outbox = FileOutbox(directory)

    async def send(self, outgoing: Outgoing) -> None:
        try:
            await asyncio.to_thread(self._outbox.deliver, outgoing.notification)
        except OSError as exc:
            raise SendFailed(f"outbox-{type(exc).__name__}") from None

    async def close(self) -> None:
        return None
