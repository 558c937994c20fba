"""The detail pane: the source record as imported (left) beside the normalized conviction, its
determination and the person's history (right)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from clerkapp.store.detail import ConvictionDetail
from clerkapp.ui.views.detail_html import detail_html, offense_mismatch
from clerkapp.ui.views.source_panel import SourcePanel

# Source headers worth a look when the offense text and the comment disagree.
OFFENSE_HEADERS = {"OFFENSE_DESCR", "COMMENT_TEXT", "CHARGE", "COMMENT"}


class DetailPane(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("detailPane")
        self.detail: ConvictionDetail | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("detailSplitter")
        self.source = SourcePanel()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        title = QLabel("Conviction, determination and history")
        title.setObjectName("paneTitle")
        self.browser = QTextBrowser()
        self.browser.setObjectName("detailBrowser")
        self.browser.setOpenLinks(False)
        self.browser.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        right_layout.addWidget(title)
        right_layout.addWidget(self.browser)
        self.splitter.addWidget(self.source)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout.addWidget(self.splitter)
        self.show_detail(None)

    def show_detail(self, detail: ConvictionDetail | None) -> None:
        self.detail = detail
        if detail is None:
            self.source.show_sources([], selected=False)
            self.browser.setHtml("<p style='color:#5f6368'>Select a conviction in the queue to"
                                 " see its source record, determination and history.</p>")
            return
        highlight = OFFENSE_HEADERS if offense_mismatch(detail.conviction) else set()
        self.source.show_sources(detail.sources, highlight)
        self.browser.setHtml(detail_html(detail))

    def text(self) -> str:
        """The right half as plain text (for tests and for copying)."""
        return self.browser.toPlainText()
