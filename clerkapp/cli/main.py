"""`clerkapp` on the command line: the same services as the GUI, one module per command.

Exit codes: 0 success, 2 bad input (one line on stderr naming file/row/column), 1 internal
failure. With no command, the GUI opens.
"""

from __future__ import annotations

import argparse
import importlib
import multiprocessing
import os
import sqlite3
import sys

from clerkapp import __version__
from clerkapp.errors import ClerkError
from clerkapp.jobs import Cancelled
from clerkapp.paths import default_db_path, private_files, store_target

# command name -> module in clerkapp.cli that defines add_arguments(parser) and run(args)
COMMANDS: dict[str, tuple[str, str]] = {
    "import": ("import_cmd", "import DOJ research files, BEAR results or spreadsheets"),
    "evaluate": ("evaluate_cmd", "flag every conviction's relief under a policy"),
    "review": ("review_cmd", "approve, deny or defer determinations"),
    "export": ("export_cmd", "write the determinations to xlsx or csv"),
    "orders": ("orders_cmd", "print court orders to PDF"),
    "stats": ("stats_cmd", "counts as JSON on stdout"),
    "doj-update": ("update_cmd", "write the DOJ disposition update for ordered relief"),
    "cms-update": ("update_cmd", "write the case-system update for ordered relief"),
    "reconcile": ("reconcile_cmd", "link the court's records to the DOJ list; write the result"),
    "batch-report": ("batch_report_cmd", "the judge's review list or final report of a bulk"
                                         " order (PDF)"),
    "settings": ("settings_cmd", "show or change the court profile and other settings"),
    "notices": ("notices_cmd", "print notices to the people relieved (English, Spanish)"),
    "lookup": ("lookup_cmd", "look up a person's cannabis convictions at the counter"),
    "verify-certificate": ("verify_cmd", "check a confirmation of relief's verification code"),
    "report": ("report_cmd", "write the impact report (PDF, and xlsx)"),
    "verify": ("verify_store_cmd", "check the store against its audit log and its files"),
    "backup": ("backup_cmd", "copy the store to a file, its audit log verified in the copy"),
    "restore": ("backup_cmd", "put a backup in place of the store (verified first; the"
                              " replaced store kept)"),
    "migrate-store": ("migrate_store_cmd", "copy a store into PostgreSQL (or back), verified"
                                          " by counts and the audit chain"),
    "correct": ("correct_cmd", "enter a name or case number the record lacks"),
    "imports": ("imports_cmd", "list the imports, withdrawn ones included"),
    "withdraw": ("withdraw_cmd", "withdraw an import (its convictions leave the queue)"),
    "process": ("process_cmd", "import, evaluate and export in one go (the county's whole"
                               " job)"),
}


class OneLineParser(argparse.ArgumentParser):
    """A wrong option is one line on stderr and exit 2, like every other refusal (argparse's
    own error prints the whole usage block first)."""

    def error(self, message: str):  # type: ignore[override]
        self.exit(2, f"{self.prog}: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="clerkapp",
        description="Proposition 64 relief for court clerks. With no command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"clerkapp {__version__}")
    parser.add_argument(
        "--db", type=store_target, default=None, metavar="PATH|URL",
        help="the store to use: a SQLite file, or a shared PostgreSQL store"
             " postgresql://USER@HOST[:PORT]/DBNAME (default: $CLERKAPP_DB, else the store the"
             " installer was pointed at, else clerk.db in your data folder)",
    )
    parser.add_argument(
        "--self-test", action="store_true",
        help="start the app on a temporary store, run sample data end to end, and exit",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(f"clerkapp.cli.{module_name}")
        command = sub.add_parser(name, help=help_text, description=module.__doc__)
        module.add_arguments(command)
    return parser


# Qt's own options that take a value (`-platform offscreen`): argparse alone would read the
# value as a command name, so they are set aside for QApplication first.
QT_VALUE_OPTIONS = frozenset({
    "-platform", "-platformpluginpath", "-platformtheme", "-plugin", "-style", "-stylesheet",
    "-screen", "-display", "-geometry", "-qwindowgeometry", "-qwindowicon", "-qwindowtitle",
})


def split_qt_args(argv: list[str]) -> tuple[list[str], list[str]]:
    """(clerkapp's arguments, Qt's `-option value` pairs)."""
    ours: list[str] = []
    qt: list[str] = []
    i = 0
    while i < len(argv):
        if argv[i] in QT_VALUE_OPTIONS and i + 1 < len(argv):
            qt += argv[i : i + 2]
            i += 2
        else:
            ours.append(argv[i])
            i += 1
    return ours, qt


def main(argv: list[str] | None = None) -> int:
    # a frozen Windows build starts its worker processes (import, evaluation) through this
    # same executable: freeze_support runs the worker and exits when that is what started us
    multiprocessing.freeze_support()
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    argv, qt_pairs = split_qt_args(argv)
    args, qt_args = parser.parse_known_args(argv)
    qt_args = qt_pairs + qt_args
    if args.command is not None and qt_args:
        parser.error(f"unrecognized arguments: {' '.join(qt_args)}")
    # the window also remembers a store the clerk connected to; a --db or $CLERKAPP_DB wins
    named = args.db is not None or bool(os.environ.get("CLERKAPP_DB"))
    args.db = args.db or default_db_path()
    private_files()
    from clerkapp.store import base, new_store

    base.WAIT_NOTICE = lambda line: print(f"clerkapp: {line}", file=sys.stderr, flush=True)
    new_store.NEW_STORE_NOTICE = base.WAIT_NOTICE
    try:
        if args.self_test:
            from clerkapp.selftest import run_self_test

            return run_self_test(qt_args)
        if args.command is None:
            from clerkapp.ui.app import run_gui

            return run_gui(args.db if named else None, qt_args)
        module = importlib.import_module(f"clerkapp.cli.{COMMANDS[args.command][0]}")
        return int(module.run(args) or 0)
    except ClerkError as error:
        print(f"clerkapp: {error}", file=sys.stderr)
        return error.exit_code
    except sqlite3.OperationalError as error:
        from clerkapp.store.engine import display_target

        if "disk is full" in str(error):  # the store's transaction was rolled back
            print(f"clerkapp: {display_target(args.db)}: the disk is full: nothing of this"
                  " command was saved; free some space and run it again", file=sys.stderr)
            return 2
        if "locked" not in str(error) and "busy" not in str(error):
            raise
        from clerkapp.store.base import locked_message

        print(f"clerkapp: {locked_message(display_target(args.db))}", file=sys.stderr)
        return 2
    except Cancelled:
        print("clerkapp: cancelled; nothing was changed", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("clerkapp: interrupted; nothing was changed", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # the reader went away (`clerkapp stats | head`): stop quietly, as other tools do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
