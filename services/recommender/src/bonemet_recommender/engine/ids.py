"""The output's ids: name-based UUIDs (uuid5) of the patient, the role and, where there is one, the lesion
(without its version) and the regimen, so the same decision always yields the same ids."""

from __future__ import annotations

import hashlib
import uuid

from bonemet_recommender.engine.codes import (
    CANONICAL_BASE,
)
from bonemet_recommender.engine.decisions import (
    Regimen,
)

ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, CANONICAL_BASE)
_ID_NAMESPACE_BYTES = ID_NAMESPACE.bytes


def unversioned(reference: str) -> str:
    """'Condition/abc/_history/2' -> 'Condition/abc': ids must survive a new version of the same input."""
    head, _, _ = reference.partition("/_history/")
    return head


def stable_id(*parts: str) -> str:
    """A FHIR id derived from the parts only (same parts, same id).

    ``str(uuid.uuid5(ID_NAMESPACE, "|".join(parts)))``, written out: building the UUID object cost more
    than the hash, and every evaluation needs a CarePlan id (tests/unit/engine/test_ids.py holds the two
    equal).
    """
    digest = bytearray(
        hashlib.sha1(_ID_NAMESPACE_BYTES + "|".join(parts).encode(), usedforsecurity=False).digest()[:16]
    )
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    text = digest.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def careplan_id(patient: str) -> str:
    return stable_id(unversioned(patient), "careplan")


def lesion_group_id(patient: str, lesion: str) -> str:
    return stable_id(unversioned(patient), "lesion", unversioned(lesion))


def regimen_id(patient: str, lesion: str, regimen: Regimen) -> str:
    return stable_id(
        unversioned(patient),
        "regimen",
        unversioned(lesion),
        regimen.technique,
        f"{regimen.total_dose_gy:g}",
        str(regimen.fractions),
    )


def suggestion_id(patient: str, lesion: str | None, code: str) -> str:
    return stable_id(unversioned(patient), "co-suggestion", unversioned(lesion) if lesion else "", code)


def medication_id(patient: str, rxnorm: str) -> str:
    return stable_id(unversioned(patient), "medication", rxnorm)


def flag_id(patient: str, lesion: str | None, code: str) -> str:
    return stable_id(unversioned(patient), "flag", unversioned(lesion) if lesion else "", code)


def volume_id(patient: str, lesion: str) -> str:
    return stable_id(unversioned(patient), "treatment-volume", unversioned(lesion))


def provenance_id(patient: str) -> str:
    return stable_id(unversioned(patient), "provenance")
