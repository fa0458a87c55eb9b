"""Whom an alert is about, for a signed-in clinician only: read from the recommender's picture of the patient
(``bonemet_shared.patient_state``: the key layout and stored-value format are shared; the services never import
each other). Never logged, never in a message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import redis.asyncio as aredis

from bonemet_shared.patient_state import picture_key, state_fields


@dataclass(frozen=True)
class PatientIdentity:
    fhir_id: str
    name: str | None
    mrn: str | None
    """The value of the first ``identifier`` (the EHR's MRN by convention)."""
    birth_date: str | None
    sex: str | None


def identity_of(reference: str, resource: dict[str, Any] | None) -> PatientIdentity:
    fhir_id = reference.removeprefix("Patient/")
    if not resource:
        return PatientIdentity(fhir_id, None, None, None, None)
    return PatientIdentity(
        fhir_id,
        _name(resource.get("name")),
        _first_identifier(resource.get("identifier")),
        resource.get("birthDate") if isinstance(resource.get("birthDate"), str) else None,
        resource.get("gender") if isinstance(resource.get("gender"), str) else None,
    )


def _name(names: Any) -> str | None:
    if not isinstance(names, list) or not names:
        return None
    official = next((n for n in names if isinstance(n, dict) and n.get("use") == "official"), names[0])
    if not isinstance(official, dict):
        return None
    if isinstance(official.get("text"), str):
        return str(official["text"])
    given = " ".join(g for g in official.get("given", []) if isinstance(g, str))
    family = official.get("family") if isinstance(official.get("family"), str) else ""
    return " ".join(part for part in (given, family) if part) or None


def _first_identifier(identifiers: Any) -> str | None:
    if not isinstance(identifiers, list) or not identifiers or not isinstance(identifiers[0], dict):
        return None
    value = identifiers[0].get("value")
    return value if isinstance(value, str) else None


async def read_identity(client: aredis.Redis, patient: str, partitions: int) -> PatientIdentity:
    """The Patient resource as the recommender holds it (slim: name, identifier, birth date, sex)."""
    raw = await client.hget(picture_key(patient, partitions), patient)
    held = state_fields(raw) if raw else {}
    resource = held.get("resource") if not held.get("retracted") else None
    return identity_of(patient, resource if isinstance(resource, dict) else None)
