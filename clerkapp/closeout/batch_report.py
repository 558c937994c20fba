"""The judge's batch reports for a bulk order, as PDFs.

Before signing, a review list: every case and count on the order with its relief and the
reason in one line, the counts by relief, and anything that went back to review or was
withdrawn since the order was printed (so the judge does not sign relief the court no longer
stands behind). After the signing is recorded, a final report: what was ordered, reported to
the DOJ and updated in the case system, and what is still open, with the DOJ due date. Both
name the convictions a later order moved away from this one (which order vacated it as to
them, and the court's reason) and the orders this one superseded.

Both are recorded like the update files (`update_files`, the audit log) and written under a
temporary name first, so no report lies on disk that the store does not know.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen.canvas import Canvas

from clerkapp.domain.closeout import (
    DEADLINE_AUTHORITY,
    RELIEF_LABELS,
    Progress,
    Stage,
    due_date,
    relief_of,
)
from clerkapp.domain.outcomes import OUTCOME_LABELS, RELIEF_OUTCOMES, Outcome
from clerkapp.errors import BadInput
from clerkapp.jobs import CancelToken, check, no_progress
from clerkapp.jobs import Progress as ProgressFn
from clerkapp.orders.counts import count_number
from clerkapp.orders.fonts import SANS, SANS_BOLD, register_fonts
from clerkapp.orders.layout import Pages, clip, draw_pages
from clerkapp.store import Store
from clerkapp.store.superseded import Vacated
from clerkapp.store.update_rows import NewUpdateFile

KINDS = {"review": "judge_review", "final": "judge_final"}
PAGE = landscape(letter)
LEFT, RIGHT, TOP, BOTTOM = 36.0, PAGE[0] - 36.0, PAGE[1] - 40.0, 48.0
SIZE = 8.0
ROW = 11.0
# (title, x offset, width) of the review list's table; the reason takes the rest
REVIEW_COLUMNS = (("#", 0, 26), ("Case number", 28, 82), ("Count", 110, 32), ("Name", 142, 150),
                  ("Section", 292, 70), ("Lvl", 362, 18), ("Convicted", 382, 52),
                  ("Relief", 436, 120), ("Reason", 558, 162))
FINAL_COLUMNS = (("#", 0, 26), ("Case number", 28, 82), ("Count", 110, 32), ("Name", 142, 150),
                 ("Section", 292, 70), ("Relief", 364, 120), ("Close-out", 486, 234))


@dataclass(frozen=True)
class ReportSummary:
    kind: str  # review | final
    path: Path
    convictions: int
    changed: int  # in review again or withdrawn since the order was printed


def since_note(row: dict) -> str:
    """What became of an ordered conviction since the order ('' while it stands)."""
    moved: Vacated | None = row.get("moved")
    if moved is not None:  # vacated here: what became of it since is the new order's
        return f"moved to Order No. {moved.by_number}"
    if row["import_withdrawn"]:
        return "import withdrawn"
    status = row["review_status"]
    if status in ("pending", "deferred"):
        return "back in review"
    if status == "denied":
        return "denied since"
    if row["outcome"] not in {o.value for o in RELIEF_OUTCOMES}:
        return f"approved as {OUTCOME_LABELS[Outcome(row['outcome'])].lower()} since"
    return ""


def relief_label(row: dict) -> str:
    outcome = row["outcome"] or ""
    if outcome in {o.value for o in RELIEF_OUTCOMES}:
        return RELIEF_LABELS[relief_of(outcome, row["remedy"])]
    return OUTCOME_LABELS[Outcome(outcome)] if outcome in set(Outcome) else ""


def write_review_list(store: Store, order_number: str, out: str | Path, *,
                      operator: str | None = None, progress: ProgressFn = no_progress,
                      cancel: CancelToken | None = None) -> ReportSummary:
    """The judge's list before signing a bulk order (by its number as printed)."""
    order_id, order, rows = _batch(store, order_number)
    progress(0, len(rows), "Laying out the review list")
    changed = [r for r in rows if since_note(r)]
    standing = Counter(relief_label(r) for r in rows if not since_note(r))
    pages = _pages(store, "Review list for the judge", order)
    pages.paragraph(f"Bulk order {order['number'] or '#' + str(order_id)}, printed"
                    f" {order['created_at'][:10]} by {order['created_by']}: {len(rows):,}"
                    " conviction(s). Read before signing.", LEFT, RIGHT - LEFT, SANS, 10, 14)
    _heading(pages, "Counts by relief")
    for label, n in sorted(standing.items()):
        _line(pages, f"{label}: {n:,}")
    _line(pages, f"Total standing as printed: {sum(standing.values()):,}")
    _heading(pages, "Back in review, withdrawn or moved to another order since it was printed")
    if not changed:
        _line(pages, "None: every conviction on the order stands as printed.")
    for r in changed:
        _line(pages, f"Case {r['case_number'] or '(none)'}, count"
                     f" {count_number(r['count']) or '-'},"
                     f" {r['code_section']}: {since_note(r)}{_why(r)}")
    _superseding(pages, store, order_id)
    _heading(pages, "Every case and count on the order")
    _table(pages, REVIEW_COLUMNS, (
        [str(n), r["case_number"], count_number(r["count"]), r["name"], r["code_section"],
         r["level"],
         r["conviction_date"], relief_label(r) + (f" ({since_note(r)})" if since_note(r) else ""),
         r["reason"]] for n, r in enumerate(rows, start=1)), cancel)
    path = _save(store, "review", order_id, out, pages, len(rows), operator)
    progress(len(rows), len(rows), "Review list written")
    return ReportSummary("review", path, len(rows), len(changed))


