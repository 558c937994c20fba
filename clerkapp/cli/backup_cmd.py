"""`clerkapp backup OUT` and `clerkapp restore IN`: a verified copy of the store, and putting
one back (see docs/backup.md). Exit 0 on success, 2 when refused (nothing changed)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_backup_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", type=Path, metavar="OUT",
                        help="the backup file to write (a store file's copy;"
                        " a pg_dump archive of a PostgreSQL store)")
    parser.add_argument("--force", action="store_true", help="replace OUT when it exists")


def add_restore_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("backup", type=Path, metavar="IN", help="the backup file to restore")
    parser.add_argument("--force", action="store_true",
                        help="replace a store that holds work (it is kept as a dated copy)")


def _with_progress(fn, *args, **kwargs):
    from clerkapp.cli.progress import TerminalProgress

    progress = TerminalProgress(sys.stderr)
    result = fn(*args, progress=progress, **kwargs)
    progress.finish()
    return result


def run_backup(args: argparse.Namespace) -> int:
    from clerkapp.backup import backup_store
    from clerkapp.store.engine import display_target

    summary = _with_progress(backup_store, args.db, args.out, force=args.force)
    facts = summary.facts
    print(f"backed up {display_target(args.db)} to {summary.path} ({summary.bytes:,} bytes, schema"
          f" {facts.schema_version})")
    print(f"audit log verified in the copy: {facts.entries:,} entries, head {facts.head()}")
    print(f"sha256 {summary.sha256}")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from clerkapp.backup import restore_store

    summary = _with_progress(restore_store, args.backup, args.db, force=args.force)
    facts = summary.backup
    print(f"verified {args.backup}: schema {facts.schema_version}, {facts.entries:,} audit"
          f" entries, head {facts.head()}")
    if summary.replaced is not None:
        anchor = "" if str(summary.replaced).endswith(".dump") else " (with its audit anchor)"
        print(f"the store it replaced is kept as {summary.replaced}{anchor}")
    if summary.migrated_to != facts.schema_version:
        print(f"schema brought up to date: {facts.schema_version} -> {summary.migrated_to}")
    print(f"restored into {summary.target}; the audit log is anchored at the backup's head"
          " and records the restore (store.restored)")
    return 0


# the two commands share this module (as doj-update and cms-update share update_cmd)
def add_arguments(parser: argparse.ArgumentParser) -> None:
    if parser.prog.split()[-1] == "restore":
        add_restore_arguments(parser)
    else:
        add_backup_arguments(parser)


def run(args: argparse.Namespace) -> int:
    return run_restore(args) if args.command == "restore" else run_backup(args)
