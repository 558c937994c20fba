"""Entry point of the frozen executables (PyInstaller): the same `clerkapp` command line.

A windowed Windows executable starts with no stdout/stderr at all (None), and anything that
prints (argparse's usage, a one-line error, the self-test summary) would crash it. Those
streams go to `<user data>/logs/clerkapp.log` instead, never into Program Files.
"""

from __future__ import annotations

import sys


def _give_streams_a_home() -> None:
    if sys.stdout is not None and sys.stderr is not None:
        return
    from clerkapp.paths import user_data_dir

    try:
        log_dir = user_data_dir() / "logs"
        log_dir.mkdir(parents=True, exist_ok=True)
        log = open(log_dir / "clerkapp.log", "a", encoding="utf-8", buffering=1)  # noqa: SIM115
    except OSError:
        import os

        log = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115
    if sys.stdout is None:
        sys.stdout = log
    if sys.stderr is None:
        sys.stderr = log


if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # a worker process (evaluation) runs here and exits
    _give_streams_a_home()
    from clerkapp.cli.main import main

    raise SystemExit(main())
