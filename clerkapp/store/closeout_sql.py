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
FIRST_ORDER = ("(SELECT oi.order_id FROM order_items oi JOIN orders o ON o.id = oi.order_id"
               f" WHERE oi.conviction_id = c.id AND o.created_at >= {APPROVED_AT}"
               " ORDER BY EXISTS (SELECT 1 FROM order_signatures s WHERE s.order_id = o.id) DESC,"
               " o.created_at, o.id LIMIT 1)")
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


def done_sql(kind: str) -> str:
    """SQL: conviction `c` is in an update file of `kind` with the outcome approved now."""
    if kind not in UPDATE_KINDS:
        raise ValueError(f"unknown update kind {kind!r}")
    return ("EXISTS (SELECT 1 FROM update_items ui JOIN update_files uf ON uf.id = ui.file_id"
            f" WHERE ui.conviction_id = c.id AND uf.kind = '{kind}' AND uf.voided_at IS NULL"
            f" AND ui.outcome = {DECIDED})")


STAGE = (f"CASE WHEN {ACTIVE} THEN CASE WHEN {FIRST_ORDER} IS NULL THEN 'approved'"
         f" WHEN NOT {done_sql('doj')} THEN 'ordered' WHEN NOT {done_sql('cms')} THEN 'reported'"
         f" ELSE 'closed' END WHEN {EVER_ORDERED} THEN 'withdrawn' END")
