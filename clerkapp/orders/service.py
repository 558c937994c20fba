"""Print court orders: per-case PDFs or one bulk order with Exhibit A.

Only approved decisions whose outcome grants relief are printed. Every file written is recorded
(`orders`, `order_items`, the audit log) in one transaction at the end; a failure or a cancel
removes the files this run wrote, so nothing is half-done.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby, islice
from pathlib import Path

from clerkapp.errors import BadInput
from clerkapp.jobs import CancelToken, Progress, check, no_progress
from clerkapp.orders.context import court_values
from clerkapp.orders.naming import bulk_file_name, case_file_name, unique_path
from clerkapp.orders.numbering import OrderNumberer
from clerkapp.orders.templates import DEFAULT_TEMPLATES, Template, load_template
from clerkapp.store import Store
from clerkapp.store.orders import NewOrder, PrintedOrder

PRINTABLE_STATUS = "approved"
REQUIRED_PROFILE = {"court.county": "County", "court.judge": "Judge"}


@dataclass
class OrdersSummary:
    """What a printing run wrote."""

    kind: str  # single | bulk
    outdir: Path
    files: list[Path] = field(default_factory=list)
    convictions: int = 0
    reprints: int = 0  # files covering at least one conviction printed before
    template: str = ""
    orders: list[PrintedOrder] = field(default_factory=list)
    other_county: int = 0  # approved with relief, but another county's: not printed here


def check_status(status: str | None) -> None:
    """Only approved decisions become orders; anything else is refused, clearly."""
    if (status or PRINTABLE_STATUS).strip().lower() != PRINTABLE_STATUS:
        raise BadInput(
            f"orders are printed only for approved decisions; status {status!r} cannot be"
            " printed (use --status approved, the default)"
        )


def missing_profile(store: Store) -> list[str]:
    """Labels of the court-profile settings an order cannot do without, when empty."""
    profile = store.settings_group("Court profile")
    return [label for key, label in REQUIRED_PROFILE.items()
            if not str(profile.get(key) or "").strip()]


def print_orders(
    store: Store,
    outdir: str | Path,
    *,
    bulk: bool = False,
    conviction_ids: Iterable[int] | None = None,
    status: str = PRINTABLE_STATUS,
    operator: str | None = None,
    only_unprinted: bool = False,
    sort: str = "case",
    template: str | Path | None = None,
    order_date: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> OrdersSummary:
    """Write the orders for the approved convictions (all, or those in `conviction_ids`)."""
    check_status(status)
    missing = missing_profile(store)
    if missing:
        raise BadInput(
            f"the court profile is incomplete: fill in {', '.join(missing)} before printing"
            " orders, under Tools ▸ Court profile & settings in the app, or with"
            " `clerkapp settings court.county=... court.judge=...`"
        )
    kind = "bulk" if bulk else "case"
    tmpl = load_template(template or DEFAULT_TEMPLATES[kind], kind)
    ids = None if conviction_ids is None else list(conviction_ids)
    total = store.count_relief(ids, only_unprinted=only_unprinted)
    other = store.count_other_county_relief(ids, only_unprinted=only_unprinted)
    if total == 0:
        raise BadInput("there are no approved convictions with relief to print"
                       + (" that were not printed before" if only_unprinted else "")
                       + (f" for {store.get_setting('court.county')} county ({other} are from"
                          " other counties: this court does not order their relief)"
                          if other else ""))
    folder = Path(outdir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInput(f"cannot create the output folder: {exc.strerror}", file=str(folder)) from None
    today = order_date or date.today().isoformat()
    court = court_values(store.settings_group("Court profile"), tmpl, today)
    numbers = OrderNumberer(store, today, kind)
    operator = operator or store.clerk_name()
    summary = OrdersSummary(kind="bulk" if bulk else "single", outdir=folder, template=tmpl.label)
    written: list[Path] = []
    try:
        if bulk:
            new = _print_bulk(store, folder, tmpl, court, ids, only_unprinted, sort, total,
                              today, numbers, written, progress, cancel)
        else:
            new = _print_cases(store, folder, tmpl, court, ids, only_unprinted, total, numbers,
                               written, progress, cancel)
        check(cancel)
        summary.orders = store.record_orders(new, created_by=operator)
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        raise
    summary.files = written
    summary.convictions = total
    summary.reprints = sum(1 for o in summary.orders if o.reprint)
    summary.other_county = other
    progress(total, total, "Orders written")
    return summary


def preview_order(
    store: Store,
    path: str | Path,
    *,
    bulk: bool = False,
    conviction_ids: Iterable[int] | None = None,
    only_unprinted: bool = False,
    sort: str = "case",
    template: str | Path | None = None,
    exhibit_rows: int = 100,
) -> Path:
    """Render the first order of a printing to `path` without recording anything: the first
    case's order, or the bulk order (full counts) with only the first `exhibit_rows` rows.
    It carries the order number the next printing would give it."""
    kind = "bulk" if bulk else "case"
    tmpl = load_template(template or DEFAULT_TEMPLATES[kind], kind)
    ids = None if conviction_ids is None else list(conviction_ids)
    today = date.today().isoformat()
    court = court_values(store.settings_group("Court profile"), tmpl, today)
    court["order.number"] = OrderNumberer(store, today, kind).peek().number
    target = Path(path)
    if bulk:
        from clerkapp.orders.render_bulk import render_bulk_order

        counts = store.order_counts(ids, only_unprinted=only_unprinted)
        if not counts.groups:
            raise BadInput("there are no approved convictions with relief to preview")
        rows = islice(store.iter_exhibit_rows(ids, only_unprinted=only_unprinted, sort=sort),
                      exhibit_rows)
        with target.open("wb") as out:
            render_bulk_order(out, tmpl, court, list(rows), 0, counts=counts, sort=sort)
        return target
    from clerkapp.orders.render_case import render_case_order

    groups = groupby(store.iter_order_rows(ids, only_unprinted=only_unprinted),
                     key=lambda r: r.case_key)
    first = next(groups, None)
    if first is None:
        raise BadInput("there are no approved convictions with relief to preview")
    target.write_bytes(render_case_order(tmpl, court, list(first[1])))
    return target


def _write(path: Path, data: bytes, written: list[Path], case_number: str) -> str:
    try:
        path.write_bytes(data)
    except OSError as exc:
        # the folder and the case number, not the file name: it carries the person's name
        raise BadInput(f"cannot write the order for case {case_number or '(none)'}:"
                       f" {exc.strerror}", file=str(path.parent)) from None
    written.append(path)
    return hashlib.sha256(data).hexdigest()


def _print_cases(store: Store, folder: Path, tmpl: Template, court: dict[str, str],
                 ids: list[int] | None, only_unprinted: bool, total: int, numbers: OrderNumberer,
                 written: list[Path], progress: Progress,
                 cancel: CancelToken | None) -> list[NewOrder]:
    from clerkapp.orders.render_case import render_case_order

    taken: set[str] = set()
    orders: list[NewOrder] = []
    done = 0
    rows_iter = store.iter_order_rows(ids, only_unprinted=only_unprinted, sort="case")
    for _, group in groupby(rows_iter, key=lambda r: r.case_key):
        check(cancel)
        rows = list(group)
        number = numbers.take()
        data = render_case_order(tmpl, {**court, "order.number": number.number}, rows)
        path = unique_path(folder, case_file_name(rows[0].case_number, rows[0].name), taken)
        digest = _write(path, data, written, rows[0].case_number)
        orders.append(NewOrder("single", str(path), digest, tmpl.label,
                               [r.conviction_id for r in rows], rows[0].case_number or None,
                               number=number))
        done += len(rows)
        progress(done, total, "Printing per-case orders")
    return orders


def _print_bulk(store: Store, folder: Path, tmpl: Template, court: dict[str, str],
                ids: list[int] | None, only_unprinted: bool, sort: str, total: int, today: str,
                numbers: OrderNumberer, written: list[Path], progress: Progress,
                cancel: CancelToken | None) -> list[NewOrder]:
    from clerkapp.orders.render_bulk import render_bulk_order

    covered: list[int] = []
    rows = store.iter_exhibit_rows(ids, only_unprinted=only_unprinted, sort=sort)
    path = unique_path(folder, bulk_file_name(today, total), set())
    try:
        out = path.open("wb")
    except OSError as exc:
        raise BadInput(f"cannot write the order: {exc.strerror}", file=str(path)) from None
    number = numbers.take()
    with out:
        written.append(path)
        digest, tally = render_bulk_order(out, tmpl, {**court, "order.number": number.number},
                                          rows, total, sort=sort, covered=covered,
                                          progress=progress, cancel=cancel)
    return [NewOrder("bulk", str(path), digest, tmpl.label, covered, None,
                     printed_before=tally.printed_before, number=number)]
