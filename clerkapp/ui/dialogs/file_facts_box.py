"""The import dialog's "Every row of these files" box: the county and court that hold for the
whole file (a court's export rarely repeats them on every row), and what kind of list it is,
which decides the wording of the orders printed from it."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QLabel, QLineEdit, QWidget

from clerkapp.domain.counties import COUNTIES
from clerkapp.errors import BadInput
from clerkapp.ingest.file_facts import FileFacts, checked_facts

SOURCE_CHOICES = (
    ("auto", "Detect (DOJ and BEAR files; any other sheet: the court's own records)"),
    ("court", "The court's own records (HS 11361.8 review)"),
    ("prosecutor", "A prosecutor's list or motion"),
    ("doj", "The DOJ's list (HS 11361.9)"),
)


class FileFactsBox(QGroupBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Every row of these files", parent)
        self.county_combo = QComboBox()
        self.county_combo.setEditable(True)
        self.county_combo.addItems(["", *COUNTIES])
        self.county_combo.lineEdit().setPlaceholderText("as each row says")
        self.county_combo.setToolTip(
            "The California county every row is from, where a row does not say (a row's own"
            " county wins; a row that names another county gets a note)")
        self.court_edit = QLineEdit()
        self.court_edit.setPlaceholderText("as each row says")
        self.source_combo = QComboBox()
        for key, label in SOURCE_CHOICES:
            self.source_combo.addItem(label, key)
        self.source_combo.setToolTip(
            "Decides the orders' recitals: only what is true of where the convictions came from")
        self.prosecutor_edit = QLineEdit()
        self.prosecutor_edit.setPlaceholderText("default: the court profile's")
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.problem_label.hide()
        self._suggested = ""  # the county last filled in for the clerk (suggest_county)
        form = QFormLayout(self)
        form.addRow("&County", self.county_combo)
        form.addRow("Co&urt", self.court_edit)
        form.addRow("&Kind of list", self.source_combo)
        form.addRow("&Prosecutor", self.prosecutor_edit)
        form.addRow(self.problem_label)
        self.source_combo.currentIndexChanged.connect(self._on_source_combo_changed)
        self.county_combo.currentTextChanged.connect(lambda _t: self.problem())
        self._on_source_combo_changed(0)

    def _on_source_combo_changed(self, _index: int) -> None:
        self.prosecutor_edit.setEnabled(self.source_combo.currentData() in ("prosecutor", "auto"))

    def suggest_county(self, county: str | None) -> None:
        """Show the county the import will give the rows when the clerk types none (the court
        profile's, for the court's own records); a county the clerk typed is left alone."""
        shown = self.county_combo.currentText().strip()
        if shown and shown != self._suggested:
            return
        self._suggested = county or ""
        self.county_combo.setCurrentText(self._suggested)

    def facts(self) -> FileFacts:
        """What the clerk gave; BadInput for a county that is not California's."""
        return checked_facts(county=self.county_combo.currentText(),
                             court=self.court_edit.text(),
                             source=self.source_combo.currentData(),
                             prosecutor=self.prosecutor_edit.text())

    def problem(self) -> str:
        """The refusal of what is typed ("" when it is fine), also shown in the box."""
        try:
            self.facts()
            text = ""
        except BadInput as exc:
            county = self.county_combo.currentText().strip()
            text = (f"{county!r} is not a California county: choose one from the list"
                    if county else str(exc))
        self.problem_label.setText(text)
        self.problem_label.setVisible(bool(text))
        return text
