"""The impact report: what the relief did, for the public, the press and the judge.

Every figure comes from `stats.collect(store)` (its "impact" part), so the report and
`clerkapp stats` never disagree. Counts only: no names, dates of birth, case numbers or
identifiers. Each page carries the policy, the as-of date, the rule-set version and the
sha256 of the input files, so a reader knows exactly which evaluation the figures describe.
An Excel copy (--xlsx) holds the same figures, one sheet per table.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import inch
from reportlab.platypus import (
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from clerkapp.files.outputs import OutputBatch
from clerkapp.jobs import CancelToken, Progress, check, no_progress
from clerkapp.orders.fonts import SANS, SANS_BOLD, register_fonts
from clerkapp.reports.impact_charts import bar_chart, progress_chart
from clerkapp.reports.impact_tables import (
    DIMENSION_TITLES,
    dimension_rows,
    label_of,
    progress_rows,
    scope_sentence,
    summary_rows,
)
from clerkapp.store import Store


@dataclass
class ImpactReport:
    pdf: Path
    xlsx: Path | None
    stats: dict[str, Any]


def provenance_line(stats: dict[str, Any]) -> str:
    """What every page says the figures come from."""
    run = stats.get("latest_run") or {}
    files = stats.get("input_files") or []
    hashes = ", ".join(f["sha256"][:12] for f in files[:6])
    more = f" and {len(files) - 6} more (page 1)" if len(files) > 6 else ""
    policy = (f"Policy {run.get('policy_name')} (sha256 {str(run.get('policy_hash'))[:12]}),"
              f" as of {run.get('as_of')}, rule set {run.get('rule_set_version') or '?'}"
              if run else "Not evaluated yet")
    return f"{policy} · input files (sha256): {hashes or 'none'}{more}"


def write_impact_report(store: Store, out_pdf: str | Path, *, xlsx: str | Path | None = None,
                        progress: Progress = no_progress,
                        cancel: CancelToken | None = None) -> ImpactReport:
    """Write the PDF (and the xlsx) of the figures `clerkapp stats` gives now."""
    from clerkapp.reports.stats import collect

    progress(0, 3, "Counting")
    stats = collect(store)
    check(cancel)
    county = str(stats["impact"].get("county") or "")  # whose convictions it counts
    pdf_path = Path(out_pdf)
    progress(1, 3, "Drawing the report")
    data = render_pdf(stats, county)
    check(cancel)
    # each file under a temporary name until recorded (clerkapp.files.outputs)
    with OutputBatch(store, "report.impact", pdf_path.parent) as out:
        pdf = out.write_bytes(pdf_path.name, data, overwrite=True, label="the impact report")
        out.commit()
    digests = [pdf.sha256]
    xlsx_path = None
    if xlsx is not None:
        from clerkapp.reports.impact_xlsx import write_impact_xlsx

        progress(2, 3, "Writing the workbook")
        xlsx_path = Path(xlsx)
        with OutputBatch(store, "report.impact", xlsx_path.parent) as out:
            staged = out.stage(xlsx_path.name, overwrite=True, label="the workbook")
            write_impact_xlsx(stats, county, staged.temp)
            check(cancel)
            out.commit()
        digests.append(staged.sha256)
    with store.atomic():
        store.audit(store.clerk_name(), "report.impact",
                    details={"convictions": stats["impact"]["convictions"], "sha256": digests})
    progress(3, 3, "Report written")
    return ImpactReport(pdf_path, xlsx_path, stats)


def render_pdf(stats: dict[str, Any], county: str) -> bytes:
    import io

    register_fonts()
    impact = stats["impact"]
    styles = _styles()
    story: list[Any] = []
    where = f"Superior Court of California, County of {county}" if county else "Superior Court"
    story += [Paragraph("Proposition 64 relief: impact report", styles["title"]),
              Paragraph(f"{where} · prepared {date.today().isoformat()}", styles["sub"]),
              Spacer(1, 8)]
    story.append(Paragraph(
        "Cannabis convictions (Health and Safety Code sections 11357-11360) in the court's"
        " records, and the people who have them, by what the review found and what the court"
        " ordered. Counts only: the report names nobody. Race/ethnicity and gender are as the"
        " records give them.", styles["body"]))
    story.append(Spacer(1, 3))
    story.append(Paragraph(scope_sentence(impact), styles["body"]))
    story.append(Spacer(1, 6))
    story.append(_table(["Figure", "Count"], summary_rows(impact), [4.6 * inch, 1.4 * inch]))
    story.append(Spacer(1, 10))
    story.append(KeepTogether([
        Paragraph("Convictions by outcome", styles["h2"]),
        bar_chart(impact["by_outcome"]["convictions"], "outcome", width=6.8 * inch),
    ]))
    for name, title in DIMENSION_TITLES.items():
        rows = dimension_rows(impact, name)
        block: list[Any] = [Paragraph(title, styles["h2"]),
                            _table([title.split(" by ")[-1].capitalize(), "Convictions", "People"],
                                   rows, [3.8 * inch, 1.2 * inch, 1.2 * inch])]
        if name in ("decade", "race", "relief") and len(rows) > 1:
            block.append(bar_chart(impact[f"by_{name}"]["convictions"], name, width=6.8 * inch))
        story.append(KeepTogether(block))
    ordered = impact["relief_ordered"]
    story.append(KeepTogether([
        Paragraph("Relief ordered and reported to the DOJ", styles["h2"]),
        _table(["Relief", "Ordered", "Reported to DOJ"],
               [[label_of("relief", k), f"{n:,}",
                 f"{ordered['reported']['convictions'].get(k, 0):,}"]
                for k, n in sorted(ordered["ordered"]["convictions"].items())]
               + [["People", f"{ordered['ordered']['people']:,}",
                   f"{ordered['reported']['people']:,}"]],
               [3.8 * inch, 1.2 * inch, 1.2 * inch])]))
    months = progress_rows(impact)
    if months:
        story.append(KeepTogether([
            Paragraph("Progress over time (convictions, cumulative)", styles["h2"]),
            progress_chart(impact["progress_by_month"], width=6.8 * inch),
            _table(["Month", "Approved", "Ordered", "Reported", "Approved\n(to date)",
                    "Ordered\n(to date)", "Reported\n(to date)"], months,
                   [0.9 * inch] + [0.98 * inch] * 6)]))
    story.append(KeepTogether([Paragraph("Where the figures come from", styles["h2"]),
                               *_provenance(stats, styles)]))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(buffer, pagesize=letter, leftMargin=0.75 * inch,
                            rightMargin=0.75 * inch, topMargin=0.8 * inch,
                            bottomMargin=0.9 * inch, title="Proposition 64 relief: impact report",
                            author=where, creator="clerkapp")
    line = provenance_line(stats)
    doc.build(story, canvasmaker=_numbered_canvas(line, where))
    return buffer.getvalue()


def _provenance(stats: dict[str, Any], styles: dict[str, ParagraphStyle]) -> list[Any]:
    run = stats.get("latest_run") or {}
    rows = [["Policy", str(run.get("policy_name", "")), str(run.get("policy_hash", ""))],
            ["As of", str(run.get("as_of", "")), ""],
            ["Rule set", str(run.get("rule_set_version") or ""), ""],
            ["Evaluated", str(run.get("finished_at") or ""), ""]]
    rows += [[f"Input file {i}", f"{f['file_name']} ({f['rows']:,} rows)", f["sha256"]]
             for i, f in enumerate(stats.get("input_files") or [], start=1)]
    cell = styles["small"]
    return [Table([[Paragraph(str(c), cell) for c in r] for r in rows], hAlign="LEFT",
                  colWidths=[1.1 * inch, 2.4 * inch, 3.5 * inch],
                  style=TableStyle([("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                                    ("VALIGN", (0, 0), (-1, -1), "TOP")]))]


def _styles() -> dict[str, ParagraphStyle]:
    return {
        "title": ParagraphStyle("title", fontName=SANS_BOLD, fontSize=18, leading=22),
        "sub": ParagraphStyle("sub", fontName=SANS, fontSize=10, leading=13,
                              textColor=colors.HexColor("#444444")),
        "h2": ParagraphStyle("h2", fontName=SANS_BOLD, fontSize=12, leading=15, spaceBefore=10,
                             spaceAfter=4),
        "body": ParagraphStyle("body", fontName=SANS, fontSize=9.5, leading=12.5),
        "small": ParagraphStyle("small", fontName=SANS, fontSize=7.5, leading=9.5),
    }


def _table(head: list[str], rows: list[list[str]], widths: list[float]) -> Table:
    table = Table([head, *rows], colWidths=widths, repeatRows=1, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, 0), SANS_BOLD), ("FONTNAME", (0, 1), (-1, -1), SANS),
        ("FONTSIZE", (0, 0), (-1, -1), 9), ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#BBBBBB")),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#F3F5F8")]),
        ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]))
    return table


def _numbered_canvas(line: str, where: str):
    """A canvas that writes "Page X of Y" and the provenance on every page once it knows Y."""
    from reportlab.pdfgen.canvas import Canvas

    from clerkapp.orders.layout import wrap

    class NumberedCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # Qt-style override name is reportlab's
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            width, _ = letter
            self.setFont(SANS, 7)
            self.setFillColor(colors.HexColor("#444444"))
            y = 0.55 * inch
            for part in wrap(line, SANS, 7, width - 1.5 * inch)[:3]:
                self.drawString(0.75 * inch, y, part)
                y -= 8.5
            self.drawRightString(width - 0.75 * inch, letter[1] - 0.5 * inch,
                                 f"Impact report · {where} · page {self._pageNumber} of {total}")
            self.setFillColor(colors.black)

    return NumberedCanvas
