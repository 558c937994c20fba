"""The judge's report on a bulk order, as a PDF: before signing, the review list (every case
and count, relief, reason in one line, counts by relief, anything back in review or withdrawn
since the order was printed); with --final, once the signing is recorded (clerkapp orders
--mark-signed), what was ordered, reported to the DOJ, updated in the case system and what is
still open. The report is recorded and audited."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("order", metavar="ORDER_NO", help="the order number as printed on it")
    parser.add_argument("out", type=Path, metavar="OUT.pdf")
    parser.add_argument("--final", action="store_true",
                        help="the final report of a signed order instead of the review list")
    parser.add_argument("--by", default=None, help="operator name for the record")


def run(args: argparse.Namespace) -> int:
    from clerkapp.closeout.batch_report import write_final_report, write_review_list
    from clerkapp.store import Store

    write = write_final_report if args.final else write_review_list
    with Store(args.db) as store:
        summary = write(store, args.order, args.out, operator=args.by)
    what = "final report" if args.final else "review list"
    changed = (f"; {summary.changed:,} withdrawn or back in review since the order"
               if summary.changed else "")
    print(f"{what} of order {args.order}: {summary.convictions:,} conviction(s){changed}:"
          f" {summary.path}")
    return 0
