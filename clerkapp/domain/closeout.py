"""Closing the record after an order: the stages a granted conviction passes through, the
relief as a DOJ disposition names it, and the reporting deadline.

A signed order is not the end: the court reports each disposition to the Department of
Justice (HS 11361.9; PC 13151 asks for disposition reports within 30 days, AB 1706 set the
courts' deadlines in 2022) and updates its own case-management system. The stage is never
stored: it is derived from the records (approval, orders, update files written).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from clerkapp.domain.outcomes import LEVEL_AFTER

DEFAULT_DOJ_DAYS = 30  # PC 13151: disposition reports within 30 days
DEADLINE_AUTHORITY = "PC 13151; HS 11361.9 (AB 1706, Stats. 2022, ch. 387)"


class Stage(StrEnum):
    """approved → ordered → reported to DOJ → closed (case system updated too)."""

    APPROVED = "approved"  # relief approved, no order printed since the approval
    ORDERED = "ordered"  # an order printed, the DOJ not told yet
    REPORTED = "reported"  # in a DOJ update file, the case system not updated yet
    CLOSED = "closed"  # reported to the DOJ and the case system updated
    WITHDRAWN = "withdrawn"  # ordered once, but the approval or its import was withdrawn since


STAGE_LABELS = {
    Stage.APPROVED: "Approved, not ordered",
    Stage.ORDERED: "Ordered, not reported",
    Stage.REPORTED: "Reported to DOJ",
    Stage.CLOSED: "Closed",
    Stage.WITHDRAWN: "Withdrawn after order",
}


class Relief(StrEnum):
    """The relief as the DOJ update names it (HS 11361.8(b), (e)-(f))."""

    DISMISSED = "dismiss_and_seal"
    MISDEMEANOR = "redesignate_misdemeanor"
    INFRACTION = "redesignate_infraction"
    RESENTENCED = "resentence"


RELIEF_LABELS = {
    Relief.DISMISSED: "Dismissed and sealed",
    Relief.MISDEMEANOR: "Redesignated as misdemeanor",
    Relief.INFRACTION: "Redesignated as infraction",
    Relief.RESENTENCED: "Resentenced",
}


def relief_of(outcome: str, remedy: str | None) -> Relief:
    """The relief an approved outcome grants: a sentence still running is resentenced
    (HS 11361.8(b)) unless the count is dismissed outright."""
    if outcome != Relief.DISMISSED and (remedy or "") == "resentence":
        return Relief.RESENTENCED
    return Relief(outcome)


def resulting_level(outcome: str) -> str:
    """The level a count has after the relief: none for a dismissal."""
    return LEVEL_AFTER.get(outcome, "")  # type: ignore[call-overload]


def due_date(order_date: str | date, days: int = DEFAULT_DOJ_DAYS) -> date:
    """The day the DOJ report is due: the order date plus `days` (calendar days)."""
    start = date.fromisoformat(order_date) if isinstance(order_date, str) else order_date
    return start + timedelta(days=int(days))


def is_overdue(order_date: str | date, today: date, days: int = DEFAULT_DOJ_DAYS) -> bool:
    """Overdue from the day after the due date: the due date itself is still in time."""
    return today > due_date(order_date, days)


@dataclass(frozen=True)
class Progress:
    """One conviction's close-out, as the queue column and the reports show it."""

    stage: Stage
    order_date: str | None = None
    cms_updated: bool = False

    def due(self, days: int) -> date | None:
        return due_date(self.order_date, days) if self.order_date else None

    def overdue(self, today: date, days: int) -> bool:
        return (self.stage == Stage.ORDERED and self.order_date is not None
                and is_overdue(self.order_date, today, days))

    def text(self, today: date, days: int) -> str:
        """'Ordered, due 2027-01-02', 'Overdue 4 d', 'Reported to DOJ', 'Closed'."""
        if self.stage == Stage.ORDERED and self.order_date:
            due = due_date(self.order_date, days)
            if today > due:
                return f"Overdue {(today - due).days} d"
            return f"Ordered, due {due.isoformat()}"
        return STAGE_LABELS[self.stage]

    def tip(self, days: int) -> str:
        """The dates behind the text: order date, due date and its authority."""
        lines = [STAGE_LABELS[self.stage]]
        if self.order_date:
            due = due_date(self.order_date, days).isoformat()
            lines.append(f"Order dated {self.order_date}; the DOJ report is due {due}"
                         f" ({days} days, {DEADLINE_AUTHORITY})")
        if self.cms_updated:
            lines.append("Case system updated")
        return "\n".join(lines)
