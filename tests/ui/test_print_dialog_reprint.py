"""The print dialog's "Reprint as printed…": the order picked in the history, its recorded
file byte for byte in the folder chosen, opened; a changed file is said, nothing written."""

from __future__ import annotations

from pathlib import Path

from clerkapp.ui.dialogs.order_reprint import OrderReprintBar
from clerkapp.ui.files import SafeFileDialog
from tests.ui.test_print_dialog import (  # noqa: F401 - fixtures
    _open,
    _print,
    approved_store,
    opened,
    qsettings,
    relief_ids,
)


def test_reprint_from_the_history(qtbot, approved_store, qsettings, tmp_path,  # noqa: F811
                                  opened, monkeypatch):  # noqa: F811
    store = approved_store
    dialog = _open(qtbot, store, qsettings, selected_ids=relief_ids(store)[:2])
    dialog.folder_edit.setText(str(tmp_path / "out"))
    summary = _print(qtbot, dialog)
    bar: OrderReprintBar = dialog.reprint
    assert not bar.button.isEnabled()  # nothing picked yet
    dialog.history_table.selectRow(1)
    picked = dialog.history_orders[1]
    assert bar.button.isEnabled()
    asked = []
    monkeypatch.setattr(SafeFileDialog, "getExistingDirectory",
                        lambda _parent, _title, start: asked.append(start) or str(tmp_path / "c"))
    bar.button.click()
    assert asked == [str(tmp_path / "out")]
    done = bar.done
    assert done is not None and done.path.read_bytes() == Path(picked.path).read_bytes()
    assert opened[-1] == str(done.path)
    assert f"Order {picked.order_number} as printed on" in bar.label.text()
    assert "No new order was made." in bar.label.text()
    assert store.table_counts()["orders"] == len(summary.orders)
    dialog.grab().save(str(tmp_path / "reprint.png"))
    Path(picked.path).write_bytes(b"%PDF-1.4 not the order")
    assert bar.reprint_into(str(tmp_path / "c")) is None
    assert bar.label.text().startswith(f"Not reprinted: order {picked.order_number}: its file"
                                       " was changed after it was printed")
    assert len(list((tmp_path / "c").glob("*.pdf"))) == 1  # nothing more written
