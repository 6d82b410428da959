"""k-anonymity as a property, and the report's counts against the released rows."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safeguard.sharing.anonymity import ReleaseError, anonymise, build_hierarchy, read_hierarchy_csv

ages = st.integers(min_value=0, max_value=99).map(str)
genders = st.sampled_from(["female", "male", "other", ""])
countries = st.sampled_from(["ES", "FR", "GB", "MX", "NG", "PH", "TH", "UA"])
years = st.integers(min_value=2000, max_value=2024).map(str)
rows = st.lists(
    st.tuples(ages, genders, countries, years, st.sampled_from(["sexual", "labour", "other"])), max_size=120
)


def _table(data: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(data, columns=["age", "gender", "citizenship", "year_registered", "exploitation"])


@settings(max_examples=60, deadline=None)
@given(data=rows, k=st.integers(min_value=2, max_value=15), limit=st.sampled_from([0.0, 0.05, 0.5]))
def test_every_released_combination_occurs_at_least_k_times(
    data: list[tuple[str, str, str, str, str]], k: int, limit: float
) -> None:
    quasi = ["age", "gender", "citizenship", "year_registered"]
    result = anonymise(_table(data), quasi_identifiers=quasi, k=k, max_suppression=limit)
    released = result.table
    if len(released):
        assert released.groupby(quasi).size().min() >= k
    report = result.report()
    assert report["released_rows"] == len(released)
    assert report["suppressed_rows"] == len(data) - len(released)
    assert report["classes"] == (released.groupby(quasi).ngroups if len(released) else 0)
    assert 0.0 <= result.information_loss <= 1.0


@settings(max_examples=40, deadline=None)
@given(data=rows, k=st.integers(min_value=2, max_value=6), ell=st.integers(min_value=2, max_value=3))
def test_l_diversity_holds_in_every_released_class(
    data: list[tuple[str, str, str, str, str]], k: int, ell: int
) -> None:
    quasi = ["age", "gender", "citizenship"]
    result = anonymise(
        _table(data), quasi_identifiers=quasi, k=k, sensitive=["exploitation"], l_diversity=ell
    )
    if len(result.table):
        assert result.table.groupby(quasi)["exploitation"].nunique().min() >= ell
        assert result.table.groupby(quasi).size().min() >= k


def test_generalises_ages_to_bands_rather_than_suppress_and_keeps_other_columns() -> None:
    data = [(str(20 + i % 5), "female", "ES", "2020", "labour") for i in range(30)]
    result = anonymise(_table(data), quasi_identifiers=["age", "gender"], k=11, max_suppression=0.0)
    assert result.levels == {"age": "ranges of 5", "gender": "exact value"}
    assert set(result.table["age"]) == {"20-24"}
    assert result.suppressed_rows == 0
    assert list(result.table["exploitation"]) == ["labour"] * 30
    assert result.generalised_values == {"age": 30, "gender": 0}
    # Five ages of a range of 0-4 values: each released band covers the whole span.
    assert result.information_loss == pytest.approx(0.5)


def test_suppresses_an_outlier_instead_of_generalising_everyone() -> None:
    data = [("30", "female", "ES", "2020", "labour")] * 40 + [("31", "male", "ES", "2020", "labour")]
    result = anonymise(_table(data), quasi_identifiers=["age", "gender"], k=11, max_suppression=0.05)
    assert result.levels == {"age": "exact value", "gender": "exact value"}
    assert result.suppressed_rows == 1
    assert len(result.table) == 40


def test_hierarchy_file_generalises_places_up_the_region_tree() -> None:
    tree = read_hierarchy_csv(
        "ES,Southern Europe,Europe\nFR,Western Europe,Europe\nGB;Northern Europe;Europe\n"
    )
    data = [("30", "female", country, "2020", "labour") for country in ["ES", "FR", "GB"] * 5]
    result = anonymise(
        _table(data),
        quasi_identifiers=["citizenship"],
        k=11,
        hierarchies={"citizenship": tree},
        max_suppression=0,
    )
    assert result.levels == {"citizenship": "hierarchy level 2"}
    assert set(result.table["citizenship"]) == {"Europe"}


def test_dates_generalise_to_month_then_year() -> None:
    hierarchy = build_hierarchy("registered", ["2020-01-15", "2021-06-30", ""])
    assert hierarchy.kind == "date"
    assert hierarchy.labels[0] == ("2020-01", "2021-06", "")
    assert hierarchy.labels[1] == ("2020", "2021", "")
    assert hierarchy.labels[-1] == ("*", "*", "*")


def test_bad_options_are_reported_together() -> None:
    with pytest.raises(ReleaseError) as error:
        anonymise(_table([]), quasi_identifiers=["age", "nope"], k=1, l_diversity=2)
    message = str(error.value)
    assert "no column named nope" in message
    assert "k must be at least 2" in message
    assert "l-diversity needs at least one sensitive column" in message
