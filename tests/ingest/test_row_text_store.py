"""A plain file's rows kept joined and another file's kept as JSON read back the same, on
both engines (PostgreSQL takes them by COPY): the conviction's detail shows the row's cells
as the file holds them (issue 15, store/row_text.py)."""

from __future__ import annotations

from clerkapp.ingest.service import import_files
from clerkapp.store.row_text import UNIT
from tests.ingest.test_doj import conviction_row, write


def _stored_and_shown(store, path):
    [summary] = import_files(store, [path])
    row_id, text = store.conn.execute(
        'SELECT id, "values" FROM source_rows WHERE import_id = ? ORDER BY id',
        (summary.import_id,)).fetchone()
    conviction_id = store.conn.execute(
        "SELECT id FROM convictions WHERE import_id = ? ORDER BY id",
        (summary.import_id,)).fetchone()[0]
    detail = store.conviction_detail(conviction_id)
    return text, detail.sources[0].values


def test_a_plain_row_is_kept_joined_and_shown_as_the_file_holds_it(store, tmp_path):
    row = conviction_row(PRI_NAME="SAMPLE,ONE \"JR\"", COMMENT_TEXT="MUÑOZ, 1203.4 PC")
    text, shown = _stored_and_shown(store, write(tmp_path / "plain.csv", [row]))
    assert UNIT in text and text == UNIT.join(row)
    assert shown == row


def test_a_row_with_a_control_character_is_kept_as_json_and_shown_the_same(store, tmp_path):
    row = conviction_row(SUBJECT_ID="2002", COMMENT_TEXT="TAB\tIN A\\B")
    text, shown = _stored_and_shown(store, write(tmp_path / "odd.csv", [row]))
    assert UNIT not in text and text.startswith("[")
    assert shown == row
