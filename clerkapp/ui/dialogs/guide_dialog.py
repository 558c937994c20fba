"""Help ▸ User guide: the short guide shipped with the app (resources/guide), read offline."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from clerkapp.paths import RESOURCES_DIR

GUIDE_FILE = RESOURCES_DIR / "guide" / "user-guide.html"


class GuideDialog(QDialog):
    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("clerkapp — user guide")
        self.browser = QTextBrowser()
        self.browser.setOpenExternalLinks(False)  # offline: nothing leaves the machine
        if GUIDE_FILE.is_file():
            self.browser.setHtml(GUIDE_FILE.read_text(encoding="utf-8"))
        else:
            self.browser.setPlainText(f"The user guide is missing from this installation"
                                      f" ({GUIDE_FILE}).")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        em = self.fontMetrics().averageCharWidth()
        self.resize(em * 90, self.fontMetrics().height() * 34)