def write_final_report(store: Store, order_number: str, out: str | Path, *,
                       operator: str | None = None, today: date | None = None,
                       progress: ProgressFn = no_progress,
                       cancel: CancelToken | None = None) -> ReportSummary:
    """What a signed bulk order became: ordered, reported, updated, still open."""
    order_id, order, rows = _batch(store, order_number)
    signature = store.order_signature(order_id)
    if signature is None:
        raise BadInput(f"order {order_number} is not recorded as signed: record the signing"
                       f" first (clerkapp orders --mark-signed {order_number} --date"
                       " YYYY-MM-DD, or the print dialog's history)")
    today = today or date.today()
    days = store.doj_days()
    progress(0, len(rows), "Laying out the final report")
    moved = [r for r in rows if r["moved"] is not None]
    held = [r for r in rows if r["moved"] is None]  # the counts this order still governs
    stages = Counter(r["stage"] for r in held)
    progress_of = {r["id"]: _progress(r) for r in rows}
    open_rows = [r for r in held if r["stage"] in (Stage.APPROVED, Stage.ORDERED)]
    overdue = sum(1 for r in held if progress_of[r["id"]] and
                  progress_of[r["id"]].overdue(today, days))
    pages = _pages(store, "Final report on a signed order", order)
    due = due_date(signature.signed_on, days)
    tense = "was" if today > due else "is"
    pages.paragraph(f"Bulk order {order['number'] or '#' + str(order_id)}, signed"
                    f" {signature.signed_on} by {signature.judge or 'the judge'}:"
                    f" {len(rows):,} conviction(s) ordered. The DOJ report {tense} due"
                    f" {due.isoformat()}"
                    f" ({days} days after the order, {DEADLINE_AUTHORITY}).",
                    LEFT, RIGHT - LEFT, SANS, 10, 14)
    _heading(pages, "Close-out")
    reported = stages[Stage.REPORTED] + stages[Stage.CLOSED]
    cms = sum(1 for r in held if r["cms"] and r["stage"] != Stage.WITHDRAWN)
    for text in (f"Ordered: {len(rows):,}"
                 + (f", of which {len(moved):,} moved to a superseding order (below): the"
                    " figures that follow are of the other"
                    f" {len(held):,}" if moved else ""),
                 f"Reported to the DOJ: {reported:,}",
                 f"Updated in the case system: {cms:,}", f"Closed (both): {stages[Stage.CLOSED]:,}",
                 f"Still open, not reported to the DOJ: {len(open_rows):,}"
                 + (f", {overdue:,} overdue" if overdue else ""),
                 f"Withdrawn since the order: {stages[Stage.WITHDRAWN]:,}"):
        _line(pages, text)
    if moved:
        _heading(pages, "Moved to a superseding order: this order vacated as to them")
        for r in moved:
            _line(pages, f"Case {r['case_number'] or '(none)'}, count"
                         f" {count_number(r['count']) or '-'}, {r['code_section']}:"
                         f" vacated by Order No. {r['moved'].by_number} of"
                         f" {r['moved'].by_date}{_why(r)}")
    _superseding(pages, store, order_id)
    files = store.order_update_files(order_id)
    if files:
        _heading(pages, "Update files that reported this order's counts")
        for f in files:
            what = "DOJ update" if f.kind == "doj" else "Case-system update"
            _line(pages, f"{what} of {f.created_at[:10]} by {f.created_by}: {f.row_count:,}"
                         f" row(s), layout {f.layout}, sha256 {f.sha256[:16]}…")
    _heading(pages, "Every case and count on the order")
    _table(pages, FINAL_COLUMNS, (
        [str(n), r["case_number"], count_number(r["count"]), r["name"], r["code_section"],
         relief_label(r),
         (f"vacated here, {since_note(r)}" if r["moved"] is not None else
         (progress_of[r["id"]].text(today, days) if progress_of[r["id"]] else "no relief now")
         + (f" ({since_note(r)})" if since_note(r) else ""))]
        for n, r in enumerate(rows, start=1)), cancel)
    path = _save(store, "final", order_id, out, pages, len(rows), operator)
    progress(len(rows), len(rows), "Final report written")
    return ReportSummary("final", path, len(rows), stages[Stage.WITHDRAWN] + len(moved))


def _progress(row: dict) -> Progress | None:
    return Progress(Stage(row["stage"]), row["order_date"], bool(row["cms"])) \
        if row["stage"] else None


