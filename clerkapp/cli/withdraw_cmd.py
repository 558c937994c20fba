"""Withdraw an import: its convictions leave the queue, the counts, the exports and the
orders; its rows, the decisions made on them and the withdrawal stay on record and in the
audit log, and the same file can be imported again. Refused once an order was printed from
it (the printed order stands: deny its convictions with a reason instead).

Example:
  clerkapp withdraw 3 --reason "test extract, not the court's list" --by "J. Clerk"
"""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("import_id", type=int, metavar="IMPORT_ID",
                        help="the import (see `clerkapp imports`)")
    parser.add_argument("--reason", required=True, metavar="TEXT", help="why it is withdrawn")
    parser.add_argument("--by", default=None, metavar="NAME",
                        help="the clerk withdrawing it (default: the settings' clerk name, else"
                        " the login name)")


def run(args: argparse.Namespace) -> int:
    from clerkapp.ingest.withdraw import withdraw_import
    from clerkapp.store import Store

    with Store(args.db) as store:
        done = withdraw_import(store, args.import_id, reason=args.reason,
                               by=args.by or store.clerk_name())
    print(f"import #{done.id} ({done.file_name}) withdrawn: {done.convictions:,} conviction(s)"
          f" left the queue, exports and orders; {done.decisions:,} decision(s) stay on record")
    return 0
