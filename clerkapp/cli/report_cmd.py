"""Write the impact report: cannabis convictions and people by outcome, relief, section, level,
decade, race/ethnicity and gender; people left with no felony or no conviction once relief is
ordered; progress by month; charts. The policy, as-of date, rule-set version and input file
hashes are on every page; no personal data. Every figure equals the same figure of
`clerkapp stats` (under "impact"). With --xlsx, the same figures as a workbook."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", type=Path, metavar="OUT.pdf", help="the report to write")
    parser.add_argument("--xlsx", type=Path, metavar="OUT.xlsx",
                        help="also write the figures as a workbook")


def run(args: argparse.Namespace) -> int:
    from clerkapp.cli.progress import TerminalProgress
    from clerkapp.errors import BadInput
    from clerkapp.reports.impact import write_impact_report
    from clerkapp.store import Store

    if args.out.suffix.lower() != ".pdf":
        raise BadInput("the report is a PDF: give a file name ending in .pdf", file=str(args.out))
    if args.xlsx is not None and args.xlsx.suffix.lower() != ".xlsx":
        raise BadInput("--xlsx needs a file name ending in .xlsx", file=str(args.xlsx))
    progress = TerminalProgress(sys.stderr)
    with Store(args.db) as store:
        report = write_impact_report(store, args.out, xlsx=args.xlsx, progress=progress)
    progress.finish()
    print(report.pdf)
    if report.xlsx is not None:
        print(report.xlsx)
    return 0
