"""The status bar: counts for the current filter, the clerk deciding, and the latest run."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

from clerkapp.domain.outcomes import Outcome
from clerkapp.ui.models.styles import outcome_look, status_look

STATUS_ORDER = ("pending", "approved", "denied", "deferred")


def counts_text(counts: dict[tuple[str | None, str], int]) -> str:
    """'1,234 shown — Dismiss and seal 500 · … | Pending 1,000 · Approved 234'."""
    total = sum(counts.values())
    by_outcome: dict[str | None, int] = {}
    by_status: dict[str, int] = {}
    for (outcome, status), n in counts.items():
        by_outcome[outcome] = by_outcome.get(outcome, 0) + n
        by_status[status] = by_status.get(status, 0) + n
    order = [o.value for o in Outcome] + [None]
    outcomes = " · ".join(f"{outcome_look(o).label} {by_outcome[o]:,}"
                          for o in order if by_outcome.get(o))
    statuses = " · ".join(f"{status_look(s).label} {by_status[s]:,}"
                          for s in STATUS_ORDER if by_status.get(s))
    text = f"{total:,} shown"
    if outcomes:
        text += f" — {outcomes}"
    if statuses:
        text += f"  |  {statuses}"
    return text


class ElidedLabel(QLabel):
    """One line of plain text that gives way when the window is narrow: it ends in "…" (the
    whole text in the tooltip) instead of widening the window past a small screen, as a
    county's counts beside a shared store's name would."""

    SMALLEST = 160

    def minimumSizeHint(self) -> QSize:  # Qt override
        hint = super().minimumSizeHint()
        return QSize(min(hint.width(), self.SMALLEST), hint.height())

    def setText(self, text: str) -> None:  # Qt override
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt override
        rect = self.contentsRect()
        shown = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                              rect.width())
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(rect, int(self.alignment()), shown)


class StatusBar(QStatusBar):
    closeout_clicked = Signal(str)  # a close-out filter value (store.closeout.CLOSEOUT_FILTERS)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.counts = ElidedLabel("")
        self.counts.setObjectName("countsLabel")
        self.clerk = QLabel("")
        self.clerk.setObjectName("clerkLabel")
        self.run = QLabel("")
        self.run.setObjectName("runLabel")
        self.closeout = QLabel("")
        self.closeout.setObjectName("closeoutLabel")
        self.closeout.linkActivated.connect(self.closeout_clicked)
        self.store = QLabel("")
        self.store.setObjectName("storeLabel")
        self.addWidget(self.counts, 1)
        self.addPermanentWidget(self.store)
        self.addPermanentWidget(self.closeout)
        self.addPermanentWidget(self.clerk)
        self.addPermanentWidget(self.run)

    def show_counts(self, counts: dict[tuple[str | None, str], int]) -> None:
        self.counts.setText(counts_text(counts))

    def show_closeout(self, counts: dict[str, int]) -> None:
        """'Ordered, not reported 12 · Overdue 3' for the whole store (not the filter)."""
        ordered, overdue = counts.get("ordered_not_reported", 0), counts.get("overdue", 0)
        if not ordered and not counts.get("not_in_case_system", 0):
            self.closeout.setText("")
            return
        text = f"<a href='ordered_not_reported'>Ordered, not reported {ordered:,}</a>"
        if overdue:
            text += (f" · <a href='overdue' style='color:#b3261e'><b>Overdue {overdue:,}</b>"
                     "</a>")
        self.closeout.setText(text)
        self.closeout.setToolTip(
            f"Whole store: {ordered:,} ordered, not reported to the DOJ; {overdue:,} past the"
            f" deadline; {counts.get('not_in_case_system', 0):,} not updated in the case"
            " system. Click to filter the queue to them.")

    def show_store(self, words: str, target: str) -> None:
        """Which store is open: 'Shared store clerkapp on clerkdb (jdoe)' or 'Store file
        clerk.db'; the tooltip gives it whole (a password masked)."""
        self.store.setText(words)
        self.store.setToolTip(f"{target}\nFile ▸ Connect to a shared store… or Open a store"
                              " file… to change")

    def show_clerk(self, name: str, *, database_login: bool = False) -> None:
        self.clerk.setText(f"Clerk: {name}")
        self.clerk.setToolTip(
            "Decisions are recorded under your login to the shared store" if database_login
            else "Decisions are recorded under this name (Tools ▸ Court profile & settings to"
                 " change it)")

    def show_run(self, run: dict | None) -> None:
        if not run:
            self.run.setText("Not evaluated yet")
            return
        text = f"Policy {run.get('policy_name')} · as of {run.get('as_of')}"
        if run.get("county"):
            text += f" · {run['county']}"
        self.run.setText(text)
        self.run.setToolTip(f"Latest evaluation run #{run.get('id')},"
                            f" policy hash {str(run.get('policy_hash'))[:12]}")
