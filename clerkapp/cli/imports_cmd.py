"""List the imports: file, when, who, rows, convictions, decisions made on them, and orders
printed from them; a withdrawn import says when, by whom and why. With --errors OUT.xlsx, writes
the row errors of the imports named (all of them when none is) instead."""

from __future__ import annotations

import argparse
from pathlib import Path

from clerkapp.domain.sources import SOURCE_LABELS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON object per import")
    parser.add_argument("import_ids", nargs="*", type=int, metavar="IMPORT_ID",
                        help="with --errors: the imports whose row errors to write (default: all)")
    parser.add_argument("--errors", type=Path, metavar="OUT.xlsx",
                        help="write the row errors (file, row, column, value, message) of the"
                        " imports named here instead of listing the imports")


def run(args: argparse.Namespace) -> int:
    import dataclasses
    import json

    from clerkapp.store import Store

    with Store(args.db) as store:
        found = store.imports_overview()
        if args.errors is not None:
            return _write_errors(store, args, [i.id for i in found])
    if args.json:
        for item in found:
            print(json.dumps(dataclasses.asdict(item), ensure_ascii=False))
        return 0
    if not found:
        print("no imports yet")
        return 0
    print(f"{'#':>4}  {'file':<32} {'imported (UTC)':<20} {'by':<14} {'rows':>7} "
          f"{'convictions':>11} {'decisions':>9} {'orders':>6}  kind / county / status")
    for i in found:
        what = [SOURCE_LABELS.get(i.source_kind, i.source_kind or i.preset)]
        if i.county:
            what.append(f"county {i.county}")
        if i.status == "withdrawn":
            what.append(f"WITHDRAWN {i.withdrawn_at[:10]} by {i.withdrawn_by}:"
                        f" {i.withdraw_reason}")
        print(f"{i.id:>4}  {i.file_name[:32]:<32} {i.started_at[:19].replace('T', ' '):<20} "
              f"{i.operator[:14]:<14} {i.rows:>7,} {i.convictions:>11,} {i.decisions:>9,} "
              f"{i.orders:>6,}  {'; '.join(what)}")
    return 0


def _write_errors(store, args: argparse.Namespace, known: list[int]) -> int:
    """`--errors OUT.xlsx`: what the import's own --errors would have written, asked later."""
    from clerkapp.errors import BadInput
    from clerkapp.reports.errors_export import export_import_errors

    if args.errors.suffix.lower() != ".xlsx":
        raise BadInput("--errors must name an .xlsx file", file=str(args.errors))
    unknown = [n for n in args.import_ids if n not in known]
    if unknown:
        raise BadInput(f"no import #{unknown[0]} (see `clerkapp imports`)")
    ids = args.import_ids or known
    written = export_import_errors(store, ids, args.errors)
    print(f"{written:,} row error(s) of import(s) {', '.join(f'#{n}' for n in ids)} written"
          f" to {args.errors}")
    return 0
