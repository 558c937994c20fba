"""The determinations export as an Excel workbook a clerk can work in: the header row frozen
with filters on every column, full dates as real Excel dates (a partial one, `1970` or
`1970-04`, stays text: it is never completed), formula-like text kept as text, and a second
sheet giving every outcome and review status in words."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path

from clerkapp.domain.outcomes import OUTCOME_LABELS

DATE_COLUMNS = ("dob", "conviction_date")
TIME_COLUMNS = ("reviewed_at",)
OUTCOME_COLUMNS = ("outcome", "prosecutor_outcome", "decided_outcome")
STATUS_WORDS = {"pending": "Not decided yet", "approved": "Approved by the clerk",
                "denied": "Denied by the clerk (reason in review_note)",
                "deferred": "Put aside for later"}
REMEDY_WORDS = {"resentence": "Sentence still running: recalled and resentenced (HS 11361.8(b))",
                "redesignate": "Sentence complete: dismissed or redesignated (HS 11361.8(f))"}


def _date(text: str) -> date | str:
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    return text


def _time(text: str) -> datetime | str:
    try:  # stored as UTC ISO 8601: Excel has no time zones, the header says UTC
        return datetime.fromisoformat(text).replace(tzinfo=None)
    except ValueError:
        return text


def write_export_xlsx(path: Path, rows: Iterable[Sequence[str]], header: Sequence[str],
                      is_formula_like) -> int:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Convictions")
    sheet.freeze_panes = "A2"
    titles = [h if h not in TIME_COLUMNS else f"{h} (UTC)" for h in header]
    bold = Font(bold=True)
    head = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    kinds = {i: ("date" if h in DATE_COLUMNS else "time" if h in TIME_COLUMNS else "")
             for i, h in enumerate(header)}
    dated = [i for i, k in kinds.items() if k]
    count = 0
    for cells in rows:
        out: list = list(cells)
        for i, text in enumerate(cells):
            if text and is_formula_like(text):
                cell = WriteOnlyCell(sheet, value=text)
                cell.data_type = "s"  # stored as text, never evaluated as a formula
                out[i] = cell
        for i in dated:
            text = cells[i]
            if not text or not isinstance(out[i], str):
                continue
            value = _date(text) if kinds[i] == "date" else _time(text)
            if not isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd" if kinds[i] == "date" else "yyyy-mm-dd hh:mm"
                out[i] = cell
        sheet.append(out)
        count += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{count + 1}"
    _legend(workbook, bold)
    workbook.save(path)
    return count


def _legend(workbook, bold) -> None:
    """The codes of the Convictions sheet in words."""
    from openpyxl.cell import WriteOnlyCell

    sheet = workbook.create_sheet("Legend")
    head = []
    for title in ("column", "code", "in words"):
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        head.append(cell)
    sheet.append(head)
    outcomes = ", ".join(OUTCOME_COLUMNS)
    for o, label in OUTCOME_LABELS.items():
        sheet.append([outcomes, o.value, label])
    for code, words in STATUS_WORDS.items():
        sheet.append(["review_status", code, words])
    for code, words in REMEDY_WORDS.items():
        sheet.append(["remedy", code, words])
