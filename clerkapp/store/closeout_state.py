"""A conviction's close-out stage kept in a table (`closeout_stage`), so the queue's close-out
filters and the status bar's counts read one small indexed table instead of deriving the stage
of every approved conviction (a million-row store holds hundreds of thousands).

The table holds exactly what `closeout.STAGE` derives, nothing of its own: triggers recompute a
conviction's row with the same SQL inside the very statement that changes what the stage rests
on (its review in force, an order printed or signed, an update file written or voided, its
import withdrawn), so it can never be stale, whoever writes. Rows: the convictions with a stage
(approved, or ordered once), with the order in force, its date and the DOJ and case-system
flags.

The trigger bodies are this module's SQL as of the migration that creates them: a change to the
close-out rules needs a new migration that drops and recreates them (`closeout_stage_sql`).
"""

from __future__ import annotations

from clerkapp.store.closeout_sql import (
    ACTIVE,
    EVER_ORDERED,
    FIRST_ORDER,
    FIRST_ORDER_V1,
    ORDER_DATE,
    ORDER_DATE_OF_O,
    SIGNED_ON,
    STAGE,
    done_sql,
)


# the stage of convictions `c`, as the table holds it: `closeout_sql.STAGE` and `ORDER_DATE`,
# with the order in force (`fo`) chosen once instead of once per use (a trigger runs this for
# every count a bulk order prints); the tests compare it with STAGE itself
def _derived(v1: bool = False) -> str:
    """`v1`: the rules as migration 11 created them (no superseded orders; a report counted
    whatever order it named)."""
    first = FIRST_ORDER_V1 if v1 else FIRST_ORDER
    doj, cms = (done_sql(k, None if v1 else "fo.id") for k in ("doj", "cms"))
    return (
        f"SELECT c.id AS conviction_id, CASE WHEN {ACTIVE} THEN CASE WHEN fo.id IS NULL"
        f" THEN 'approved' WHEN NOT {doj} THEN 'ordered' WHEN NOT {cms}"
        f" THEN 'reported' ELSE 'closed' END WHEN {EVER_ORDERED} THEN 'withdrawn' END AS stage,"
        f" fo.id AS order_id, CASE WHEN fo.id IS NOT NULL THEN coalesce({SIGNED_ON.replace('o.id', 'fo.id')},"
        f" date(fo.created_at, 'localtime')) END AS order_date, {doj} AS doj,"
        f" {cms} AS cms"
        f" FROM convictions c LEFT JOIN orders fo ON fo.id = {first}")


def _refresh(ids: str, v1: bool = False) -> str:
    """Trigger statements: recompute the rows of the convictions whose id is `ids` (`= x`
    for one, `IN (...)` for several)."""
    return (f"DELETE FROM closeout_stage WHERE conviction_id {ids};\n"
            f"  INSERT INTO closeout_stage (conviction_id, stage, order_id, order_date, doj, cms)"
            f" SELECT * FROM ({_derived(v1)} WHERE c.id {ids}) WHERE stage IS NOT NULL;")


IMPORT_TRIGGER = "closeout_stage_import"
# (trigger name, event, the convictions it touches as `ids` of _refresh)
_TRIGGERS = (
    ("closeout_stage_conviction_new", "AFTER INSERT ON convictions"
     " WHEN NEW.review_status != 'pending' OR NEW.review_id IS NOT NULL", "= NEW.id"),
    ("closeout_stage_conviction", "AFTER UPDATE OF review_id, review_status, import_id"
     " ON convictions", "= NEW.id"),
    ("closeout_stage_conviction_gone", "AFTER DELETE ON convictions", "= OLD.id"),
    # a review is its conviction's (the integrity check holds pointers to that)
    ("closeout_stage_review", "AFTER UPDATE OF decided_outcome, decided_at, status ON reviews",
     "= NEW.conviction_id"),
    ("closeout_stage_import", "AFTER UPDATE OF withdrawn_at, status ON imports",
     "IN (SELECT id FROM convictions WHERE import_id = NEW.id)"),
    # (not the first order of a count approved and not ordered: closeout_stage_first_order)
    ("closeout_stage_order_item", "AFTER INSERT ON order_items WHEN NOT EXISTS (SELECT 1 FROM"
     " closeout_stage WHERE conviction_id = NEW.conviction_id AND (stage = 'approved'"
     " OR order_id = NEW.order_id))",
     "= NEW.conviction_id"),
    ("closeout_stage_order_item_gone", "AFTER DELETE ON order_items", "= OLD.conviction_id"),
    ("closeout_stage_order", "AFTER UPDATE OF created_at ON orders",
     "IN (SELECT conviction_id FROM order_items WHERE order_id = NEW.id)"),
    ("closeout_stage_signature", "AFTER INSERT ON order_signatures",
     "IN (SELECT conviction_id FROM order_items WHERE order_id = NEW.order_id)"),
    ("closeout_stage_signature_gone", "AFTER DELETE ON order_signatures",
     "IN (SELECT conviction_id FROM order_items WHERE order_id = OLD.order_id)"),
    ("closeout_stage_update_item", "AFTER INSERT ON update_items", "= NEW.conviction_id"),
    ("closeout_stage_update_item_gone", "AFTER DELETE ON update_items", "= OLD.conviction_id"),
    ("closeout_stage_update_file", "AFTER UPDATE OF voided_at, kind ON update_files",
     "IN (SELECT conviction_id FROM update_items WHERE file_id = NEW.id)"),
)


