"""Specification of the indicator-table parsers: long, wide and World Bank CSV."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pandas as pd
import pytest

from safeguard.risk.tables import (
    LeftOutRow,
    TableError,
    TableProblem,
    read_long_csv,
    read_wide_csv,
    read_worldbank_csv,
)

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SYNTHETIC_WORLDBANK = FIXTURES / "API_SYN.POV.CHLD_DS2_en_csv_v2_synthetic.csv"
# The real World Bank download the repository ships for the demo (safeguard/risk/data/worldbank).
REAL_WORLDBANK = Path(__file__).resolve().parents[1] / "data" / "worldbank"
KENYA_COUNTIES = {"KE-01", "KE-02", "KE-03"}


def expected_observations(rows: list[tuple[str, int | None, str, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["region", "year", "indicator", "value"])
    return frame.astype({"region": str, "year": "Int64", "indicator": str, "value": "float64"})


def problems_of(raised: pytest.ExceptionInfo[TableError]) -> list[str]:
    return [str(problem) for problem in raised.value.problems]


# --- long -------------------------------------------------------------------------------------


def test_long_csv_becomes_observations() -> None:
    text = (
        "Region,Year,Indicator,Value,source\nKE-01,2020,poverty,40.5,survey\nKE-02,2019,poverty,NA,survey\n"
    )
    table = read_long_csv(io.StringIO(text), known_regions=KENYA_COUNTIES)
    pd.testing.assert_frame_equal(
        table.observations,
        expected_observations([("KE-01", 2020, "poverty", 40.5), ("KE-02", 2019, "poverty", math.nan)]),
    )
    assert table.left_out == ()


@pytest.mark.parametrize("marker", ["", "NA", "n/a", "NaN", "..", "-", "  "])
def test_missing_value_markers_are_missing_values(marker: str) -> None:
    table = read_long_csv(io.StringIO(f"region,year,indicator,value\nKE-01,2020,poverty,{marker}\n"))
    assert math.isnan(table.observations.at[0, "value"])


def test_long_csv_lists_every_missing_column() -> None:
    with pytest.raises(TableError) as raised:
        read_long_csv(io.StringIO("region,value\nKE-01,3\n"))
    assert problems_of(raised) == [
        "line 1, column 'year': missing column",
        "line 1, column 'indicator': missing column",
    ]


def test_long_csv_names_every_problem_with_its_line_and_column() -> None:
    text = (
        "region,year,indicator,value\n"
        "KE-01,2020,poverty,40\n"
        "XX-99,2020,poverty,12\n"  # unknown region
        "KE-02,20x0,poverty,abc\n"  # bad year and not a number
        "KE-01,2020,poverty,41\n"  # duplicate of line 2
        ",2020,,inf\n"  # no region, no indicator, infinite
        "ke-03,2020,poverty,1\n"  # a case slip gets a hint
    )
    with pytest.raises(TableError) as raised:
        read_long_csv(io.StringIO(text), known_regions=KENYA_COUNTIES)
    assert problems_of(raised) == [
        "line 3, column 'region': unknown region 'XX-99'",
        "line 4, column 'year': year '20x0' is not a year",
        "line 4, column 'value': 'abc' is not a number",
        "line 5: duplicate region + year + indicator KE-01 + 2020 + poverty (first on line 2)",
        "line 6, column 'region': region is empty",
        "line 6, column 'indicator': indicator is empty",
        "line 6, column 'value': 'inf' is not a number",
        "line 7, column 'region': unknown region 'ke-03' (did you mean 'KE-03'?)",
    ]
    assert str(raised.value).startswith("8 problems: line 3, column 'region': unknown region 'XX-99'; ")


def test_line_numbers_count_physical_lines_with_blank_and_quoted_multiline_records() -> None:
    text = 'region,year,indicator,value\n\n"KE-01",2020,"poverty\nrate",x\n'
    with pytest.raises(TableError) as raised:
        read_long_csv(io.StringIO(text))
    assert problems_of(raised) == ["line 3, column 'value': 'x' is not a number"]


def test_empty_and_undecodable_files_are_refused() -> None:
    with pytest.raises(TableError, match="the file is empty"):
        read_long_csv(io.StringIO(""))
    with pytest.raises(TableError, match="not UTF-8 text"):
        read_long_csv(b"region,year,indicator,value\nK\xe9,2020,p,1\n")


def test_a_missing_file_is_a_table_error(tmp_path: Path) -> None:
    with pytest.raises(TableError, match="cannot read the file"):
        read_long_csv(tmp_path / "absent.csv")


def test_sources_may_be_paths_bytes_or_binary_streams_with_a_byte_order_mark(tmp_path: Path) -> None:
    content = "\ufeffregion,year,indicator,value\nKE-01,2020,poverty,1.5\n".encode()
    path = tmp_path / "long.csv"
    path.write_bytes(content)
    expected = expected_observations([("KE-01", 2020, "poverty", 1.5)])
    for source in (path, str(path), content, io.BytesIO(content)):
        pd.testing.assert_frame_equal(read_long_csv(source).observations, expected)


# --- wide -------------------------------------------------------------------------------------


def test_wide_csv_with_one_row_per_region_is_undated() -> None:
    text = "county,poverty,literacy,notes\nKE-01,40,80,x\nKE-02,,95,y\n"
    table = read_wide_csv(
        io.StringIO(text), region_column="county", indicator_columns=["poverty", "literacy"]
    )
    pd.testing.assert_frame_equal(
        table.observations,
        expected_observations(
            [
                ("KE-01", None, "poverty", 40.0),
                ("KE-01", None, "literacy", 80.0),
                ("KE-02", None, "poverty", math.nan),
                ("KE-02", None, "literacy", 95.0),
            ]
        ),
    )


def test_wide_csv_uses_every_other_column_when_indicators_are_not_named() -> None:
    text = "county,year,poverty,literacy\nKE-01,2019,40,80\nKE-01,2020,41,81\n"
    table = read_wide_csv(io.StringIO(text), region_column="county", year_column="year")
    assert table.observations["indicator"].tolist() == ["poverty", "literacy", "poverty", "literacy"]
    assert table.observations["year"].tolist() == [2019, 2019, 2020, 2020]


def test_wide_csv_lists_every_missing_column() -> None:
    with pytest.raises(TableError) as raised:
        read_wide_csv(
            io.StringIO("county,poverty\nKE-01,3\n"),
            region_column="region",
            year_column="year",
            indicator_columns=["poverty", "literacy"],
        )
    assert problems_of(raised) == [
        "line 1, column 'region': missing column",
        "line 1, column 'year': missing column",
        "line 1, column 'literacy': missing column",
    ]


def test_wide_csv_without_indicator_columns_is_refused() -> None:
    with pytest.raises(TableError, match="no indicator columns besides the region and year"):
        read_wide_csv(io.StringIO("county\nKE-01\n"), region_column="county")


def test_wide_csv_names_every_problem() -> None:
    text = (
        "county,year,poverty,literacy\n"
        "KE-01,2020,40,eighty\n"
        "KE-09,2020,1,2\n"
        "KE-01,2020,41,81\n"
        "KE-02,,1,2\n"
        "KE-03,2020,1\n"  # short row: the missing cell is a missing value, not a problem
    )
    with pytest.raises(TableError) as raised:
        read_wide_csv(
            io.StringIO(text), region_column="county", year_column="year", known_regions=KENYA_COUNTIES
        )
    assert problems_of(raised) == [
        "line 2, column 'literacy': 'eighty' is not a number",
        "line 3, column 'county': unknown region 'KE-09'",
        "line 4: duplicate region + year KE-01 + 2020 (first on line 2)",
        "line 5, column 'year': year '' is not a year",
    ]


def test_a_repeated_column_is_a_problem() -> None:
    with pytest.raises(TableError) as raised:
        read_wide_csv(io.StringIO("county,poverty,poverty\nKE-01,1,2\n"), region_column="county")
    assert problems_of(raised) == ["line 1, column 'poverty': column appears more than once"]


# --- World Bank -------------------------------------------------------------------------------


def test_synthetic_worldbank_download_with_metadata_lines_and_aggregates() -> None:
    # Byte-order mark, "Data Source" and "Last Updated Date" lines with blank lines, every line
    # ending in a comma; aggregates World, Sub-Saharan Africa, Low income, IDA total; Kosovo (XKX)
    # has no ISO 3166-1 code.
    table = read_worldbank_csv(SYNTHETIC_WORLDBANK)
    pd.testing.assert_frame_equal(
        table.observations,
        expected_observations(
            [
                ("AW", 2019, "SYN.POV.CHLD", 12.5),
                ("AW", 2021, "SYN.POV.CHLD", 13.0),
                ("KE", 2018, "SYN.POV.CHLD", 40.0),
                ("KE", 2020, "SYN.POV.CHLD", 41.25),
                ("BS", 2018, "SYN.POV.CHLD", 8.0),
                ("BS", 2021, "SYN.POV.CHLD", 7.5),
            ]
        ),
    )
    reason = "aggregate or not an ISO 3166-1 country"
    assert table.left_out == (
        LeftOutRow("WLD", "World", reason),
        LeftOutRow("SSF", "Sub-Saharan Africa", reason),
        LeftOutRow("LIC", "Low income", reason),
        LeftOutRow("IDA", "IDA total", reason),
        LeftOutRow("XKX", "Kosovo", reason),
    )
    assert table.indicator_names == {
        "SYN.POV.CHLD": "Synthetic child poverty rate (test fixture, not real data)"
    }


def test_worldbank_regions_are_checked_as_alpha_2_codes() -> None:
    with pytest.raises(TableError) as raised:
        read_worldbank_csv(SYNTHETIC_WORLDBANK, known_regions={"KE", "AW"})
    assert problems_of(raised) == [
        "line 13, column 'Country Code': unknown region 'NP' (Nepal, NPL)",
        "line 14, column 'Country Code': unknown region 'BS' (Bahamas, The, BHS)",
    ]


def worldbank_text(
    *rows: str, header: str = "Country Name,Country Code,Indicator Name,Indicator Code,2019,2020"
) -> str:
    return "\n".join([header, *rows]) + "\n"


def test_worldbank_values_are_checked_with_their_line_and_year() -> None:
    text = worldbank_text(
        "Kenya,KEN,Poverty,SYN.POV,12,n.a.",
        "World,WLD,Poverty,SYN.POV,oops,1",  # aggregates are left out unread
        "Kenya,KEN,Poverty,SYN.POV,13,14",
        "Nepal,NPL,Poverty,,1,2",
    )
    with pytest.raises(TableError) as raised:
        read_worldbank_csv(io.StringIO(text))
    assert problems_of(raised) == [
        "line 2, column '2020': 'n.a.' is not a number",
        "line 4: duplicate country + indicator KEN + SYN.POV (first on line 2)",
        "line 5, column 'Indicator Code': indicator code is empty",
    ]


def test_a_file_without_the_worldbank_header_is_refused() -> None:
    with pytest.raises(TableError) as raised:
        read_worldbank_csv(io.StringIO("region,year,indicator,value\nKE-01,2020,poverty,1\n"))
    assert problems_of(raised) == [
        "not a World Bank indicator file: no header row starting 'Country Name,Country Code'"
    ]


def test_worldbank_header_problems_are_all_named() -> None:
    text = worldbank_text("Kenya,KEN,1,2", header="Country Name,Country Code,Source,1990s")
    with pytest.raises(TableError) as raised:
        read_worldbank_csv(io.StringIO(text))
    assert problems_of(raised) == [
        "line 1, column 'Indicator Name': missing column",
        "line 1, column 'Indicator Code': missing column",
        "line 1, column 'Source': unexpected column (expected a year)",
        "line 1, column '1990s': unexpected column (expected a year)",
        "line 1: no year columns",
    ]


def test_the_real_worldbank_sample_keeps_countries_and_leaves_out_aggregates() -> None:
    (sample,) = REAL_WORLDBANK.glob("API_SI.POV.NAHC_*.csv")
    table = read_worldbank_csv(sample)
    observations = table.observations.set_index(["region", "year"])["value"]
    assert observations[("AF", 2016)] == 54.5  # Afghanistan, AFG
    assert observations[("ZW", 2019)] == 38.3  # Zimbabwe, ZWE
    assert set(table.observations["indicator"]) == {"SI.POV.NAHC"}
    left_out = {row.code: row.name for row in table.left_out}
    assert len(left_out) == 51
    assert left_out["WLD"] == "World"
    assert left_out["SSF"] == "Sub-Saharan Africa"
    assert left_out["LIC"] == "Low income"
    assert left_out["IDA"] == "IDA total"
    assert left_out["XKX"] == "Kosovo"
    assert table.observations["region"].str.fullmatch(r"[A-Z]{2}").all()
    assert table.observations["region"].nunique() == 155  # countries with at least one value


def test_table_problem_reads_well_without_a_location() -> None:
    assert str(TableProblem("the file is empty")) == "the file is empty"
