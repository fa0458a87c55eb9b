"""Reading MedicationStatements and MedicationRequests: bone-modifying agents, opioids, dexamethasone,
systemic anticancer therapy and the count of chemotherapy courses (A1)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bonemet_recommender.engine import codes
from bonemet_recommender.engine.attachment import Entry
from bonemet_recommender.engine.decisions import Coding
from bonemet_recommender.engine.elements import ElementsRead, as_list, as_mapping, as_text, codings, plain, status_of

READS: ElementsRead = {
    "MedicationStatement": frozenset({"status", "medicationCodeableConcept", "medicationReference", "contained"}),
    "MedicationRequest": frozenset(
        {"status", "intent", "medicationCodeableConcept", "medicationReference", "contained"}
    ),
    "Medication": frozenset({"code"}),
}

_MEDICATION_ACTIVE = frozenset({"active", "intended"})


class Medications:
    __slots__ = ("bma", "chemotherapy", "dexamethasone", "opioids", "sact")

    def __init__(self) -> None:
        self.bma: list[str] = []
        self.opioids: list[str] = []
        self.dexamethasone: list[str] = []
        self.sact: list[str] = []
        self.chemotherapy: list[str] = []


def _medication_codes(statement: Mapping[str, Any], known: Mapping[str, Mapping[str, Any]]) -> tuple[Coding, ...]:
    found = codings(statement.get("medicationCodeableConcept"))
    target = as_text(as_mapping(statement.get("medicationReference")).get("reference"))
    if target:
        if target.startswith("#"):
            for contained in as_list(statement.get("contained")):
                if as_mapping(contained).get("id") == target[1:]:
                    found += codings(as_mapping(contained).get("code"))
        elif plain(target) in known:
            found += codings(known[plain(target)].get("code"))
    return found


# A1: a MedicationRequest counts when active and its intent is an order or a plan (the order kinds included),
# never a proposal (such as this project's own dexamethasone proposal) or an option.
_REQUEST_INTENTS = frozenset({"order", "plan", "original-order", "reflex-order", "filler-order", "instance-order"})
_REQUEST_NOT_GIVEN = frozenset({"entered-in-error", "cancelled", "draft"})


def read_medications(
    statements: list[Entry], requests: list[Entry], known: Mapping[str, Mapping[str, Any]]
) -> Medications:
    meds = Medications()
    for statement, reference in statements:
        status = status_of(statement)
        if status in ("entered-in-error", "not-taken"):
            continue
        _classify_medication(meds, _medication_codes(statement, known), reference, status in _MEDICATION_ACTIVE)
    for request, reference in requests:
        status = status_of(request)
        if request.get("intent") not in _REQUEST_INTENTS or status in _REQUEST_NOT_GIVEN:
            continue
        _classify_medication(meds, _medication_codes(request, known), reference, status == "active")
    return meds


def _classify_medication(meds: Medications, medication: tuple[Coding, ...], reference: str, active: bool) -> None:
    # Every class at once: codes.is_chemotherapy, is_bma, is_opioid, is_dexamethasone, is_sact.
    classes = codes.medication_classes(medication)
    if "chemotherapy" in classes:
        meds.chemotherapy.append(reference)
    if not active:
        return
    if "bma" in classes:
        meds.bma.append(reference)
    if "opioid" in classes:
        meds.opioids.append(reference)
    if "dexamethasone" in classes:
        meds.dexamethasone.append(reference)
    if "sact" in classes:
        meds.sact.append(reference)
