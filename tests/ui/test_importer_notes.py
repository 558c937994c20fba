"""The detail pane names the importer's notes in words, read from a real import of the sample
DOJ file (it has a count whose offense text says to see the comment)."""

from __future__ import annotations

from pathlib import Path

from clerkapp.ingest.service import import_files
from clerkapp.ui.views.detail_html import FLAG_WORDS, detail_html

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample" / "sample_doj.csv"


def test_the_importers_notes_are_words_not_codes(store):
    import_files(store, [SAMPLE], operator="ana")
    flagged = [r[0] for r in store.conn.execute(
        "SELECT id FROM convictions WHERE flags LIKE '%offense_from_comment%'")]
    assert flagged
    html = detail_html(store.conviction_detail(flagged[0]))
    assert "offense_from_comment" not in html
    assert FLAG_WORDS["offense_from_comment"] in html
