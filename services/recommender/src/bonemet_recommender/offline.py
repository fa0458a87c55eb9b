"""The core of ``bonemet recommend [--as-of DATE] [--format json|text] BUNDLE.json``.

One patient's resources arrive as a FHIR Bundle (collection, transaction or batch, as exported by an
EHR or a test-data generator); the engine evaluates them as of a given day. Reading the file and
printing stay in the CLI; this module only parses, checks and evaluates.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, date, datetime, time
from typing import Any

from bonemet_recommender.engine import Evaluation, evaluate

BUNDLE_TYPES = frozenset({"collection", "transaction", "batch"})
INPUT_TYPES = frozenset(
    {
        *("Patient", "Condition", "Observation", "Procedure", "BodyStructure"),
        *("MedicationStatement", "MedicationRequest", "Medication"),
    }
)
"""Clinical-rules §4 (A1): what the engine reads. Anything else in the Bundle is skipped with a note."""

_ID = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")


class InputError(ValueError):
    """The input cannot be evaluated; the message says why in words a user can act on."""


def load_patient_resources(raw: bytes) -> list[dict[str, Any]]:
    """The engine inputs of the one patient in a Bundle; raises ``InputError``."""
    resources, _ = read_patient_bundle(raw)
    return resources


def read_patient_bundle(raw: bytes) -> tuple[list[dict[str, Any]], list[str]]:
    """The engine inputs of the one patient in a Bundle, plus notes on what was skipped."""
    bundle = _parse_bundle(raw)
    notes: list[str] = []
    entries = bundle.get("entry") or []
    if not isinstance(entries, list):
        raise InputError("Bundle.entry must be a list of entries.")

    kept: list[tuple[str | None, dict[str, Any], dict[str, Any]]] = []
    skipped: Counter[str] = Counter()
    for position, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict) or not isinstance(resource.get("resourceType"), str):
            skipped[f"entry without a resource (#{position})"] += 1
            continue
        request = entry.get("request") if isinstance(entry.get("request"), dict) else {}
        if str(request.get("method", "")).upper() == "DELETE":
            skipped["DELETE requests"] += 1
            continue
        if resource["resourceType"] not in INPUT_TYPES:
            skipped[resource["resourceType"]] += 1
            continue
        full_url = entry.get("fullUrl") if isinstance(entry.get("fullUrl"), str) else None
        kept.append((full_url, dict(resource), request))
    if skipped:
        notes.append("Skipped entries the engine does not read: " + _counted(skipped) + ".")

    resources = _with_local_references(kept)
    _one_patient(resources)
    return resources, notes


def recommend(raw: bytes, as_of: date) -> tuple[Evaluation | None, list[str]]:
    """Evaluate one patient's Bundle as of the end of ``as_of`` (UTC); messages for the user."""
    resources, messages = read_patient_bundle(raw)
    # End of the day, so everything recorded on that day counts as known.
    now = datetime.combine(as_of, time(23, 59, 59), tzinfo=UTC)
    evaluation = evaluate(resources, now)
    if evaluation is None:
        messages.append("No bone-metastasis Condition found: nothing to suggest.")
    return evaluation, messages


# --- parsing --------------------------------------------------------------------------------------


def _parse_bundle(raw: bytes) -> dict[str, Any]:
    try:
        document = json.loads(raw)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise InputError(f"The input is not JSON ({error}).") from None
    if not isinstance(document, dict) or document.get("resourceType") != "Bundle":
        kind = document.get("resourceType") if isinstance(document, dict) else type(document).__name__
        raise InputError(f"The input must be a FHIR Bundle, not {kind or 'a JSON object without resourceType'}.")
    bundle_type = document.get("type")
    if bundle_type not in BUNDLE_TYPES:
        raise InputError(
            f"Bundle type {bundle_type!r} is not supported; use one of: {', '.join(sorted(BUNDLE_TYPES))}."
        )
    return document


def _counted(counter: Counter[str]) -> str:
    return ", ".join(f"{name} ({count})" for name, count in sorted(counter.items()))


# --- references -------------------------------------------------------------------------------------


def _with_local_references(
    kept: list[tuple[str | None, dict[str, Any], dict[str, Any]]],
) -> list[dict[str, Any]]:
    """Give every resource an id and turn fullUrl references (``urn:uuid:...``) into ``Type/id``.

    Transaction Bundles link entries by their fullUrl; the engine matches plain ``Type/id`` references.
    """
    local: dict[str, str] = {}
    for full_url, resource, request in kept:
        if not _valid_id(resource.get("id")):
            resource["id"] = _derived_id(full_url, request, resource)
        if full_url:
            local[full_url] = f"{resource['resourceType']}/{resource['id']}"
    return [_rewrite_references(resource, local) for _, resource, _ in kept]


def _valid_id(value: Any) -> bool:
    return isinstance(value, str) and bool(_ID.match(value))


def _derived_id(full_url: str | None, request: dict[str, Any], resource: dict[str, Any]) -> str:
    candidates = [
        full_url.rsplit(":", 1)[-1].rsplit("/", 1)[-1] if full_url else None,
        str(request.get("url", "")).split("?", 1)[0].rsplit("/", 1)[-1] if "/" in str(request.get("url", "")) else None,
    ]
    for candidate in candidates:
        if _valid_id(candidate):
            return str(candidate)
    # No usable id anywhere: a content hash keeps it stable across runs.
    return hashlib.sha256(json.dumps(resource, sort_keys=True).encode()).hexdigest()[:32]


def _rewrite_references(value: Any, local: dict[str, str]) -> Any:
    if isinstance(value, dict):
        out = {key: _rewrite_references(item, local) for key, item in value.items()}
        reference = out.get("reference")
        if isinstance(reference, str) and reference in local:
            out["reference"] = local[reference]
        return out
    if isinstance(value, list):
        return [_rewrite_references(item, local) for item in value]
    return value


# --- one patient ------------------------------------------------------------------------------------


def _one_patient(resources: list[dict[str, Any]]) -> None:
    patients = {f"Patient/{r['id']}" for r in resources if r["resourceType"] == "Patient"}
    patients |= set(_patient_references(resources))
    if not patients:
        raise InputError(
            "The Bundle names no patient: it needs a Patient resource or Conditions whose subject is a Patient."
        )
    if len(patients) > 1:
        raise InputError(
            f"The Bundle holds data of {len(patients)} patients; `bonemet recommend` evaluates one patient at a time."
        )


def _patient_references(resources: Iterable[dict[str, Any]]) -> Iterable[str]:
    for resource in resources:
        for element in ("subject", "patient"):
            target = resource.get(element)
            reference = target.get("reference") if isinstance(target, dict) else None
            if isinstance(reference, str) and "Patient/" in reference:
                # 'https://ehr/fhir/Patient/1/_history/3' -> 'Patient/1'
                tail = reference[reference.rindex("Patient/") :]
                yield tail.split("/_history/", 1)[0]
