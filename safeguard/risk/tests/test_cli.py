"""Specification of ``python -m safeguard.risk index``: output on success, one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from safeguard.risk.__main__ import main

REPO = Path(__file__).resolve().parents[3]
ERROR_PREFIX = "python -m safeguard.risk: error: "

# Poverty (higher = more vulnerable) and literacy (higher = less vulnerable), one row per county.
COUNTIES = "county,poverty,literacy\nKE-01,10,90\nKE-02,30,60\nKE-03,50,80\n"


@pytest.fixture
def counties_csv(tmp_path: Path) -> Path:
    path = tmp_path / "counties.csv"
    path.write_text(COUNTIES, encoding="utf-8")
    return path


def index_args(input_csv: Path, out: Path, *extra: str) -> list[str]:
    return [
        "index", str(input_csv), "--region", "county",
        "--factor", "economic=poverty", "--factor", "education=literacy:-",
        "--out", str(out), *extra,
    ]  # fmt: skip


def run_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    """Runs main, asserts exit status 2 and a single error line; returns the message."""
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(ERROR_PREFIX)
    assert captured.err.count("\n") == 1, captured.err
    assert "Traceback" not in captured.err
    return captured.err.removeprefix(ERROR_PREFIX).rstrip("\n")


def test_index_writes_one_row_per_region(counties_csv: Path, tmp_path: Path) -> None:
    # Hand computation (no capping): poverty → 0, 0.5, 1; literacy oriented → 0, 1, 1/3;
    # scores 0, 75, 66.6667 → ranks 3, 1, 2.
    out = tmp_path / "index.csv"
    assert (
        main(index_args(counties_csv, out, "--cap", "0,1", "--perturbations", "0", "--no-leave-one-out")) == 0
    )
    assert out.read_text(encoding="utf-8").splitlines() == [
        "region,score,rank,rank_low,rank_high,coverage,economic,education",
        "KE-02,75.0000,1,1,1,1.0000,50.0000,100.0000",
        "KE-03,66.6667,2,2,2,1.0000,100.0000,33.3333",
        "KE-01,0.0000,3,3,3,1.0000,0.0000,0.0000",
    ]


def test_sensitivity_columns_bracket_the_rank(counties_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "index.csv"
    assert main(index_args(counties_csv, out, "--perturbations", "200", "--seed", "4")) == 0
    table = pd.read_csv(out)
    assert (table["rank_low"] <= table["rank"]).all() and (table["rank"] <= table["rank_high"]).all()


def test_index_by_region_and_year_uses_the_latest_year_in_the_window(tmp_path: Path) -> None:
    # KE-01's 2014 value is outside the window 2016–2020 and is ignored; 2019 (12) is its latest.
    source = tmp_path / "by_year.csv"
    source.write_text(
        "county,year,poverty,distance\n"
        "KE-01,2014,90,\nKE-01,2019,12,0\n"
        "KE-02,2020,30,6.389056\n"  # log1p(e² − 1) = 2
        "KE-03,2020,50,1.718282\n",  # log1p(e − 1) = 1
        encoding="utf-8",
    )
    out = tmp_path / "index.csv"
    argv = [
        "index", str(source), "--region", "county", "--year", "year",
        "--factor", "economic=poverty", "--factor", "geography=distance", "--log", "distance",
        "--cap", "0,1", "--perturbations", "0", "--out", str(out),
    ]  # fmt: skip
    assert main(argv) == 0
    table = pd.read_csv(out).set_index("region")
    # poverty 12, 30, 50 → 0, 18/38, 1; distance (log) 0, 2, 1 → 0, 1, 0.5
    assert table.at["KE-01", "score"] == 0.0
    assert table.at["KE-02", "score"] == pytest.approx(100 * (18 / 38 + 1) / 2, abs=1e-4)
    assert table.at["KE-03", "score"] == pytest.approx(100 * (1 + 0.5) / 2, abs=1e-4)


def test_pca_weights(tmp_path: Path) -> None:
    source = tmp_path / "pca.csv"
    source.write_text("county,a,b,c\nR0,0,0,0\nR1,0,0,1\nR2,1,1,0\nR3,1,1,1\n", encoding="utf-8")
    out = tmp_path / "index.csv"
    argv = [
        "index", str(source), "--region", "county", "--factor", "a=a", "--factor", "b=b",
        "--factor", "c=c", "--weights", "pca", "--perturbations", "0", "--out", str(out),
    ]  # fmt: skip
    assert main(argv) == 0
    assert pd.read_csv(out)["score"].tolist() == [100.0, 100.0, 0.0, 0.0]


def test_a_region_below_minimum_coverage_gets_an_empty_score_and_rank(tmp_path: Path) -> None:
    source = tmp_path / "gaps.csv"
    source.write_text("county,poverty,literacy\nKE-01,10,90\nKE-02,30,\nKE-03,50,80\n", encoding="utf-8")
    out = tmp_path / "index.csv"
    argv = index_args(source, out, "--min-coverage", "0.75")
    assert main(argv) == 0
    assert out.read_text(encoding="utf-8").splitlines()[-1] == "KE-02,,,,,0.5000,,"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--factor", "economic"],
            "argument --factor: expected NAME=COL[:-][,COL[:-]…], got 'economic' (see --help)",
        ),
        (["--factor", "x=a,,b"], "argument --factor: empty column name in --factor 'x=a,,b' (see --help)"),
        (["--factor", "economic=unemployment"], "factor 'economic' is given twice"),
        (["--factor", "other=poverty"], "column 'poverty' is in factor 'economic' and in 'other'"),
        (["--log", "rainfall"], "--log 'rainfall' is not a column of any --factor"),
        (["--min-coverage", "1.5"], "min_coverage must be between 0 and 1"),
        (
            ["--cap", "high"],
            "argument --cap: expected LOW,HIGH quantiles such as 0.025,0.975, got 'high' (see --help)",
        ),
        (["--perturbations", "many"], "argument --perturbations: invalid int value: 'many' (see --help)"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], counties_csv: Path, tmp_path: Path, extra: list[str], message: str
) -> None:
    assert run_error(capsys, index_args(counties_csv, tmp_path / "index.csv", *extra)) == message
    assert not (tmp_path / "index.csv").exists()


def test_an_unknown_weight_scheme(
    capsys: pytest.CaptureFixture[str], counties_csv: Path, tmp_path: Path
) -> None:
    # argparse quotes the choices differently across Python patch releases.
    message = run_error(capsys, index_args(counties_csv, tmp_path / "index.csv", "--weights", "custom"))
    assert message.startswith("argument --weights: invalid choice: 'custom' (choose from ")
    assert message.endswith(" (see --help)") and "equal" in message and "pca" in message


def test_required_arguments_are_named(capsys: pytest.CaptureFixture[str]) -> None:
    message = run_error(capsys, ["index", "in.csv"])
    assert message == "the following arguments are required: --region, --factor, --out (see --help)"
    assert run_error(capsys, []) == "the following arguments are required: command (see --help)"


def test_a_missing_input_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    absent = tmp_path / "absent.csv"
    assert run_error(capsys, index_args(absent, tmp_path / "index.csv")) == f"{absent}: no such file"


def test_a_missing_output_folder(
    capsys: pytest.CaptureFixture[str], counties_csv: Path, tmp_path: Path
) -> None:
    out = tmp_path / "nowhere" / "index.csv"
    message = run_error(capsys, index_args(counties_csv, out))
    assert message == f"--out {out}: the folder {out.parent} does not exist"


def test_every_problem_in_the_input_is_on_the_error_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "bad.csv"
    source.write_text("county,poverty\nKE-01,ten\nKE-01,12\n", encoding="utf-8")
    message = run_error(capsys, index_args(source, tmp_path / "index.csv"))
    assert message == f"{source}: 1 problem: line 1, column 'literacy': missing column"
    source.write_text("county,poverty,literacy\nKE-01,ten,90\nKE-01,12,x\n", encoding="utf-8")
    message = run_error(capsys, index_args(source, tmp_path / "index.csv"))
    assert message == (
        f"{source}: 3 problems: line 2, column 'poverty': 'ten' is not a number; "
        "line 3: duplicate region KE-01 (first on line 2); "
        "line 3, column 'literacy': 'x' is not a number"
    )


def test_a_long_problem_list_is_cut_with_a_count(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "bad.csv"
    rows = "".join(f"KE-{i:02d},x,90\n" for i in range(60))
    source.write_text("county,poverty,literacy\n" + rows, encoding="utf-8")
    message = run_error(capsys, index_args(source, tmp_path / "index.csv"))
    assert message.startswith(f"{source}: 60 problems: line 2, column 'poverty': 'x' is not a number; ")
    assert message.endswith("; … and 10 more")


def test_index_errors_from_the_data_are_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    source = tmp_path / "flat.csv"
    source.write_text("county,poverty,literacy\nKE-01,1,5\nKE-02,1,5\n", encoding="utf-8")
    message = run_error(capsys, [*index_args(source, tmp_path / "index.csv"), "--weights", "pca"])
    assert message == f"{source}: PCA weights need factor scores that vary between regions"


def test_the_module_runs_as_a_program(counties_csv: Path, tmp_path: Path) -> None:
    out = tmp_path / "index.csv"
    done = subprocess.run(
        [sys.executable, "-m", "safeguard.risk", *index_args(counties_csv, out, "--perturbations", "50")],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert pd.read_csv(out)["region"].tolist() == ["KE-02", "KE-03", "KE-01"]

    failed = subprocess.run(
        [sys.executable, "-m", "safeguard.risk", "index", str(counties_csv)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 2
    assert failed.stderr.startswith(ERROR_PREFIX) and "Traceback" not in failed.stderr
