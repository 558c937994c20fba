"""Choosing files and folders, the same way everywhere, without endangering the open store.

Qt's own file dialog (the one used on Linux) asks for each file's type, and a name that does
not settle it (a store's `-wal` and `-shm` files) makes Qt open the file to read its first
bytes. On POSIX, closing any descriptor of a file drops every lock this process holds on it,
SQLite's included: another process (clerkapp on the command line, a backup) then takes the
store for unused and deletes its write-ahead log under the open window, and what the window
writes next is lost. So the dialogs here name types from the file name alone. Windows locks
do not work that way, and its native dialog is kept there.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QFileInfo
from PySide6.QtGui import QAbstractFileIconProvider, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QStyle, QWidget

XLSX = ("Excel workbook", ".xlsx")
CSV = ("CSV", ".csv")


class _NameOnlyIcons(QAbstractFileIconProvider):
    """Icons and type names from the name alone: never opens a file."""

    def icon(self, what):  # noqa: ANN001 - Qt overload: IconType or QFileInfo
        if isinstance(what, QFileInfo):
            kind = QStyle.StandardPixmap.SP_DirIcon if what.isDir() else \
                QStyle.StandardPixmap.SP_FileIcon
            style = QApplication.style()
            return style.standardIcon(kind) if style is not None else QIcon()
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        return f"{info.suffix().upper()} file" if info.suffix() else "File"


_ICONS: _NameOnlyIcons | None = None


def _dialog(parent: QWidget | None, caption: str, directory: str, filters: str) -> QFileDialog:
    global _ICONS
    dialog = QFileDialog(parent, caption, directory, filters)
    if sys.platform != "win32":
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        _ICONS = _ICONS or _NameOnlyIcons()
        dialog.setIconProvider(_ICONS)
    return dialog


class SafeFileDialog:
    """QFileDialog's static functions (same arguments and results) with the dialog above."""

    @staticmethod
    def getOpenFileNames(parent: QWidget | None, caption: str = "", directory: str = "",
                         filter: str = "") -> tuple[list[str], str]:  # noqa: A002 - Qt's name
        dialog = _dialog(parent, caption, directory, filter)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        return _run(dialog)

    @staticmethod
    def getOpenFileName(parent: QWidget | None, caption: str = "", directory: str = "",
                        filter: str = "") -> tuple[str, str]:  # noqa: A002
        dialog = _dialog(parent, caption, directory, filter)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        files, chosen = _run(dialog)
        return (files[0] if files else ""), chosen

    @staticmethod
    def getSaveFileName(parent: QWidget | None, caption: str = "", directory: str = "",
                        filter: str = "") -> tuple[str, str]:  # noqa: A002
        dialog = _dialog(parent, caption, directory, filter)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
        if Path(directory).suffix:  # a suggested file: its folder, its name selected
            dialog.setDirectory(str(Path(directory).parent))
            dialog.selectFile(Path(directory).name)
        files, chosen = _run(dialog)
        return (files[0] if files else ""), chosen

    @staticmethod
    def getExistingDirectory(parent: QWidget | None, caption: str = "",
                             directory: str = "") -> str:
        dialog = _dialog(parent, caption, directory, "")
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        files, _ = _run(dialog)
        return files[0] if files else ""


def _run(dialog: QFileDialog) -> tuple[list[str], str]:
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted:
            return [], ""
        return list(dialog.selectedFiles()), dialog.selectedNameFilter()
    finally:
        dialog.deleteLater()


def ask_save_path(parent: QWidget | None, title: str, default_name: str,
                  kinds: tuple[tuple[str, str], ...] = (XLSX,)) -> Path | None:
    """The chosen path, given the first kind's suffix when the clerk typed none of the kinds'
    suffixes; None when the clerk cancelled."""
    filters = ";;".join(f"{label} (*{suffix})" for label, suffix in kinds)
    path, _ = SafeFileDialog.getSaveFileName(parent, title, str(Path.home() / default_name),
                                             filters)
    if not path:
        return None
    if not path.lower().endswith(tuple(suffix for _, suffix in kinds)):
        path += kinds[0][1]
    return Path(path)
