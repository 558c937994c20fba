"""The impact report's figures as a workbook: one sheet per table, the same rows as the PDF,
numbers as numbers, and the provenance (policy, as-of, rule set, input files) on each sheet."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from clerkapp.reports.impact_tables import (
    DIMENSION_TITLES,
    dimension_rows,
    label_of,
    progress_rows,
    scope_sentence,
    summary_rows,
)


def _number(text: str) -> Any:
    try:
        return int(text.replace(",", ""))
    except ValueError:
        return text


def write_impact_xlsx(stats: dict[str, Any], county: str, path: Path) -> None:
    from clerkapp.reports.impact import provenance_line

    impact = stats["impact"]
    line = provenance_line(stats)
    book = Workbook()
    sheets: list[tuple[str, list[str], list[list[str]]]] = [
        ("Summary", ["Figure", "Count"], summary_rows(impact))]
    for name, title in DIMENSION_TITLES.items():
        sheets.append((f"By {name}", [title.split(" by ")[-1].capitalize(), "Convictions",
                                      "People"], dimension_rows(impact, name)))
    ordered = impact["relief_ordered"]
    sheets.append(("Ordered", ["Relief", "Ordered", "Reported to DOJ"],
                   [[label_of("relief", k), f"{n:,}", f"{ordered['reported']['convictions'].get(k, 0):,}"]
                    for k, n in sorted(ordered["ordered"]["convictions"].items())]))
    sheets.append(("Progress", ["Month", "Approved", "Ordered", "Reported", "Approved (total)",
                                "Ordered (total)", "Reported (total)"], progress_rows(impact)))
    book.remove(book.active)
    for title, head, rows in sheets:
        sheet = book.create_sheet(title)
        sheet.append([f"Proposition 64 relief: impact report — {county or 'court'}"])
        sheet.append([line])
        sheet.append([scope_sentence(impact)])
        sheet.append(head)
        for cell in sheet[4]:
            cell.font = Font(bold=True)
        for row in rows:
            # a label that looks like a formula stays text
            sheet.append([row[0] if str(row[0])[:1] not in "=+-@" else f"'{row[0]}",
                          *(_number(c) for c in row[1:])])
        sheet.column_dimensions["A"].width = 48
    inputs = book.create_sheet("Input files")
    inputs.append(["File", "Rows", "sha256"])
    for f in stats.get("input_files") or []:
        inputs.append([f["file_name"], f["rows"], f["sha256"]])
    book.save(path)
