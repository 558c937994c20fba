"""Write an update file for the counts whose relief was ordered: `doj-update` for the
Department of Justice (HS 11361.9; PC 13151), `cms-update` for the court's case-management
system. One row per count not in an earlier update of that kind (every one with --all), in
the columns of the layout in forms/ (doj-update.toml, cms-update.toml). Writing the file
records what was reported, when and by whom. With nothing new, says so and writes no file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

KINDS = {"doj-update": "doj", "cms-update": "cms"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", type=Path, metavar="OUT.csv|OUT.xlsx")
    parser.add_argument("--since", metavar="YYYY-MM-DD",
                        help="only counts whose order date is this day or later")
    parser.add_argument("--all", action="store_true", dest="include_all",
                        help="every ordered count, also those reported in an earlier file")
    parser.add_argument("--layout", metavar="NAME|FILE",
                        help="a layout in forms/ or a .toml file (default: doj-update or"
                             " cms-update)")
    parser.add_argument("--by", default=None, help="operator name for the record (default:"
                                                   " the clerk name setting, else login name)")


def run(args: argparse.Namespace) -> int:
    from clerkapp.cli.progress import TerminalProgress
    from clerkapp.closeout.updates import check_output, check_since, write_update
    from clerkapp.store import Store

    check_output(args.out)  # refused before the store is opened
    check_since(args.since)
    progress = TerminalProgress(sys.stderr)
    with Store(args.db) as store:
        summary = write_update(store, KINDS[args.command], args.out, layout=args.layout,
                               since=args.since, include_all=args.include_all,
                               operator=args.by, progress=progress)
    progress.finish()
    print(summary.message)
    return 0
