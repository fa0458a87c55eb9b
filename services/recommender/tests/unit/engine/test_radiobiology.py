"""Clinical-rules §2 table, §2.1 worked examples and the V8/V9 cord numbers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bonemet_recommender.engine import radiobiology as rb

# (total Gy, fractions): BED10, EQD2_10, BED3, EQD2_3, EQD2_2 exactly as clinical-rules §2 prints them.
SECTION_2_TABLE = [
    (8, 1, 14.4, 12.0, 29.3, 17.6, 20.0),
    (16, 2, 28.8, 24.0, 58.7, 35.2, 40.0),
    (20, 5, 28.0, 23.3, 46.7, 28.0, 30.0),
    (24, 6, 33.6, 28.0, 56.0, 33.6, 36.0),
    (20, 8, 25.0, 20.8, 36.7, 22.0, 22.5),
    (30, 10, 39.0, 32.5, 60.0, 36.0, 37.5),
    (12, 1, 26.4, 22.0, 60.0, 36.0, 42.0),
    (16, 1, 41.6, 34.7, 101.3, 60.8, 72.0),
    (18, 1, 50.4, 42.0, 126.0, 75.6, 90.0),
    (24, 1, 81.6, 68.0, 216.0, 129.6, 156.0),
    (24, 2, 52.8, 44.0, 120.0, 72.0, 84.0),
    (27, 3, 51.3, 42.8, 108.0, 64.8, 74.2),
    (30, 5, 48.0, 40.0, 90.0, 54.0, 60.0),
    (35, 5, 59.5, 49.6, 116.7, 70.0, 78.8),
]


@pytest.mark.parametrize(("total", "n", "bed10", "eqd2_10", "bed3", "eqd2_3", "eqd2_2"), SECTION_2_TABLE)
def test_section_2_table(
    total: float, n: int, bed10: float, eqd2_10: float, bed3: float, eqd2_3: float, eqd2_2: float
) -> None:
    assert rb.round_dose(rb.bed(total, n, 10)) == bed10
    assert rb.round_dose(rb.eqd2(total, n, 10)) == eqd2_10
    assert rb.round_dose(rb.bed(total, n, 3)) == bed3
    assert rb.round_dose(rb.eqd2(total, n, 3)) == eqd2_3
    assert rb.round_dose(rb.eqd2(total, n, 2)) == eqd2_2


@pytest.mark.parametrize(("total", "n", "bed10", "eqd2_10", "bed3", "eqd2_3", "eqd2_2"), SECTION_2_TABLE)
def test_regimen_carries_bed10_and_cord_bound(
    total: float, n: int, bed10: float, eqd2_10: float, bed3: float, eqd2_3: float, eqd2_2: float
) -> None:
    spine = rb.regimen(total, n, "conventional", spine=True)
    assert (spine.total_dose_gy, spine.fractions, spine.bed10, spine.eqd2_cord) == (total, n, bed10, eqd2_2)
    assert rb.regimen(total, n, "sbrt", spine=False).eqd2_cord is None


def test_source_review_claim_24_over_2_is_not_bed10_100() -> None:
    # A5 / §0.1: 24 Gy/2 gives BED10 52.8 Gy, not >= 100.
    assert rb.regimen(24, 2, "sbrt", spine=True).bed10 == 52.8


def test_regimen_keeps_evidence_and_note() -> None:
    r = rb.regimen(24, 1, "sbrt", spine=False, evidence="R", note="oligo")
    assert (r.evidence, r.note, r.label) == ("R", "oligo", "24 Gy in 1 fraction (SBRT)")


@pytest.mark.parametrize(("total", "n", "ab"), [(8, 0, 10), (-1, 1, 10), (8, 1, 0)])
def test_invalid_courses_are_rejected(total: float, n: int, ab: float) -> None:
    with pytest.raises(ValueError, match="must be"):
        rb.bed(total, n, ab)


@given(st.floats(0.5, 60), st.integers(1, 40), st.sampled_from([2.0, 3.0, 10.0]))
def test_eqd2_is_bed_over_one_plus_two_over_alpha_beta(total: float, n: int, ab: float) -> None:
    assert rb.eqd2(total, n, ab) == pytest.approx(total * (total / n + ab) / (2 + ab))


def test_interval_conversions_are_the_safe_side() -> None:
    assert (rb.FOUR_WEEKS_DAYS, rb.FIVE_MONTHS_DAYS, rb.SIX_MONTHS_DAYS) == (28, 153, 184)


# --- §2.1 conventional re-irradiation ---------------------------------------------------------------


def conventional(total: float, n: int) -> rb.Regimen:
    return rb.regimen(total, n, "conventional", spine=True)


def test_v8_prior_20_over_5_then_20_over_8_after_8_months_passes() -> None:
    check = rb.conventional_reirradiation_check([(20, 5)], conventional(20, 8), interval_days=243)
    assert (check.prior_eqd2, check.new_eqd2, check.cumulative_eqd2) == (30.0, 22.5, 52.5)
    assert check.passed
    assert not rb.reirradiation_caution(check)
    assert "dosimetric review required" in check.detail


@pytest.mark.parametrize(("total", "n"), [(8, 1), (20, 5), (24, 6), (20, 8)])
def test_v8_every_astro_spine_reirradiation_regimen_passes(total: float, n: int) -> None:
    assert rb.conventional_reirradiation_check([(20, 5)], conventional(total, n), interval_days=243).passed


def test_v9_prior_30_over_10_ten_weeks_ago_allows_8_over_1_with_caution() -> None:
    check = rb.conventional_reirradiation_check([(30, 10)], conventional(8, 1), interval_days=70)
    assert (check.prior_eqd2, check.new_eqd2, check.cumulative_eqd2) == (37.5, 20.0, 57.5)
    assert check.passed
    assert rb.reirradiation_caution(check)
    assert "outside Nieder 2006 low-risk conditions" in check.detail


def test_v9_twenty_over_eight_also_allowed_with_caution() -> None:
    check = rb.conventional_reirradiation_check([(30, 10)], conventional(20, 8), interval_days=70)
    assert check.passed
    assert rb.reirradiation_caution(check)


@pytest.mark.parametrize(("total", "n"), [(20, 5), (24, 6), (30, 10)])
def test_v9_other_regimens_not_allowed_under_6_months(total: float, n: int) -> None:
    assert not rb.conventional_reirradiation_check([(30, 10)], conventional(total, n), interval_days=70).passed


@pytest.mark.parametrize("days", [-5, 0, 27])
def test_under_4_weeks_nothing_passes(days: int) -> None:
    check = rb.conventional_reirradiation_check([(30, 10)], conventional(8, 1), interval_days=days)
    assert not check.passed
    assert "under 4 weeks" in check.detail


def test_exactly_4_weeks_and_exactly_6_months_are_inside() -> None:
    assert rb.conventional_reirradiation_check([(20, 5)], conventional(8, 1), interval_days=28).passed
    check = rb.conventional_reirradiation_check([(20, 5)], conventional(20, 5), interval_days=184)
    assert check.passed
    assert not rb.reirradiation_caution(check)
    assert not rb.conventional_reirradiation_check([(20, 5)], conventional(20, 5), interval_days=183).passed


def test_cumulative_above_nieder_limit_fails_even_after_long_interval() -> None:
    # prior 40/20 (EQD2_2 40) + 30/10 (37.5) = 77.5 > 67.75
    check = rb.conventional_reirradiation_check([(40, 20)], conventional(30, 10), interval_days=1000)
    assert not check.passed
    assert check.cumulative_eqd2 == 77.5


def test_cumulative_limit_is_nieder_bed2_135_5() -> None:
    assert rb.NIEDER_CUMULATIVE_EQD2_MAX == 67.75
    assert rb.NIEDER_COURSE_EQD2_MAX == 49.0


def test_sbrt_candidate_is_not_checked_as_conventional() -> None:
    sbrt = rb.regimen(24, 2, "sbrt", spine=True)
    assert not rb.conventional_reirradiation_check([(20, 5)], sbrt, interval_days=400).passed


@given(
    st.floats(4, 60),
    st.integers(1, 30),
    st.sampled_from([(8, 1), (20, 5), (24, 6), (20, 8), (30, 10)]),
    st.integers(-30, 2000),
)
def test_a_passed_check_is_always_within_limits(prior: float, prior_n: int, cand: tuple[int, int], days: int) -> None:
    check = rb.conventional_reirradiation_check([(prior, prior_n)], conventional(*cand), days)
    if check.passed:
        assert days >= 28
        assert rb.eqd2(prior, prior_n, 2) + rb.eqd2(cand[0], cand[1], 2) <= 67.75 + 1e-9
        assert days >= 184 or cand in {(8, 1), (20, 8)}


# --- §2.1 SBRT re-irradiation ----------------------------------------------------------------------


def test_v8_sbrt_allowed_after_8_months_with_prior_30() -> None:
    assert rb.sbrt_reirradiation_allowed([(20, 5)], interval_days=243)


def test_v9_sbrt_not_allowed_after_10_weeks() -> None:
    assert not rb.sbrt_reirradiation_allowed([(30, 10)], interval_days=70)


def test_sbrt_boundaries() -> None:
    assert rb.sbrt_reirradiation_allowed([(30, 10)], interval_days=153)
    assert not rb.sbrt_reirradiation_allowed([(30, 10)], interval_days=152)
    assert rb.sbrt_reirradiation_allowed([(36, 12)], interval_days=400)  # EQD2_2 45.0
    assert not rb.sbrt_reirradiation_allowed([(46, 23)], interval_days=400)  # EQD2_2 46.0


@pytest.mark.parametrize(
    ("prior_total", "prior_n", "cumulative", "ratio"),
    [(20, 5, 55.0, "0.45"), (30, 10, 62.5, "0.40"), (40, 20, 65.0, "0.38")],
)
def test_section_2_1_worked_sbrt_examples(prior_total: float, prior_n: int, cumulative: float, ratio: str) -> None:
    assert rb.sbrt_reirradiation_pmax_eqd2([(prior_total, prior_n)]) == 25.0
    text = rb.sbrt_reirradiation_constraints([(prior_total, prior_n)])
    assert f"(here {cumulative:.1f} Gy)" in text
    assert f"(here {ratio})" in text


def test_sbrt_pmax_for_25_gy_eqd2_matches_section_2_1() -> None:
    expected = {1: 9.0, 2: 12.3, 3: 14.6, 4: 16.4, 5: 17.9}
    assert {n: rb.round_dose(rb.pmax_for_eqd2(25, n)) for n in expected} == expected
    text = rb.sbrt_reirradiation_constraints([(20, 5)])
    assert "Pmax <= 9.0 Gy/1, 12.3 Gy/2, 14.6 Gy/3, 16.4 Gy/4, 17.9 Gy/5" in text
    assert "not a guarantee" in text


def test_ratio_limit_binds_after_a_small_prior_course() -> None:
    # prior 8/1 = 20 Gy EQD2_2: SBRT Pmax EQD2_2 25 would give ratio 0.56 > 0.5, so 20 is the limit.
    assert rb.sbrt_reirradiation_pmax_eqd2([(8, 1)]) == pytest.approx(20.0)
    assert "(here 0.50)" in rb.sbrt_reirradiation_constraints([(8, 1)])


def test_de_novo_hytec_limits_are_about_eqd2_44_6() -> None:
    for n, pmax in rb.DE_NOVO_CORD_PMAX_GY.items():
        assert rb.eqd2(pmax, n, 2) == pytest.approx(44.6, abs=0.5)
    assert "17.0 Gy in 2 fractions" in (rb.de_novo_cord_constraint(2) or "")
    assert rb.de_novo_cord_constraint(6) is None


# --- A13: several courses at one site, and courses whose technique is not recorded ---------------------


def test_the_prior_cord_dose_is_the_sum_of_the_courses() -> None:
    # 30/10 (37.5) + 20/5 (30.0) = 67.5 Gy EQD2_2: 8/1 (20.0) would reach 87.5, far over 67.75.
    assert rb.prior_cord_eqd2([(30, 10), (20, 5)]) == pytest.approx(67.5)
    check = rb.conventional_reirradiation_check([(30, 10), (20, 5)], conventional(8, 1), interval_days=400)
    assert not check.passed
    assert check.prior_eqd2 == 67.5
    assert "30 Gy/10 + 20 Gy/5" in check.detail


def test_one_course_of_the_same_sum_would_pass() -> None:
    assert rb.conventional_reirradiation_check([(20, 5)], conventional(8, 1), interval_days=400).passed


def test_sbrt_reirradiation_is_never_allowed_after_two_courses() -> None:
    assert rb.sbrt_reirradiation_allowed([(8, 1)], interval_days=400)
    assert not rb.sbrt_reirradiation_allowed([(8, 1), (8, 1)], interval_days=400)


@pytest.mark.parametrize(
    ("total", "n", "sbrt"),
    [
        (24, 2, True),  # 12 Gy per fraction
        (9, 1, True),  # more than 8 Gy per fraction
        (30, 5, True),  # 6 Gy per fraction in 5
        (8, 1, False),  # the conventional single fraction
        (16, 2, False),  # the MSCC two-fraction regimen
        (20, 5, False),
        (30, 10, False),
        (36, 6, False),  # 6 Gy per fraction but in 6 fractions
        (8.5, 1, True),
    ],
)
def test_a_course_without_technique_counts_as_sbrt_by_its_fractionation(total: float, n: int, sbrt: bool) -> None:
    assert rb.is_sbrt_course(total, n) is sbrt
