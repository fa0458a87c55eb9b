"""Turn a validated resource into the event the intake stream carries (pure)."""

from __future__ import annotations

from datetime import datetime

from bonemet_intake.validation import ValidResource
from bonemet_shared.events import ResourceAccepted


def idempotency_key(source: str, resource: ValidResource) -> str:
    """(source, type, id, versionId); without a versionId, the body hash stands in for the version."""
    if resource.resource_id and resource.version_id:
        return f"{source}|{resource.resource_type}|{resource.resource_id}|{resource.version_id}"
    return f"{source}|{resource.resource_type}|{resource.resource_id or '-'}|sha256:{resource.body_hash}"


def accepted_event(resource: ValidResource, *, source: str, correlation_id: str, now: datetime) -> ResourceAccepted:
    # A create without an id gets one derived from its content, so a retried POST keeps its id.
    resource_id = resource.resource_id or resource.body_hash[:32]
    body = resource.body if resource.resource_id else {**resource.body, "id": resource_id}
    return ResourceAccepted(
        correlation_id=correlation_id,
        patient=resource.patient,
        occurred_at=now,
        idempotency_key=idempotency_key(source, resource),
        source=source,
        resource_type=resource.resource_type,
        resource_id=resource_id,
        version_id=resource.version_id,
        resource=body,
    )
