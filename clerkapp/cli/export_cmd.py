"""Write every conviction with its determination and review to .xlsx or .csv.

Columns are fixed (see the README); later versions only append columns."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", type=Path, metavar="OUT.xlsx|OUT.csv")
    parser.add_argument("--status", choices=["pending", "approved", "denied", "deferred"],
                        help="only convictions with this review status")


def run(args: argparse.Namespace) -> int:
    from clerkapp.reports.export import export_rows
    from clerkapp.store import Store

    with Store(args.db) as store:
        count = export_rows(store, args.out, status=args.status)
    print(f"{args.out}: {count} rows")
    return 0
