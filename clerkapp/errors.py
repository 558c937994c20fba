"""Expected failures: shown to the clerk as one clear line, never as a traceback.

Messages name the file, row, column and value where there is one, but never a person's
name, date of birth or identifier (those stay out of logs and error traces).
"""

from __future__ import annotations


class ClerkError(Exception):
    """Base of every expected failure. The CLI exits with `exit_code` and prints `str(e)`."""

    exit_code = 2


class BadInput(ClerkError):
    """A file or value the app cannot accept (unreadable, wrong shape, unknown layout)."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.file = file
        self.row = row
        self.column = column
        self.detail = message
        where = []
        if file:
            where.append(file)
        if row is not None:
            where.append(f"row {row}")
        if column:
            where.append(f"column {column}")
        super().__init__(f"{': '.join([', '.join(where), message]) if where else message}")


class DuplicateImport(BadInput):
    """The same file (same sha256) was imported before and --force was not given."""


class UnknownLayout(BadInput):
    """A spreadsheet whose required fields cannot be mapped to its headers."""


class PolicyError(BadInput):
    """A policy file that does not load or does not validate."""


class TemplateError(BadInput):
    """An order template that does not load or names a placeholder that does not exist."""


class StoreLocked(ClerkError):
    """Another program has held the store's write lock for longer than the app waits."""


class StoreUnreadable(BadInput):
    """The store file cannot be opened: permission denied, not a database."""


class StoreTooNew(BadInput):
    """The store's schema is newer than this clerkapp knows: opening it could lose what the
    newer version writes, so it is refused untouched."""

    def __init__(self, version: int, known: int, *, file: str | None = None) -> None:
        self.version = version
        self.known = known
        super().__init__(f"this store was written by a newer clerkapp (schema {version}, this"
                         f" one knows {known}): install the newer clerkapp", file=file)
