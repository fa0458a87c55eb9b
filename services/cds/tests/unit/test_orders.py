"""Reading draft radiotherapy orders: the CodeX dose extension, or the dose written in the order's text."""

from __future__ import annotations

import pytest

from bonemet_cds.orders import dose_from_text, draft_orders
from bonemet_recommender.engine.codes import CODEXRT_DOSE_PRESCRIBED_TO_VOLUME


@pytest.mark.parametrize(
    ("text", "dose"),
    [
        ("8 Gy in 1 fraction", (8.0, 1)),
        ("Palliative RT 20 Gy/5 to T10", (20.0, 5)),
        ("4 Gy x 5", (20.0, 5)),
        ("5 x 4 Gy", (20.0, 5)),
        ("800 cGy in 1 fraction", (8.0, 1)),
        ("30Gy in 10 fractions", (30.0, 10)),
        ("radiotherapy to the spine", None),
    ],
)
def test_dose_from_text(text: str, dose: tuple[float, int] | None) -> None:
    assert dose_from_text(text) == dose


def _order(**more: object) -> dict[str, object]:
    return {
        "resourceType": "ServiceRequest",
        "id": "draft-1",
        "status": "draft",
        "intent": "order",
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "1217123003"}], "text": "RT 20 Gy/5"},
        "subject": {"reference": "Patient/p1"},
        **more,
    }


def test_the_codex_extension_wins_over_text_and_sbrt_is_read() -> None:
    codex = {
        "url": CODEXRT_DOSE_PRESCRIBED_TO_VOLUME,
        "extension": [
            {"url": "totalDose", "valueQuantity": {"value": 2400, "unit": "cGy", "code": "cGy"}},
            {"url": "fractions", "valuePositiveInt": 2},
        ],
    }
    bundle = {"resourceType": "Bundle", "entry": [{"resource": _order(extension=[codex])}]}
    [order] = draft_orders(bundle)
    assert (order.total_gy, order.fractions, order.sbrt) == (24.0, 2, True)  # 12 Gy a fraction: SBRT
    assert order.label == "24 Gy in 2 fractions (SBRT)"


def test_other_orders_are_not_radiotherapy() -> None:
    lab = {"resourceType": "ServiceRequest", "code": {"coding": [{"system": "http://loinc.org", "code": "2160-0"}]}}
    medication = {"resourceType": "MedicationRequest", "id": "m"}
    bundle = {
        "entry": [
            {"resource": lab},
            {"resource": medication},
            {"resource": _order(reasonReference=[{"reference": "Condition/t10/_history/2"}])},
        ]
    }
    [order] = draft_orders(bundle)
    assert order.reasons == ("Condition/t10",)
    assert (order.total_gy, order.fractions, order.sbrt) == (20.0, 5, False)
