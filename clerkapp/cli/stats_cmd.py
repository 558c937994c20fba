"""Counts by outcome, section, level, decade, county, race and gender, as JSON on stdout."""

from __future__ import annotations

import argparse
import json
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    from clerkapp.reports.stats import collect
    from clerkapp.store import Store

    with Store(args.db) as store:
        json.dump(collect(store), sys.stdout, indent=2, sort_keys=True)
    sys.stdout.write("\n")
    return 0
