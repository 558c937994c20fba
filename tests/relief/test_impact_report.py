"""The impact report: every figure equals `clerkapp stats`, no personal data, provenance on
every page, and the BEAR-style figures (no felony / no conviction left) computed right."""

from __future__ import annotations

import json

from openpyxl import load_workbook
from pypdf import PdfReader

from clerkapp.cli.main import main
from clerkapp.reports.impact_tables import DIMENSION_TITLES, dimension_rows, summary_rows


def stats_of(store, capsys) -> dict:
    assert main(["--db", str(store.path), "stats"]) == 0
    return json.loads(capsys.readouterr().out)


def test_people_left_without_a_felony_or_any_conviction(relief_store, capsys):
    book = relief_store.book
    # BRAVO also has a burglary felony: the relief leaves it, so BRAVO keeps a felony
    book.conviction("CASE-Z9", "BRAVO,BEN", section="PC 459", level="F", dob="1980-05-06",
                    cii="B22222222", outcome="not_applicable")
    after = stats_of(relief_store, capsys)["impact"]["people_after_relief"]
    # ALPHA: both counts dismissed (M and F) -> nothing left; BRAVO: felony left;
    # GOLF: the felony is now an infraction
    assert after == {"with_relief_ordered": 3, "had_a_felony": 3, "no_felony_left": 2,
                     "no_conviction_left": 1}


def test_every_figure_equals_stats(relief_store, tmp_path, capsys):
    stats = stats_of(relief_store, capsys)
    for key in ("by_outcome", "by_section", "by_level", "by_decade", "by_race", "by_gender",
                "closeout", "latest_run", "cannabis_convictions"):
        assert key in stats  # the keys stats had before the report stay
    impact = stats["impact"]
    assert impact["convictions"] == 7 and impact["people"] == 6
    assert impact["by_relief"]["convictions"] == {
        "dismiss_and_seal": 2, "none": 3, "redesignate_infraction": 1,
        "redesignate_misdemeanor": 1}
    assert impact["relief_ordered"]["ordered"]["people"] == 3
    pdf, xlsx = tmp_path / "impact.pdf", tmp_path / "impact.xlsx"
    assert main(["--db", str(relief_store.path), "report", str(pdf), "--xlsx", str(xlsx)]) == 0
    assert capsys.readouterr().out.split() == [str(pdf), str(xlsx)]
    pages = [" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages]
    text = " ".join(pages)
    for label, count in summary_rows(impact):
        assert f"{label} {count}" in text
    for name in DIMENSION_TITLES:
        for label, convictions, people in dimension_rows(impact, name):
            assert f"{label} {convictions} {people}" in text, (name, label)
    book = load_workbook(xlsx, read_only=True)
    for name in DIMENSION_TITLES:
        rows = list(book[f"By {name}"].iter_rows(min_row=5, values_only=True))
        figures = impact[f"by_{name}"]
        assert [(r[1], r[2]) for r in rows] == [
            (n, figures["people"][k]) for k, n in figures["convictions"].items()]
    summary = list(book["Summary"].iter_rows(min_row=5, values_only=True))
    assert summary[0] == ("Cannabis convictions in the records", impact["convictions"])
    # provenance on every page: policy, as-of, rule set, input file hashes
    run = stats["latest_run"]
    for page in pages:
        assert f"Policy {run['policy_name']}" in page and f"as of {run['as_of']}" in page
        assert "input files (sha256): x" in page and "rule set test" in page


def test_no_personal_data_in_the_report(relief_store, tmp_path, capsys):
    pdf = tmp_path / "impact.pdf"
    assert main(["--db", str(relief_store.path), "report", str(pdf)]) == 0
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    people = relief_store.conn.execute("SELECT name, dob, cii FROM people").fetchall()
    cases = [r[0] for r in relief_store.conn.execute("SELECT case_number FROM convictions")]
    for name, dob, cii in people:
        for part in name.replace(",", " ").split():
            assert part not in text
        assert dob not in text and cii not in text
    for case in cases:
        assert case not in text
    entry = relief_store.conn.execute(
        "SELECT details FROM audit_log WHERE action = 'report.impact'").fetchone()
    assert json.loads(entry[0])["convictions"] == 7


def test_report_refuses_a_name_without_pdf(relief_store, tmp_path, capsys):
    assert main(["--db", str(relief_store.path), "report", str(tmp_path / "r.txt")]) == 2
    assert "ending in .pdf" in capsys.readouterr().err
