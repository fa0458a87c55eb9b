"""Clinical-rules §3: Chow NRF, TEACHH, ECOG->KPS, unknown handling and the prognosis category."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bonemet_recommender.engine.prognosis import assess, chow_group, ecog_to_kps, teachh_group


@pytest.mark.parametrize(
    ("ecog", "kps"), [(0, (90, 100)), (1, (70, 80)), (2, (50, 60)), (3, (30, 40)), (4, (10, 20)), (5, None)]
)
def test_ecog_to_kps(ecog: int, kps: tuple[int, int] | None) -> None:
    assert ecog_to_kps(ecog) == kps


@pytest.mark.parametrize(("points", "group"), [(0, "I"), (1, "I"), (2, "II"), (3, "III")])
def test_chow_groups(points: int, group: str) -> None:
    assert chow_group(points) == group


@pytest.mark.parametrize(("points", "group"), [(0, "A"), (1, "A"), (2, "B"), (4, "B"), (5, "C"), (6, "C")])
def test_teachh_groups(points: int, group: str) -> None:
    assert teachh_group(points) == group


def test_v1_breast_bone_only_ecog_1_is_chow_i_favourable_with_kps_approximated() -> None:
    p = assess(ecog=1, kps=None, breast_primary=True, metastases_other_than_bone=False)
    assert (p.chow_risk_factors, p.chow_group, p.category) == (0, "I", "favourable")
    assert p.approximations == ("KPS approximated from ECOG 1 (70-80)",)


def test_v2_nsclc_kps_40_liver_mets_is_chow_iii_limited() -> None:
    p = assess(ecog=3, kps=40, breast_primary=False, metastases_other_than_bone=True, liver_metastases=True)
    assert (p.chow_risk_factors, p.chow_group, p.category) == (3, "III", "limited")


def test_v3_prostate_ecog_2_bone_only_is_chow_ii_intermediate() -> None:
    p = assess(ecog=2, kps=None, breast_primary=False, metastases_other_than_bone=False)
    assert (p.chow_risk_factors, p.chow_group, p.category) == (2, "II", "intermediate")


def test_v10_nsclc_ecog_1_bone_only_is_chow_i_one_factor() -> None:
    p = assess(ecog=1, kps=None, breast_primary=False, metastases_other_than_bone=False)
    assert (p.chow_risk_factors, p.chow_group, p.category) == (1, "I", "favourable")


def test_missing_performance_status_is_unknown_never_favourable() -> None:
    p = assess(ecog=None, kps=None, breast_primary=True, metastases_other_than_bone=False)
    assert p.category == "unknown"
    assert p.chow_group == "I"  # 0-1 factors whatever the KPS: the group is known, the category is not
    assert p.chow_risk_factors is None


def test_unknown_primary_making_the_chow_group_uncertain_gives_unknown() -> None:
    p = assess(ecog=1, kps=None, breast_primary=None, metastases_other_than_bone=True)
    assert (p.chow_group, p.chow_risk_factors, p.category) == (None, None, "unknown")


def test_chow_group_known_despite_an_unknown_item() -> None:
    # breast primary, ECOG 0, other metastases unknown: 0 or 1 factor -> group I either way.
    p = assess(ecog=0, kps=None, breast_primary=True, metastases_other_than_bone=None)
    assert (p.chow_risk_factors, p.chow_group, p.category) == (None, "I", "favourable")


def test_chow_group_uncertain_between_i_and_ii_is_unknown() -> None:
    p = assess(ecog=3, kps=None, breast_primary=None, metastases_other_than_bone=False)
    assert (p.chow_group, p.category) == (None, "unknown")


def test_discordant_ecog_and_kps_use_the_worse() -> None:
    p = assess(ecog=1, kps=50, breast_primary=False, metastases_other_than_bone=False)
    assert p.chow_risk_factors == 2  # non-breast + KPS 50 <= 60, although ECOG 1 suggests KPS 70-80
    assert p.category == "intermediate"
    assert "discordant" in p.explanation


def test_discordant_other_way_blocks_favourable() -> None:
    p = assess(ecog=2, kps=80, breast_primary=True, metastases_other_than_bone=False)
    assert p.chow_risk_factors == 1
    assert p.category == "intermediate"


def test_clinician_short_estimates_make_it_limited() -> None:
    for estimate in ("<4w", "<3m"):
        p = assess(ecog=0, kps=None, breast_primary=True, metastases_other_than_bone=False, clinician_estimate=estimate)
        assert p.category == "limited"
        assert p.clinician_estimate == estimate


def test_clinician_3_to_12_months_caps_at_intermediate() -> None:
    p = assess(ecog=0, kps=None, breast_primary=True, metastases_other_than_bone=False, clinician_estimate="3-12m")
    assert p.category == "intermediate"


def test_unrecognised_clinician_estimate_is_ignored() -> None:
    p = assess(ecog=0, kps=None, breast_primary=True, metastases_other_than_bone=False, clinician_estimate="soon")
    assert p.clinician_estimate is None
    assert "not recognised" in p.explanation


def test_teachh_full_computation_and_chemo_reading_more_than_two() -> None:
    p = assess(
        ecog=2,
        kps=None,
        breast_primary=False,
        metastases_other_than_bone=True,
        breast_or_prostate_primary=False,
        age_years=70,
        palliative_chemotherapy_courses=2,  # Table 2: > 2 scores, so 2 courses score 0
        hospitalised_within_3_months=True,
        liver_metastases=True,
    )
    assert (p.teachh_points, p.teachh_group) == (5, "C")
    p3 = assess(
        ecog=2,
        kps=None,
        breast_primary=False,
        metastases_other_than_bone=True,
        breast_or_prostate_primary=False,
        age_years=70,
        palliative_chemotherapy_courses=3,
        hospitalised_within_3_months=True,
        liver_metastases=True,
    )
    assert (p3.teachh_points, p3.teachh_group) == (6, "C")
    assert "> 2 courses" in p3.explanation


def test_teachh_c_makes_limited_even_with_chow_ii() -> None:
    p = assess(
        ecog=2,
        kps=None,
        breast_primary=False,
        metastases_other_than_bone=False,
        breast_or_prostate_primary=False,
        age_years=70,
        palliative_chemotherapy_courses=3,
        hospitalised_within_3_months=True,
        liver_metastases=False,
    )
    assert (p.chow_group, p.teachh_group, p.category) == ("II", "C", "limited")


def test_teachh_b_blocks_favourable_the_worse_model_wins() -> None:
    p = assess(
        ecog=1,
        kps=None,
        breast_primary=True,
        metastases_other_than_bone=False,
        age_years=70,
        palliative_chemotherapy_courses=3,
        hospitalised_within_3_months=False,
        liver_metastases=False,
    )
    assert (p.chow_group, p.teachh_group, p.category) == ("I", "B", "intermediate")


def test_teachh_not_computable_does_not_block_favourable() -> None:
    p = assess(ecog=0, kps=None, breast_primary=True, metastases_other_than_bone=False, age_years=50)
    assert p.teachh_group is None
    assert p.category == "favourable"


def test_teachh_group_known_from_bounds() -> None:
    # four points known, two items unknown -> 4-6 -> B or C: not computable; five known -> C whatever.
    p = assess(
        ecog=3,
        kps=None,
        breast_primary=False,
        metastases_other_than_bone=True,
        breast_or_prostate_primary=False,
        age_years=80,
        hospitalised_within_3_months=True,
        liver_metastases=True,
    )
    assert (p.teachh_points, p.teachh_group, p.category) == (None, "C", "limited")


def test_out_of_range_performance_status_is_ignored() -> None:
    p = assess(ecog=7, kps=None, breast_primary=True, metastases_other_than_bone=False)
    assert p.category == "unknown"
    assert "outside 0-5" in p.explanation


opt_bool = st.one_of(st.none(), st.booleans())
opt_estimate = st.one_of(st.none(), st.sampled_from(["<4w", "<3m", "3-12m", ">12m"]))


@given(
    breast=opt_bool,
    other=opt_bool,
    estimate=opt_estimate,
    age=st.one_of(st.none(), st.integers(18, 100)),
    chemo=st.one_of(st.none(), st.integers(0, 6)),
    hosp=opt_bool,
    liver=opt_bool,
)
def test_missing_performance_status_is_never_favourable(
    breast: bool | None,
    other: bool | None,
    estimate: str | None,
    age: int | None,
    chemo: int | None,
    hosp: bool | None,
    liver: bool | None,
) -> None:
    p = assess(
        ecog=None,
        kps=None,
        breast_primary=breast,
        metastases_other_than_bone=other,
        clinician_estimate=estimate,
        age_years=age,
        palliative_chemotherapy_courses=chemo,
        hospitalised_within_3_months=hosp,
        liver_metastases=liver,
    )
    assert p.category in {"unknown", "limited"}


@given(
    ecog=st.one_of(st.none(), st.integers(0, 5)),
    kps=st.one_of(st.none(), st.sampled_from(range(0, 101, 10))),
    breast=opt_bool,
    other=opt_bool,
    estimate=opt_estimate,
)
def test_favourable_only_on_known_chow_i_and_good_performance(
    ecog: int | None, kps: int | None, breast: bool | None, other: bool | None, estimate: str | None
) -> None:
    p = assess(ecog=ecog, kps=kps, breast_primary=breast, metastases_other_than_bone=other, clinician_estimate=estimate)
    if p.category == "favourable":
        assert p.chow_group == "I"
        assert ecog is not None or kps is not None
        assert ecog is None or ecog <= 1
        assert kps is None or kps >= 70
        assert estimate not in {"<4w", "<3m", "3-12m"}
    if p.chow_group == "III" or estimate in {"<4w", "<3m"}:
        assert p.category == "limited"


@given(breast=opt_bool, other=opt_bool, ecog=st.one_of(st.none(), st.integers(0, 4)))
def test_unknown_is_not_negative_filling_an_unknown_never_contradicts_a_known_group(
    breast: bool | None, other: bool | None, ecog: int | None
) -> None:
    p = assess(ecog=ecog, kps=None, breast_primary=breast, metastases_other_than_bone=other)
    if p.chow_group is None:
        return
    for b in [breast] if breast is not None else [True, False]:
        for o in [other] if other is not None else [True, False]:
            for e in [ecog] if ecog is not None else [0, 4]:
                filled = assess(ecog=e, kps=None, breast_primary=b, metastases_other_than_bone=o)
                assert filled.chow_group == p.chow_group
