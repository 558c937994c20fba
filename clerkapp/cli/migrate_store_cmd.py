"""Copy a store into another engine: a SQLite file into the court's shared PostgreSQL store,
or back (`clerkapp migrate-store clerk.db postgresql://admin@clerkdb/clerkapp`).

Every table is copied in one transaction on TO, which commits only when each table's row
count matches FROM's and TO's audit chain, recomputed, ends at FROM's head; Ctrl+C leaves TO
as it was. TO is created when it is a file that does not exist; a TO that holds a store is
refused unless --replace. Exit 0 when copied and verified, 2 when refused (nothing changed)."""

from __future__ import annotations

import argparse
import sys

from clerkapp.paths import store_target


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", type=store_target, metavar="FROM",
                        help="the store to copy: a SQLite file or a postgresql:// URL")
    parser.add_argument("target", type=store_target, metavar="TO",
                        help="the store to copy into: a postgresql:// URL or a SQLite file")
    parser.add_argument("--replace", action="store_true",
                        help="overwrite a TO that already holds a store (its work is lost)")
    parser.add_argument("--by", default=None, help="who copies it (default: the clerk name"
                                                   " setting; the database login on PostgreSQL)")


def run(args: argparse.Namespace) -> int:
    from clerkapp.cli.progress import TerminalProgress
    from clerkapp.migrate_store import migrate_store

    progress = TerminalProgress(sys.stderr)
    try:
        summary = migrate_store(args.source, args.target, replace=args.replace,
                                operator=args.by, progress=progress)
    finally:
        progress.finish()
    if summary.replaced:
        print(f"replaced what {summary.target} held: " + ", ".join(
            f"{table} {n:,}" for table, n in summary.replaced.items()))
    width = max(len(t.name) for t in summary.tables)
    for table in summary.tables:
        print(f"  {table.name:<{width}}  {table.target_rows:>12,} rows (source"
              f" {table.source_rows:,})")
    print(f"copied {summary.source} into {summary.target}: {len(summary.tables)} tables,"
          f" {summary.rows:,} rows in {summary.seconds:.1f} s; every count matches")
    print(f"audit chain verified in the copy: head #{summary.head_id}"
          f" {summary.head_hash[:16]}, as in the source; the copy is recorded in its log"
          " (store.copied_in)")
    return 0
