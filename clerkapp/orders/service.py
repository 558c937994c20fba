"""Print court orders: per-case PDFs or one bulk order with Exhibit A.

Only approved decisions whose outcome grants relief are printed. Every file is written under a
temporary name and recorded (`orders`, `order_items`, `output_files`, the audit log) in one
transaction at the end, then moved into place; a failure or a cancel removes the temporary
files, and a crash's leftovers are cleaned by the next run (`clerkapp.files.outputs`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from itertools import groupby, islice
from pathlib import Path

from clerkapp.errors import BadInput, DoneElsewhere
from clerkapp.files.outputs import OutputBatch, Recovery, recover_outputs
from clerkapp.integrity import require_intact
from clerkapp.jobs import CancelToken, Progress, check, no_progress
from clerkapp.orders.context import court_values
from clerkapp.orders.juvenile import is_juvenile, juvenile_ids, load_juvenile
from clerkapp.orders.naming import bulk_file_name, case_file_name
from clerkapp.orders.numbering import OrderNumberer
from clerkapp.orders.once import already_ordered, superseded_rows
from clerkapp.orders.templates import DEFAULT_TEMPLATES, Template, load_template
from clerkapp.store import Store
from clerkapp.store.order_records import NewOrder, OrderNumber, PrintedOrder

PRINTABLE_STATUS = "approved"
ATTEMPTS = 3  # runs made again when other clerks recorded orders for the same convictions
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
    recovered: Recovery = field(default_factory=Recovery)  # what an earlier crash left, cleaned
    juvenile_left_out: int = 0  # juvenile adjudications a bulk order leaves to per-case orders
    juvenile: int = 0  # per-case orders printed on the juvenile variant
    ordered_elsewhere: int = 0  # left out: another clerk's printing ordered them meanwhile
    elsewhere: str = ""  # who and when, for the clerk
    no_case_number: int = 0  # per-case orders for a case the record gives no number for
    superseded: list[str] = field(default_factory=list)  # orders replaced (--supersede)
    superseded_convictions: int = 0

    def no_case_number_text(self) -> str:
        """The warning a run gives when some orders name no case number, else ""."""
        if not self.no_case_number:
            return ""
        return (f"{self.no_case_number:,} order(s) have no case number: the record holds none,"
                " so each names the conviction by its court, DOJ cycle, arrest and conviction"
                " dates and CII instead; check them against the court's file before signing")


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
    supersede: str | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> OrdersSummary:
    """Write the orders for the approved convictions (all, or those in `conviction_ids`).

    A conviction is ordered once: when any of them already has an order in force, nothing is
    printed and the refusal names those orders, unless `supersede` gives the court's reason to
    replace them (each new order then names the order it supersedes, on the paper, in its
    record and in the audit log; the DOJ and case-system updates report the change).

    What a crashed earlier run left is finished or cleaned first (`summary.recovered`; when
    the run is then refused, the refusal says what was cleaned)."""
    check_status(status)
    recovered = recover_outputs(store)
    ids = None if conviction_ids is None else list(conviction_ids)
    try:
        # nothing is printed from a store that does not match its audit log
        chain = require_intact(store, "printing", ids)
        summary = _print_once(store, outdir, bulk, ids, operator, only_unprinted, sort,
                              template, order_date, chain.head(), progress, cancel,
                              (supersede or "").strip() or None)
    except BadInput as exc:
        if recovered.lines():
            exc.args = (f"{exc} ({'; '.join(recovered.lines())})",)
        raise
    summary.recovered = recovered
    return summary


def _print_once(store: Store, outdir: str | Path, bulk: bool, ids: list[int] | None,
                operator: str | None, only_unprinted: bool, sort: str,
                template: str | Path | None, order_date: str | None, audit_head: str,
                progress: Progress, cancel: CancelToken | None,
                supersede: str | None = None) -> OrdersSummary:
    """Print, and when another clerk's printing recorded orders for some of the same
    convictions while these files were drawn (nothing of this run is then recorded), print
    again without them: two clerks pressing print never order one decision twice."""
    left_out: set[int] = set()
    elsewhere: DoneElsewhere | None = None
    for _ in range(ATTEMPTS):
        wanted = ids
        if left_out:
            wanted = [i for i in store.relief_ids(ids, only_unprinted=only_unprinted)
                      if i not in left_out]
            if not wanted:
                raise BadInput(f"nothing was printed: {elsewhere} (no conviction is ordered"
                               " twice)")
        try:
            summary = _print(store, outdir, bulk, wanted, operator, only_unprinted, sort,
                             template, order_date, audit_head, progress, cancel, supersede)
        except DoneElsewhere as exc:
            left_out |= exc.conviction_ids
            elsewhere = exc
            continue
        summary.ordered_elsewhere = len(left_out)
        summary.elsewhere = f"{elsewhere}; left out of this printing" if elsewhere else ""
        return summary
    raise BadInput("other clerks kept recording orders for the same convictions (or under the"
                   " same numbers) while this printing ran: nothing was recorded; print again")


def _print(store: Store, outdir: str | Path, bulk: bool, conviction_ids: Iterable[int] | None,
           operator: str | None, only_unprinted: bool, sort: str,
           template: str | Path | None, order_date: str | None, audit_head: str,
           progress: Progress, cancel: CancelToken | None,
           supersede: str | None = None) -> OrdersSummary:
    missing = missing_profile(store)
    if missing:
        raise BadInput(
            f"the court profile is incomplete: fill in {', '.join(missing)} before printing"
            " orders, under Tools ▸ Court profile & settings in the app, or with"
            " `clerkapp settings court.county=... court.judge=...`"
        )
    kind = "bulk" if bulk else "case"
    tmpl = load_template(template or DEFAULT_TEMPLATES[kind], kind)
    juvenile_tmpl = juvenile_template(tmpl)
    ids = None if conviction_ids is None else list(conviction_ids)
    seen_order = store.last_order_id()  # orders recorded after it are checked at the end
    left_out = 0
    if bulk:
        ids, left_out = without_juvenile(store, ids, only_unprinted)
    total = store.count_relief(ids, only_unprinted=only_unprinted)
    other = store.count_other_county_relief(ids, only_unprinted=only_unprinted)
    if total == 0 and left_out:
        raise BadInput(f"the {left_out} approved conviction(s) to print are juvenile"
                       " adjudications, which a bulk order never lists (WIC 827): print them"
                       " as per-case orders (juvenile variant)")
    if total == 0:
        raise BadInput("there are no approved convictions with relief to print"
                       + (" that were not printed before" if only_unprinted else "")
                       + (f" for {store.get_setting('court.county')} county ({other} are from"
                          " other counties: this court does not order their relief)"
                          if other else ""))
    # a conviction is ordered once: replacing its order in force is the court's explicit act
    in_force = store.orders_in_force(ids, only_unprinted=only_unprinted)
    if in_force and not supersede:
        raise BadInput(already_ordered(in_force, total))
    replaced = superseded_rows(store, ids, in_force) if in_force else {}
    folder = Path(outdir)
    today = order_date or date.today().isoformat()
    court = court_values(store.settings_group("Court profile"), tmpl, today)
    court["audit.head"] = audit_head
    court["prosecutor.name"] = (store.prosecutor_of(store.relief_ids(ids)[:500])
                                or "The prosecuting agency")
    numbers = OrderNumberer(store, today, kind)
    operator = operator or store.clerk_name()
    summary = OrdersSummary(kind="bulk" if bulk else "single", outdir=folder, template=tmpl.label)
    # files under temporary names until the orders are recorded: a crash leaves no order file
    # that the store does not record (clerkapp.files.outputs)
    with OutputBatch(store, f"order.{summary.kind}", folder, recover=False) as out:
        if bulk:  # one bulk order per kind of list: an order never mixes recitals
            groups = store.relief_sources(ids, only_unprinted=only_unprinted)
            new = []
            for source, group in sorted(groups.items()):
                new += _print_bulk(store, out, tmpl, court, group, only_unprinted, sort,
                                   len(group), today, numbers, progress, cancel,
                                   source=source, split=len(groups) > 1, replaced=replaced)
        else:
            juvenile = None
            if juvenile_tmpl is not None:
                juvenile = (juvenile_tmpl, court_values(
                    store.settings_group("Court profile"), juvenile_tmpl, today))
            new = _print_cases(store, out, tmpl, court, ids, only_unprinted, total, numbers,
                               progress, cancel, juvenile, replaced)

        check(cancel)
        new = [replace(o, supersede_reason=supersede) if o.supersedes else o for o in new]

        def record(_files: object) -> list[PrintedOrder]:
            # read again under the write lock: what another clerk ordered since is not doubled
            store.require_not_ordered_since(seen_order, (i for o in new for i in o.conviction_ids))
            return store.record_orders(new, created_by=operator)

        summary.orders = out.commit(record)
    summary.files = [f.final for f in out.files]
    summary.convictions = total
    summary.reprints = sum(1 for o in summary.orders if o.reprint)
    summary.other_county = other
    summary.juvenile_left_out = left_out
    if juvenile_tmpl is not None:
        summary.juvenile = sum(1 for o in new if o.template == juvenile_tmpl.label)
    summary.no_case_number = sum(1 for o in new if o.kind == "single" and not o.case_number)
    summary.superseded = list(dict.fromkeys(n for o in summary.orders for n in o.supersedes))
    summary.superseded_convictions = sum(len(o.supersedes) for o in new)
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
    if bulk:
        ids, _ = without_juvenile(store, ids, only_unprinted)
    today = date.today().isoformat()
    court = court_values(store.settings_group("Court profile"), tmpl, today)
    court["order.number"] = OrderNumberer(store, today, kind).peek().number
    head_id, head_hash = store.chain_head()
    court["audit.head"] = f"#{head_id} {head_hash[:16]}"
    court["prosecutor.name"] = (store.prosecutor_of(store.relief_ids(ids)[:500])
                                or "The prosecuting agency")
    target = Path(path)
    if bulk:
        from clerkapp.orders.render_bulk import render_bulk_order

        groups = store.relief_sources(ids, only_unprinted=only_unprinted)
        source = min(groups) if groups else ""
        if len(groups) > 1:  # the first of the orders the printing would write
            ids = groups[source]
        counts = store.order_counts(ids, only_unprinted=only_unprinted)
        if not counts.groups:
            raise BadInput("there are no approved convictions with relief to preview")
        rows = islice(store.iter_exhibit_rows(ids, only_unprinted=only_unprinted, sort=sort),
                      exhibit_rows)
        with target.open("wb") as out:
            render_bulk_order(out, tmpl, court, list(rows), 0, counts=counts, sort=sort,
                              sources=frozenset({source}) if source else frozenset())
        return target
    from clerkapp.orders.render_case import render_case_order

    groups = groupby(store.iter_order_rows(ids, only_unprinted=only_unprinted),
                     key=lambda r: r.case_key)
    first = next(groups, None)
    if first is None:
        raise BadInput("there are no approved convictions with relief to preview")
    rows = list(first[1])
    juvenile_tmpl = juvenile_template(tmpl)
    if juvenile_tmpl is not None and any(is_juvenile(r) for r in rows):
        number = court["order.number"]
        court = court_values(store.settings_group("Court profile"), juvenile_tmpl, today)
        court["order.number"] = number
        tmpl = juvenile_tmpl
    target.write_bytes(render_case_order(tmpl, court, rows))
    return target


def juvenile_template(tmpl: Template) -> Template | None:
    """The juvenile variant a per-case template names (`[template] juvenile`), loaded and
    checked before anything is printed; None for a bulk template or one that names none."""
    name = tmpl.get("template.juvenile") if tmpl.kind == "case" else None
    if not name:
        return None
    path = Path(str(name))
    if not path.suffix and "/" not in str(name):  # a bare name: beside the template first
        beside = tmpl.path.parent / f"{name}.toml"
        if beside.exists():
            return load_template(beside, "case")
    return load_template(str(name), "case")


def without_juvenile(store: Store, ids: list[int] | None,
                     only_unprinted: bool) -> tuple[list[int] | None, int]:
    """The ids a bulk order lists: juvenile adjudications left out (they are confidential,
    WIC 827, and are ordered per case on the juvenile variant), and how many were."""
    juvenile = juvenile_ids(store, ids, only_unprinted=only_unprinted)
    if not juvenile:
        return ids, 0
    kept = [i for i in store.relief_ids(ids, only_unprinted=only_unprinted) if i not in juvenile]
    return kept, len(juvenile)


def _print_cases(store: Store, out: OutputBatch, tmpl: Template, court: dict[str, str],
                 ids: list[int] | None, only_unprinted: bool, total: int, numbers: OrderNumberer,
                 progress: Progress, cancel: CancelToken | None,
                 juvenile: tuple[Template, dict[str, str]] | None = None,
                 replaced: dict[int, tuple[int, str]] | None = None) -> list[NewOrder]:
    from clerkapp.orders.case_workers import draw_cases

    rule = load_juvenile() if juvenile is not None else None
    style = str(store.get_setting("orders.file_names") or "case").strip()  # orders/naming.py
    orders: list[NewOrder] = []
    done = 0
    rows_iter = store.iter_order_rows(ids, only_unprinted=only_unprinted, sort="case")
    variants = {"court": (tmpl, court)}
    if juvenile is not None:
        variants["juvenile"] = juvenile  # "In re ...": an adjudication, not a conviction

    def cases() -> Iterator[tuple[tuple[OrderNumber, str], str, list, str]]:
        """Each case's rows, numbered in case order, with the order it is drawn on."""
        for _, group in groupby(rows_iter, key=lambda r: r.case_key):
            rows = list(group)
            if replaced:  # the paper names the order it supersedes
                rows = [replace(r, supersedes=replaced[r.conviction_id][1])
                        if r.conviction_id in replaced else r for r in rows]
            key = ("juvenile" if juvenile is not None and any(is_juvenile(r, rule) for r in rows)
                   else "court")
            number = numbers.take()
            yield (number, key), number.number, rows, key

    # drawn in worker processes for a large run (case_workers); numbered and written here
    for (number, key), rows, data in draw_cases(variants, cases(), convictions=total,
                                                cancel=cancel):
        use = variants[key][0]
        # the case number, not the file name, in a message: the name carries the person's
        staged = out.write_bytes(case_file_name(rows[0].case_number, rows[0].name, style), data,
                                 label=f"the order for case {rows[0].case_number or '(none)'}")
        orders.append(NewOrder("single", str(staged.final), staged.sha256, use.label,
                               [r.conviction_id for r in rows], rows[0].case_number or None,
                               number=number, supersedes={
                                   r.conviction_id: replaced[r.conviction_id][0]
                                   for r in rows if replaced and r.conviction_id in replaced}))
        done += len(rows)
        progress(done, total, "Printing per-case orders")
    return orders


