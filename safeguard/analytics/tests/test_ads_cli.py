"""``python -m safeguard.analytics ads-cluster``: CSV or JSON Lines in, clusters and templates out."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from safeguard.analytics.__main__ import main
from safeguard.analytics.tests.test_adclusters import HOSTESS, NANNY, NOISE, _fill


def _read(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["id"]: row["cluster_id"] for row in csv.DictReader(handle)}


def _records() -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    for i in range(4):
        records.append({"id": f"h{i}", "text": _fill(HOSTESS, i), "site": "jobs.example", "phones": []})
        records.append({"id": f"n{i}", "text": _fill(NANNY, i), "site": "nanny.example", "phones": []})
    records.append({"id": "x0", "text": NOISE[0], "site": "market.example", "phones": ["07700 900999"]})
    records[0]["phones"] = ["+44 7700 900999"]  # h0 shares a phone with the noise ad
    for number, record in enumerate(records):
        record["posted_at"] = f"2024-02-{number + 1:02d}T10:00:00Z"
        record["location"] = "Testville"
    return records


def _check_output(out: Path) -> dict[str, Any]:
    assigned = _read(out)
    assert list(assigned) == [str(r["id"]) for r in _records()]
    hostess = {assigned[f"h{i}"] for i in range(4)}
    nanny = {assigned[f"n{i}"] for i in range(4)}
    assert len(hostess) == 1 and len(nanny) == 1 and hostess != nanny and "" not in hostess | nanny
    assert assigned["x0"] == ""
    templates = json.loads(out.with_name(out.stem + ".templates.json").read_text())
    first = templates["clusters"][int(assigned["h0"])]
    assert first["size"] == 4
    assert first["template"].startswith("hostess wanted in {slot1}")
    assert {value for value, _ in first["slots"][0]["values"]} == {"Lisbon", "Milan", "Riga", "Sofia"}
    return templates


def test_jsonl_input_gives_clusters_templates_and_groups(tmp_path) -> None:
    source = tmp_path / "ads.jsonl"
    source.write_text("\n".join(json.dumps(record) for record in _records()) + "\n")
    out = tmp_path / "clusters.csv"

    assert (
        main(
            ["ads-cluster", str(source), "--text-col", "text", "--id-col", "id", "--out", str(out), "--quiet"]
        )
        == 0
    )

    templates = _check_output(out)
    # Phones written in the text (the two templates reuse the same numbers) and phones given
    # beside an ad (h0 and the noise ad) both join units into one group.
    groups = templates["organised_groups"]
    assert [group["ad_count"] for group in groups] == [9]
    assert groups[0]["sites"] == ["jobs.example", "market.example", "nanny.example"]
    assert "7700900999" in groups[0]["shared_identifiers"]
    assert "7700900111" in groups[0]["shared_identifiers"]


def test_csv_input_with_embedded_newlines(tmp_path) -> None:
    source = tmp_path / "ads.csv"
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["ad_ref", "body"])
        for record in _records():
            writer.writerow([record["id"], str(record["text"]).replace(". ", ".\n", 1)])
    out = tmp_path / "out" / "clusters.csv"

    assert (
        main(
            [
                "ads-cluster",
                str(source),
                "--text-col",
                "body",
                "--id-col",
                "ad_ref",
                "--out",
                str(out),
                "--quiet",
            ]
        )
        == 0
    )

    _check_output(out)


def _one_error_line(capsys, argv: list[str]) -> str:
    assert main(argv) == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    return lines[0]


def test_bad_json_line(tmp_path, capsys) -> None:
    source = tmp_path / "ads.jsonl"
    source.write_text('{"id": "a", "text": "fine"}\n{"id": "b", "text": \n')
    message = _one_error_line(capsys, ["ads-cluster", str(source), "--out", str(tmp_path / "o.csv")])
    assert message.startswith("error: ads.jsonl line 2 is not valid JSON")


def test_missing_text_column(tmp_path, capsys) -> None:
    source = tmp_path / "ads.csv"
    source.write_text("id,body\n1,hello\n")
    message = _one_error_line(capsys, ["ads-cluster", str(source), "--out", str(tmp_path / "o.csv")])
    assert message == "error: column(s) not in ads.csv: text (it has: id, body)"


def test_bad_posted_at(tmp_path, capsys) -> None:
    source = tmp_path / "ads.jsonl"
    source.write_text('{"id": "a", "text": "fine", "posted_at": "last tuesday"}\n')
    message = _one_error_line(capsys, ["ads-cluster", str(source), "--out", str(tmp_path / "o.csv")])
    assert message == "error: ads.jsonl line 1: posted_at 'last tuesday' is not an ISO 8601 date-time"


def test_empty_jsonl(tmp_path, capsys) -> None:
    source = tmp_path / "ads.jsonl"
    source.write_text("\n")
    assert _one_error_line(capsys, ["ads-cluster", str(source), "--out", str(tmp_path / "o.csv")]) == (
        f"error: input file has no ads: {source}"
    )
