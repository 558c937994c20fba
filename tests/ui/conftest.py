"""Fixtures the window's tests share."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox


@pytest.fixture
def no_popups(monkeypatch):
    """Record the message boxes instead of showing them."""
    shown = []
    for kind in ("information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind,
                            lambda *a, _k=kind, **kw: shown.append((_k, a[1], a[2])))
    return shown


def focus_in(qtbot, dialog, widget) -> None:
    """Show `dialog`, make it the active window and put the focus in `widget`, as a clerk's
    click would (offscreen, a new window does not take the focus by itself)."""
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)
