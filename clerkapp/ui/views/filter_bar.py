"""The queue's filters: outcome, status, county, section, import, disagreement, and search.

Choices come from what the store holds (`QueueOptions`); the search box waits ~200 ms after
the last key before asking, so typing a name stays smooth on a million rows.
"""

from __future__ import annotations

from dataclasses import asdict, replace
from typing import Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clerkapp.domain.outcomes import OUTCOME_LABELS, Outcome, ReviewStatus
from clerkapp.store.closeout import CLOSEOUT_FILTERS
from clerkapp.store.queue import CANNABIS, EVERYTHING, RELIEF_ONLY, QueueFilter, QueueOptions
from clerkapp.ui.models.styles import outcome_icon, status_icon

SEARCH_DELAY_MS = 200

OUTCOME_CHOICES: list[tuple[str, str]] = [
    ("All cannabis convictions", CANNABIS),
    ("Relief outcomes", RELIEF_ONLY),
    *[(OUTCOME_LABELS[o], o.value) for o in Outcome],
    ("Everything (incl. not evaluated)", EVERYTHING),
]


class FilterBar(QWidget):
    filter_changed = Signal(object)  # QueueFilter

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        self.outcome = QComboBox()
        for label, value in OUTCOME_CHOICES:
            icon = outcome_icon(value) if value in {o.value for o in Outcome} else None
            if icon is not None:
                self.outcome.addItem(icon, label, value)
            else:
                self.outcome.addItem(label, value)
        self.status = QComboBox()
        self.status.addItem("Any status", None)
        for s in ReviewStatus:
            icon = status_icon(s.value)
            if icon is not None:
                self.status.addItem(icon, s.value.capitalize(), s.value)
            else:
                self.status.addItem(s.value.capitalize(), s.value)
        self.closeout = QComboBox()
        self.closeout.setToolTip("Close-out: ordered relief not yet reported to the DOJ,"
                                 " overdue reports, the case system not updated")
        self.closeout.addItem("Any", None)
        for value, (label, _sql) in CLOSEOUT_FILTERS.items():
            self.closeout.addItem(label, value)
        self.county = QComboBox()
        self.section = QComboBox()
        self.source = QComboBox()
        self.disagree = QCheckBox("Prosecutor disagrees")
        self.disagree.setToolTip("Only convictions where the prosecutor's determination"
                                 " differs from the evaluation")
        self.not_on_doj = QCheckBox("Not on the DOJ list")
        self.not_on_doj.setToolTip("Only the court's convictions the reconciliation (Tools ▸"
                                   " Reconcile) found on no DOJ list: work them as a batch")
        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setPlaceholderText("Search name or case number  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(self.fontMetrics().averageCharWidth() * 18)
        for label, widget in (("Outcome", self.outcome), ("Status", self.status),
                              ("Close-out", self.closeout), ("County", self.county),
                              ("Section", self.section),
                              ("Import", self.source)):
            # sized to a short text, not to the longest choice: the bar fits a 1366-pixel
            # screen whatever the store holds (the open list still shows whole choices)
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
            widget.setMinimumContentsLength(14 if widget is self.outcome else 7)
            widget.setToolTip(f"{label}: {widget.currentText()}")
            widget.currentTextChanged.connect(
                lambda text, w=widget, name=label: w.setToolTip(f"{name}: {text}"))
            caption = QLabel(label)
            caption.setBuddy(widget)
            layout.addWidget(caption)
            layout.addWidget(widget)
        # the check boxes one above the other: the bar fits a 1366-pixel screen
        checks = QVBoxLayout()
        checks.setSpacing(0)
        checks.addWidget(self.disagree)
        checks.addWidget(self.not_on_doj)
        layout.addLayout(checks)
        layout.addStretch(1)
        layout.addWidget(self.search, 2)
        self.set_options(QueueOptions([], [], []))

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._on_search_timer_timeout)
        self.search.textChanged.connect(self._on_search_text_changed)
        for combo in (self.outcome, self.status, self.closeout, self.county, self.section,
                      self.source):
            combo.activated.connect(self._on_combo_activated)
        self.disagree.toggled.connect(self._on_disagree_toggled)
        self.not_on_doj.toggled.connect(self._on_disagree_toggled)

    # --- state ------------------------------------------------------------------------------
    def set_options(self, options: QueueOptions) -> None:
        """Refill county/section/import choices, keeping the current picks where they remain."""
        _refill(self.county, "Any county", [(c, c) for c in options.counties])
        _refill(self.section, "Any section",
                [(s if not s.isdigit() else f"HS {s} (all)", s) for s in options.sections])
        _refill(self.source, "Any import", [(f"#{i} {name}", i) for i, name in options.imports])

    def current_filter(self) -> QueueFilter:
        return QueueFilter(
            outcome=self.outcome.currentData() or CANNABIS,
            review_status=self.status.currentData(),
            county=self.county.currentData(),
            code_section=self.section.currentData(),
            import_id=self.source.currentData(),
            disagree=self.disagree.isChecked(),
            not_on_doj=self.not_on_doj.isChecked(),
            search=self.search.text().strip(),
            closeout=self.closeout.currentData(),
        )

    def set_filter(self, f: QueueFilter, *, emit: bool = True) -> None:
        """Show `f` (choices the store does not hold are added, so a saved filter survives)."""
        widgets = (self.outcome, self.status, self.closeout, self.county, self.section,
                   self.source,
                   self.disagree, self.not_on_doj, self.search)
        for w in widgets:
            w.blockSignals(True)
        try:
            _pick(self.outcome, f.outcome)
            _pick(self.status, f.review_status)
            _pick(self.closeout, f.closeout if f.closeout in CLOSEOUT_FILTERS else None)
            _pick(self.county, f.county)
            _pick(self.section, f.code_section)
            _pick(self.source, f.import_id)
            self.disagree.setChecked(f.disagree)
            self.not_on_doj.setChecked(f.not_on_doj)
            self.search.setText(f.search)
        finally:
            for w in widgets:
                w.blockSignals(False)
        if emit:
            self._emit()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def flush_search(self) -> None:
        """Apply a pending search at once (Enter, or tests)."""
        if self._search_timer.isActive():
            self._search_timer.stop()
            self._emit()

    # --- slots ------------------------------------------------------------------------------
    def _emit(self) -> None:
        self.filter_changed.emit(self.current_filter())

    def _on_combo_activated(self, _index: int) -> None:
        self._emit()

    def _on_disagree_toggled(self, _checked: bool) -> None:  # and "Not on the DOJ list"
        self._emit()

    def _on_search_text_changed(self, _text: str) -> None:
        self._search_timer.start()

    def _on_search_timer_timeout(self) -> None:
        self._emit()


def filter_to_dict(f: QueueFilter) -> dict[str, Any]:
    """What is remembered of a filter: not the search text, so the window never reopens on
    a name typed days ago with most of the queue hidden."""
    return {**asdict(f), "search": ""}


def filter_from_dict(data: Any) -> QueueFilter:
    """A saved filter back, ignoring keys or types that no longer fit."""
    f = QueueFilter()
    if not isinstance(data, dict):
        return f
    fields = {k: v for k, v in data.items() if k in asdict(f)}
    try:
        return replace(f, **fields)
    except TypeError:
        return f


def _refill(combo: QComboBox, any_label: str, items: list[tuple[str, Any]]) -> None:
    current = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(any_label, None)
    for label, value in items:
        combo.addItem(label, value)
    _pick(combo, current)
    combo.blockSignals(False)


def _pick(combo: QComboBox, value: Any) -> None:
    if value is None:
        combo.setCurrentIndex(0)
        return
    index = combo.findData(value)
    if index < 0:
        combo.addItem(str(value), value)
        index = combo.count() - 1
    combo.setCurrentIndex(max(index, 0))
