"""Command line for the vulnerability index.

    python -m safeguard.risk index INPUT.csv --region COL [--year COL]
        --factor NAME=COL[:-][,COL[:-]…] [--factor …] [--weights equal|pca] --out INDEX.csv

INPUT is a wide CSV; ``:-`` marks an indicator where a higher value means less vulnerable.
Bad input prints one line ``python -m safeguard.risk: error: …`` on stderr and exits with 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from tqdm import tqdm

from safeguard.risk.tables import TableError, read_wide_csv
from safeguard.risk.vulnerability import Direction, IndexConfig, IndexInputError, Indicator, compute_index

PROG = "python -m safeguard.risk"
EXIT_BAD_INPUT = 2
# A one-line error stays readable; the rest of a long problem list is counted, not printed.
_MAX_PROBLEMS_SHOWN = 50


class UsageError(Exception):
    """Bad command-line input; the message is the one line shown to the person."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see --help)")


def _parse_factor(text: str) -> tuple[str, list[tuple[str, Direction]]]:
    """``NAME=COL[:-],COL…`` → (factor, [(column, direction), …])."""
    name, sep, columns = text.partition("=")
    name = name.strip()
    if not sep or not name or not columns.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=COL[:-][,COL[:-]…], got {text!r}")
    indicators: list[tuple[str, Direction]] = []
    for part in columns.split(","):
        column = part.strip()
        direction: Direction = 1
        if column.endswith(":-"):
            column, direction = column[:-2].strip(), -1
        elif column.endswith(":+"):
            column = column[:-2].strip()
        if not column:
            raise argparse.ArgumentTypeError(f"empty column name in --factor {text!r}")
        indicators.append((column, direction))
    return name, indicators


def _quantile_pair(text: str) -> tuple[float, float]:
    low, _, high = text.partition(",")
    try:
        return float(low), float(high)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected LOW,HIGH quantiles such as 0.025,0.975, got {text!r}"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Vulnerability index of regions from indicator tables.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    index = commands.add_parser(
        "index",
        help="score and rank regions from a wide CSV",
        description="Score (0–100) and rank regions; see docs/risk-index.md for the method.",
    )
    index.add_argument(
        "input", type=Path, metavar="INPUT.csv", help="wide CSV: one row per region (and year)"
    )
    index.add_argument("--region", required=True, metavar="COL", help="column with the region code")
    index.add_argument("--year", metavar="COL", help="column with the year (rows per region and year)")
    index.add_argument(
        "--factor",
        required=True,
        action="append",
        type=_parse_factor,
        metavar="NAME=COL[:-][,COL[:-]…]",
        help="a factor and its indicator columns; ':-' marks higher = less vulnerable (repeat per factor)",
    )
    index.add_argument("--weights", choices=("equal", "pca"), default="equal", help="factor weights")
    index.add_argument(
        "--out", required=True, type=Path, metavar="INDEX.csv", help="where to write the index"
    )
    index.add_argument("--log", nargs="+", action="extend", default=[], metavar="COL", help="log1p these")
    index.add_argument("--min-coverage", type=float, default=0.5, help="share of indicators needed (0.5)")
    index.add_argument("--reference-year", type=int, help="latest year used (default: latest in the data)")
    index.add_argument("--window", type=int, default=5, help="years up to the reference year used (5)")
    index.add_argument(
        "--cap", type=_quantile_pair, default=(0.025, 0.975), metavar="LOW,HIGH", help="winsorising quantiles"
    )
    index.add_argument("--perturbations", type=int, default=1000, help="weight perturbations (1000)")
    index.add_argument("--no-leave-one-out", action="store_true", help="skip the leave-one-out runs")
    index.add_argument("--seed", type=int, default=0, help="seed of the weight perturbations (0)")
    return parser


def _config(args: argparse.Namespace) -> IndexConfig:
    """The index configuration the arguments describe; contradictions raise UsageError."""
    factors: dict[str, list[tuple[str, Direction]]] = {}
    for name, columns in args.factor:
        if name in factors:
            raise UsageError(f"factor {name!r} is given twice")
        factors[name] = columns
    owner: dict[str, str] = {}
    for name, columns in factors.items():
        for column, _ in columns:
            if column in owner:
                raise UsageError(f"column {column!r} is in factor {owner[column]!r} and in {name!r}")
            owner[column] = name
    unknown_log = [c for c in args.log if c not in owner]
    if unknown_log:
        raise UsageError(f"--log {unknown_log[0]!r} is not a column of any --factor")
    indicators = tuple(
        Indicator(id=column, factor=name, direction=direction, log=column in args.log)
        for name, columns in factors.items()
        for column, direction in columns
    )
    try:
        return IndexConfig(
            indicators=indicators,
            weights=args.weights,
            reference_year=args.reference_year,
            window_years=args.window,
            min_coverage=args.min_coverage,
            cap_quantiles=args.cap,
            perturbations=args.perturbations,
            leave_one_out=not args.no_leave_one_out,
            seed=args.seed,
        )
    except IndexInputError as error:
        raise UsageError(str(error)) from error


def _describe_table_error(path: Path, error: TableError) -> str:
    shown = "; ".join(str(problem) for problem in error.problems[:_MAX_PROBLEMS_SHOWN])
    more = len(error.problems) - _MAX_PROBLEMS_SHOWN
    count = len(error.problems)
    return f"{path}: {count} problem{'s' if count != 1 else ''}: {shown}" + (
        f"; … and {more} more" if more > 0 else ""
    )


def run_index(args: argparse.Namespace) -> None:
    """Read the wide CSV, compute the index and write it; bad input raises UsageError."""
    config = _config(args)
    if not args.input.is_file():
        raise UsageError(f"{args.input}: no such file")
    if not args.out.parent.is_dir():
        raise UsageError(f"--out {args.out}: the folder {args.out.parent} does not exist")
    try:
        table = read_wide_csv(
            args.input,
            region_column=args.region,
            year_column=args.year,
            indicator_columns=[indicator.id for indicator in config.indicators],
        )
    except TableError as error:
        raise UsageError(_describe_table_error(args.input, error)) from error

    # tqdm stays silent unless stderr is a terminal and the runs take longer than half a second.
    with tqdm(
        total=None, desc="sensitivity runs", unit="run", file=sys.stderr, disable=None, delay=0.5
    ) as bar:

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        try:
            result = compute_index(table.observations, config, progress=progress)
        except IndexInputError as error:
            raise UsageError(f"{args.input}: {error}") from error
    for warning in result.warnings:
        print(f"{PROG}: warning: {warning}", file=sys.stderr)
    try:
        result.table.to_csv(args.out, index=False, float_format="%.4f")
    except OSError as error:
        raise UsageError(f"--out {args.out}: {error.strerror or error}") from error


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0, or 2 for bad input)."""
    try:
        args = build_parser().parse_args(argv)
        if args.command == "index":
            run_index(args)
    except UsageError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0


if __name__ == "__main__":
    sys.exit(main())
