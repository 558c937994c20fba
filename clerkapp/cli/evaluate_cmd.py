"""Flag every conviction's relief under a policy (default: the setting, else `statute`).

Prints the run id and one line per outcome. A policy file that does not load exits with 2."""

from __future__ import annotations

import argparse

from clerkapp.cli.progress import TerminalProgress
from clerkapp.domain.counties import california_county, check_county
from clerkapp.domain.dates import option_date
from clerkapp.domain.outcomes import Outcome
from clerkapp.errors import BadInput


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--policy", metavar="NAME|FILE",
                        help="statute, dismiss-all, configurable, a policy .toml, or BEAR's"
                             " eligibility_options.json (default: the saved setting)")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD",
                        help="the date sentences and ages are judged on (default: setting, else today)")
    parser.add_argument("--county", metavar="NAME",
                        help="only this county's convictions get a determination (default: setting)")
    parser.add_argument("--by", default=None, help="operator name for the record (default: login name)")


def run(args: argparse.Namespace) -> int:
    from clerkapp.rules.service import evaluate, load_policy
    from clerkapp.store import Store

    policy = load_policy(args.policy) if args.policy else None  # a bad file fails before opening
    county = checked_county(args.county)
    args.as_of = option_date(args.as_of, "--as-of")
    progress = TerminalProgress()
    with Store(args.db) as store:
        summary = evaluate(store, policy=policy, as_of=args.as_of, county=county,
                           operator=args.by or store.clerk_name(), progress=progress)
    progress.finish()
    print_run(summary)
    return 0


def checked_county(county: str | None) -> str | None:
    """--county as the California county it names; BadInput (exit 2) for anything else."""
    if county is not None and county.strip():
        try:
            check_county(county)
        except ValueError as exc:
            raise BadInput(f"--county {exc}") from None
        county = california_county(county)
    return county


def print_run(summary) -> None:
    """The lines `evaluate` prints for its run (`process` prints the same)."""
    print(f"run {summary.run_id}: policy {summary.policy_name} (sha256 {summary.policy_hash[:12]}),"
          f" as of {summary.as_of}, county {summary.county or 'all'}")
    for outcome in Outcome:
        print(f"{outcome.value}: {summary.counts.get(outcome.value, 0)}")
    print(f"total: {sum(summary.counts.values())}")
    if summary.changed_decided:
        print(f"changed after review: {len(summary.changed_decided)} approved or denied"
              " convictions now have a different outcome")
