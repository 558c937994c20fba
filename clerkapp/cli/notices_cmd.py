"""Print notices to the people whose cannabis convictions the court relieved: one plain-language
letter per person for the convictions ordered, in English, Spanish or both, addressed where the
record has an address and otherwise printed for the counter. One PDF per person, or one
combined file for mailing with --combined. A conviction already reported in a language is left
out unless --again. Only convictions whose order is recorded as signed by the judge are
reported (dated the day of signing); the count line says how many were left out and which
orders await the signature. Prints each file written and the count."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def person_reference(text: str) -> int:
    """`P000247`, `p247` or `247` -> 247: the reference as the notices and the look-up print it."""
    digits = text.strip().upper().removeprefix("P")
    if not digits.isdigit():
        raise argparse.ArgumentTypeError(f"expected a person's reference such as P000247,"
                                         f" got {text!r}")
    return int(digits)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("outdir", type=Path, metavar="OUTDIR", help="folder to write the PDFs to")
    parser.add_argument("--lang", choices=("en", "es", "both"), default="en",
                        help="language of the letters (both: English then Spanish)")
    parser.add_argument("--since", metavar="YYYY-MM-DD",
                        help="only convictions whose order is dated (signed) on or after this date")
    parser.add_argument("--combined", action="store_true",
                        help="one file with every letter, for mailing, instead of one per person")
    parser.add_argument("--again", action="store_true",
                        help="include convictions that were in an earlier notice")
    parser.add_argument("--person", type=person_reference, action="append", metavar="REF",
                        help="only this person: the reference printed on every notice and in"
                             " the look-up (P000247, or 247; repeatable)")
    parser.add_argument("--by", default=None, help="operator name for the record (default: login name)")


def run(args: argparse.Namespace) -> int:
    from clerkapp.cli.progress import TerminalProgress
    from clerkapp.relief.notices import print_notices
    from clerkapp.store import Store

    progress = TerminalProgress(sys.stderr)
    with Store(args.db) as store:
        summary = print_notices(store, args.outdir, lang=args.lang, since=args.since,
                                combined=args.combined, again=args.again,
                                person_ids=args.person, operator=args.by, progress=progress)
    progress.finish()
    for line in summary.recovered.lines():  # what a crashed earlier run left, cleaned
        print(line, file=sys.stderr)
    for path in summary.files:
        print(path)
    print(f"{summary.notices} notice(s) for {summary.people} person(s) in"
          f" {len(summary.files)} file(s): {summary.mailed} addressed, {summary.counter} for the"
          " counter" + (f"; {summary.unsigned_note}" if summary.unsigned else ""))
    return 0
