"""Enter a fact the record lacks (the person's name, the case number) for the conviction built
from one row of an import, with the reason: kept as a correction (who, when, why), the source
row unchanged. A conviction whose record names no one is approved only after this.

Examples:
  clerkapp correct 3 17 --name "DOE, JANE" --reason "court file SCR-110, minute order" --by "J. Clerk"
  clerkapp correct 3 18 --case-number SCR-111 --reason "docket" --by "J. Clerk"
"""

from __future__ import annotations

import argparse

from clerkapp.errors import BadInput


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("import_id", type=int, metavar="IMPORT_ID",
                        help="the import (see `clerkapp imports`)")
    parser.add_argument("row", type=int, metavar="ROW", help="the row number in that file")
    fact = parser.add_mutually_exclusive_group(required=True)
    fact.add_argument("--name", metavar="TEXT", help="the person's name")
    fact.add_argument("--case-number", metavar="TEXT", help="the case number")
    parser.add_argument("--reason", required=True, metavar="TEXT",
                        help="where the fact comes from")
    parser.add_argument("--by", default=None, metavar="NAME",
                        help="the clerk (default: the settings' clerk name)")


def run(args: argparse.Namespace) -> int:
    from clerkapp.review.corrections import FIELD_WORDS, correct
    from clerkapp.store import Store

    field, value = ("name", args.name) if args.name is not None else (
        "case_number", args.case_number)
    with Store(args.db) as store:
        conviction = store.conviction_at_row(args.import_id, args.row)
        if conviction is None:
            raise BadInput(f"import #{args.import_id} has no conviction built from row {args.row}")
        correct(store, conviction, field, value, reason=args.reason,
                clerk=args.by or store.clerk_name())
    print(f"import #{args.import_id}, row {args.row}: {FIELD_WORDS[field]} entered; the source"
          " row is unchanged. Run `clerkapp evaluate` to re-check the conviction.")
    return 0
