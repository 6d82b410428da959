"""``python -m safeguard.sharing`` on plain files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from safeguard.sharing.cli import main


def _people(path: Path) -> Path:
    rows = [
        {
            "age": str(10 + i % 8),
            "gender": ["female", "male"][i % 2],
            "country": ["ES", "FR", "MX"][i % 3],
            "note": f"row {i}",
        }
        for i in range(300)
    ]
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def test_release_writes_rows_and_report(tmp_path: Path) -> None:
    source = _people(tmp_path / "in.csv")
    hierarchy = tmp_path / "country.csv"
    hierarchy.write_text("ES,Europe\nFR,Europe\nMX,Americas\n")
    out = tmp_path / "release.csv"
    status = main(
        [
            "release",
            str(source),
            "--quasi",
            "age,gender,country",
            "--k",
            "11",
            "--hierarchy",
            f"country={hierarchy}",
            "--drop",
            "note",
            "--out",
            str(out),
        ]
    )
    assert status == 0
    released = pd.read_csv(out, dtype=str)
    report = json.loads((tmp_path / "release.report.json").read_text())
    assert list(released.columns) == ["age", "gender", "country"]
    assert released.groupby(["age", "gender", "country"]).size().min() >= 11
    assert report["released_rows"] == len(released)
    assert report["suppressed_rows"] == 300 - len(released)
    assert set(report["generalisations"]) == {"age", "gender", "country"}


def test_dp_counts_uses_the_declared_domain(tmp_path: Path) -> None:
    source = _people(tmp_path / "in.csv")
    domain = tmp_path / "countries.txt"
    domain.write_text("ES\nFR\nMX\nNG\n")
    out = tmp_path / "counts.csv"
    assert (
        main(
            [
                "dp-counts",
                str(source),
                "--by",
                "country",
                "--epsilon",
                "1",
                "--domain",
                f"country={domain}",
                "--seed",
                "7",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    counts = pd.read_csv(out, dtype={"country": str})
    assert list(counts["country"]) == ["ES", "FR", "MX", "NG"]
    report = json.loads((tmp_path / "counts.report.json").read_text())
    assert report["noise_scale"] == 1.0 and report["epsilon"] == 1.0


def test_encode_and_match(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.write_text("a shared secret of enough length\n")
    pd.DataFrame(
        {
            "id": ["a1", "a2"],
            "name": ["Amara Okonkwo", "Lucia Fernandez"],
            "dob": ["2009-03-14", "2011-11-02"],
        }
    ).to_csv(tmp_path / "a.csv", index=False)
    pd.DataFrame({"id": ["b1"], "name": ["Lucia Fernandes"], "dob": ["2011-11-02"]}).to_csv(
        tmp_path / "b.csv", index=False
    )
    for side in "ab":
        assert (
            main(
                [
                    "encode",
                    str(tmp_path / f"{side}.csv"),
                    "--field",
                    "name=name,dob=date",
                    "--id",
                    "id",
                    "--secret-file",
                    str(secret),
                    "--out",
                    str(tmp_path / f"{side}.enc.csv"),
                ]
            )
            == 0
        )
    assert "Lucia" not in (tmp_path / "a.enc.csv").read_text()
    assert (
        main(
            [
                "match",
                str(tmp_path / "a.enc.csv"),
                str(tmp_path / "b.enc.csv"),
                "--out",
                str(tmp_path / "m.csv"),
            ]
        )
        == 0
    )
    matches = pd.read_csv(tmp_path / "m.csv")
    assert list(zip(matches["left"], matches["right"], strict=True)) == [("a2", "b1")]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["release", "missing.csv", "--quasi", "age", "--out", "r.csv"], "missing.csv: no such file"),
        (["release", "IN", "--quasi", "age,nope", "--out", "r.csv"], "no column named nope"),
        (["release", "IN", "--quasi", "age", "--k", "1", "--out", "r.csv"], "k must be at least 2"),
        (
            ["dp-counts", "IN", "--by", "country", "--epsilon", "0", "--out", "c.csv"],
            "ε must be a positive number",
        ),
        (["dp-counts", "IN", "--by", "country", "--epsilon", "x", "--out", "c.csv"], "invalid float value"),
        (["release", "IN", "--quasi", "age", "--out", "no/such/dir/r.csv"], "does not exist"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    _people(tmp_path / "IN")
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("python -m safeguard.sharing: error: ") and message in err
    assert err.count("\n") == 1


def test_module_runs_as_a_program(tmp_path: Path) -> None:
    source = _people(tmp_path / "in.csv")
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "safeguard.sharing",
            "release",
            str(source),
            "--quasi",
            "age",
            "--k",
            "5",
            "--out",
            str(tmp_path / "r.csv"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "r.report.json").is_file()
