"""File ▸ Connect to a shared store…: where the court's PostgreSQL store is (host, port,
database, login), tried before it is opened, with one plain sentence when it cannot be.

The password comes from libpq's usual places (PGPASSWORD, ~/.pgpass, %APPDATA%\\postgresql\\
pgpass.conf); only when the server asks for one does the dialog show a password box. What is
typed there is used for this session and never saved."""

from __future__ import annotations

import getpass

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from clerkapp.store import probe as probing
from clerkapp.store.probe import Endpoint, Probe, with_password
from clerkapp.ui.views import prompts
from clerkapp.ui.workers import ServiceWorker


class _ProbeWorker(ServiceWorker):
    opens_store = False  # it only tries the connection


def _probe_job(url: str, *, progress, cancel) -> Probe:
    return probing.probe(url)


class ConnectDialog(QDialog):
    """`target` is the URL to open once accepted (with the typed password, if any)."""

    def __init__(self, parent: QWidget | None = None, *, initial: Endpoint | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Connect to a shared store")
        self.setMinimumWidth(520)
        self.target: str | None = None
        self.result_probe: Probe | None = None
        self._worker: _ProbeWorker | None = None
        self._connect_when_done = False
        start = initial or Endpoint("", probing.DEFAULT_PORT, "clerkapp", _login_name())

        lead = QLabel("The court's shared clerkapp store on its PostgreSQL server. Court IT"
                      " gives you the server's name, the database and your login"
                      " (docs/shared-store.md).")
        lead.setWordWrap(True)
        self.host = QLineEdit(start.host)
        self.host.setPlaceholderText("server name or address, e.g. clerkdb.court.local")
        self.port = QSpinBox()
        self.port.setRange(1, 65535)
        self.port.setValue(start.port)
        self.database = QLineEdit(start.database)
        self.user = QLineEdit(start.user)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("used for this session only, never saved")
        self.password_label = QLabel("&Password")
        self.password_label.setBuddy(self.password)
        self.message = QLabel("")
        self.message.setObjectName("connectMessage")
        self.message.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.test_button = QPushButton("&Test connection")
        self.connect_button = QPushButton("&Connect")
        self.connect_button.setDefault(True)
        self.buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.connect_button, QDialogButtonBox.ButtonRole.AcceptRole)

        form = QFormLayout(self)
        form.addRow(lead)
        form.addRow("&Server", self.host)
        form.addRow("P&ort", self.port)
        form.addRow("&Database", self.database)
        form.addRow("&Login", self.user)
        form.addRow(self.password_label, self.password)
        form.addRow(self.message)
        form.addRow(self.buttons)
        self._show_password(False)

        self.test_button.clicked.connect(self._on_test_clicked)
        self.connect_button.clicked.connect(self._on_connect_clicked)
        self.buttons.rejected.connect(self.reject)
        for box in (self.host, self.database, self.user):
            box.textChanged.connect(self._update_buttons)
        self._update_buttons()
        (self.host if not start.host else self.user if not start.user else self.host).setFocus()

    # --- what was typed ------------------------------------------------------------------------
    def endpoint(self) -> Endpoint:
        return Endpoint(self.host.text().strip(), self.port.value(),
                        self.database.text().strip(), self.user.text().strip())

    def url(self) -> str:
        """The store's URL; with the typed password only while the password box is shown."""
        url = self.endpoint().url()
        if self.password.isVisible() and self.password.text():
            url = with_password(url, self.password.text())
        return url

    def _update_buttons(self) -> None:
        complete = all(box.text().strip() for box in (self.host, self.database, self.user))
        idle = self._worker is None
        self.test_button.setEnabled(complete and idle)
        self.connect_button.setEnabled(complete and idle)

    def _show_password(self, shown: bool) -> None:
        self.password.setVisible(shown)
        self.password_label.setVisible(shown)

    # --- trying it ---------------------------------------------------------------------------
    def _on_test_clicked(self) -> None:
        self.try_connection(then_connect=False)

    def _on_connect_clicked(self) -> None:
        self.try_connection(then_connect=True)

    def try_connection(self, *, then_connect: bool) -> None:
        """Probe off the UI thread (an unreachable server takes seconds to say so)."""
        if self._worker is not None:
            return
        self._connect_when_done = then_connect
        self._say(f"Connecting to {self.endpoint().host}…", "")
        worker = _ProbeWorker("", _probe_job, self.url())
        worker.signals.succeeded.connect(self._on_probed)
        worker.signals.failed.connect(lambda text: self._on_probed(
            Probe(probing.FAILED, text)))
        worker.signals.finished.connect(self._on_worker_finished)
        self._worker = worker
        self._update_buttons()
        QThreadPool.globalInstance().start(worker)

    def _on_worker_finished(self) -> None:
        self._worker = None
        self._update_buttons()

    def _on_probed(self, result: Probe) -> None:
        self.result_probe = result
        if result.kind == probing.PASSWORD:
            self._show_password(True)
            self.password.setFocus()
            self.password.selectAll()
        self._say(_sentence(result.message), "ok" if result.ok else "error")
        if result.ok and self._connect_when_done:
            if result.kind == probing.EMPTY and not prompts.confirm(
                    self, "Set up a new store",
                    f"The database {self.endpoint().database} is empty. Set up a new clerkapp"
                    " store in it?\n\nIf your court already keeps its store elsewhere, choose"
                    " Cancel and check the database name with court IT."):
                return
            self.target = self.url()
            self.accept()

    def _say(self, text: str, kind: str) -> None:
        colour = {"ok": "#1b6e20", "error": "#b3261e"}.get(kind, "#444444")
        self.message.setStyleSheet(f"color: {colour}")
        self.message.setText(text)
        self.adjustSize()  # a long message wraps onto more lines: the dialog grows to show it


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", ")")) else ".")


def _login_name() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""