def _batch(store: Store, order_number: str) -> tuple[int, dict, list[dict]]:
    order_id = store.find_order(order_number)
    if order_id is None:
        raise BadInput(f"no order numbered {order_number!r} (clerkapp orders --history lists"
                       " them)")
    order = store.order_record(order_id) or {}
    if order.get("kind") != "bulk":
        raise BadInput(f"order {order_number} is a per-case order: the judge's reports are for"
                       " bulk orders")
    rows = store.order_batch(order_id)
    moved = {v.conviction_id: v for v in store.vacated_orders(order_id=order_id)}
    for r in rows:
        r["moved"] = moved.get(r["id"])  # the later order that vacated this one as to it
    return order_id, order, rows


def _why(row: dict) -> str:
    """": the court's reason" of a move to a superseding order, else ""."""
    moved = row.get("moved")
    return f" ({moved.reason})" if moved is not None and moved.reason else ""


def _superseding(pages: Pages, store: Store, order_id: int) -> None:
    """When this order superseded earlier ones: which, for how many, and why."""
    replaced = store.vacated_orders(by_order_id=order_id)
    if not replaced:
        return
    _heading(pages, "Orders this order supersedes (vacated as to the convictions named)")
    by_order = Counter((v.number, v.reason) for v in replaced)
    for (number, reason), n in sorted(by_order.items()):
        _line(pages, f"Order No. {number}: vacated as to {n:,} conviction(s)"
                     + (f" ({reason})" if reason else ""))


def _pages(store: Store, title: str, order: dict) -> Pages:
    register_fonts()
    profile = store.settings_group("Court profile")
    pages = Pages(PAGE[0], PAGE[1], top=TOP, bottom=BOTTOM)
    pages.y -= 4
    pages.text(LEFT, pages.y, SANS_BOLD, 14, title)
    pages.y -= 16
    court = ", ".join(str(profile.get(k) or "").strip() for k in ("court.name", "court.county")
                      if str(profile.get(k) or "").strip())
    pages.text(LEFT, pages.y, SANS, 10, f"{court} County" if profile.get("court.county") else court)
    pages.y -= 8
    return pages


def _heading(pages: Pages, text: str) -> None:
    pages.ensure(ROW * 4)
    pages.y -= ROW * 1.4
    pages.text(LEFT, pages.y, SANS_BOLD, 10, text)
    pages.y -= 4


def _line(pages: Pages, text: str) -> None:
    pages.paragraph(text, LEFT + 10, RIGHT - LEFT - 10, SANS, 9, 12)


def _table(pages: Pages, columns, rows, cancel: CancelToken | None) -> None:
    def header(p: Pages) -> None:
        p.y -= ROW
        for title, x, _w in columns:
            p.text(LEFT + x, p.y, SANS_BOLD, SIZE, title)
        p.line(LEFT, p.y - 3, RIGHT, p.y - 3, 0.5)
        p.y -= 3

    header(pages)
    pages.on_new_page = header
    for n, cells in enumerate(rows):
        if n % 1000 == 0:
            check(cancel)
        pages.ensure(ROW)
        pages.y -= ROW
        for (_title, x, width), text in zip(columns, cells, strict=True):
            width = (RIGHT - LEFT - x) if _title == columns[-1][0] else width
            pages.text(LEFT + x, pages.y, SANS, SIZE, clip(str(text or ""), SANS, SIZE, width - 3))
    pages.on_new_page = None


def _footer(title: str):
    def decorate(canvas: Canvas, page: int, total: int) -> None:
        canvas.setFont(SANS, 7)
        canvas.drawString(LEFT, 24, title)
        canvas.drawRightString(RIGHT, 24, f"Page {page} of {total}")
    return decorate


def _save(store: Store, kind: str, order_id: int, out: str | Path, pages: Pages, rows: int,
          operator: str | None) -> Path:
    """Draw under a temporary name, record, then move into place (`clerkapp.files.outputs`)."""
    from clerkapp.files.outputs import OutputBatch

    path = Path(out)
    if path.suffix.lower() != ".pdf":
        raise BadInput("a report must end in .pdf", file=str(path))
    title = {"review": "Review list for the judge", "final": "Final report"}[kind]
    with OutputBatch(store, f"closeout.{KINDS[kind]}", path.parent) as batch:
        with batch.open(path.name, overwrite=True, label="the report") as (handle, _staged):
            canvas = Canvas(handle, pagesize=PAGE, pageCompression=1)
            canvas.setTitle(f"{title}, order {store.order_number(order_id) or order_id}")
            canvas.setCreator("clerkapp")
            draw_pages(canvas, pages.pages, _footer(f"clerkapp · {title} · generated"
                                                    f" {date.today().isoformat()}"))
            canvas.save()
        batch.commit(lambda files: store.record_update_file(NewUpdateFile(
            KINDS[kind], str(path), files[0].sha256, f"{KINDS[kind]} 1", (), None, False,
            order_id=order_id, row_count=rows), created_by=operator or store.clerk_name()))
    return path
