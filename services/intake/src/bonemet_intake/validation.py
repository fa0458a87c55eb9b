"""Parse and validate one FHIR R4 resource (pure: bytes in, a validated resource or an IntakeError out).

R4 payloads are validated with the ``fhir.resources.R4B`` models (the package has no pure R4).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from fhir.resources.R4B import get_fhir_model_class
from pydantic import ValidationError

from bonemet_intake.outcomes import IntakeError, Issue

SUPPORTED_TYPES: frozenset[str] = frozenset({"Condition", "Observation", "MedicationStatement", "Procedure", "Patient"})
"""RULES.md A1: the recommender's inputs. Other types are refused with 'not-supported'."""

MAX_JSON_DEPTH = 64


@dataclass(frozen=True)
class ValidResource:
    resource_type: str
    resource_id: str | None
    version_id: str | None
    patient: str
    body: dict[str, Any]
    body_hash: str


def parse_json(raw: bytes) -> Any:
    try:
        parsed = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise IntakeError(400, Issue("structure", "The body is not valid JSON.")) from None
    if _depth(parsed) > MAX_JSON_DEPTH:
        raise IntakeError(400, Issue("too-costly", f"JSON nesting deeper than {MAX_JSON_DEPTH} levels."))
    return parsed


def validate_resource(body: Any, expected_type: str | None = None) -> ValidResource:
    """Validate ``body`` (parsed JSON) as a supported FHIR R4 resource."""
    if not isinstance(body, dict) or not isinstance(body.get("resourceType"), str):
        raise IntakeError(400, Issue("structure", "The body is not a FHIR resource (no resourceType)."))
    resource_type = body["resourceType"]
    if expected_type is not None and resource_type != expected_type:
        raise IntakeError(
            400,
            Issue(
                "invalid",
                f"resourceType {resource_type} does not match the URL type {expected_type}.",
                ("resourceType",),
            ),
        )
    if resource_type not in SUPPORTED_TYPES:
        raise IntakeError(404 if expected_type else 400, _not_supported(resource_type))
    try:
        get_fhir_model_class(resource_type).model_validate(body)
    except ValidationError as exc:
        raise IntakeError(400, *_issues(resource_type, exc)) from None
    patient = patient_reference(body)
    if patient is None:
        raise IntakeError(
            422,
            Issue(
                "required",
                f"{resource_type} names no patient (subject must reference a Patient).",
                (f"{resource_type}.subject",),
            ),
        )
    meta = body.get("meta") or {}
    return ValidResource(
        resource_type=resource_type,
        resource_id=body.get("id"),
        version_id=meta.get("versionId"),
        patient=patient,
        body=body,
        body_hash=hashlib.sha256(orjson.dumps(body, option=orjson.OPT_SORT_KEYS)).hexdigest(),
    )


def patient_reference(body: dict[str, Any]) -> str | None:
    if body["resourceType"] == "Patient":
        return f"Patient/{body['id']}" if body.get("id") else None
    subject = body.get("subject") or body.get("patient") or {}
    reference = subject.get("reference") if isinstance(subject, dict) else None
    if isinstance(reference, str) and "Patient/" in reference:
        # Absolute references keep only Type/id, so the same patient has one key whatever the base URL.
        return "Patient/" + reference.rsplit("Patient/", 1)[1].split("/", 1)[0]
    if isinstance(reference, str) and reference.startswith("urn:uuid:"):
        return reference
    return None


def _not_supported(resource_type: str) -> Issue:
    supported = ", ".join(sorted(SUPPORTED_TYPES))
    return Issue("not-supported", f"Resource type {resource_type} is not accepted here; supported: {supported}.")


def _issues(resource_type: str, exc: ValidationError) -> list[Issue]:
    # Only the location and the kind of error: pydantic's messages can quote the submitted value.
    issues = []
    for error in exc.errors()[:20]:
        path = resource_type + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])
        issues.append(
            Issue(
                "invalid" if error["type"] != "missing" else "required", f"Invalid element ({error['type']}).", (path,)
            )
        )
    return issues or [Issue("invalid", "The resource does not validate.")]


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_JSON_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level
