"""Court profile and clerk name: a form generated from `clerkapp.store.settings.SETTINGS`.

A setting declared there appears here with no code change: one tab per group, one row per
setting, the widget chosen from the default's type (text, yes/no, number), its choices (the
county list, as the import dialog offers it) or the key (an image picker for `*_image`, a
multi-line box for addresses). The evaluation group has its own dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImageReader, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clerkapp.domain.counties import COUNTIES
from clerkapp.store.settings import SETTINGS, Setting
from clerkapp.ui.files import SafeFileDialog
from clerkapp.ui.views.county_box import CountyBox

HANDLED_ELSEWHERE = frozenset({"Evaluation"})  # Tools ▸ Evaluation settings
CLERK_NAME = "review.clerk_name"
LOGIN_TIP = ("On the court's shared store you are your database login: every decision,"
             " order and audit entry is recorded under it. Court IT manages the logins.")
MULTILINE_SUFFIXES = (".address",)
IMAGE_SUFFIXES = ("_image",)


class ImagePicker(QWidget):
    """A path box, a Choose… button and a small preview of the chosen image."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("No image")
        self.path_edit.setMinimumWidth(self.fontMetrics().averageCharWidth() * 30)
        self.choose_button = QPushButton("Choose…")
        self.clear_button = QPushButton("Clear")
        self.preview = QLabel()
        side = self.fontMetrics().height() * 4
        self.preview.setFixedSize(side, side)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("border: 1px solid palette(mid);")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.preview)
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.choose_button)
        row.addWidget(self.clear_button)
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self.clear_button.clicked.connect(lambda: self.set_path(""))
        self.path_edit.editingFinished.connect(self._show_preview)

    def path(self) -> str:
        return self.path_edit.text().strip()

    def set_path(self, path: str) -> None:
        self.path_edit.setText(path or "")
        self._show_preview()

    def _on_choose_button_clicked(self) -> None:
        formats = " ".join(f"*.{bytes(f).decode()}" for f in QImageReader.supportedImageFormats())
        path, _ = SafeFileDialog.getOpenFileName(
            self, "Choose the seal or logo", self.path() or str(Path.home()),
            f"Images ({formats})")
        if path:
            self.set_path(path)

    def _show_preview(self) -> None:
        pixmap = QPixmap(self.path()) if self.path() else QPixmap()
        if pixmap.isNull():
            self.preview.setPixmap(QPixmap())
            self.preview.setText("—" if not self.path() else "?")
            return
        self.preview.setPixmap(pixmap.scaled(
            self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation))


def _editor_for(setting: Setting) -> QWidget:
    if setting.choices == COUNTIES:
        return CountyBox(empty_text="not set")
    if setting.key.endswith(IMAGE_SUFFIXES):
        return ImagePicker()
    if isinstance(setting.default, bool):
        return QCheckBox()
    if isinstance(setting.default, int):
        spin = QSpinBox()
        spin.setRange(0, 1_000_000)
        return spin
    if setting.key.endswith(MULTILINE_SUFFIXES):
        box = QPlainTextEdit()
        box.setTabChangesFocus(True)
        box.setFixedHeight(box.fontMetrics().lineSpacing() * 4)
        return box
    return QLineEdit()


def _get(editor: QWidget) -> Any:
    if isinstance(editor, CountyBox):
        return editor.county()
    if isinstance(editor, ImagePicker):
        return editor.path()
    if isinstance(editor, QCheckBox):
        return editor.isChecked()
    if isinstance(editor, QSpinBox):
        return editor.value()
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText().strip()
    assert isinstance(editor, QLineEdit)
    return editor.text().strip()


def _set(editor: QWidget, value: Any) -> None:
    if isinstance(editor, CountyBox):
        editor.set_county(str(value or ""))
    elif isinstance(editor, ImagePicker):
        editor.set_path(str(value or ""))
    elif isinstance(editor, QCheckBox):
        editor.setChecked(bool(value))
    elif isinstance(editor, QSpinBox):
        editor.setValue(int(value or 0))
    elif isinstance(editor, QPlainTextEdit):
        editor.setPlainText(str(value or ""))
    elif isinstance(editor, QLineEdit):
        editor.setText(str(value or ""))


class SettingsDialog(QDialog):
    """Edit ▸ Settings (court profile, clerk name)."""

    settings_saved = Signal(object)  # list of the keys that changed

    def __init__(self, store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.setWindowTitle("Settings")
        self.editors: dict[str, QWidget] = {}
        self.fixed: set[str] = set()  # shown, not editable, never saved
        self.tabs = QTabWidget()
        groups: dict[str, QFormLayout] = {}
        for setting in SETTINGS:
            if setting.group in HANDLED_ELSEWHERE:
                continue
            if setting.group not in groups:
                page = QWidget()
                groups[setting.group] = QFormLayout(page)
                self.tabs.addTab(page, setting.group)
            editor = _editor_for(setting)
            editor.setObjectName(setting.key)
            _set(editor, store.get_setting(setting.key))
            if setting.key == CLERK_NAME and store.login and isinstance(editor, QLineEdit):
                editor.setText(store.login)  # who you are comes from the database
                editor.setReadOnly(True)
                editor.setFrame(False)  # read-only shows as text, not as a box to type in
                editor.setStyleSheet("background: transparent;")
                editor.setToolTip(LOGIN_TIP)
                self.fixed.add(setting.key)
            self.editors[setting.key] = editor
            label = ("Clerk name on decisions (your database login)"
                     if setting.key in self.fixed else setting.label)
            groups[setting.group].addRow(label, editor)
            if setting.key in self.fixed:
                note = QLabel(LOGIN_TIP)
                note.setWordWrap(True)
                note.setObjectName("login_note")
                groups[setting.group].addRow("", note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 100)

    def values(self) -> dict[str, Any]:
        return {key: _get(editor) for key, editor in self.editors.items()
                if key not in self.fixed}

    def accept(self) -> None:  # Qt override: validate, save, then close
        values = self.values()
        for setting in SETTINGS:
            if setting.check is not None and setting.key in values:
                try:
                    setting.check(values[setting.key])
                except ValueError as exc:
                    QMessageBox.warning(self, "Settings", f"{setting.label}: {exc}")
                    self.editors[setting.key].setFocus()
                    return
        for key, value in values.items():
            if key.endswith(IMAGE_SUFFIXES) and value and QPixmap(value).isNull():
                QMessageBox.warning(self, "Settings",
                                    f"The image {value} cannot be read. Choose another file.")
                return
        changed = [k for k, v in values.items() if v != self.store.get_setting(k)]
        if changed:
            with self.store.atomic():
                for key in changed:
                    self.store.set_setting(key, values[key])
                self.store.audit(self.store.clerk_name(), "settings", entity="settings",
                                 details={"changed": changed})
        self.settings_saved.emit(changed)
        super().accept()
