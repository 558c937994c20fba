"""The verbatim rows keep only the indexes something reads them by (issue 15): by id, and by
import and row number; the index by person, which nothing read, is gone from new stores and
from stores made before (the migration runs on both engines)."""

from __future__ import annotations

from clerkapp.store import Store, migrations
from clerkapp.store.migrations import MIGRATIONS


def test_a_new_store_indexes_source_rows_by_import_and_row_only(both_targets):
    with Store(both_targets) as store:
        names = store.index_names("source_rows")
    assert "source_rows_import_row" in names
    assert "source_rows_person" not in names


def test_a_store_made_before_loses_the_index_and_reads_its_rows_as_before(tmp_path,
                                                                       monkeypatch):
    path = tmp_path / "older.db"
    before = MIGRATIONS.index(migrations.SCHEMA_SOURCE_ROWS_PERSON)
    monkeypatch.setattr(migrations, "MIGRATIONS", MIGRATIONS[:before])
    with Store(path) as older:
        assert "source_rows_person" in older.index_names("source_rows")
        import_id = older.conn.execute(
            "INSERT INTO imports (file_name, file_path, sha256, size, preset, headers, mapping,"
            " started_at, status) VALUES ('a.csv', '/a.csv', 'x', 1, 'doj', '[\"A\"]', '{}',"
            " '2026-01-01', 'complete')").lastrowid
        older.conn.execute("INSERT INTO source_rows (import_id, row_number, \"values\")"
                           " VALUES (?, 2, '[\"kept\"]')", (import_id,))
    monkeypatch.setattr(migrations, "MIGRATIONS", MIGRATIONS)
    with Store(path) as store:
        assert store.schema_version == len(MIGRATIONS)
        assert "source_rows_person" not in store.index_names("source_rows")
        assert store.conn.execute(
            "SELECT \"values\" FROM source_rows WHERE import_id = ? AND row_number = 2",
            (import_id,)).fetchone()[0] == '["kept"]'
