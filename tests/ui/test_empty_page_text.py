"""The empty store's page shows its whole text at any width: the wrapped label, centred by the
layout, got a one-line height and lost its last line ("You can also drop files on this
window.")."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLabel

from clerkapp.ui.views.empty_page import EmptyPage


@pytest.mark.parametrize("width", [1400, 900, 420])
def test_every_line_of_the_empty_page_is_shown(qtbot, width):
    page = EmptyPage()
    qtbot.addWidget(page)
    page.resize(width, 700)
    page.show()
    qtbot.waitExposed(page)
    [text] = [w for w in page.findChildren(QLabel) if "drop files" in w.text()]
    assert text.height() >= text.heightForWidth(text.width())
    assert page.import_button.text() == "Import files…"
