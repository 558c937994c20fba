"""Import DOJ files, evaluate every conviction and write the export, in one go.

The county's whole job as one command: the same services as `import`, `evaluate` and
`export` one after the other, on one open store, so each step starts as soon as the one
before has committed (the store copies each step's log into its file in the background
meanwhile, instead of every command waiting for it before it exits). Each step is its own
act, as when run one by one: the import lands whole or not at all, and a failure in a later
step leaves the earlier steps' work in the store. Prints what the three commands print, and
how long each step took."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from clerkapp.cli.evaluate_cmd import add_arguments as add_evaluation_arguments
from clerkapp.cli.evaluate_cmd import checked_county, print_run
from clerkapp.cli.import_cmd import print_summaries
from clerkapp.cli.progress import TerminalProgress
from clerkapp.domain.dates import option_date
from clerkapp.errors import BadInput
from clerkapp.jobs import bulk_gc

EXPORT_SUFFIXES = (".csv", ".xlsx")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="the DOJ research files (or BEAR results, spreadsheets) to import")
    parser.add_argument("--export", required=True, type=Path, metavar="OUT.csv|OUT.xlsx",
                        help="where to write every conviction with its determination")
    add_evaluation_arguments(parser)  # --policy, --as-of, --county, --by: as `evaluate`
    parser.add_argument("--preset", choices=["auto", "doj", "generic"], default="auto",
                        help="file layout (default: detect)")
    parser.add_argument("--force", action="store_true", help="import a file imported before")


def run(args: argparse.Namespace) -> int:
    from clerkapp.ingest.service import import_files
    from clerkapp.reports.export import export_rows
    from clerkapp.rules.service import evaluate, load_policy
    from clerkapp.store import Store

    # everything that can be refused is refused before an hour of work, not after
    if args.export.suffix.lower() not in EXPORT_SUFFIXES:
        raise BadInput("the export must end in .csv or .xlsx", file=str(args.export))
    policy = load_policy(args.policy) if args.policy else None
    county = checked_county(args.county)
    args.as_of = option_date(args.as_of, "--as-of")
    progress = TerminalProgress()
    took: list[tuple[str, float]] = []
    # the collector as during an import for the whole job: evaluating and exporting, like
    # importing, allocate millions of small objects and make no cycles (at 1M rows its
    # default pace cost 0.5 s CPU in this process, 0.25 s at the import's)
    with Store(args.db) as store, bulk_gc():
        operator = args.by or store.clerk_name()
        start = time.perf_counter()
        summaries = import_files(store, args.files, preset=args.preset, force=args.force,
                                 operator=operator, progress=progress)
        took.append(("import", time.perf_counter() - start))
        progress.finish()
        print_summaries(summaries)
        start = time.perf_counter()
        run_summary = evaluate(store, policy=policy, as_of=args.as_of, county=county,
                               operator=operator, progress=progress)
        took.append(("evaluate", time.perf_counter() - start))
        progress.finish()
        print_run(run_summary)
        start = time.perf_counter()
        count = export_rows(store, args.export)
        took.append(("export", time.perf_counter() - start))
        print(f"{args.export}: {count} rows")
        start = time.perf_counter()
    took.append(("closing the store", time.perf_counter() - start))
    print("took: " + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in took))
    return 0
