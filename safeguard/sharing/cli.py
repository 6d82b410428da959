"""Command line for safe releases and private matching, on plain files.

    python -m safeguard.sharing release INPUT.csv --quasi COL,COL,… --k 11
        [--sensitive COL,… --l 2] [--hierarchy COL=FILE.csv] [--max-suppression 0.05]
        [--drop COL,…] --out RELEASE.csv          (and RELEASE.report.json beside it)
    python -m safeguard.sharing dp-counts INPUT.csv --by COL,COL --epsilon E
        [--domain COL=FILE] [--threshold N] [--seed N] --out COUNTS.csv   (and COUNTS.report.json)
    python -m safeguard.sharing encode INPUT.csv --field COL=name|date|exact[,…] --secret-file F
        [--bits 1024] [--flip 0.0] --out ENCODINGS.csv
    python -m safeguard.sharing match LEFT.csv RIGHT.csv [--threshold 0.8] --out MATCHES.csv

Bad input prints one line ``python -m safeguard.sharing: error: …`` on stderr and exits with 2.
No Django imports.
"""

from __future__ import annotations

import argparse
import base64
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

import numpy as np
import pandas as pd

from safeguard.sharing.anonymity import ReleaseError, anonymise, read_hierarchy_csv
from safeguard.sharing.encodings import EncodingSchema, FieldEncoding, FieldKind, WordArray, encode, match
from safeguard.sharing.privacy import PrivacyError, noisy_counts

PROG = "python -m safeguard.sharing"
EXIT_BAD_INPUT = 2


