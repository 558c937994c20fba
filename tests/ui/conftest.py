"""Fixtures the window's tests share."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox


@pytest.fixture
def warned(monkeypatch):
    """The texts of the warnings the window showed (prompts.warn), instead of showing them."""
    from clerkapp.ui.views import prompts

    shown: list[str] = []
    monkeypatch.setattr(prompts, "warn", lambda parent, title, text: shown.append(text))
    return shown


@pytest.fixture
def open_main_window(qtbot):
    """Opens the real main window on a store, shown, active, the queue focused and its first
    row's detail shown, as a clerk finds it on start; the caller closes it."""
    from clerkapp.ui.mainwindow import MainWindow

    def open_on(store, settings):
        w = MainWindow(store, settings=settings)
        qtbot.addWidget(w)
        w.show()
        qtbot.waitExposed(w)
        w.activateWindow()
        w.queue.setFocus()
        qtbot.waitUntil(lambda: w.detail.detail is not None)
        return w
    return open_on


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
