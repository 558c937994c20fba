"""Asking the clerk where to save a file, the same way everywhere."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

XLSX = ("Excel workbook", ".xlsx")
CSV = ("CSV", ".csv")


def ask_save_path(parent: QWidget | None, title: str, default_name: str,
                  kinds: tuple[tuple[str, str], ...] = (XLSX,)) -> Path | None:
    """The chosen path, given the first kind's suffix when the clerk typed none of the kinds'
    suffixes; None when the clerk cancelled."""
    filters = ";;".join(f"{label} (*{suffix})" for label, suffix in kinds)
    path, _ = QFileDialog.getSaveFileName(parent, title, str(Path.home() / default_name), filters)
    if not path:
        return None
    if not path.lower().endswith(tuple(suffix for _, suffix in kinds)):
        path += kinds[0][1]
    return Path(path)
