"""The close-out rules as SQL over a conviction `c` (see `clerkapp.store.closeout` for what
they encode): shared by the queries that derive a stage and by the triggers that keep it
(`clerkapp.store.closeout_state`). Plain strings, no store import, so migrations can use them.
"""

from __future__ import annotations

from clerkapp.domain.closeout import DEFAULT_DOJ_DAYS

RELIEF_SQL = "('dismiss_and_seal', 'redesignate_misdemeanor', 'redesignate_infraction')"
UPDATE_KINDS = ("doj", "cms")
DAYS_KEY = "closeout.doj_days"

DECIDED = "(SELECT r.decided_outcome FROM reviews r WHERE r.id = c.review_id)"
APPROVED_AT = "(SELECT r.decided_at FROM reviews r WHERE r.id = c.review_id)"
IMPORT_WITHDRAWN = ("EXISTS (SELECT 1 FROM imports wi WHERE wi.id = c.import_id"
                    " AND (wi.withdrawn_at IS NOT NULL OR wi.status = 'withdrawn'))")
ACTIVE = (f"(c.review_status = 'approved' AND {DECIDED} IN {RELIEF_SQL}"
          f" AND NOT {IMPORT_WITHDRAWN})")
# a signed one first: when the court reprinted because the first paper was never signed, the
# signed reprint is the order; else the first printed (a reprint never moves the deadline)
_FIRST_ORDER = ("(SELECT oi.order_id FROM order_items oi JOIN orders o ON o.id = oi.order_id"
                f" WHERE oi.conviction_id = c.id AND o.created_at >= {APPROVED_AT}{{superseded}}"
                " ORDER BY EXISTS (SELECT 1 FROM order_signatures s WHERE s.order_id = o.id)"
                " DESC, o.created_at, o.id LIMIT 1)")
# an order a later one superseded for this conviction (printed with --supersede, naming it in
# `order_items.supersedes_order_id`) is no longer its order in force
NOT_SUPERSEDED = ("NOT EXISTS (SELECT 1 FROM order_items sx WHERE sx.conviction_id = c.id"
                  " AND sx.supersedes_order_id = o.id)")
FIRST_ORDER = _FIRST_ORDER.format(superseded=f" AND {NOT_SUPERSEDED}")
# the rule as migration 11 created the kept stage's triggers (before orders were superseded)
FIRST_ORDER_V1 = _FIRST_ORDER.format(superseded="")
# the kept stages (`closeout_stage`) in which a conviction's relief stands under an order: the
# row's `order_id` is then its order in force (FIRST_ORDER, kept by closeout_state's triggers);
# a withdrawn conviction has none, whatever paper was printed for it
IN_FORCE_STAGES = "('ordered', 'reported', 'closed')"
# the same question as `FIRST_ORDER IS NOT NULL`, without choosing the order: what filters ask
ORDERED_IN_FORCE = ("EXISTS (SELECT 1 FROM order_items oi JOIN orders o ON o.id = oi.order_id"
                    f" WHERE oi.conviction_id = c.id AND o.created_at >= {APPROVED_AT})")
EVER_ORDERED = "EXISTS (SELECT 1 FROM order_items ei WHERE ei.conviction_id = c.id)"
# the order number as printed on it (none for an order printed before numbers existed)
ORDER_NUMBER = "coalesce(o.order_number, '')"
SIGNED_ON = ("(SELECT s.signed_on FROM order_signatures s WHERE s.order_id = o.id"
             " ORDER BY s.id DESC LIMIT 1)")
ORDER_DATE_OF_O = f"coalesce({SIGNED_ON}, date(o.created_at, 'localtime'))"
ORDER_DATE = f"(SELECT {ORDER_DATE_OF_O} FROM orders o WHERE o.id = {FIRST_ORDER})"
DAYS = (f"coalesce((SELECT CAST(value AS INTEGER) FROM settings WHERE key = '{DAYS_KEY}'),"
        f" {DEFAULT_DOJ_DAYS})")
TODAY = "date('now', 'localtime')"
# a conviction's case number: its own, else the first its case lists (as Exhibit A prints it)
CASE_NUMBER = "coalesce(nullif(c.case_number, ''), json_extract(cs.case_numbers, '$[0]'), '')"


def done_sql(kind: str, order: str | None = FIRST_ORDER) -> str:
    """SQL: conviction `c` is in an update file of `kind` with the outcome approved now and
    under its order in force (`order`, SQL of its id): a relief changed since, or an order
    superseded since, is to be reported again. `order=None`: the rule as migration 11 had it
    (the outcome only)."""
    if kind not in UPDATE_KINDS:
        raise ValueError(f"unknown update kind {kind!r}")
    # `+`: read by the conviction's index; the order's would visit every count of a bulk order
    same_order = f" AND +ui.order_id = {order}" if order is not None else ""
    return ("EXISTS (SELECT 1 FROM update_items ui JOIN update_files uf ON uf.id = ui.file_id"
            f" WHERE ui.conviction_id = c.id AND uf.kind = '{kind}' AND uf.voided_at IS NULL"
            f" AND ui.outcome = {DECIDED}{same_order})")


def last_update_file(kind: str, conviction: str = "c.id") -> str:
    """SQL: the id of the latest update file of `kind` (not voided) holding `conviction`."""
    if kind not in UPDATE_KINDS:
        raise ValueError(f"unknown update kind {kind!r}")
    return ("(SELECT max(li.file_id) FROM update_items li JOIN update_files lf ON lf.id ="
            f" li.file_id WHERE li.conviction_id = {conviction} AND lf.kind = '{kind}'"
            " AND lf.voided_at IS NULL)")


def last_update_action(kind: str, conviction: str = "c.id") -> str:
    """SQL: what that latest file's row did for `conviction`: 'report', 'correction' or
    'withdrawal' (the relief reported no longer stands, and the file said so); NULL when no
    file of `kind` holds it. A withdrawn conviction is told when it is 'withdrawal', still to
    be told when it is another, and was never reported when NULL."""
    return (f"(SELECT la.action FROM update_items la WHERE la.conviction_id = {conviction}"
            f" AND la.file_id = {last_update_file(kind, conviction)})")


STAGE = (f"CASE WHEN {ACTIVE} THEN CASE WHEN {FIRST_ORDER} IS NULL THEN 'approved'"
         f" WHEN NOT {done_sql('doj')} THEN 'ordered' WHEN NOT {done_sql('cms')} THEN 'reported'"
         f" ELSE 'closed' END WHEN {EVER_ORDERED} THEN 'withdrawn' END")
