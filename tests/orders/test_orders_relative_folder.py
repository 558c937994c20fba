"""Orders printed into a folder named relative to where the command ran are recorded by their
absolute place: `clerkapp verify` from another folder finds every one of them."""

from __future__ import annotations

from pathlib import Path

from clerkapp.cli.main import main
from clerkapp.store import Store


def test_verify_from_another_folder_finds_orders_printed_with_a_relative_path(
        court_store, tmp_path, monkeypatch, capsys):
    db = court_store.path
    court_store.close()
    work, elsewhere = tmp_path / "work", tmp_path / "elsewhere"
    work.mkdir()
    elsewhere.mkdir()
    monkeypatch.chdir(work)
    assert main(["--db", str(db), "orders", "out"]) == 0
    monkeypatch.chdir(elsewhere)
    capsys.readouterr()
    code = main(["--db", str(db), "verify"])
    out = capsys.readouterr()
    assert code == 0, out.out + out.err
    assert "MISMATCH" not in out.out
    with Store(db) as store:
        paths = [r["path"] for r in store.conn.execute("SELECT path FROM orders")]
    assert paths and all(Path(p).is_absolute() and Path(p).is_file() for p in paths)