# The common case of a bulk order, cheaply: a count approved and not yet ordered (kept stage
# 'approved', so the order in force was none) printed now. The new order is the order in force
# when printed at or after the approval; the DOJ and case-system flags do not depend on orders.
_FIRST_ORDER_TRIGGER = f"""
CREATE TRIGGER closeout_stage_first_order AFTER INSERT ON order_items WHEN EXISTS (SELECT 1
    FROM closeout_stage WHERE conviction_id = NEW.conviction_id AND stage = 'approved') BEGIN
  UPDATE closeout_stage SET
    stage = CASE WHEN NOT doj THEN 'ordered' WHEN NOT cms THEN 'reported' ELSE 'closed' END,
    order_id = NEW.order_id,
    order_date = (SELECT {ORDER_DATE_OF_O} FROM orders o WHERE o.id = NEW.order_id)
  WHERE conviction_id = NEW.conviction_id
    AND (SELECT o.created_at FROM orders o WHERE o.id = NEW.order_id)
        >= (SELECT r.decided_at FROM convictions c JOIN reviews r ON r.id = c.review_id
            WHERE c.id = NEW.conviction_id);
END;
"""


def closeout_stage_sql() -> str:
    """Migration 11: the table, its triggers, and its rows for the store as it stands (the
    rules of then: `_derived(v1=True)`; migration text never changes once shipped)."""
    parts = ["""
CREATE TABLE closeout_stage (
    conviction_id INTEGER PRIMARY KEY,
    stage TEXT NOT NULL,
    order_id INTEGER,
    order_date TEXT,
    doj INTEGER NOT NULL DEFAULT 0,
    cms INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX closeout_stage_stage ON closeout_stage(stage, order_date);
"""]
    parts += _triggers(v1=True)
    parts.append(_fill(v1=True))
    return "".join(parts)


# What of an import the stage rests on: whether it is withdrawn (closeout_sql.IMPORT_WITHDRAWN)
_IMPORT_OUT = "({row}.withdrawn_at IS NOT NULL OR {row}.status = 'withdrawn')"


def import_trigger_sql(v1: bool = True) -> str:
    """The migration recreating `closeout_stage_import` to recompute an import's convictions
    only when the import is withdrawn or taken back, not when any other change to its status
    leaves that as it was: an import finishing (`importing` to `complete`) recomputed every
    conviction it had just written, none of which has a stage yet. `v1`: with the rules of
    then (migration 14); `closeout_rules_sql` makes it again with today's."""
    when = f"{_IMPORT_OUT.format(row='OLD')} != {_IMPORT_OUT.format(row='NEW')}"
    name, event, ids = next(t for t in _TRIGGERS if t[0] == IMPORT_TRIGGER)
    return (f"DROP TRIGGER IF EXISTS {name};\n"
            f"CREATE TRIGGER {name} {event} WHEN {when} BEGIN\n  {_refresh(ids, v1)}\nEND;\n")


def closeout_rules_sql() -> str:
    """A later migration: the triggers made again with today's rules (an order superseded for
    a conviction is not its order in force; a report counts under the order in force only),
    and every kept row recomputed with them."""
    parts = [f"DROP TRIGGER IF EXISTS {name};\n" for name, _, _ in _TRIGGERS
             if name != IMPORT_TRIGGER]
    parts += ["DROP TRIGGER IF EXISTS closeout_stage_first_order;\n"]
    parts += [t for t in _triggers() if IMPORT_TRIGGER not in t]
    parts.append(import_trigger_sql(v1=False))  # with its WHEN of migration 14
    parts.append("DELETE FROM closeout_stage;\n")
    parts.append(_fill())
    return "".join(parts)


def _triggers(v1: bool = False) -> list[str]:
    return [f"CREATE TRIGGER {name} {event} BEGIN\n  {_refresh(where, v1)}\nEND;\n"
            for name, event, where in _TRIGGERS] + [_FIRST_ORDER_TRIGGER]


def _fill(v1: bool = False) -> str:
    return (f"INSERT INTO closeout_stage (conviction_id, stage, order_id, order_date, doj, cms)"
            f" SELECT * FROM ({_derived(v1)} WHERE c.review_status = 'approved'"
            f" OR c.id IN (SELECT conviction_id FROM order_items)) WHERE stage IS NOT NULL;\n")


# the stage as `closeout_sql` derives it, for the check below
_RULES = (f"SELECT c.id AS conviction_id, {STAGE} AS stage, {FIRST_ORDER} AS order_id,"
          f" {ORDER_DATE} AS order_date,"
          f" {done_sql('doj')} AS doj, {done_sql('cms')} AS cms FROM convictions c")

# convictions whose kept stage differs from the derived one (both ways): always none
DRIFT_SQL = f"""
SELECT conviction_id FROM (
    SELECT * FROM ({_RULES} WHERE c.review_status = 'approved'
                   OR c.id IN (SELECT conviction_id FROM order_items)) WHERE stage IS NOT NULL
    EXCEPT SELECT conviction_id, stage, order_id, order_date, doj, cms FROM closeout_stage)
UNION
SELECT conviction_id FROM (
    SELECT conviction_id, stage, order_id, order_date, doj, cms FROM closeout_stage
    EXCEPT SELECT * FROM ({_RULES} WHERE c.review_status = 'approved'
                          OR c.id IN (SELECT conviction_id FROM order_items)))
ORDER BY 1
"""
