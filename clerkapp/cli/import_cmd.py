"""Import DOJ research files, BEAR result files, and court or prosecutor spreadsheets.

The files named land together or not at all. The same file twice is refused unless --force."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from clerkapp.cli.progress import TerminalProgress
from clerkapp.domain.sources import SOURCE_LABELS
from clerkapp.errors import BadInput

ERRORS_SHOWN = 5  # row errors printed after the summary; the rest go to --errors OUT.xlsx


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument("--preset", choices=["auto", "doj", "generic"], default="auto",
                        help="file layout (default: detect)")
    parser.add_argument("--map", action="append", default=[], metavar="HEADER=field",
                        help="map a spreadsheet header to a field (repeatable); field empty ignores it")
    parser.add_argument("--sheet", help="the xlsx sheet to read (default: the first with a header)")
    parser.add_argument("--force", action="store_true", help="import a file imported before")
    parser.add_argument("--by", default=None, help="operator name for the record (default: login name)")
    parser.add_argument("--errors", type=Path, metavar="OUT.xlsx",
                        help="write the row errors (file, row, column, value, message) here")
    facts = parser.add_argument_group("what holds for every row of the files")
    facts.add_argument("--county", metavar="NAME",
                       help="the California county of every row (a row's own county wins;"
                       " default for the court's own records or a prosecutor's list: the court"
                       " profile's county)")
    facts.add_argument("--court", metavar="NAME", help="the court of every row")
    facts.add_argument("--source", choices=["auto", "court", "prosecutor", "doj"],
                       default="auto", help="what kind of list the file is: the court's own"
                       " records, a prosecutor's list, or the DOJ's (default: DOJ and BEAR files"
                       " detected, any other sheet the court's own); the orders' wording"
                       " follows it")
    facts.add_argument("--prosecutor", metavar="NAME",
                       help="the prosecuting agency of a prosecutor's list (default: the court"
                       " profile's)")


def parse_map(items: list[str]) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for item in items:
        if "=" not in item:
            raise BadInput(f"--map {item!r}: expected HEADER=field")
        header, field = item.rsplit("=", 1)
        mapping[header.strip()] = field.strip()
    return mapping


def run(args: argparse.Namespace) -> int:
    from clerkapp.ingest.file_facts import checked_facts
    from clerkapp.ingest.own_county import detected_preset, profile_county_for
    from clerkapp.ingest.service import import_files
    from clerkapp.store import Store

    progress = TerminalProgress()
    if args.errors is not None and args.errors.suffix.lower() != ".xlsx":
        raise BadInput("--errors must name an .xlsx file", file=str(args.errors))
    facts = checked_facts(county=args.county, court=args.court, source=args.source,
                          prosecutor=args.prosecutor)
    with Store(args.db) as store:
        own = profile_county_for(store, map(detected_preset, args.files), facts)
        if own:
            facts = replace(facts, county=own)
        summaries = import_files(
            store, args.files, preset=args.preset, mapping=parse_map(args.map) or None,
            force=args.force, operator=args.by or store.clerk_name(), sheet=args.sheet,
            facts=facts, progress=progress,
        )
        written = None
        if args.errors is not None:
            from clerkapp.reports.errors_export import export_import_errors

            written = export_import_errors(store, [s.import_id for s in summaries], args.errors)
        errors = ([] if args.errors is not None else
                  store.import_error_rows([s.import_id for s in summaries if s.errors]))
    progress.finish()
    print_summaries(summaries)
    if own:
        print(f"  (county {own} from the court profile, as the files are not DOJ files;"
              " --county gives another)")
    if written is not None:
        print(f"{written} row error(s) written to {args.errors}")
    print_first_errors(errors)
    return 0


def print_first_errors(errors: list, shown: int = ERRORS_SHOWN) -> None:
    """The first row errors, each with its file, row, column and value, and how to get them
    all: a count alone left the clerk to guess which rows were not imported as written."""
    for e in errors[:shown]:
        where = [e.file_name]
        if e.row_number is not None:
            where.append(f"row {e.row_number}")
        if e.column:
            where.append(f"column {e.column}")
        if e.value:
            where.append(f"value {e.value!r}")
        print(f"  {', '.join(where)}: {e.message}")
    if errors:
        ids = " ".join(str(i) for i in dict.fromkeys(e.import_id for e in errors))
        more = f"{len(errors) - shown:,} more; " if len(errors) > shown else ""
        print(f"  ({more}every row error: clerkapp imports {ids} --errors OUT.xlsx)")


def _rows_with_errors(n: int) -> str:
    return f"{n} row{'' if n == 1 else 's'} with errors"


def print_summaries(summaries: list) -> None:
    """The lines `import` prints for its files (`process` prints the same)."""
    for s in summaries:
        print(f"{s.file_name}: import #{s.import_id} ({s.preset}): {s.rows} rows, "
              f"{s.people} people, {s.convictions} convictions, {_rows_with_errors(s.errors)}")
        extra = [f"{SOURCE_LABELS.get(s.source, s.source)}"]
        if s.county:
            extra.append(f"county {s.county} where a row gives none")
        if s.history:
            extra.append(f"{s.history} count(s) not convictions (dismissed, acquitted...),"
                         " kept as history")
        if s.skipped:
            extra.append(f"skipped: {s.skipped_text()}")
        if s.notes:
            extra.append(f"{s.notes} row note(s) (a row's county differs from the file's)")
        print("  " + "; ".join(extra))
    if len(summaries) > 1:
        print(f"total: {len(summaries)} files, {sum(s.rows for s in summaries)} rows, "
              f"{sum(s.convictions for s in summaries)} convictions, "
              f"{_rows_with_errors(sum(s.errors for s in summaries))}")
    repeated = sum(s.repeated for s in summaries)
    if repeated:
        print(f"warning: {repeated} conviction(s) repeat ones an earlier import holds (same"
              " person, case, section and conviction date): if this is the same report again,"
              " decide only one of each pair", file=sys.stderr)
