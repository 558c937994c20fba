"""An output is never written over a file the store imported: the DOJ's list or the court's own
spreadsheet, perhaps the court's only copy, known by its path or, copied elsewhere, its bytes.

The trial gave the court's spreadsheet to `clerkapp reconcile` (whose argument is where its
output goes): the reconciliation was written over it without a word, and an export or an
update file named as the DOJ's list did the same. The window's save dialogs ask before
replacing a file, but only the store knows that this one is what it imported: asked here,
before anything is written. (Files the store keeps on record, an order or an update file, are
refused by `files.outputs`.)
"""

from __future__ import annotations

from pathlib import Path

from clerkapp.errors import BadInput
from clerkapp.files.hashing import file_sha256


def refuse_overwriting_import(store, target: Path, what: str) -> None:
    """BadInput (naming the file and its import) when `target` is a file the store imported;
    `what` names the file about to be written ("the export")."""
    try:
        size = target.stat().st_size
    except OSError:  # nothing there (or nothing readable): nothing to lose
        return
    if not target.is_file():
        return
    path = str(target.absolute())
    for found in store.imports_of_file(path, size):
        if found["file_path"] == path or found["sha256"] == file_sha256(target):
            raise BadInput(f"this is the file imported as import #{found['id']}"
                           f" ({found['file_name']}): writing {what} here would replace it; choose"
                           " another name; nothing was written", file=str(target))
