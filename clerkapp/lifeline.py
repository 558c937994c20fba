"""Worker processes end when the process that started them dies.

A killed clerkapp (kill -9, a crash, the task manager) runs no cleanup, and a worker waiting
on a queue the dead parent fed would wait forever, holding memory and the parent's output
pipes. Each worker calls `exit_with_parent()` first: a thread waits on the parent's sentinel
(multiprocessing's own handle, on Windows too) and ends the worker when it fires.
"""

from __future__ import annotations

import multiprocessing
import os
import threading


def exit_with_parent() -> None:
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        parent.join()
        os._exit(3)

    threading.Thread(target=watch, name="clerkapp-lifeline", daemon=True).start()
