"""Print court orders to PDF for the approved decisions: one per case, or with --bulk one
order with Exhibit A listing every conviction. Prints each file written and the count.

Only approved decisions become orders; --status is accepted for symmetry with `export` and
refused unless it is `approved`. A conviction is ordered once: printing one that already has
an order in force is refused, naming the orders, unless `--supersede REASON` says the court
replaces them (the new order names the order it supersedes). Each file is listed with the order number it was given (the court's pattern,
setting `orders.number_pattern`). `--history` lists the orders printed so far instead;
`--reprint ORDER_NO [OUTDIR]` hands back an order as it was printed (its recorded file,
checked against its recorded sha256), never a new one.

With --bulk --review-list, the judge's review list (every case and count, relief, reason,
counts by relief) is written beside the bulk order. `--mark-signed ORDER_NO ... --date D` records
that the judge signed these orders (per-case or bulk) on D: the DOJ report is due 30 days later
(PC 13151; court profile), the update files and the confirmation of relief report them from
then on, and `clerkapp batch-report ORDER_NO OUT.pdf --final` gives the final report."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from clerkapp.errors import BadInput


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("outdir", type=Path, metavar="OUTDIR", nargs="?",
                        help="folder to write the PDFs to")
    parser.add_argument("--history", type=int, nargs="?", const=20, metavar="N",
                        help="list the last N orders printed (default 20): order number, when,"
                             " kind, convictions, by whom, file; prints nothing new")
    parser.add_argument("--bulk", action="store_true",
                        help="one bulk order with Exhibit A instead of one order per case")
    parser.add_argument("--status", default="approved",
                        help="which decisions to print: only 'approved' is allowed")
    parser.add_argument("--sort", choices=("case", "name"), default="case",
                        help="Exhibit A order: by case number (default) or by name")
    parser.add_argument("--unprinted", action="store_true",
                        help="only convictions not ordered since their approval")
    parser.add_argument("--supersede", metavar="REASON",
                        help="the court replaces the orders in force of convictions already"
                             " ordered: print new orders for them, each naming the order it"
                             " supersedes (the reason goes to the audit log)")
    parser.add_argument("--print-unreconciled", action="store_true",
                        help="print even though convictions of a DOJ list and a court list"
                             " were never reconciled (one on both lists is ordered twice)")
    parser.add_argument("--template", metavar="NAME|FILE",
                        help="an order template from forms/ or a .toml file (default: the"
                             " per-case or bulk template)")
    parser.add_argument("--review-list", action="store_true",
                        help="with --bulk: also write the judge's review list beside the order")
    parser.add_argument("--reprint", metavar="ORDER_NO",
                        help="the order as it was printed: a copy of its recorded file, byte"
                             " for byte, in OUTDIR (without OUTDIR, the recorded file is"
                             " checked and named); refused when it is missing or changed;"
                             " never a new order number")
    parser.add_argument("--mark-signed", metavar="ORDER_NO", nargs="+",
                        help="record that the judge signed these orders, per-case or bulk"
                             " (with --date): until then the DOJ update and the confirmation"
                             " of relief leave their convictions out")
    parser.add_argument("--date", metavar="YYYY-MM-DD", help="the day the order was signed")
    parser.add_argument("--judge", help="who signed (default: the court profile's judge)")
    parser.add_argument("--by", default=None, help="operator name for the record (default: login name)")


def run(args: argparse.Namespace) -> int:
    from clerkapp.cli.progress import TerminalProgress
    from clerkapp.orders.service import check_status, print_orders
    from clerkapp.store import Store

    if args.history is not None:
        return _history(args)
    if args.mark_signed:
        return _mark_signed(args)
    if args.reprint:
        return _reprint(args)
    if args.outdir is None:
        raise BadInput("name the folder to write the orders to (OUTDIR), or use --history")
    check_status(args.status)  # refused before the store is opened
    progress = TerminalProgress(sys.stderr)  # the stream now, not the one at import time
    with Store(args.db) as store:
        if not args.print_unreconciled:
            _refuse_unreconciled(store, args.unprinted)
        summary = print_orders(
            store, args.outdir, bulk=args.bulk, status=args.status, operator=args.by,
            only_unprinted=args.unprinted, sort=args.sort, template=args.template,
            supersede=args.supersede, progress=progress,
        )
        progress.finish()
        for line in summary.recovered.lines():
            print(f"clerkapp: {line}", file=sys.stderr)
        if args.bulk and args.review_list:
            from clerkapp.closeout.batch_report import write_review_list

            order = summary.orders[0]
            review = write_review_list(store, order.order_number or f"#{order.order_id}",
                                       Path(order.path).with_name(
                                           Path(order.path).stem + "-review-list.pdf"),
                                       operator=args.by)
            print(f"review list\t{review.path}")
        elif args.bulk and summary.orders:
            number = summary.orders[0].order_number or f"#{summary.orders[0].order_id}"
            print(f"the judge's review list: clerkapp batch-report {number} REVIEW.pdf"
                  " (or print with --review-list)", file=sys.stderr)
    for order in summary.orders:
        print(f"{order.order_number}\t{order.path}")
    reprints = f", {summary.reprints} reprint(s)" if summary.reprints else ""
    juvenile = (f", {summary.juvenile} on the juvenile variant (In re ...)"
                if summary.juvenile else "")
    kind = "bulk order" if args.bulk else "per-case order(s)"
    print(f"{len(summary.files)} {kind} covering {summary.convictions} conviction(s)"
          f"{reprints}{juvenile}")
    if summary.superseded:
        print(f"supersedes Order No. {', '.join(summary.superseded)} for"
              f" {summary.superseded_convictions} conviction(s)", file=sys.stderr)
    if summary.no_case_number:
        print(f"clerkapp: warning: {summary.no_case_number_text()}", file=sys.stderr)
    if summary.juvenile_left_out:
        print(f"{summary.juvenile_left_out} juvenile adjudication(s) are not in the bulk order"
              " (juvenile records are confidential, WIC 827): print them per case",
              file=sys.stderr)
    if summary.other_county:
        print(f"{summary.other_county} approved conviction(s) from other counties were not"
              " printed: this court orders relief for its own county only", file=sys.stderr)
    if summary.elsewhere:  # another clerk's printing ordered some of them meanwhile
        print(summary.elsewhere, file=sys.stderr)
    return 0


def _refuse_unreconciled(store, only_unprinted: bool) -> None:
    """Said before printing: a conviction on both lists, never linked, is ordered twice."""
    from clerkapp.orders.reconciled import (
        PRINT_ANYWAY_OPTION,
        count_unreconciled,
        unreconciled_text,
    )

    count = count_unreconciled(store, only_unprinted=only_unprinted)
    if count:
        raise BadInput(f"{unreconciled_text(count)}, or print anyway with"
                       f" {PRINT_ANYWAY_OPTION}; nothing was printed")


def _reprint(args: argparse.Namespace) -> int:
    from clerkapp.orders.reprint import reprint_order
    from clerkapp.store import Store

    with Store(args.db) as store:
        done = reprint_order(store, args.reprint, args.outdir, operator=args.by)
    what = "a copy of the recorded file" if done.copied else "the recorded file"
    print(f"{done.number}\t{done.path}")
    print(f"order {done.number} as printed on {done.order.created_at[:10]}: {what}, byte for"
          f" byte (sha256 {done.sha256[:16]}…); no new order was made", file=sys.stderr)
    return 0


def _mark_signed(args: argparse.Namespace) -> int:
    from clerkapp.closeout.signing import mark_many_signed, signing_corrected
    from clerkapp.domain.closeout import due_date
    from clerkapp.store import Store

    if not args.date:
        raise BadInput("--mark-signed needs --date YYYY-MM-DD, the day the judge signed")
    numbers = list(dict.fromkeys(n.strip() for n in args.mark_signed if n.strip()))
    with Store(args.db) as store:
        # what each order's signing was before: one recorded again corrects it (said below)
        before = {n: store.order_signature(store.find_order(n) or 0) for n in numbers}
        # all of them or, one refused (unknown, a date before printing), none
        signatures = mark_many_signed(store, numbers, args.date, judge=args.judge,
                                      operator=args.by)
        corrected = [signing_corrected(store, n, before[n]) for n in numbers]
        days = store.doj_days()
        bulk = {n for n in numbers
                if (store.order_record(store.find_order(n) or 0) or {}).get("kind") == "bulk"}
    for number, signature in zip(numbers, signatures, strict=True):
        final = (f"; the final report: clerkapp batch-report {number} FINAL.pdf --final"
                 if number in bulk else "")
        print(f"order {number} recorded as signed on {signature.signed_on}"
              f"{' by ' + signature.judge if signature.judge else ''}; the DOJ report is due"
              f" {due_date(signature.signed_on, days).isoformat()}{final}")
    for note in filter(None, corrected):
        print(f"clerkapp: {note}", file=sys.stderr)
    return 0


def _history(args: argparse.Namespace) -> int:
    from clerkapp.orders.once import history_kind
    from clerkapp.store import Store

    with Store(args.db) as store:
        orders = store.recent_orders(max(1, args.history))
        vacated = store.vacated_counts(o.order_id for o in orders)
        signatures = [store.order_signature(o.order_id) for o in orders]
    if not orders:
        print("No orders printed yet.")
    for o, signature in zip(orders, signatures, strict=True):
        kind = history_kind(o, vacated.get(o.order_id, 0))
        # the judge's signing, last: an order counts as the court's once it is recorded
        signed = (f"signed {signature.signed_on}" if signature is not None
                  else "not recorded as signed")
        print("\t".join([o.order_number or "(none)", o.created_at, kind,
                         str(o.conviction_count), o.created_by, o.path, signed]))
    return 0
