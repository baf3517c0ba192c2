"""Every measure and every disaggregation against counts worked out by hand from conftest.py.

The suite runs on SQLite and on PostgreSQL (QUIPU_DATABASE_URL): the same hand-computed values
on both is what "one code path, two databases" asks of these aggregates.
"""

import pytest

from quipu.stats.measures import MEASURES, UnknownMeasure, case_measure_counts

pytestmark = pytest.mark.django_db

# Colombia in 2023, by measure and disaggregation; each row's comment names who is counted.
COLOMBIA_2023 = {
    "victims_detected": {  # V1 V2 V11 (C1), V3 (C2, dated 31 Dec), V7 V8 (C5; V6 ruled out)
        None: {"total": 6},
        "sex": {"female": 2, "male": 2, "other_or_unknown": 2, "total": 6},
        "age_group": {"child": 3, "adult": 2, "unknown": 1, "total": 6},
        "exploitation": {"sexual": 3, "labour": 2, "other": 1, "unknown": 2, "total": 6},
        "nationality": {"national": 1, "member_state": 3, "other": 1, "unknown": 1, "total": 6},
    },
    "child_victims_detected": {  # V1 (9--17), V3 (Minor), V7 (17 on 31 December)
        None: {"total": 3},
        "sex": {"female": 1, "male": 0, "other_or_unknown": 2, "total": 3},
        "age_group": {"child": 3, "adult": 0, "unknown": 0, "total": 3},
        "exploitation": {"sexual": 3, "labour": 1, "other": 1, "unknown": 0, "total": 3},
        "nationality": {"national": 1, "member_state": 1, "other": 1, "unknown": 0, "total": 3},
    },
    "victims_with_support_plan": {  # V7 (V6 has a plan but is no victim; V4 is of 2024)
        None: {"total": 1},
        "sex": {"female": 0, "male": 0, "other_or_unknown": 1, "total": 1},
        "age_group": {"child": 1, "adult": 0, "unknown": 0, "total": 1},
        "exploitation": {"sexual": 1, "labour": 0, "other": 1, "unknown": 0, "total": 1},
        "nationality": {"national": 0, "member_state": 1, "other": 0, "unknown": 0, "total": 1},
    },
    "victims_referred_consular": {  # V7 V8 of C5 (C1's referral is dated 1 January 2024)
        None: {"total": 2},
        "sex": {"female": 0, "male": 1, "other_or_unknown": 1, "total": 2},
        "age_group": {"child": 1, "adult": 1, "unknown": 0, "total": 2},
        "exploitation": {"sexual": 1, "labour": 0, "other": 1, "unknown": 1, "total": 2},
        "nationality": {"national": 0, "member_state": 2, "other": 0, "unknown": 0, "total": 2},
    },
    "suspects": {  # P1 P2 P3b (C1), P3 (C2); smuggling cases' P7 and P8 are not counted
        None: {"total": 4},
        "sex": {"female": 1, "male": 3, "other_or_unknown": 0, "total": 4},
        "age_group": {"child": 1, "adult": 1, "unknown": 2, "total": 4},
        "exploitation": {"sexual": 4, "labour": 4, "other": 0, "unknown": 3, "total": 4},
        "nationality": {"national": 2, "member_state": 1, "other": 0, "unknown": 1, "total": 4},
    },
    "prosecuted": {  # C1 charged (3), C2 convicted without a charge (P3), C4 tried (P5 P6)
        None: {"total": 6},
        "sex": {"female": 1, "male": 4, "other_or_unknown": 1, "total": 6},
        "age_group": {"child": 1, "adult": 1, "unknown": 4, "total": 6},
        "exploitation": {"sexual": 4, "labour": 4, "other": 0, "unknown": 5, "total": 6},
        "nationality": {"national": 2, "member_state": 3, "other": 0, "unknown": 1, "total": 6},
    },
    "convicted": {  # P3 (C2), P5 P6 (C4, convicted on 31 December)
        None: {"total": 3},
        "sex": {"female": 0, "male": 2, "other_or_unknown": 1, "total": 3},
        "age_group": {"child": 1, "adult": 0, "unknown": 2, "total": 3},
        "exploitation": {"sexual": 1, "labour": 1, "other": 0, "unknown": 2, "total": 3},
        "nationality": {"national": 0, "member_state": 2, "other": 0, "unknown": 1, "total": 3},
    },
    "smuggling_cases": {  # C6 (V9 man, V10 woman, both Venezuelan), C7 (no migrant recorded)
        None: {"total": 2},
        "sex": {"female": 1, "male": 1, "other_or_unknown": 1, "total": 2},
        "age_group": {"child": 0, "adult": 1, "unknown": 1, "total": 2},
        "exploitation": {"sexual": 0, "labour": 0, "other": 0, "unknown": 2, "total": 2},
        "nationality": {"national": 0, "member_state": 1, "other": 0, "unknown": 1, "total": 2},
    },
}

