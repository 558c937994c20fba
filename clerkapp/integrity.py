"""Is the store as the app left it? The audit chain verified against its anchor outside the
store, and every decision, override and order checked against its audit entry.

Checked when a store opens (`check_store`: what is new since the last check), before anything
is printed or exported (`require_intact`: the chain, and the decisions being printed), and in
full by `clerkapp verify`. A mismatch stops printing and exporting with a message that names
what does not match.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from clerkapp.errors import ClerkError
from clerkapp.store import Store
from clerkapp.store.audit import ChainStatus
from clerkapp.store.integrity import Mismatch

SHOWN = 20  # mismatches listed in a report (the count says how many were found)


class IntegrityError(ClerkError):
    """The store does not match its audit log: printing and exporting stop (exit code 3)."""

    exit_code = 3


@dataclass
class IntegrityReport:
    chain: ChainStatus
    mismatches: list[Mismatch] = field(default_factory=list)
    full: bool = False

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.mismatches

    def first_problem(self) -> str:
        if not self.chain.ok:
            return str(self.chain.problem)
        return self.mismatches[0].line() if self.mismatches else ""

    def lines(self) -> list[str]:
        """What `clerkapp verify` prints."""
        how = "in full" if self.full else "since the last check"
        out = [f"audit chain: {self.chain.checked:,} entries verified {how}; head"
               f" {self.chain.head()}"]
        anchor = self.chain.anchored
        out.append(f"anchor: {anchor.short()} recorded {anchor.at}" if anchor else
                   "anchor: none yet for this store on this computer (now written)")
        if not self.chain.ok:
            out.append(f"MISMATCH: {self.chain.problem}")
        for m in self.mismatches[:SHOWN]:
            out.append(f"MISMATCH: {m.line()}")
        if len(self.mismatches) > SHOWN:
            out.append(f"... and more: {len(self.mismatches):,} mismatches found")
        return out


def check_store(store: Store, *, full: bool = False,
                conviction_ids: Iterable[int] | None = None,
                approved: bool = False) -> IntegrityReport:
    """The chain (from its anchor, or whole when `full`), then reviews and orders against
    their audit entries: those of `conviction_ids` or of every approved conviction
    (`approved`: what orders and exports of decisions rely on), or all (`full`), or those
    added since the last check."""
    chain = store.check_chain(full=full)
    report = IntegrityReport(chain, full=full)
    if not chain.ok:
        return report
    anchor = chain.anchored
    last_review, last_order = store.last_ids()
    if conviction_ids is not None or approved:
        report.mismatches = store.review_mismatches(conviction_ids, approved=approved,
                                                    limit=SHOWN + 1)
        report.mismatches += store.order_mismatches(limit=SHOWN + 1)
        # what printing and reporting rely on beside the decisions: signatures, update files,
        # withdrawals, corrections, and no printed order gone from the store
        report.mismatches += store.record_mismatches(limit=SHOWN + 1)
        return report
    after_r = 0 if full or anchor is None else anchor.reviews_checked
    after_o = 0 if full or anchor is None else anchor.orders_checked
    report.mismatches = store.review_mismatches(after_review_id=after_r, limit=SHOWN + 1)
    report.mismatches += store.order_mismatches(after_order_id=after_o, limit=SHOWN + 1)
    if full:
        report.mismatches += store.record_mismatches(reviews=True, limit=SHOWN + 1)
    if not report.mismatches:
        store.note_bindings_checked(last_review, last_order)
    return report


def require_intact(store: Store, action: str,
                   conviction_ids: Iterable[int] | None = None) -> ChainStatus:
    """Raise IntegrityError naming the first mismatch, else return the chain's status (its
    head is printed on orders). Checks the decisions of `conviction_ids`, else of every
    approved conviction. `action`: what stops, e.g. "printing"."""
    report = check_store(store, conviction_ids=conviction_ids,
                         approved=conviction_ids is None)
    if not report.ok:
        more = len(report.mismatches) - 1 if report.chain.ok else 0
        raise IntegrityError(
            f"{action} stopped: the store does not match its audit log: {report.first_problem()}"
            + (f" (and {more} more)" if more > 0 else "")
            + "; run `clerkapp verify` for the full report and call court IT")
    return report.chain
