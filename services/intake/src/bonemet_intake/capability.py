"""The CapabilityStatement at ``GET /fhir/metadata``: what this endpoint really does (pure)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from bonemet_shared.acceptance.validation import SUPPORTED_TYPES

SOFTWARE_DATE = "2026-01-01"
GAPS_OPERATION = "https://bonemet.example/fhir/OperationDefinition/subscription-gaps"


def software_version() -> str:
    try:
        return version("bonemet-intake")
    except PackageNotFoundError:
        return "0.0.0"


def capability_statement(base_url: str, *, auth_enabled: bool, max_bundle_entries: int) -> dict[str, Any]:
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": SOFTWARE_DATE,
        "publisher": "bonemet",
        "kind": "instance",
        "software": {"name": "bonemet-intake", "version": software_version()},
        "implementation": {
            "description": "bonemet intake: a write-only FHIR R4 endpoint (REST push, rest-hook, "
            "Subscriptions Backport and R4B/R5 topic-based notifications)",
            "url": base_url,
        },
        "fhirVersion": "4.0.1",
        "format": ["application/fhir+json", "json"],
        "rest": [
            {
                "mode": "server",
                "documentation": (
                    "Write-only relay into an event stream: a 2xx means the event is durably on the stream. "
                    f"Bundles: transaction (all or nothing) and batch, at most {max_bundle_entries} entries. "
                    "POST [base] also takes Subscription notifications (Bundle type history with a Parameters "
                    "status entry, or subscription-notification with a SubscriptionStatus); handshakes and "
                    "heartbeats are answered without a write; event-number gaps are listed by "
                    "GET [base]/$subscription-gaps. The only reads are the published rule set "
                    "(GET [base]/PlanDefinition): this is not a data store."
                ),
                "security": {"cors": False, "description": _security(auth_enabled)},
                "resource": [*map(_writable, sorted(SUPPORTED_TYPES)), PLAN_DEFINITION],
                "interaction": [{"code": "transaction"}, {"code": "batch"}],
                "operation": [{"name": "subscription-gaps", "definition": GAPS_OPERATION}],
            }
        ],
    }


def _security(auth_enabled: bool) -> str:
    if not auth_enabled:
        return "Authentication is OFF (development on a loopback address only)."
    return (
        "Every route but /healthz, /readyz and /fhir/metadata needs Authorization: Bearer <token> "
        "(one token per client); "
        "clients configured with a secret must also sign each body (X-Signature: hex HMAC-SHA256). "
        "Put mTLS or a SMART Backend Services gateway in front for stronger client authentication."
    )


def _writable(resource_type: str) -> dict[str, Any]:
    return {
        "type": resource_type,
        "documentation": "Accepted and forwarded to the recommender; nothing is stored for reading back.",
        "interaction": [{"code": "create"}, {"code": "update"}, {"code": "delete"}],
        "readHistory": False,
        "updateCreate": True,
        "conditionalCreate": False,
        "conditionalRead": "not-supported",
        "conditionalUpdate": False,
        "conditionalDelete": "not-supported",
        "operation": [{"name": "validate", "definition": "http://hl7.org/fhir/OperationDefinition/Resource-validate"}],
    }


PLAN_DEFINITION: dict[str, Any] = {
    "type": "PlanDefinition",
    "documentation": "The rule set the recommender applies (published by it at start); every "
    "CarePlan names it in instantiatesCanonical as canonical|version.",
    "interaction": [{"code": "read"}, {"code": "vread"}, {"code": "search-type"}],
    "versioning": "versioned",
    "searchParam": [
        {"name": "url", "type": "uri", "documentation": "canonical, or canonical|version"},
        {"name": "version", "type": "token"},
    ],
}
