"""``python -m safeguard.analytics dedupe``: messy CSV in, one cluster id per row out."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from safeguard.analytics.__main__ import main

FIXTURE = Path(__file__).parent / "fixtures" / "messy_people.csv"
ALL_COLUMNS = [
    "--name", "full_name", "--address", "address", "--postcode", "postcode", "--phone", "phone",
    "--email", "email", "--date", "dob",
]  # fmt: skip
EXPECTED = {
    frozenset({"p01", "p02", "p03"}),  # case, accents, "surname, first", three date and phone forms
    frozenset({"p04", "p05", "p06"}),  # a typo, a title, missing values
    frozenset({"p07", "p08"}),
    frozenset({"p09"}),
    frozenset({"p10", "p11"}),  # hyphen and a trailing newline inside the quoted address
    frozenset({"p12"}),  # the same name and nothing else is not enough
    frozenset({"p13", "p14"}),
    frozenset({"p15"}),
    frozenset({"p16"}),  # same surname, different person
    frozenset({"p17"}),
    frozenset({"p18", "p19", "p20"}),
}


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_messy_people_are_clustered_exactly(tmp_path) -> None:
    out = tmp_path / "clusters.csv"
    assert main(["dedupe", str(FIXTURE), "--id", "id", *ALL_COLUMNS, "--out", str(out), "--quiet"]) == 0

    rows = _read(out)
    assert list(rows[0]) == ["id", "cluster_id"]
    assert [row["id"] for row in rows] == [f"p{i:02d}" for i in range(1, 21)]
    members: dict[str, set[str]] = {}
    for row in rows:
        members.setdefault(row["cluster_id"], set()).add(row["id"])
    assert {frozenset(group) for group in members.values()} == EXPECTED
    assert {row["id"]: row["cluster_id"] for row in rows}["p03"] == "p01"
    assert {row["id"]: row["cluster_id"] for row in rows}["p17"] == "p17"


def test_other_columns_are_accepted(tmp_path) -> None:
    out = tmp_path / "clusters.csv"
    argv = [
        "dedupe",
        str(FIXTURE),
        "--id",
        "id",
        "--name",
        "full_name",
        "--date",
        "dob",
        "--other",
        "postcode",
    ]
    assert main([*argv, "--out", str(out), "--quiet"]) == 0
    assert len(_read(out)) == 20


def _error(capsys, argv: list[str]) -> str:
    assert main(argv) == 2
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    return lines[0]


def test_missing_column_is_one_clear_line(tmp_path, capsys) -> None:
    message = _error(
        capsys, ["dedupe", str(FIXTURE), "--id", "id", "--name", "nom", "--out", str(tmp_path / "o.csv")]
    )
    assert message.startswith("error: column(s) not in messy_people.csv: nom (it has: id, full_name,")


def test_missing_file(tmp_path, capsys) -> None:
    missing = tmp_path / "nowhere.csv"
    message = _error(
        capsys, ["dedupe", str(missing), "--id", "id", "--name", "n", "--out", str(tmp_path / "o.csv")]
    )
    assert message == f"error: input file not found: {missing}"


def test_empty_file(tmp_path, capsys) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    message = _error(
        capsys, ["dedupe", str(empty), "--id", "id", "--name", "n", "--out", str(tmp_path / "o.csv")]
    )
    assert message == f"error: input file is empty (no header row): {empty}"


def test_header_only_file(tmp_path, capsys) -> None:
    header_only = tmp_path / "header.csv"
    header_only.write_text("id,name\n")
    argv = ["dedupe", str(header_only), "--id", "id", "--name", "name", "--out", str(tmp_path / "o.csv")]
    assert _error(capsys, argv) == f"error: input file has a header but no rows: {header_only}"


def test_duplicate_ids(tmp_path, capsys) -> None:
    duplicated = tmp_path / "dup.csv"
    duplicated.write_text("id,name\n1,Ada Fictiva\n1,Ada Fictiva\n")
    argv = ["dedupe", str(duplicated), "--id", "id", "--name", "name", "--out", str(tmp_path / "o.csv")]
    assert _error(capsys, argv) == "error: 'id' is not unique: '1' appears more than once"


def test_no_column_to_compare(tmp_path, capsys) -> None:
    argv = ["dedupe", str(FIXTURE), "--id", "id", "--out", str(tmp_path / "o.csv")]
    assert _error(capsys, argv).startswith("error: give at least one column to compare")


def test_missing_required_option_exits_2_with_one_line(tmp_path, capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["dedupe", str(FIXTURE), "--out", str(tmp_path / "o.csv")])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "python -m safeguard.analytics dedupe: error: the following arguments are required: --id"
    ]


def test_module_entry_point_reports_errors_without_traceback(tmp_path) -> None:
    completed = subprocess.run(
        [sys.executable, "-m", "safeguard.analytics", "dedupe", str(tmp_path / "x.csv"), "--id", "id",
         "--name", "n", "--out", str(tmp_path / "o.csv")],
        capture_output=True, text=True, check=False, cwd=Path(__file__).parents[3],
    )  # fmt: skip
    assert completed.returncode == 2
    assert "Traceback" not in completed.stderr
    assert completed.stderr.strip() == f"error: input file not found: {tmp_path / 'x.csv'}"
