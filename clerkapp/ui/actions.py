"""Every command of the main window as a QAction, with its shortcut and icon, declared as data;
menus and the toolbar are built from the same table so they never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar, QWidget

from clerkapp.paths import RESOURCES_DIR


@dataclass(frozen=True)
class ActionSpec:
    name: str  # attribute name on Actions and the slot `_on_<name>_triggered`
    text: str
    shortcut: str = ""
    icon: str = ""
    tip: str = ""


@dataclass(frozen=True)
class SubMenu:
    """A submenu inside a menu (File ▸ Export ▸ …)."""

    title: str
    specs: tuple[ActionSpec, ...]


MENUS: tuple[tuple[str, tuple[ActionSpec | SubMenu | None, ...]], ...] = (
    ("&File", (
        ActionSpec("import_files", "&Import…", "Ctrl+I", "import",
                   "Import a DOJ file or a spreadsheet"),
        ActionSpec("print_orders", "&Print orders…", "Ctrl+P", "print",
                   "Print court orders for approved decisions"),
        ActionSpec("print_notices", "Print &notices…", "", "",
                   "Letters in English or Spanish to the people whose relief was ordered"),
        SubMenu("&Export", (
            ActionSpec("export", "&Determinations…", "", "export",
                       "Write the determinations to xlsx or csv"),
            ActionSpec("doj_update", "D&OJ update…", "", "",
                       "Write the disposition update for the DOJ: ordered relief not yet"
                       " reported (HS 11361.9, PC 13151)"),
            ActionSpec("cms_update", "&Case-system update…", "", "",
                       "Write the update for the court's case-management system"),
        )),
        ActionSpec("imports", "Imp&orts…", "", "",
                   "Every file imported, with what was decided and printed; withdraw one"),
        None,
        ActionSpec("connect_store", "&Connect to a shared store…", "", "",
                   "Open the court's shared store on its PostgreSQL server (remembered)"),
        ActionSpec("open_store_file", "Open a store &file…", "", "",
                   "Open a store file on this computer (remembered)"),
        None,
        ActionSpec("backup", "&Back up…", "", "",
                   "Copy the store to a file, its audit log verified in the copy"),
        ActionSpec("restore", "&Restore…", "", "",
                   "Put a backup in place of the store (checked first; the store replaced is"
                   " kept as a dated copy)"),
        None,
        ActionSpec("quit", "&Quit", "Ctrl+Q"),
    )),
    ("&Edit", (
        ActionSpec("undo", "&Undo decision", "Ctrl+Z", "undo", "Take back the last decision"),
        ActionSpec("find", "&Find…", "Ctrl+F", "search", "Search by name or case number"),
    )),
    ("&Review", (
        ActionSpec("approve", "&Approve", "A", "approve", "Approve the determination (A)"),
        ActionSpec("deny", "&Deny…", "D", "deny", "Deny, with a reason (D)"),
        ActionSpec("defer", "De&fer", "F", "defer", "Put aside for later (F)"),
        ActionSpec("override", "&Override outcome…", "O", "override",
                   "Approve a different outcome, with a reason (O)"),
        None,
        ActionSpec("bulk_approve", "&Bulk approve…", "Ctrl+Shift+A", "bulk",
                   "Approve every pending relief outcome in the selection or filter"),
        None,
        ActionSpec("next_pending", "&Next pending", "N", "", "Go to the next pending conviction"),
        ActionSpec("correct", "Enter &missing fact…", "M", "",
                   "Enter the name or case number the record lacks, with where it comes from (M)"),
    )),
    ("&Tools", (
        ActionSpec("evaluation", "&Evaluation settings…", "", "evaluate",
                   "Policy, as-of date and county; re-run the evaluation"),
        ActionSpec("settings", "&Court profile && settings…", "", "settings"),
        ActionSpec("audit", "&Audit log…", "", "audit", "Who did what, when"),
        ActionSpec("lookup", "&Look up a person…", "Ctrl+L", "search",
                   "A person at the counter: their cannabis convictions and the relief ordered"),
        ActionSpec("reconcile", "&Reconcile with the DOJ list…", "", "",
                   "Link the court's records to the DOJ list: matched, possible matches,"
                   " convictions on one list only"),
    )),
    ("&Reports", (
        ActionSpec("impact_report", "&Impact report…", "", "",
                   "Figures and charts of the relief, with no personal data"),
    )),
    ("&Help", (
        ActionSpec("user_guide", "&User guide", "", "",
                   "Import, review, print, the court profile: a short guide, offline"),
        ActionSpec("shortcuts", "&Keyboard shortcuts", "F1", "keyboard"),
        ActionSpec("about", "&About clerkapp"),
    )),
)
TOOLBAR = ("import_files", None, "approve", "deny", "defer", "override", "bulk_approve", "undo",
           None, "print_orders", "export", None, "audit")
# Acting on the queue: disabled while the store is empty or a long job runs.
REVIEW_ACTIONS = ("approve", "deny", "defer", "override", "bulk_approve", "next_pending",
                  "correct")


def icon(name: str) -> QIcon:
    path = RESOURCES_DIR / "icons" / f"{name}.svg"
    return QIcon(str(path)) if path.exists() else QIcon()


def _flat(specs: tuple[ActionSpec | SubMenu | None, ...]) -> list[ActionSpec]:
    """Every action of a menu, those of its submenus included."""
    out: list[ActionSpec] = []
    for spec in specs:
        if isinstance(spec, SubMenu):
            out.extend(spec.specs)
        elif spec is not None:
            out.append(spec)
    return out


class Actions:
    """The window's QActions by name: `actions.approve`, `actions["approve"]`."""

    def __init__(self, window: QMainWindow) -> None:
        self._all: dict[str, QAction] = {}
        for _menu, specs in MENUS:
            for spec in _flat(specs):
                action = QAction(spec.text, window)
                action.setObjectName(f"action_{spec.name}")
                if spec.shortcut:
                    action.setShortcut(QKeySequence(spec.shortcut))
                if spec.icon:
                    action.setIcon(icon(spec.icon))
                if spec.tip:
                    action.setStatusTip(spec.tip)
                    action.setToolTip(spec.tip)
                self._all[spec.name] = action
                window.addAction(action)  # shortcuts work with the menu bar hidden too
                slot = getattr(window, f"_on_{spec.name}_triggered", None)
                if slot is not None:
                    action.triggered.connect(slot)

    def __getattr__(self, name: str) -> QAction:
        try:
            return self.__dict__["_all"][name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> QAction:
        return self._all[name]

    def scope_letter_shortcuts(self, window: QMainWindow, area: QWidget) -> None:
        """Single-letter shortcuts (A, D, F, O, N) act only while the focus is in `area` (the
        queue and detail pane): a letter typed into a filter box must never decide a case."""
        for action in self._all.values():
            keys = action.shortcut()
            if keys.count() == 1 and not keys[0].keyboardModifiers():
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                window.removeAction(action)
                area.addAction(action)

    def set_enabled(self, names: tuple[str, ...], enabled: bool) -> None:
        for name in names:
            self._all[name].setEnabled(enabled)

    def build_menus(self, window: QMainWindow) -> dict[str, QMenu]:
        menus = {}
        for title, specs in MENUS:
            menu = window.menuBar().addMenu(title)
            menus[title.replace("&", "")] = menu
            for spec in specs:
                if spec is None:
                    menu.addSeparator()
                elif isinstance(spec, SubMenu):
                    sub = menu.addMenu(spec.title)
                    for item in spec.specs:
                        sub.addAction(self._all[item.name])
                else:
                    menu.addAction(self._all[spec.name])
        return menus

    def build_toolbar(self, window: QMainWindow) -> QToolBar:
        bar = window.addToolBar("Main")
        bar.setObjectName("mainToolBar")
        bar.setMovable(False)
        for name in TOOLBAR:
            if name is None:
                bar.addSeparator()
            else:
                bar.addAction(self._all[name])
        return bar

    def shortcut_table(self) -> list[tuple[str, str]]:
        """(keys, what) for the Help ▸ Keyboard shortcuts window."""
        rows = [("Up / Down, J / K", "Move through the queue")]
        for _menu, specs in MENUS:
            for spec in _flat(specs):
                if spec.shortcut:
                    rows.append((spec.shortcut, spec.text.replace("&", "").rstrip("…")))
        return rows
