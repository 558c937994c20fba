"""Write an update file for the counts whose relief was ordered: `doj-update` for the
Department of Justice (HS 11361.9; PC 13151), `cms-update` for the court's case-management
system. One row per count not in an earlier update of that kind (every one with --all), in
the columns of the layout in forms/ (doj-update.toml, cms-update.toml). Writing the file
records what was reported, when and by whom. With nothing new, says so and writes no file.
--history lists the update files written; --void N --reason TEXT voids one the DOJ or the case
system never took, so its counts are reported again by the next update."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

KINDS = {"doj-update": "doj", "cms-update": "cms"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", type=Path, metavar="OUT.csv|OUT.xlsx", nargs="?")
    parser.add_argument("--history", action="store_true",
                        help="list the update files of this kind written so far; writes nothing")
    parser.add_argument("--void", metavar="N",
                        help="void update file N (never taken): its counts are reported again")
    parser.add_argument("--reason", help="why the file is voided (with --void)")
    parser.add_argument("--since", metavar="YYYY-MM-DD",
                        help="only counts whose order date is this day or later")
    parser.add_argument("--all", action="store_true", dest="include_all",
                        help="every ordered count, also those reported in an earlier file")
    parser.add_argument("--layout", metavar="NAME|FILE",
                        help="a layout in forms/ or a .toml file (default: doj-update or"
                             " cms-update)")
    parser.add_argument("--allow-empty-columns", action="store_true",
                        help="write the file even when the court profile lacks a value a"
                             " column prints (the court code, ORI): the column is empty")
    parser.add_argument("--by", default=None, help="operator name for the record (default:"
                                                   " the clerk name setting, else login name)")


def run(args: argparse.Namespace) -> int:
    from clerkapp.cli.progress import TerminalProgress
    from clerkapp.closeout.updates import check_output, check_since, write_update
    from clerkapp.errors import BadInput
    from clerkapp.store import Store

    kind = KINDS[args.command]
    if args.history or args.void:
        return _history(args, kind) if args.history else _void(args, kind)
    if args.out is None:
        raise BadInput("name the file to write (OUT.csv or OUT.xlsx), or use --history")
    check_output(args.out)  # refused before the store is opened
    check_since(args.since)
    progress = TerminalProgress(sys.stderr)
    with Store(args.db) as store:
        if not args.allow_empty_columns:
            _refuse_profile_gaps(store, kind, args)
        summary = write_update(store, kind, args.out, layout=args.layout,
                               since=args.since, include_all=args.include_all,
                               operator=args.by, progress=progress)
    progress.finish()
    print(summary.message)
    return 0


def _refuse_profile_gaps(store, kind: str, args: argparse.Namespace) -> None:
    """Said before writing: once written, the file counts as reported."""
    from clerkapp.closeout.profile_gaps import (
        ALLOW_OPTION,
        gaps_before_writing,
        gaps_text,
        settings_hint,
    )
    from clerkapp.closeout.updates import KIND_NAMES
    from clerkapp.errors import BadInput

    gaps = gaps_before_writing(store, kind, args.layout, since=args.since,
                               include_all=args.include_all)
    if gaps:
        raise BadInput(f"{gaps_text(gaps, KIND_NAMES[kind])}. Fill in the court profile first"
                       f" (`{settings_hint(gaps)}`, or Tools ▸ Court profile & settings), or"
                       f" write it as it is with {ALLOW_OPTION}; nothing was written")


def _history(args: argparse.Namespace, kind: str) -> int:
    from clerkapp.store import Store

    with Store(args.db) as store:
        files = store.update_files(kind, limit=100)
    if not files:
        print("No update file written yet.")
    for f in files:
        state = f"voided {f.voided_at[:10]} ({f.void_reason})" if f.voided_at else ""
        print("\t".join([str(f.file_id), f.created_at, f"{f.row_count} rows", f.created_by,
                         f.layout, f.path, state]).rstrip())
    return 0


def _void(args: argparse.Namespace, kind: str) -> int:
    from clerkapp.closeout.updates import KIND_NAMES, void_update
    from clerkapp.store import Store

    with Store(args.db) as store:
        voided = void_update(store, args.void, args.reason or "", operator=args.by, kind=kind)
    print(f"{KIND_NAMES[kind]} file {voided.file_id} voided: its {voided.row_count:,} count(s)"
          f" will be in the next {KIND_NAMES[kind]}")
    return 0
