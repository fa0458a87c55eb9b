"""``ids.stable_id`` writes the RFC 4122 version-5 UUID itself (for speed): it must stay exactly
``str(uuid.uuid5(namespace, "|".join(parts)))``, or every CarePlan and resource id would move."""

from __future__ import annotations

import uuid

from hypothesis import given
from hypothesis import strategies as st

from bonemet_recommender.engine.ids import ID_NAMESPACE, careplan_id, stable_id


@given(st.lists(st.text(), min_size=1, max_size=4))
def test_stable_id_is_the_uuid5_of_the_joined_parts(parts: list[str]) -> None:
    assert stable_id(*parts) == str(uuid.uuid5(ID_NAMESPACE, "|".join(parts)))


def test_careplan_id_of_a_known_patient() -> None:
    expected = str(uuid.uuid5(ID_NAMESPACE, "Patient/p1|careplan"))
    assert careplan_id("Patient/p1") == careplan_id("Patient/p1/_history/3") == expected
