"""Link the court's cannabis convictions to the DOJ list's, count by count, and write one row
per conviction: matched, possible_match, conflict, court_only, doj_only, or unmatched (with the
reason). Default: every DOJ import against every court or prosecutor import. Only the court's
county is compared (the latest evaluation's, else the court profile's): the DOJ file is
statewide, and how many convictions of other counties were left out is said. A rerun keeps the
clerk's confirmations and rejections.

  clerkapp reconcile reconcile.xlsx
  clerkapp reconcile out.csv --doj 1 --court 3 4
"""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("out", type=Path, metavar="OUT.xlsx|OUT.csv")
    parser.add_argument("--doj", type=int, nargs="+", metavar="IMPORT_ID",
                        help="the DOJ imports to compare (default: every one)")
    parser.add_argument("--court", type=int, nargs="+", metavar="IMPORT_ID",
                        help="the court or prosecutor imports to compare (default: every one)")
    parser.add_argument("--status", choices=["matched", "possible_match", "conflict",
                                             "court_only", "doj_only", "unmatched"],
                        help="write only the rows of this status")
    parser.add_argument("--by", help="the clerk's name (default: the court profile's, "
                        "else your login name)")


def run(args: argparse.Namespace) -> int:
    from clerkapp.cli.progress import TerminalProgress
    from clerkapp.errors import BadInput
    from clerkapp.reconcile.output import write_reconcile_file
    from clerkapp.reconcile.service import STATUSES, reconcile, scope_note
    from clerkapp.store import Store

    if args.out.suffix.lower() not in {".csv", ".xlsx"}:
        raise BadInput("the reconcile file must end in .csv or .xlsx", file=str(args.out))
    progress = TerminalProgress()
    with Store(args.db) as store:
        try:
            summary = reconcile(store, doj=args.doj, court=args.court,
                                operator=args.by or store.clerk_name(), progress=progress)
        finally:
            progress.finish()
        count = write_reconcile_file(store, args.out, status=args.status)
    counts = ", ".join(f"{summary.counts[s]} {s}" for s in STATUSES)
    print(f"{args.out}: {count} rows ({counts}); {summary.added} new, {summary.changed} changed,"
          f" {summary.unchanged} as before")
    note = scope_note(summary.county, summary.left_out)
    print(note[:1].upper() + note[1:])
    return 0
