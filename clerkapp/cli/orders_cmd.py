"""(Not built yet.)"""

from __future__ import annotations

import argparse

from clerkapp.errors import ClerkError


def add_arguments(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    raise ClerkError("this command is not built yet")
