"""Check that the store is as clerkapp left it: the whole audit chain against its anchor
outside the store, every decision, override and order against its audit entry, and every
recorded order and update file on disk with the bytes recorded (what an interrupted run left
is finished or cleaned first). Prints what it checked; exit 0 when everything matches, 3 on
any mismatch.

--accept anchors the chain as it is now (after verifying its own hashes): for a store court
IT confirms is genuine, such as a restored backup."""

from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--accept", action="store_true",
                        help="anchor the chain as it is now (a restored backup court IT confirmed)")
    parser.add_argument("--no-files", action="store_true",
                        help="skip hashing the recorded order and update files")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from clerkapp.files.check import check_recorded_files
    from clerkapp.files.outputs import recover_outputs
    from clerkapp.integrity import IntegrityError, check_store
    from clerkapp.store import Store

    if isinstance(args.db, Path) and not args.db.exists():
        print(f"clerkapp: {args.db}: no store there", file=sys.stderr)
        return 2
    with Store(args.db) as store:
        if args.accept:
            status = store.accept_chain()
            if not status.ok:
                raise IntegrityError(f"not anchored: {status.problem}")
            with store.atomic():
                store.audit(store.clerk_name(), "audit.anchored", entity="audit",
                            details={"head": status.head(), "previous": (
                                status.anchored.short() if status.anchored else None)})
            print(f"anchored the audit chain at {status.head()} ({status.checked:,} entries)")
        for line in recover_outputs(store).lines():
            print(f"files: {line}")
        report = check_store(store, full=True)
        for line in report.lines():
            print(line)
        reviews, orders = store.last_ids()
        if report.ok:
            print(f"decisions: every review (up to #{reviews}) and order (up to #{orders})"
                  " matches its audit entry")
        problems = [] if args.no_files else check_recorded_files(store)
        for line in problems:
            print(f"MISMATCH: {line}")
        if not args.no_files and not problems:
            count = store.conn.execute("SELECT count(*) FROM orders").fetchone()[0]
            print(f"files: {count:,} recorded order file(s) on disk as recorded")
    if report.ok and not problems:
        print("OK: the store matches its audit log")
        return 0
    print("clerkapp: the store does not match its audit log (see MISMATCH above); nothing"
          " should be printed from it until court IT has looked", file=sys.stderr)
    return 3
