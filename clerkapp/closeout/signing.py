"""Recording that the judge signed an order: its date starts the DOJ reporting deadline
(PC 13151) and opens the final report. A judge signs a stack of per-case orders in one
sitting: `mark_many_signed` records them all on one date, or none."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from clerkapp.domain.dates import option_date
from clerkapp.errors import BadInput
from clerkapp.jobs import CancelToken, Progress, check, no_progress
from clerkapp.store import Store
from clerkapp.store.closeout_orders import OrderSignature

# how a clerk records the judge's signature, for the messages that need it first
HOW_TO_SIGN = ("record the signing (`clerkapp orders --mark-signed ORDER_NO --date"
               " YYYY-MM-DD`, or File ▸ Print orders: pick the order, Mark signed…)")


def mark_signed(store: Store, order_number: str, signed_on: str, *, judge: str | None = None,
                operator: str | None = None) -> OrderSignature:
    """Record the signing of the order numbered `order_number` on `signed_on` (YYYY-MM-DD).

    Refused for an unknown order, a date that is not one, a date in the future or before the
    order was printed. Marking again corrects the date (both records stay, audited)."""
    order_id = store.find_order(order_number)
    if order_id is None:
        raise BadInput(f"no order numbered {order_number!r} (clerkapp orders --history lists"
                       " them)")
    iso = option_date(signed_on, "--date")
    if iso is None:
        raise BadInput("the signing date is missing: give it as --date YYYY-MM-DD")
    day = date.fromisoformat(iso)
    if day > date.today():
        raise BadInput(f"--date {day.isoformat()}: the signing date cannot be in the future")
    printed = (store.order_record(order_id) or {}).get("created_at", "")[:10]
    if printed and day.isoformat() < printed:
        raise BadInput(f"--date {day.isoformat()}: order {order_number} was printed on"
                       f" {printed}; it cannot have been signed before")
    name = (judge or str(store.get_setting("court.judge") or "")).strip()
    return store.record_signature(order_id, day.isoformat(), name,
                                  recorded_by=operator or store.clerk_name())


def mark_many_signed(store: Store, order_numbers: list[str], signed_on: str, *,
                     judge: str | None = None, operator: str | None = None,
                     progress: Progress = no_progress,
                     cancel: CancelToken | None = None) -> list[OrderSignature]:
    """Record the signing of these orders on one day, each checked and audited as
    `mark_signed` does, in one transaction: an unknown number, a date before one was printed,
    or a cancel records none of them (the clerk corrects the list and records it again)."""
    numbers = list(dict.fromkeys(n.strip() for n in order_numbers if n.strip()))
    unknown = [n for n in numbers if store.find_order(n) is None]
    if unknown:
        raise BadInput(f"no order numbered {', '.join(map(repr, unknown))} (clerkapp orders"
                       " --history lists them); no signing was recorded")
    signatures: list[OrderSignature] = []
    with store.atomic():
        for done, number in enumerate(numbers, start=1):
            check(cancel)
            signatures.append(mark_signed(store, number, signed_on, judge=judge,
                                          operator=operator))
            progress(done, len(numbers), "Recording the signing")
        check(cancel)
    return signatures


# what each update file tells, and the command that voids one
_UPDATES = {"doj": ("DOJ", "the DOJ", "doj-update", "DOJ update…"),
            "cms": ("case-system", "the case system", "cms-update", "Case-system update…")}


def signing_corrected(store: Store, order_number: str, before: OrderSignature | None) -> str:
    """What a signing recorded again changed, and what it leaves to set right: "" when nothing
    was recorded `before` or the date and judge are as they were. An update file already
    written told the DOJ (or the case system) the earlier date or judge, and the next update
    leaves those counts out as reported: the file is voided and written again."""
    order_id = store.find_order(order_number)
    after = store.order_signature(order_id) if order_id is not None else None
    if before is None or after is None or (before.signed_on, before.judge) == (
            after.signed_on, after.judge):
        return ""
    changed = " and ".join(w for w, a, b in (("date", before.signed_on, after.signed_on),
                                             ("judge", before.judge, after.judge)) if a != b)
    text = (f"order {order_number}: this corrects the signing recorded before"
            f" ({before.signed_on}{' by ' + before.judge if before.judge else ''})")
    for file_id, kind, written, path in store.update_files_of_order(order_id):
        label, whom, command, menu = _UPDATES.get(kind, (kind, kind, f"{kind}-update", ""))
        text += (f"; the {label} update #{file_id} ({Path(path).name}, {written[:10]}) told"
                 f" {whom} the earlier {changed}: void it (clerkapp {command} --void {file_id}"
                 f" --reason TEXT, or File ▸ Export ▸ {menu} Void…) and write the update"
                 " again")
    return text
