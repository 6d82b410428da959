"""Command line for the analytics algorithms; see ``python -m safeguard.analytics --help``.

    python -m safeguard.analytics dedupe INPUT.csv --id COL [--name COL] [--address COL]
        [--postcode COL] [--phone COL] [--email COL] [--date COL] [--other COL ...]
        [--labels PAIRS.csv] --out CLUSTERS.csv
    python -m safeguard.analytics ads-cluster INPUT.csv|INPUT.jsonl --text-col text --id-col id
        --out CLUSTERS.csv

Exit status 0 on success, 2 on bad input or arguments (one line on stderr, no traceback).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path
from typing import NoReturn

from safeguard.analytics.dedupe import InputError, ads_cluster_file, dedupe_file
from safeguard.analytics.linking import FieldKind

EXIT_BAD_INPUT = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m safeguard.analytics", description="Safeguard analytics jobs.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    dedupe = commands.add_parser("dedupe", help="cluster the rows of a CSV that describe the same person")
    dedupe.add_argument("input", type=Path, metavar="INPUT.csv")
    dedupe.add_argument("--id", required=True, metavar="COL", help="column with a unique row id")
    for option, kind in (
        ("--name", FieldKind.NAME),
        ("--address", FieldKind.ADDRESS),
        ("--postcode", FieldKind.POSTCODE),
        ("--phone", FieldKind.PHONE),
        ("--email", FieldKind.EMAIL),
        ("--date", FieldKind.DATE),
    ):
        dedupe.add_argument(option, metavar="COL", dest=kind.value, help=f"{kind.value} column")
    dedupe.add_argument(
        "--other",
        nargs="+",
        action="extend",
        default=[],
        metavar="COL",
        help="sets of items (separated by **, ; or |) or free text, compared by the items or words they share",
    )
    dedupe.add_argument(
        "--labels",
        type=Path,
        metavar="PAIRS.csv",
        help="labelled pairs (id_left,id_right,match with match 1 or 0): kept together or apart, and learnt from",
    )
    dedupe.add_argument("--out", required=True, type=Path, metavar="CLUSTERS.csv")
    dedupe.add_argument("--quiet", action="store_true", help="no progress bars")

    ads = commands.add_parser("ads-cluster", help="cluster ads written from the same template")
    ads.add_argument("input", type=Path, metavar="INPUT", help=".csv, or .jsonl / .ndjson (JSON Lines)")
    ads.add_argument("--text-col", default="text", metavar="COL")
    ads.add_argument("--id-col", default="id", metavar="COL")
    ads.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="CLUSTERS.csv",
        help="templates go to CLUSTERS.templates.json",
    )
    ads.add_argument("--quiet", action="store_true", help="no progress bars")
    return parser


def _run(arguments: argparse.Namespace) -> str:
    if arguments.command == "dedupe":
        columns = {
            kind: [getattr(arguments, kind.value)]
            for kind in (
                FieldKind.NAME,
                FieldKind.ADDRESS,
                FieldKind.POSTCODE,
                FieldKind.PHONE,
                FieldKind.EMAIL,
                FieldKind.DATE,
            )
            if getattr(arguments, kind.value)
        }
        if arguments.other:
            columns[FieldKind.ITEMS] = list(arguments.other)
        summary = dedupe_file(
            arguments.input,
            arguments.out,
            id_column=arguments.id,
            columns=columns,
            labels_path=arguments.labels,
            show_progress=not arguments.quiet,
        )
        return f"{summary.rows} rows in {summary.clusters} clusters -> {arguments.out}"
    ads_summary = ads_cluster_file(
        arguments.input,
        arguments.out,
        text_column=arguments.text_col,
        id_column=arguments.id_col,
        show_progress=not arguments.quiet,
    )
    return (
        f"{ads_summary.ads} ads, {ads_summary.clustered_ads} in {ads_summary.clusters} clusters, "
        f"{ads_summary.organised_groups} organised groups -> {arguments.out}, {ads_summary.templates_file}"
    )


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    # Splink explains its estimation steps at length; the command line reports only the outcome.
    logging.getLogger("splink").setLevel(logging.ERROR)
    try:
        message = _run(arguments)
    except InputError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(message, file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
