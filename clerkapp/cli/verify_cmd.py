"""Check the verification code printed on a confirmation of relief against the court's record
of orders: names the order, its date and the case numbers it covers for that person, and
whether the order file still has the hash recorded when it was printed. Exit 0 when valid,
3 when no order has this code. Audited."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", metavar="CODE", help="e.g. 12-ABCD-EFGH-JKLM")
    parser.add_argument("--by", default=None, help="who is checking (default: login name)")


def run(args: argparse.Namespace) -> int:
    from clerkapp.relief.certificate import verify_code
    from clerkapp.store import Store

    with Store(args.db) as store:
        result = verify_code(store, args.code, clerk=args.by)
    print(result.message)
    if result.valid:
        print(f"cases: {', '.join(result.case_numbers) or '(no case number)'}")
        state = {"matches": "the order file matches its recorded sha256",
                 "differs": "WARNING: the order file on disk differs from its recorded sha256",
                 "missing": "the order file is not at its recorded place (the record stands)"}
        print(state.get(result.file_state, ""))
    return 0 if result.valid else 3
