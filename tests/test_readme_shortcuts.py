"""The README's key table names every keyboard shortcut the window has: `M` (enter a missing
fact) and `Ctrl+L` (look up a person) were missing from it."""

from __future__ import annotations

import re
from pathlib import Path

from clerkapp.ui.actions import MENUS, _flat

README = Path(__file__).resolve().parent.parent / "README.md"


def _readme_keys() -> set[str]:
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| key | action |"):]
    table = table[:table.index("\n\n")]
    keys: set[str] = set()
    for line in table.splitlines()[2:]:
        first_cell = line.split("|")[1]
        keys.update(re.findall(r"`([^`]+)`", first_cell))
    return keys


def test_every_shortcut_of_the_window_is_in_the_readme():
    shortcuts = {spec.shortcut for _menu, specs in MENUS for spec in _flat(specs)
                 if spec.shortcut}
    assert shortcuts and shortcuts <= _readme_keys()
