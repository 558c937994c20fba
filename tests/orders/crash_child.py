"""Run `clerkapp orders` in a child process that kills itself (SIGKILL: no cleanup, no
finally) at a chosen point: how the crash tests and bench/faults.py reach each step of the
write-record-move protocol. Usage: crash_child.py DB OUTDIR POINT N [--bulk]

POINT: staged (after the Nth file is written under its temporary name; --bulk: after the
bulk file, or N > 0: once N rows of Exhibit A are drawn), record (inside the
recording transaction, before it commits), replace (after the Nth file is moved into place),
finish (after every move, before the run is marked complete), never (no kill).
"""

from __future__ import annotations

import os
import signal
import sys


def die() -> None:
    """SIGKILL this process; first, with CRASH_PIDS set, write its worker processes' ids
    there (they must end on their own once it is gone)."""
    if os.environ.get("CRASH_PIDS"):
        import multiprocessing

        with open(os.environ["CRASH_PIDS"], "w") as out:
            out.write(" ".join(str(p.pid) for p in multiprocessing.active_children()))
    os.kill(os.getpid(), signal.SIGKILL)


def main() -> int:
    db, outdir, point, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    bulk = "--bulk" in sys.argv
    from clerkapp.cli.main import main as cli
    from clerkapp.files import outputs
    from clerkapp.store.order_records import OrderRecordStore

    count = 0
    if point == "staged" and bulk:
        from clerkapp.orders import render_bulk

        real_render = render_bulk.render_bulk_order

        def render_bulk_order(*args, **kwargs):
            real_progress = kwargs["progress"]

            def progress(done, total, message):
                real_progress(done, total, message)
                if n and done >= n:  # midway through Exhibit A
                    die()

            kwargs["progress"] = progress
            result = real_render(*args, **kwargs)
            die()  # written whole under its temporary name, not recorded
            return result

        render_bulk.render_bulk_order = render_bulk_order
    elif point == "staged":
        real_write = outputs.OutputBatch.write_bytes

        def write_bytes(self, *args, **kwargs):
            nonlocal count
            staged = real_write(self, *args, **kwargs)
            count += 1
            if count >= n:
                die()
            return staged

        outputs.OutputBatch.write_bytes = write_bytes
    elif point == "record":
        real_record = OrderRecordStore.record_orders

        def record_orders(self, *args, **kwargs):
            result = real_record(self, *args, **kwargs)
            die()
            return result

        OrderRecordStore.record_orders = record_orders
    elif point == "replace":
        real_replace = os.replace

        def replace(src, dst):
            nonlocal count
            real_replace(src, dst)
            count += 1
            if count >= n:
                die()

        class OsOfOutputs:  # only the output module's renames count, not the anchor's
            def __getattr__(self, name):
                return getattr(os, name)

        OsOfOutputs.replace = staticmethod(replace)
        outputs.os = OsOfOutputs()
    elif point == "finish":
        from clerkapp.store.outputs import OutputStore

        real_finish = OutputStore.finish_output_run

        def finish_output_run(self, run_id, status="complete"):
            if status == "complete":
                die()
            return real_finish(self, run_id, status)

        OutputStore.finish_output_run = finish_output_run
    args = ["--db", db, "orders", outdir] + (["--bulk"] if bulk else [])
    return cli(args)


if __name__ == "__main__":
    raise SystemExit(main())