class UsageError(Exception):
    """Bad command-line input; the message is the one line shown to the person."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message} (see --help)")


def _columns(text: str) -> list[str]:
    columns = [part.strip() for part in text.split(",")]
    if not all(columns):
        raise argparse.ArgumentTypeError(f"expected COL[,COL…], got {text!r}")
    return columns


def _assignment(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise argparse.ArgumentTypeError(f"expected COL=VALUE, got {text!r}")
    return name.strip(), value.strip()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description="Safe releases and private matching on plain files.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    release = commands.add_parser("release", help="a k-anonymous (and l-diverse) release of a CSV")
    release.add_argument("input", type=Path, metavar="INPUT.csv")
    release.add_argument("--quasi", required=True, type=_columns, metavar="COL,COL,…")
    release.add_argument("--k", type=int, default=11, help="smallest class size (11, as CTDC)")
    release.add_argument("--sensitive", type=_columns, default=[], metavar="COL,…")
    release.add_argument("--l", type=int, dest="l_diversity", help="distinct sensitive values per class")
    release.add_argument(
        "--hierarchy",
        action="append",
        type=_assignment,
        default=[],
        metavar="COL=FILE.csv",
        help="generalisation hierarchy of a text column: value,level1,level2,… per line",
    )
    release.add_argument("--max-suppression", type=float, default=0.05, help="share of rows (0.05)")
    release.add_argument("--drop", type=_columns, default=[], metavar="COL,…", help="columns left out")
    release.add_argument("--out", required=True, type=Path, metavar="RELEASE.csv")

    counts = commands.add_parser("dp-counts", help="differentially private counts of a CSV")
    counts.add_argument("input", type=Path, metavar="INPUT.csv")
    counts.add_argument("--by", required=True, type=_columns, metavar="COL,COL")
    counts.add_argument("--epsilon", required=True, type=float)
    counts.add_argument(
        "--domain",
        action="append",
        type=_assignment,
        default=[],
        metavar="COL=FILE",
        help="the column's possible values, one a line (cells come from it, not from the data)",
    )
    counts.add_argument("--threshold", type=int, default=0, help="suppress noisy counts below this")
    counts.add_argument("--seed", type=int, help="for tests only: seeded, NOT secure, noise")
    counts.add_argument("--out", required=True, type=Path, metavar="COUNTS.csv")

    encoding = commands.add_parser("encode", help="Bloom-filter encodings of people for private matching")
    encoding.add_argument("input", type=Path, metavar="INPUT.csv")
    encoding.add_argument("--field", required=True, type=_columns, metavar="COL=KIND,…")
    encoding.add_argument("--id", dest="id_column", help="column that names each record (default: row)")
    encoding.add_argument("--secret-file", required=True, type=Path, help="the secret both sides share")
    encoding.add_argument("--bits", type=int, default=1024)
    encoding.add_argument("--flip", type=float, default=0.0, help="BLIP bit-flip probability")
    encoding.add_argument("--out", required=True, type=Path, metavar="ENCODINGS.csv")

    matching = commands.add_parser("match", help="match two files of encodings by Dice similarity")
    matching.add_argument("left", type=Path, metavar="LEFT.csv")
    matching.add_argument("right", type=Path, metavar="RIGHT.csv")
    matching.add_argument("--threshold", type=float, default=0.8)
    matching.add_argument("--out", required=True, type=Path, metavar="MATCHES.csv")
    return parser


def _read_csv(path: Path) -> pd.DataFrame:
    if not path.is_file():
        raise UsageError(f"{path}: no such file")
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        raise UsageError(f"{path}: not a readable UTF-8 CSV ({error})") from error


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{what} {path}: cannot be read ({error})") from error


def _check_out(path: Path) -> None:
    if not path.parent.is_dir():
        raise UsageError(f"--out {path}: the folder {path.parent} does not exist")


def report_path(out: Path) -> Path:
    return out.with_name(f"{out.stem}.report.json")


def _write(out: Path, table: pd.DataFrame, report: dict[str, object]) -> None:
    try:
        table.to_csv(out, index=False)
        report_path(out).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as error:
        raise UsageError(f"--out {out}: {error.strerror or error}") from error


def run_release(args: argparse.Namespace) -> None:
    _check_out(args.out)
    table = _read_csv(args.input)
    hierarchies = {
        column: read_hierarchy_csv(_read_text(Path(file), "--hierarchy")) for column, file in args.hierarchy
    }
    try:
        result = anonymise(
            table,
            quasi_identifiers=args.quasi,
            k=args.k,
            sensitive=args.sensitive,
            l_diversity=args.l_diversity,
            hierarchies=hierarchies,
            max_suppression=args.max_suppression,
            drop=args.drop,
        )
    except ReleaseError as error:
        raise UsageError(f"{args.input}: {error}") from error
    if not result.within_suppression_limit:
        print(
            f"{PROG}: warning: no generalisation keeps suppression within {args.max_suppression:g}; "
            f"suppressed {result.suppressed_rows} of {result.input_rows} rows",
            file=sys.stderr,
        )
    _write(args.out, result.table, result.report())


def run_counts(args: argparse.Namespace) -> None:
    _check_out(args.out)
    table = _read_csv(args.input)
    domains = {
        column: [line.strip() for line in _read_text(Path(file), "--domain").splitlines() if line.strip()]
        for column, file in args.domain
    }
    try:
        result = noisy_counts(
            table, by=args.by, epsilon=args.epsilon, domains=domains, threshold=args.threshold, seed=args.seed
        )
    except PrivacyError as error:
        raise UsageError(f"{args.input}: {error}") from error
    _write(args.out, result.table(), result.report())


def _schema(args: argparse.Namespace) -> EncodingSchema:
    fields = []
    for item in args.field:
        column, _, kind = item.partition("=")
        if kind not in FieldKind.__members__.values():
            raise UsageError(f"--field {item!r}: expected COL=name, COL=date or COL=exact")
        fields.append(FieldEncoding(column=column, kind=FieldKind(kind)))
    try:
        return EncodingSchema(fields=tuple(fields), bits=args.bits, flip=args.flip)
    except ValueError as error:
        raise UsageError(str(error)) from error


def run_encode(args: argparse.Namespace) -> None:
    _check_out(args.out)
    schema = _schema(args)
    table = _read_csv(args.input)
    missing = [spec.column for spec in schema.fields if spec.column not in table.columns]
    if args.id_column and args.id_column not in table.columns:
        missing.append(args.id_column)
    if missing:
        raise UsageError(f"{args.input}: no column named {', '.join(missing)}")
    secret = _read_text(args.secret_file, "--secret-file").strip().encode()
    if len(secret) < 16:
        raise UsageError(f"--secret-file {args.secret_file}: the secret must be at least 16 characters")
    words = encode(table.to_dict("records"), schema, secret)
    ids = table[args.id_column] if args.id_column else pd.Series(range(len(table))).astype(str)
    encoded = [base64.b64encode(row.tobytes()).decode() for row in words]
    try:
        pd.DataFrame({"id": ids, "encoding": encoded}).to_csv(args.out, index=False)
    except OSError as error:
        raise UsageError(f"--out {args.out}: {error.strerror or error}") from error


def read_encodings(path: Path) -> tuple[list[str], WordArray]:
    table = _read_csv(path)
    if list(table.columns[:2]) != ["id", "encoding"]:
        raise UsageError(f"{path}: expected the columns id,encoding (as `encode` writes)")
    try:
        rows = [
            np.frombuffer(base64.b64decode(text, validate=True), dtype=np.uint64)
            for text in table["encoding"]
        ]
    except ValueError as error:
        raise UsageError(f"{path}: an encoding is not valid base64 ({error})") from error
    if rows and len({len(row) for row in rows}) != 1:
        raise UsageError(f"{path}: encodings of different lengths")
    return list(table["id"]), np.stack(rows) if rows else np.zeros((0, 16), dtype=np.uint64)


def run_match(args: argparse.Namespace) -> None:
    _check_out(args.out)
    left_ids, left = read_encodings(args.left)
    right_ids, right = read_encodings(args.right)
    if len(left) and len(right) and left.shape[1] != right.shape[1]:
        raise UsageError("the two files hold encodings of different lengths")
    if not 0.0 < args.threshold <= 1.0:
        raise UsageError(f"--threshold must be in (0, 1], got {args.threshold}")
    found = match(left, right, threshold=args.threshold)
    rows = [{"left": left_ids[m.left], "right": right_ids[m.right], "dice": round(m.score, 4)} for m in found]
    try:
        pd.DataFrame(rows, columns=["left", "right", "dice"]).to_csv(args.out, index=False)
    except OSError as error:
        raise UsageError(f"--out {args.out}: {error.strerror or error}") from error


COMMANDS = {"release": run_release, "dp-counts": run_counts, "encode": run_encode, "match": run_match}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status (0, or 2 for bad input)."""
    try:
        args = build_parser().parse_args(argv)
        COMMANDS[args.command](args)
    except UsageError as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    return 0