def _print_bulk(store: Store, out: OutputBatch, tmpl: Template, court: dict[str, str],
                ids: list[int] | None, only_unprinted: bool, sort: str, total: int, today: str,
                numbers: OrderNumberer, progress: Progress,
                cancel: CancelToken | None, source: str = "", split: bool = False,
                replaced: dict[int, tuple[int, str]] | None = None) -> list[NewOrder]:
    from clerkapp.orders.render_bulk import render_bulk_order

    covered: list[int] = []
    rows = store.iter_exhibit_rows(ids, only_unprinted=only_unprinted, sort=sort)
    number = numbers.take()
    name = bulk_file_name(today, total)
    if split:  # one order per kind of list on the same day: the file names say which
        name = name.replace("bulk-order_", f"bulk-order-{source}_", 1)
    values = {**court, "order.number": number.number,
              "prosecutor.name": store.prosecutor_of(ids or []) or court.get("prosecutor.name", "")}
    if replaced:  # the orders in force this one replaces, as printed on them
        mine = set(ids) if ids is not None else None
        values["order.supersedes"] = ", ".join(dict.fromkeys(
            n for cid, (_, n) in replaced.items() if mine is None or cid in mine))
    with out.open(name, label="the order") as (handle, staged):
        staged.sha256, tally = render_bulk_order(
            handle, tmpl, values, rows, total, sort=sort, covered=covered,
            sources=frozenset({source}) if source else frozenset(), progress=progress,
            cancel=cancel)
        staged.size = handle.tell()
    return [NewOrder("bulk", str(staged.final), staged.sha256, tmpl.label, covered, None,
                     printed_before=tally.printed_before, number=number,
                     supersedes={cid: replaced[cid][0] for cid in covered
                                 if replaced and cid in replaced})]
