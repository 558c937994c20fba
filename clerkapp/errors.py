"""Expected failures: shown to the clerk as one clear line, never as a traceback.

Messages name the file, row, column and value where there is one, but never a person's
name, date of birth or identifier (those stay out of logs and error traces).
"""

from __future__ import annotations

from dataclasses import dataclass


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


class NotPermitted(ClerkError):
    """The shared store's database refused this login the change (court IT's roles: a
    look-up-only login deciding, a clerk's login upgrading the store)."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(
            f"your login may not do this in the shared store ({reason}): deciding needs a"
            " clerk's login (clerkapp_clerk), setting up or upgrading the store clerkapp_admin;"
            " ask court IT")


class StoreTooNew(BadInput):
    """The store's schema is newer than this clerkapp knows: opening it could lose what the
    newer version writes, so it is refused untouched."""

    def __init__(self, version: int, known: int, *, file: str | None = None) -> None:
        self.version = version
        self.known = known
        super().__init__(f"this store was written by a newer clerkapp (schema {version}, this"
                         f" one knows {known}): install the newer clerkapp", file=file)


@dataclass(frozen=True)
class Conflict:
    """A conviction another clerk decided (or undid) after this clerk looked at it."""

    conviction_id: int
    case_number: str | None
    by: str  # who: the clerk's name (on a shared store, the database login)
    at: str  # when, ISO 8601 UTC
    action: str  # what they did: approved, denied, deferred, undone


class DecidedElsewhere(ClerkError):
    """A decision or an undo would replace a decision another clerk recorded since this one
    looked: nothing was written. `conflicts` names each conviction, who and when."""

    def __init__(self, conflicts: list[Conflict], *, total: int | None = None,
                 undo: bool = False) -> None:
        self.conflicts = conflicts
        first = conflicts[0]
        case = f"case {first.case_number}" if first.case_number else \
            "a conviction without a case number"
        when = first.at.replace("T", " ").replace("+00:00", " UTC")
        what = (f"{case} was {first.action} by {first.by} at {when}" if first.by
                else f"{case} was changed by another clerk")
        more = len(conflicts) - 1
        tail = f" (and {more} more)" if more > 0 else ""
        if undo:
            text = (f"{what}, after this act{tail}: nothing was undone (undoing it would take"
                    " back their decision); ask them, or undo theirs first")
        else:
            of = f" of the {total:,}" if total and total > 1 else ""
            text = (f"{what}, after you looked at it{tail}: nothing{of} was recorded, so their"
                    " decision stands; the row now shows it")
        super().__init__(text)


class DoneElsewhere(ClerkError):
    """Another clerk recorded orders (or an update file) covering some of the same
    convictions while this run was writing its files: nothing of this run was recorded, and
    the run is made again without them (`conviction_ids`), so nothing is printed twice."""

    def __init__(self, conviction_ids: set[int], by: str, at: str, what: str) -> None:
        self.conviction_ids = conviction_ids
        self.by = by
        self.at = at
        self.what = what
        when = at.replace("T", " ").replace("+00:00", " UTC")
        super().__init__(f"{by} recorded {what} for {len(conviction_ids):,} of these"
                         f" convictions at {when}, while this one was being written")
