"""Approve, deny or defer determinations from the command line (the same service as the GUI).

Examples:
  clerkapp review --approve --all-flagged --by "J. Clerk"
  clerkapp review --approve --all-flagged          (the clerk name in settings, else the login)
  clerkapp review --deny --case LA01CR123 --by "J. Clerk" --note "plea bargain, see file"
  clerkapp review --approve --case LA01CR123 --outcome redesignate_misdemeanor --note "..." --by ...
"""

from __future__ import annotations

import argparse

from clerkapp.domain.outcomes import Outcome
from clerkapp.errors import BadInput


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--approve", dest="status", action="store_const", const="approved",
                        help="approve the determinations (or the --outcome override)")
    action.add_argument("--deny", dest="status", action="store_const", const="denied",
                        help="deny them (needs --note with the reason)")
    action.add_argument("--defer", dest="status", action="store_const", const="deferred",
                        help="put them aside for later")
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--all-flagged", action="store_true",
                       help="every pending conviction whose outcome grants relief")
    which.add_argument("--case", nargs="+", metavar="N", default=None,
                       help="case numbers: every conviction with that case number")
    parser.add_argument("--by", default=None, metavar="NAME",
                        help="the clerk deciding (default: the clerk name in settings, else the"
                        " login name; on a shared store the database login is recorded:"
                        " docs/shared-store.md)")
    parser.add_argument("--note", default=None, metavar="TEXT",
                        help="the reason (required to deny or to override the outcome)")
    parser.add_argument("--outcome", default=None, choices=[o.value for o in Outcome],
                        help="override the engine's outcome (needs --note)")


def run(args: argparse.Namespace) -> int:
    from clerkapp.review.service import decide
    from clerkapp.store import Store

    with Store(args.db) as store:
        if args.all_flagged:
            if args.outcome:
                raise BadInput("--outcome cannot be combined with --all-flagged;"
                               " override case by case with --case")
            ids = store.relief_pending_ids()
        else:
            found = store.conviction_ids_for_cases(args.case)
            unknown = [number for number, matched in found.items() if not matched]
            if unknown:
                raise BadInput(f"no conviction with case number {unknown[0]!r}"
                               + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else ""))
            ids = [i for matched in found.values() for i in matched]
        if not ids:
            print("0 convictions decided (none pending with a relief outcome)")
            return 0
        clerk = store.actor(args.by) or store.clerk_name()
        try:
            batch = decide(store, ids, args.status, clerk=clerk, note=args.note,
                           outcome=args.outcome)
        except BadInput as error:
            if " needs review: " in str(error):  # say how, on the command line
                raise BadInput(f"{error} (--outcome OUTCOME --note REASON)") from None
            if str(error).endswith("needs a reason"):  # a denial, an override
                raise BadInput(f"{error}: give it with --note REASON") from None
            raise
    print(f"{len(ids):,} conviction{'s' if len(ids) != 1 else ''} {args.status}"
          f" by {clerk} (decision {batch})")
    return 0
