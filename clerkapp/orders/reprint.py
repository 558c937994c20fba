"""An order as it was printed, again: the recorded file, byte for byte.

The order is the judge's paper as printed: a second drawing of it (its exhibit may differ if
decisions changed since) would be a second version of one order, so a reprint never draws
anything and never takes an order number. It hands back the file recorded when the order was
printed, after checking it is still there with the sha256 recorded then, as a copy written
into a folder the clerk names (recorded like every file clerkapp writes, and the clerk's to
print, hand over or delete: `clerkapp verify` checks the original), or, without one, the
recorded file itself. A missing or changed file is refused in one line saying which, and
nothing is printed: the court's record of what it signed is the recorded hash, and a changed
file is for court IT to restore from backup (`clerkapp verify` lists every such file). Every
reprint, and every refusal, is in the audit log.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from clerkapp.errors import BadInput
from clerkapp.files.outputs import OutputBatch
from clerkapp.store import Store
from clerkapp.store.order_records import PrintedOrder

REPRINTED = "order.reprinted"  # also the kind of the copy's output file (files.check)
REFUSED = "order.reprint_refused"


@dataclass(frozen=True)
class Reprint:
    order: PrintedOrder
    path: Path  # the copy written, or the recorded file when no folder was named
    sha256: str
    copied: bool

    @property
    def number(self) -> str:
        return self.order.order_number or f"#{self.order.order_id}"


def reprint_order(store: Store, order_number: str, out_dir: str | Path | None = None, *,
                  operator: str | None = None) -> Reprint:
    """The order numbered `order_number` (as printed on it; `#12` for one printed before
    numbers existed) as recorded: a verified copy in `out_dir`, or the recorded file itself.
    BadInput, audited, when the number is unknown or the file is missing or changed."""
    order_id = store.find_order(order_number)
    order = store.printed_order(order_id) if order_id is not None else None
    if order is None:
        raise BadInput(f"no order numbered {order_number!r} (clerkapp orders --history lists"
                       " them)")
    number = order.order_number or f"#{order.order_id}"
    recorded = Path(order.path)
    data, problem = _read(recorded)
    if problem is None and hashlib.sha256(data).hexdigest() != order.sha256:
        problem = "changed"
    if problem is not None:
        _audit(store, REFUSED, order, operator, {"problem": problem})
        # the folder, never the file name: it carries the person's name
        what = {"missing": "its recorded file is missing from", "unreadable":
                "its recorded file cannot be read in",
                "changed": "its file was changed after it was printed (its sha256 differs"
                           " from the one recorded), in"}[problem]
        raise BadInput(f"order {number}: {what} {recorded.parent}: nothing was reprinted and"
                       " no new order was made; court IT can restore the file from a backup"
                       " (clerkapp verify lists every recorded file that is missing or"
                       " changed)")
    if out_dir is None:
        _audit(store, REPRINTED, order, operator, {"copy": False})
        return Reprint(order, recorded, order.sha256, False)
    with OutputBatch(store, REPRINTED, out_dir) as batch:
        staged = batch.write_bytes(recorded.name, data, label=f"the copy of order {number}")
        batch.commit(lambda _files: _audit(store, REPRINTED, order, operator, {"copy": True},
                                           atomic=False))
    return Reprint(order, staged.final, staged.sha256, True)


def _read(path: Path) -> tuple[bytes, str | None]:
    try:
        return path.read_bytes(), None
    except FileNotFoundError:
        return b"", "missing"
    except OSError:
        return b"", "unreadable"


def _audit(store: Store, action: str, order: PrintedOrder, operator: str | None,
           details: dict, *, atomic: bool = True) -> None:
    """One audit entry: the order's number and recorded hash, never the file name."""
    entry = {"order_number": order.order_number or None, "sha256": order.sha256,
             "kind": order.kind, **details}

    def write() -> None:
        store.audit(store.actor(operator or store.clerk_name()), action, entity="order",
                    entity_id=order.order_id, details=entry)

    if atomic:
        with store.atomic():
            write()
    else:
        write()