CASES = [
    (measure, by, expected)
    for measure, by_disaggregation in COLOMBIA_2023.items()
    for by, expected in by_disaggregation.items()
]


def test_every_measure_of_the_indicator_framework_is_computed():
    assert set(COLOMBIA_2023) == set(MEASURES)


@pytest.mark.parametrize(("measure", "by", "expected"), CASES)
def test_rule5_counts_equal_the_hand_computed_values_on_either_database(
    stats_cases, measure, by, expected, django_assert_num_queries
):
    with django_assert_num_queries(1):
        counts = case_measure_counts(measure=measure, countries=["CO"], year=2023, by=by)
    assert counts == {"CO": expected}


def test_cases_count_for_their_owners_country_only(stats_cases):
    counts = case_measure_counts(
        measure="victims_detected", countries=["AR", "CO", "UY"], year=2023, by="sex"
    )
    assert counts["AR"] == {"female": 2, "male": 1, "other_or_unknown": 0, "total": 3}
    assert counts["CO"]["total"] == 6
    assert counts["UY"] == {"female": 0, "male": 0, "other_or_unknown": 0, "total": 0}


def test_a_consulate_referring_its_national_and_a_referral_to_a_foreign_body_are_consular(
    stats_cases,
):
    # A1: owned by Argentina's consulate; A2: sent to Paraguay's police by name; A3: domestic.
    counts = case_measure_counts(measure="victims_referred_consular", countries=["AR"], year=2023)
    assert counts == {"AR": {"total": 2}}


def test_a_case_wide_support_plan_covers_the_cases_victims(stats_cases):
    counts = case_measure_counts(measure="victims_with_support_plan", countries=["AR"], year=2023)
    assert counts == {"AR": {"total": 1}}


def test_the_first_day_of_the_next_year_belongs_to_the_next_year(stats_cases):
    def total(measure: str, year: int) -> int:
        return case_measure_counts(measure=measure, countries=["CO"], year=year)["CO"]["total"]

    # 2024: the shared sample case and C3 (registered on 1 January 2024).
    assert total("victims_detected", 2024) == 2
    assert total("victims_referred_consular", 2024) == 3  # C1's referral of 1 January 2024
    assert total("prosecuted", 2024) == 1  # C3's trial on 1 January 2024
    assert total("convicted", 2024) == 0
    assert total("smuggling_cases", 2024) == 1
    # 2022: C4's victim; C3's charge of 31 December 2022 counts in 2022.
    assert total("victims_detected", 2022) == 1
    assert total("prosecuted", 2022) == 1


def test_the_shared_sample_cases_count_once_per_member_state_in_2024(region):
    counts = case_measure_counts(
        measure="victims_detected", countries=["BO", "PE"], year=2024, by="nationality"
    )
    assert counts["PE"] == {"national": 1, "member_state": 0, "other": 0, "unknown": 0, "total": 1}


def test_an_unknown_measure_or_disaggregation_is_refused(db):
    with pytest.raises(UnknownMeasure):
        case_measure_counts(measure="victims", countries=["CO"], year=2023)
    with pytest.raises(UnknownMeasure):
        case_measure_counts(measure="suspects", countries=["CO"], year=2023, by="religion")
