"""List the imports: file, when, who, rows, convictions, decisions made on them, and orders
printed from them; a withdrawn import says when, by whom and why."""

from __future__ import annotations

import argparse

from clerkapp.domain.sources import SOURCE_LABELS


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one JSON object per import")


def run(args: argparse.Namespace) -> int:
    import dataclasses
    import json

    from clerkapp.store import Store

    with Store(args.db) as store:
        found = store.imports_overview()
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
