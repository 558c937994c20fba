"""The queue table: fixed-height rows (so a million rows scroll smoothly), J/K to move."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from clerkapp.ui.models.queue_model import COLUMN_INDEX, QueueModel


class QueueView(QTableView):
    current_conviction_changed = Signal(object)  # conviction id or None

    def __init__(self, model: QueueModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("queueView")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerItem)
        vertical = self.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)
        metrics = self.fontMetrics()
        icon_room = metrics.height() + 24  # decoration, padding and the sort arrow
        for key, sample in (("status", "Deferred"), ("outcome", "Redesignate as misdemeanor ≠"),
                            ("name", "MMMMMMMMMMMMMM,MMMMMM"), ("dob", "0000-00-00"),
                            ("case_number", "MM00MM00000000"), ("code_section", "HS 11360(a)(2)"),
                            ("level", "Level"), ("conviction_date", "0000-00-00"),
                            ("county", "SAN BERNARDINO"),
                            ("closeout", "Ordered, due 0000-00-00")):
            self.setColumnWidth(COLUMN_INDEX[key], metrics.horizontalAdvance(sample) + icon_room)
        model.modelReset.connect(self._on_model_reset)
        self.selectionModel().currentRowChanged.connect(self._on_current_row_changed)

    def queue_model(self) -> QueueModel:
        model = self.model()
        assert isinstance(model, QueueModel)
        return model

    def current_id(self) -> int | None:
        index = self.currentIndex()
        return self.queue_model().conviction_id(index.row()) if index.isValid() else None

    def selected_rows(self) -> list[int]:
        return sorted(i.row() for i in self.selectionModel().selectedRows())

    def selected_ids(self) -> list[int]:
        """The selected convictions; the current one when nothing is selected."""
        model = self.queue_model()
        ids = [model.conviction_id(r) for r in self.selected_rows()]
        ids = [i for i in ids if i is not None]
        if not ids and self.current_id() is not None:
            ids = [self.current_id()]
        return ids

    def select_row(self, row: int) -> None:
        model = self.queue_model()
        if not 0 <= row < model.rowCount():
            return
        index = model.index(row, 0)
        self.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.scrollTo(index)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt override: J/K like Up/Down
        if event.modifiers() in (Qt.KeyboardModifier.NoModifier,
                                 Qt.KeyboardModifier.KeypadModifier):
            step = {Qt.Key.Key_J: 1, Qt.Key.Key_K: -1}.get(Qt.Key(event.key()))
            if step is not None:
                row = self.currentIndex().row() if self.currentIndex().isValid() else -1
                self.select_row(max(0, row + step))
                return
        super().keyPressEvent(event)

    def _on_model_reset(self) -> None:
        if self.queue_model().rowCount():
            self.select_row(0)
        else:
            self.current_conviction_changed.emit(None)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        model = self.queue_model()
        self.current_conviction_changed.emit(
            model.conviction_id(current.row()) if current.isValid() else None
        )
